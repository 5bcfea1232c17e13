package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fengqiao"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The directory keys (migration 0024) make places, bodies and staff findable by any part of their
// names as a clerk types, in time at city scale (73,000 nodes, 100,000 staff): a LIKE '%鼓楼%' reads a
// whole table, a few tens of milliseconds per keystroke on SQLite. directory_keys holds one row per
// distinct character and per distinct pair of adjacent characters of each name (NormalizeName), with
// what the row names (Ref: a node's or a body's code, a username) and where it lies: a node's depth and
// path, a body's seat's. The key is (kind, gram, depth, path, ref), so that the nodes of one tier under
// a subtree whose names hold a gram are one range of the index: a reader's scope is searched, not
// filtered afterwards, and the highest tiers are read first. Staff are keyed without a place (depth 0,
// path ""): where they work is their grants', which the Authorizer holds and may change at any time;
// the use case filters them (package typeahead).
//
// Names are not personal data of the parties (rule 7 concerns the parties): places, bodies and staff
// are public or the system's own, so their grams are kept in clear. A node's path never changes (nodes
// are not moved), its name does (RenameNode rekeys it).

// DirKind is what a directory key names.
type DirKind string

// The kinds of directory key.
const (
	DirNode DirKind = "node"
	DirBody DirKind = "body"
	DirUser DirKind = "user"
)

// DirKeyRow is one gram of one name (see the directory keys above).
type DirKeyRow struct {
	Kind  string `gorm:"primaryKey"`
	Gram  string `gorm:"primaryKey"`
	Depth int    `gorm:"primaryKey"`
	Path  string `gorm:"primaryKey"`
	Ref   string `gorm:"primaryKey"`
}

// TableName implements gorm's Tabler.
func (DirKeyRow) TableName() string { return "directory_keys" }

