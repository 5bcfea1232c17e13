package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fengqiao"

	"gorm.io/gorm"
)

// BodiesHeader is the header a body file must start with.
const BodiesHeader = "code,name,type,node,fields,superior"

// FieldSeparator separates the fields (categories) inside the fields cell of a body file
// ("labour|wage_arrears"): a comma would end the cell, and "|" needs no quoting.
const FieldSeparator = "|"

// parseBodiesCSV reads a body file with the header `code,name,type,node,fields,superior` (UTF-8, an
// optional byte-order mark; fields separated by FieldSeparator inside their cell) and checks every row
// on its own, against the other rows and against the world (the nodes and bodies already stored).
// A superior may be defined later in the same file. Bad rows come back as an *ImportError naming the
// line and the field of each problem (messages Chinese first); rows come back ordered so that a
// superior precedes the bodies naming it.
func parseBodiesCSV(r io.Reader, w bodyWorld) ([]fengqiao.Body, error) {
	var bodies []fengqiao.Body
	lineOf := map[string]int{}
	bad, err := readImportCSV(r, BodiesHeader, func(line int, rec []string) []LineError {
		b := cleanBody(fengqiao.Body{Code: rec[0], Name: rec[1], Type: fengqiao.BodyType(rec[2]), Node: rec[3],
			Fields: strings.Split(rec[4], FieldSeparator), Superior: rec[5]})
		if own := bodyOwnProblems(b); len(own) > 0 {
			var bad []LineError
			for _, f := range own {
				bad = append(bad, LineError{Line: line, Field: f.Field, Message: f.Message, Format: f.Format, Args: f.Args})
			}
			return bad
		}
		if first, dup := lineOf[b.Code]; dup {
			return []LineError{lineErrorf(line, "code", "编码 %s 与第%d行重复 (code %s repeats line %d)", b.Code, first, b.Code, first)}
		}
		if _, exists := w.bodies[b.Code]; exists {
			return []LineError{lineErrorf(line, "code", "机构编码 %s 已存在 (a body with code %s exists)", b.Code, b.Code)}
		}
		lineOf[b.Code] = line
		bodies = append(bodies, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The file's own bodies join the world, so a superior may come later in the file.
	for _, b := range bodies {
		if n, ok := w.nodes[b.Node]; ok {
			b.NodePath = n.Path
		}
		w.bodies[b.Code] = b
	}
	for _, b := range bodies {
		for _, f := range w.problems(b) {
			bad = append(bad, LineError{Line: lineOf[b.Code], Field: f.Field, Message: f.Message, Format: f.Format, Args: f.Args})
		}
	}
	for _, b := range bodies {
		if cycle := superiorCycle(b.Code, w.bodies); cycle != "" {
			bad = append(bad, lineErrorf(lineOf[b.Code], "superior", "上级机关形成循环：%s (the superiors form a cycle)", cycle))
		}
	}
	if len(bad) > 0 {
		sortLines(bad)
		return nil, &ImportError{Lines: bad}
	}
	return superiorsFirst(bodies), nil
}

// superiorCycle returns "a → b → a" when following superiors from code comes back to it, else "".
func superiorCycle(code string, bodies map[string]fengqiao.Body) string {
	path := []string{code}
	seen := map[string]bool{code: true}
	for cur := bodies[code].Superior; cur != ""; cur = bodies[cur].Superior {
		path = append(path, cur)
		if cur == code {
			return strings.Join(path, " → ")
		}
		if seen[cur] {
			return "" // a cycle further up, reported on its own members' lines
		}
		seen[cur] = true
	}
	return ""
}

// superiorsFirst orders bodies so that a superior in the batch precedes the bodies naming it.
func superiorsFirst(bodies []fengqiao.Body) []fengqiao.Body {
	inBatch := map[string]fengqiao.Body{}
	for _, b := range bodies {
		inBatch[b.Code] = b
	}
	done := map[string]bool{}
	out := make([]fengqiao.Body, 0, len(bodies))
	var place func(b fengqiao.Body)
	place = func(b fengqiao.Body) {
		if done[b.Code] {
			return
		}
		done[b.Code] = true
		if sup, ok := inBatch[b.Superior]; ok {
			place(sup)
		}
		out = append(out, b)
	}
	for _, b := range bodies {
		place(b)
	}
	return out
}

// sortLines orders line errors by line, keeping the order of a line's fields.
func sortLines(lines []LineError) {
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && lines[j].Line < lines[j-1].Line; j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
}

// ImportBodies checks a whole body file and imports all of it in one transaction, or nothing (an
// *ImportError listing every bad line). allow (nil: everything) is asked about every body of a clean
// file before anything is written; its first error stops the import. A body created meanwhile under a
// code of the file fails the whole import (a conflict) rather than half of it.
func (db *DB) ImportBodies(ctx context.Context, r io.Reader, allow func(fengqiao.Body) error) ([]fengqiao.Body, error) {
	nodes, err := db.AllNodes(ctx)
	if err != nil {
		return nil, err
	}
	existing, err := db.Bodies(ctx, fengqiao.BodyFilter{})
	if err != nil {
		return nil, err
	}
	w := bodyWorld{nodes: make(map[string]fengqiao.Node, len(nodes)), bodies: make(map[string]fengqiao.Body, len(existing))}
	for _, n := range nodes {
		w.nodes[n.Code] = n
	}
	for _, b := range existing {
		w.bodies[b.Code] = b
	}
	bodies, err := parseBodiesCSV(r, w)
	if err != nil {
		return nil, err
	}
	if allow != nil {
		for _, b := range bodies {
			if err := allow(b); err != nil {
				return nil, err
			}
		}
	}
	now := time.Now().UTC()
	rows := make([]BodyRow, len(bodies))
	for i, b := range bodies {
		seat := w.nodes[b.Node]
		rows[i] = BodyRow{Code: b.Code, Name: b.Name, Type: string(b.Type), Node: b.Node, NodePath: seat.Path,
			Fields: joinFields(b.Fields), Superior: b.Superior, CreatedAt: now}
		bodies[i] = rows[i].body()
	}
	if len(rows) == 0 {
		return bodies, nil
	}
	err = db.Tx(ctx, func(tx *gorm.DB) error {
		codes := make([]string, len(rows))
		for i, r := range rows {
			codes[i] = r.Code
		}
		var taken int64
		if err := tx.Model(&BodyRow{}).Where("code IN ?", codes).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return errTakenMeanwhile
		}
		if err := tx.CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		return putDirKeys(tx, bodyKeys(rows...))
	})
	if errors.Is(err, errTakenMeanwhile) || errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, fengqiao.Errorf(fengqiao.ECodeConflict, "文件中的机构编码刚被他人创建，未导入任何行 (a code in the file was created meanwhile; nothing imported)")
	}
	if err != nil {
		return nil, fmt.Errorf("store: import bodies: %w", err)
	}
	return bodies, nil
}

var errTakenMeanwhile = errors.New("store: a body code was taken meanwhile")
