package store

import (
	"strings"

	"gorm.io/gorm"
)

// ReadScope restricts a case list to what one user may read (policy.Authorizer.ReadScope restated for
// SQL): a case whose location or handling node lies under one of Subtrees, whose handling body is one
// of Bodies or whose co-bodies contain one, whose court lies under one of Courts, whose first-contact node lies under one of FirstContactSubtrees, or — with FirstContact or
// Assigned — whose first-contact user or assignee is User. A zero scope reads nothing. The filter runs
// in the query, so a page is always full of readable cases and never leaks a count.
type ReadScope struct {
	User                 string
	Subtrees             []string
	Bodies               []string
	Courts               []string
	FirstContactSubtrees []string
	FirstContact         bool
	Assigned             bool
}

// underPath is "column col lies under the subtree path p" written so that an index on col can serve it
// as a range. Paths are node codes between slashes ("/330200/330203/"), so every path under p starts
// with p and sorts before p with its last byte raised by one; SQLite's LIKE is case-insensitive and
// never a range, hence the comparison. PostgreSQL keeps LIKE: a byte-order range there would need the
// C collation, and its planner makes LIKE 'p%' a range itself where the index allows it.
func underPath(q *gorm.DB, col, p string) (string, []any) {
	if p == "" {
		return "1 = 1", nil
	}
	if q.Dialector.Name() == "postgres" {
		return col + " LIKE ?", []any{p + "%"}
	}
	end := p[:len(p)-1] + string(p[len(p)-1]+1)
	return "(" + col + " >= ? AND " + col + " < ?)", []any{p, end}
}

// apply adds the scope to q as one parenthesised OR.
func (s ReadScope) apply(q *gorm.DB) *gorm.DB {
	var conds []string
	var args []any
	for _, p := range s.Subtrees {
		if p == "/" {
			return q // the whole tree
		}
		// a petition is read through its handling node only (policy.CanOnCase, XGTL 30)
		cond, a := underPath(q, "location_path", p)
		conds, args = append(conds, "("+cond+" AND kind <> 'petition')"), append(args, a...)
		cond, a = underPath(q, "handling_path", p)
		conds, args = append(conds, cond), append(args, a...)
	}
	if len(s.Bodies) > 0 {
		conds = append(conds, "handling_body IN ?")
		args = append(args, s.Bodies)
		for _, b := range s.Bodies {
			conds = append(conds, "co_bodies LIKE ?")
			args = append(args, "%,"+b+",%")
		}
	}
	for _, p := range s.Courts {
		conds = append(conds, "court IN (SELECT code FROM nodes WHERE path LIKE ?)")
		args = append(args, p+"%")
	}
	for _, p := range s.FirstContactSubtrees {
		conds = append(conds, "first_contact_node IN (SELECT code FROM nodes WHERE path LIKE ?)")
		args = append(args, p+"%")
	}
	if s.FirstContact && s.User != "" {
		conds = append(conds, "first_contact_user = ?")
		args = append(args, s.User)
	}
	if s.Assigned && s.User != "" {
		conds = append(conds, "assignee = ?")
		args = append(args, s.User)
	}
	if len(conds) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("("+strings.Join(conds, " OR ")+")", args...)
}