// directoryGrams are the distinct characters and pairs of adjacent characters of a normalised name:
// what a type-ahead of one character, and of two or more, looks up.
func directoryGrams(name string) []string {
	rs := []rune(NormalizeName(name))
	var out []string
	for i := range rs {
		for _, g := range []string{string(rs[i]), string(rs[i:min(i+2, len(rs))])} {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// queryGrams are the grams a typed text is looked up by: its one character, or its pairs.
func queryGrams(text string) []string {
	rs := []rune(NormalizeName(text))
	if len(rs) == 1 {
		return []string{string(rs)}
	}
	return nameGrams(string(rs))
}

// pathDepth is the depth of a node path ("/330200/" is 0).
func pathDepth(path string) int { return max(len(PathCodes(path))-1, 0) }

func dirKeys(kind DirKind, ref, path, name string) []DirKeyRow {
	grams := directoryGrams(name)
	out := make([]DirKeyRow, len(grams))
	depth := 0
	if path != "" {
		depth = pathDepth(path)
	}
	for i, g := range grams {
		out[i] = DirKeyRow{Kind: string(kind), Gram: g, Depth: depth, Path: path, Ref: ref}
	}
	return out
}

// nodeKeys, bodyKeys and userKeys are the directory keys of rows about to be written.
func nodeKeys(rows ...NodeRow) []DirKeyRow {
	var out []DirKeyRow
	for _, r := range rows {
		out = append(out, dirKeys(DirNode, r.Code, r.Path, r.Name)...)
	}
	return out
}

func bodyKeys(rows ...BodyRow) []DirKeyRow {
	var out []DirKeyRow
	for _, r := range rows {
		out = append(out, dirKeys(DirBody, r.Code, r.NodePath, r.Name)...)
	}
	return out
}

func userKeys(rows ...UserRow) []DirKeyRow {
	var out []DirKeyRow
	for _, r := range rows {
		out = append(out, dirKeys(DirUser, r.Username, "", r.DisplayName)...)
	}
	return out
}

// putDirKeys writes keys inside tx (insert-or-ignore: writing a name's keys twice is harmless).
func putDirKeys(tx *gorm.DB, keys []DirKeyRow) error {
	if len(keys) == 0 {
		return nil
	}
	err := tx.Session(&gorm.Session{NewDB: true}).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(keys, 500).Error
	if err != nil {
		return fmt.Errorf("directory keys: %w", err)
	}
	return nil
}

// rekey replaces the keys of one node, body or user (its name changed).
func rekey(tx *gorm.DB, kind DirKind, ref string, keys []DirKeyRow) error {
	if err := tx.Session(&gorm.Session{NewDB: true}).Where("kind = ? AND ref = ?", string(kind), ref).Delete(&DirKeyRow{}).Error; err != nil {
		return fmt.Errorf("directory keys: %w", err)
	}
	return putDirKeys(tx, keys)
}

// indexDirectory writes the keys of every node, body and user, in batches (migration 0024; the
// benchmarks' bulk loads).
func indexDirectory(tx *gorm.DB) error {
	var nodes []NodeRow
	if err := tx.Select("code", "name", "path").FindInBatches(&nodes, 2000, func(*gorm.DB, int) error {
		return putDirKeys(tx, nodeKeys(nodes...))
	}).Error; err != nil {
		return fmt.Errorf("index nodes: %w", err)
	}
	var bodies []BodyRow
	if err := tx.Select("code", "name", "node_path").FindInBatches(&bodies, 2000, func(*gorm.DB, int) error {
		return putDirKeys(tx, bodyKeys(bodies...))
	}).Error; err != nil {
		return fmt.Errorf("index bodies: %w", err)
	}
	var users []UserRow
	if err := tx.Select("id", "username", "display_name").FindInBatches(&users, 2000, func(*gorm.DB, int) error {
		return putDirKeys(tx, userKeys(users...))
	}).Error; err != nil {
		return fmt.Errorf("index users: %w", err)
	}
	return nil
}

// IndexDirectory writes the directory keys of every node, body and user again (insert-or-ignore): for
// rows written around the store, as bulk loads do.
func (db *DB) IndexDirectory(ctx context.Context) error {
	return db.Tx(ctx, indexDirectory)
}

// DirectoryQuery is one type-ahead lookup of places or bodies.
type DirectoryQuery struct {
	// Text is what was typed: any part of a name, or the beginning of a code.
	Text string
	// Under are the subtrees searched (node paths; "/" is the whole tree). None finds nothing.
	Under []string
	// Limit is the most found (default and at most 100).
	Limit int
}

func (q DirectoryQuery) limit() int {
	if q.Limit <= 0 || q.Limit > 100 {
		return 100
	}
	return q.Limit
}

// codeShape is what a code may start with: letters, digits, '-' and '_'.
func codeShape(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	}) < 0
}

// pathRange is the half-open range of the paths under p, compared byte by byte (the column's
// collation is C on PostgreSQL, binary on SQLite): every path under p starts with p and sorts before
// p with its last byte raised by one.
func pathRange(p string) (from, to string) {
	return p, p[:len(p)-1] + string(p[len(p)-1]+1)
}

// dirDepths is how deep the directory is read: a tree is city, county, township, village and grid
// (depth 4); deeper levels are read up to 7.
const dirDepths = 8

// dirMatches returns the refs of kind under q.Under whose names hold q.Text's grams, highest tier
// first, at most want of them (a ref may hold the grams apart: the caller checks the name). Each
// subtree is one statement: a range of the index per tier, each limited, read together.
func (db *DB) dirMatches(ctx context.Context, kind DirKind, q DirectoryQuery, want int) ([]string, error) {
	grams := queryGrams(q.Text)
	if len(grams) == 0 || len(q.Under) == 0 {
		return nil, nil
	}
	type hit struct {
		Ref   string
		Depth int
	}
	var hits []hit
	for _, under := range q.Under {
		from, to := pathRange(under)
		tiers := make([]string, dirDepths)
		var args []any
		for depth := range dirDepths {
			parts := make([]string, len(grams))
			for i, g := range grams {
				parts[i] = "SELECT ref FROM directory_keys WHERE kind = ? AND gram = ? AND depth = ? AND path >= ? AND path < ?"
				args = append(args, string(kind), g, depth, from, to)
			}
			tiers[depth] = fmt.Sprintf("SELECT * FROM (SELECT ref, %d AS depth FROM (%s) g LIMIT ?) t%d", depth, strings.Join(parts, " INTERSECT "), depth)
			args = append(args, want)
		}
		var found []hit
		if err := db.WithContext(ctx).Raw(strings.Join(tiers, " UNION ALL "), args...).Scan(&found).Error; err != nil {
			return nil, fmt.Errorf("store: directory: %w", err)
		}
		hits = append(hits, found...)
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.Depth - b.Depth })
	out := make([]string, 0, min(len(hits), want))
	for _, h := range hits[:min(len(hits), want)] {
		out = append(out, h.Ref)
	}
	return out, nil
}

