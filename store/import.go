package store

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// ImportError lists every bad row of an import file by line number; nothing was imported.
type ImportError struct {
	Lines []LineError
}

// LineError is one bad row; Field names the column at fault when one is (the body import names it
// for every problem).
type LineError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Format and Args are Message before it was formatted (see fengqiao.FieldError).
	Format string   `json:"-"`
	Args   []string `json:"-"`
}

// lineErrorf is the LineError of line (and field, "" for none) with a formatted message.
func lineErrorf(line int, field, format string, args ...any) LineError {
	return LineError{Line: line, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: fengqiao.Texts(args...)}
}

// csvProblem is a CSV reader's error as a code the page names in the reader's language (csv.problem.*):
// a quote out of place, a wrong number of fields; anything else as the reader said it.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote), errors.Is(err, csv.ErrQuote):
		return "quote"
	case errors.Is(err, csv.ErrFieldCount):
		return "field_count"
	}
	return err.Error()
}

// Error implements error.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows, nothing imported", len(e.Lines))
	for i, l := range e.Lines {
		if i == 10 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", l.Line, l.Message)
	}
	return b.String()
}

// readImportCSV reads an import file (UTF-8, an optional byte-order mark) whose first row must be
// header, and hands every further row, trimmed, with its line number to row, which returns the row's
// problems. Blank lines are skipped; a row of the wrong width or that is not valid CSV is a problem of
// its line (field "csv"), and after a broken quote reading stops, as the reader cannot find the next
// row reliably. A header that is not header ends the import at once (an *ImportError). The problems
// it finds itself are written Chinese first; the pages name them from the catalogue.
func readImportCSV(r io.Reader, header string, row func(line int, rec []string) []LineError) ([]LineError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	got, err := cr.Read()
	if err != nil {
		return nil, &ImportError{Lines: []LineError{lineErrorf(1, "header", "无法读取表头（%[1]s）/ cannot read the header (%[1]s)", csvProblem(err))}}
	}
	if len(got) > 0 {
		got[0] = strings.TrimPrefix(got[0], "\ufeff")
	}
	for i := range got {
		got[i] = strings.TrimSpace(got[i])
	}
	if strings.Join(got, ",") != header {
		return nil, &ImportError{Lines: []LineError{lineErrorf(1, "header", "表头须为 %[1]s / the header must be %[1]s", header)}}
	}
	width := len(strings.Split(header, ","))
	var bad []LineError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, &ImportError{Lines: append(bad, lineErrorf(0, "csv", "无法读取文件（%[1]s）/ the file cannot be read (%[1]s)", csvProblem(err)))}
			}
			bad = append(bad, lineErrorf(pe.Line, "csv", "CSV 格式错误（%[1]s）/ not valid CSV (%[1]s)", csvProblem(pe.Err)))
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				return bad, nil
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != width {
			bad = append(bad, lineErrorf(line, "csv", "有 %[1]d 列，应为 %[2]d 列 / has %[1]d fields, want %[2]d", len(rec), width))
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		bad = append(bad, row(line, rec)...)
	}
}