// holds reports whether name holds text, as the directory compares them.
func holds(name, text string) bool {
	return strings.Contains(NormalizeName(name), NormalizeName(text))
}

// under reports whether path lies in one of the subtrees.
func under(path string, subtrees []string) bool {
	for _, s := range subtrees {
		if strings.HasPrefix(path, s) {
			return true
		}
	}
	return false
}

// FindNodes returns the nodes under q.Under whose name holds q.Text or whose code starts with it: the
// name's matches highest tier first, then by code, then the code's; at most q.Limit of each.
func (db *DB) FindNodes(ctx context.Context, q DirectoryQuery) ([]fengqiao.Node, error) {
	want := q.limit()
	refs, err := db.dirMatches(ctx, DirNode, q, want*2)
	if err != nil {
		return nil, err
	}
	var rows []NodeRow
	if len(refs) > 0 {
		if err := db.WithContext(ctx).Where("code IN ?", refs).Order("depth, code").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: find nodes: %w", err)
		}
	}
	out := make([]fengqiao.Node, 0, len(rows))
	for _, r := range rows {
		if holds(r.Name, q.Text) && len(out) < want {
			out = append(out, r.node())
		}
	}
	if text := strings.TrimSpace(q.Text); codeShape(text) && len(q.Under) > 0 {
		from, to := pathRange(text)
		var byCode []NodeRow
		if err := db.WithContext(ctx).Where("code >= ? AND code < ?", from, to).Order("code").Limit(want * 4).Find(&byCode).Error; err != nil {
			return nil, fmt.Errorf("store: find nodes: %w", err)
		}
		n := 0
		for _, r := range byCode {
			if under(r.Path, q.Under) && n < want && !slices.ContainsFunc(out, func(o fengqiao.Node) bool { return o.Code == r.Code }) {
				out = append(out, r.node())
				n++
			}
		}
	}
	return out, nil
}

// FindBodies returns the bodies seated under q.Under, of f's type and field when set, whose name holds
// q.Text or whose code starts with it: the name's matches highest seat first, then the code's; at most
// q.Limit of each.
func (db *DB) FindBodies(ctx context.Context, q DirectoryQuery, f fengqiao.BodyFilter) ([]fengqiao.Body, error) {
	want := q.limit()
	keep := func(b fengqiao.Body) bool {
		return under(b.NodePath, q.Under) && (f.Type == "" || b.Type == f.Type) && (f.Field == "" || slices.Contains(b.Fields, f.Field))
	}
	// a body of another type than f's may hold the grams: read more of them when filtering
	wide := want * 2
	if f.Type != "" || f.Field != "" {
		wide = want * 10
	}
	refs, err := db.dirMatches(ctx, DirBody, q, wide)
	if err != nil {
		return nil, err
	}
	var out []fengqiao.Body
	if len(refs) > 0 {
		found, err := findBodies(db.WithContext(ctx).Model(&BodyRow{}).Where("code IN ?", refs).Order("code"))
		if err != nil {
			return nil, err
		}
		slices.SortStableFunc(found, func(a, b fengqiao.Body) int { return pathDepth(a.NodePath) - pathDepth(b.NodePath) })
		for _, b := range found {
			if holds(b.Name, q.Text) && keep(b) && len(out) < want {
				out = append(out, b)
			}
		}
	}
	if text := strings.TrimSpace(q.Text); codeShape(text) && len(q.Under) > 0 {
		from, to := pathRange(text)
		byCode, err := findBodies(db.WithContext(ctx).Model(&BodyRow{}).Where("code >= ? AND code < ?", from, to).Order("code").Limit(want * 4))
		if err != nil {
			return nil, err
		}
		n := 0
		for _, b := range byCode {
			if keep(b) && n < want && !slices.ContainsFunc(out, func(o fengqiao.Body) bool { return o.Code == b.Code }) {
				out = append(out, b)
				n++
			}
		}
	}
	return out, nil
}

// userCandidates is the most staff a name's grams are read for: the caller's scope is applied to
// them afterwards, so a single character shared by more staff than this (a common surname, city-wide)
// lists some of them; a second character narrows it.
const userCandidates = 5000

// FindUsers returns the users whose display name holds text or whose username starts with it and
// whom keep keeps (the caller's scope, asked by username before any row is read), name matches first,
// at most limit (at most 100).
func (db *DB) FindUsers(ctx context.Context, text string, keep func(username string) bool, limit int) ([]UserRow, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var out []UserRow
	read := func(names []string) error {
		if len(names) == 0 {
			return nil
		}
		var rows []UserRow
		if err := db.WithContext(ctx).Select("id", "username", "display_name", "disabled").Where("username IN ?", names).
			Order("username").Find(&rows).Error; err != nil {
			return fmt.Errorf("store: find users: %w", err)
		}
		for _, r := range rows {
			if len(out) < limit && !slices.ContainsFunc(out, func(o UserRow) bool { return o.Username == r.Username }) {
				out = append(out, r)
			}
		}
		return nil
	}
	if grams := queryGrams(text); len(grams) > 0 {
		parts := make([]string, len(grams))
		var args []any
		for i, g := range grams {
			parts[i] = "SELECT ref FROM directory_keys WHERE kind = ? AND gram = ? AND depth = 0 AND path = ''"
			args = append(args, string(DirUser), g)
		}
		var refs []string
		if err := db.WithContext(ctx).Raw("SELECT ref FROM ("+strings.Join(parts, " INTERSECT ")+") m LIMIT ?",
			append(args, userCandidates)...).Scan(&refs).Error; err != nil {
			return nil, fmt.Errorf("store: find users: %w", err)
		}
		var kept []string
		for _, ref := range refs {
			if len(kept) < limit && keep(ref) {
				kept = append(kept, ref)
			}
		}
		if err := read(kept); err != nil {
			return nil, err
		}
		out = slices.DeleteFunc(out, func(r UserRow) bool { return !holds(r.DisplayName, text) })
	}
	if t := strings.ToLower(strings.TrimSpace(text)); codeShape(t) && len(out) < limit {
		from, to := pathRange(t)
		var names []string
		if err := db.WithContext(ctx).Model(&UserRow{}).Where("username >= ? AND username < ?", from, to).Order("username").
			Limit(userCandidates).Pluck("username", &names).Error; err != nil {
			return nil, fmt.Errorf("store: find users: %w", err)
		}
		names = slices.DeleteFunc(names, func(n string) bool { return !keep(n) })
		if err := read(names[:min(len(names), limit)]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DirectoryNames returns the names of the nodes and bodies with the codes (a code found in neither is
// left out), in two queries: for labelling what a type-ahead offers.
func (db *DB) DirectoryNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := make(map[string]string, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	type named struct{ Code, Name string }
	for _, table := range []string{"nodes", "bodies"} {
		var rows []named
		if err := db.WithContext(ctx).Table(table).Select("code", "name").Where("code IN ?", codes).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: names: %w", err)
		}
		for _, r := range rows {
			if _, ok := out[r.Code]; !ok {
				out[r.Code] = r.Name
			}
		}
	}
	return out, nil
}

// NodesUnder lists the upper tiers of the subtree at path (the node itself included) that fit in
// limit nodes, whole tiers only, by path (each node before its children): a county's townships and
// villages, say, without its thousands of grids.
func (db *DB) NodesUnder(ctx context.Context, path string, limit int) ([]fengqiao.Node, error) {
	q := db.WithContext(ctx).Model(&NodeRow{})
	cond, args := underPath(q, "path", path)
	var tiers []struct{ Depth, N int }
	if err := db.WithContext(ctx).Model(&NodeRow{}).Select("depth, COUNT(*) AS n").Where(cond, args...).Group("depth").Order("depth").
		Scan(&tiers).Error; err != nil {
		return nil, fmt.Errorf("store: nodes under %s: %w", path, err)
	}
	deepest, total := -1, 0
	for _, t := range tiers {
		if total += t.N; total > limit && deepest >= 0 {
			break
		}
		deepest = t.Depth
	}
	var rows []NodeRow
	if err := q.Where(cond, args...).Where("depth <= ?", deepest).Order("path").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: nodes under %s: %w", path, err)
	}
	out := make([]fengqiao.Node, len(rows))
	for i, r := range rows {
		out[i] = r.node()
	}
	return out, nil
}