// ParseNodesCSV reads a jurisdiction file with the header `code,name,tier,parent_code` (see
// readImportCSV) and checks every row on its own and against the other rows and the nodes already in
// the database (known). Rows may come in any order; parents are placed before children.
func ParseNodesCSV(r io.Reader, known func(code string) (fengqiao.Tier, bool)) ([]fengqiao.Node, error) {
	var nodes []fengqiao.Node
	lineOf := map[string]int{}
	bad, err := readImportCSV(r, "code,name,tier,parent_code", func(line int, rec []string) []LineError {
		n := fengqiao.Node{Code: rec[0], Name: rec[1], Tier: fengqiao.Tier(rec[2]), ParentCode: rec[3]}
		if err := ValidateNode(n); err != nil {
			var fe *fengqiao.Error
			errors.As(err, &fe)
			var bad []LineError
			for _, f := range fe.Fields {
				bad = append(bad, LineError{Line: line, Message: f.Field + " " + f.Message, Format: "%s " + f.Format, Args: append([]string{f.Field}, f.Args...)})
			}
			return bad
		}
		if first, dup := lineOf[n.Code]; dup {
			return []LineError{lineErrorf(line, "", "code %s repeats line %d", n.Code, first)}
		}
		if _, exists := known(n.Code); exists {
			return []LineError{lineErrorf(line, "", "code %s already exists", n.Code)}
		}
		lineOf[n.Code] = line
		nodes = append(nodes, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	tierOf := map[string]fengqiao.Tier{}
	for _, n := range nodes {
		tierOf[n.Code] = n.Tier
	}
	for _, n := range nodes {
		if n.ParentCode == "" {
			continue
		}
		pt, ok := tierOf[n.ParentCode]
		if !ok {
			pt, ok = known(n.ParentCode)
		}
		switch {
		case !ok:
			bad = append(bad, lineErrorf(lineOf[n.Code], "", "parent_code %s is neither in the file nor in the tree", n.ParentCode))
		case !n.Tier.CanHangUnder(pt):
			bad = append(bad, lineErrorf(lineOf[n.Code], "", "tier: a %s cannot hang under a %s", n.Tier, pt))
		}
	}
	if len(bad) > 0 {
		return nil, &ImportError{Lines: bad}
	}
	return parentsFirst(nodes), nil
}

// parentsFirst orders nodes so that each parent in the batch precedes its children.
func parentsFirst(nodes []fengqiao.Node) []fengqiao.Node {
	byParent := map[string][]fengqiao.Node{}
	inBatch := map[string]bool{}
	for _, n := range nodes {
		inBatch[n.Code] = true
	}
	var roots []fengqiao.Node
	for _, n := range nodes {
		if inBatch[n.ParentCode] {
			byParent[n.ParentCode] = append(byParent[n.ParentCode], n)
		} else {
			roots = append(roots, n)
		}
	}
	out := make([]fengqiao.Node, 0, len(nodes))
	var walk func(n fengqiao.Node)
	walk = func(n fengqiao.Node) {
		out = append(out, n)
		for _, c := range byParent[n.Code] {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// ImportNodes checks a whole CSV file and imports all of it in one transaction, or nothing.
func (db *DB) ImportNodes(ctx context.Context, r io.Reader) ([]fengqiao.Node, error) {
	existing, err := db.AllNodes(ctx)
	if err != nil {
		return nil, err
	}
	tiers := make(map[string]fengqiao.Tier, len(existing))
	paths := make(map[string]string, len(existing))
	for _, n := range existing {
		tiers[n.Code], paths[n.Code] = n.Tier, n.Path
	}
	nodes, err := ParseNodesCSV(r, func(code string) (fengqiao.Tier, bool) { t, ok := tiers[code]; return t, ok })
	if err != nil {
		return nil, err
	}
	rows := make([]NodeRow, len(nodes))
	now := time.Now().UTC()
	for i, n := range nodes {
		row := NodeRow{Code: n.Code, Name: n.Name, Tier: string(n.Tier), CreatedAt: now, Path: "/" + n.Code + "/"}
		if n.ParentCode != "" {
			pc := n.ParentCode
			row.ParentCode = &pc
			row.Path = paths[n.ParentCode] + n.Code + "/"
		}
		row.Depth = len(PathCodes(row.Path)) - 1
		paths[n.Code] = row.Path
		rows[i] = row
		nodes[i].Path = row.Path
	}
	err = db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		return putDirKeys(tx, nodeKeys(rows...))
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, fengqiao.Errorf(fengqiao.ECodeConflict, "a code in the file was created meanwhile; nothing imported")
		}
		return nil, fmt.Errorf("store: import nodes: %w", err)
	}
	return nodes, nil
}
