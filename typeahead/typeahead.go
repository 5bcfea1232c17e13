package typeahead

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
)

// Limit is how many items a lookup returns unless asked for fewer; MaxLimit the most it returns.
const (
	Limit    = 20
	MaxLimit = 50
)

// Service answers the type-ahead lookups for one user at a time. It holds no state of its own.
type Service struct {
	DB    *store.DB
	Authz *policy.Authorizer
	// Cases reads the case a staff lookup names (StaffQuery.Case); nil refuses such lookups.
	Cases *cases.Service
}

// New returns the service over db, authz and cs.
func New(db *store.DB, authz *policy.Authorizer, cs *cases.Service) *Service {
	return &Service{DB: db, Authz: authz, Cases: cs}
}

// reach is where a user may look: Own are the subtrees of their grants (a body's: its seat's),
// Visible the subtrees they may look into (each grant's county, or the grant's own node at county tier
// and above; "/" for a grant at Global), Above the nodes over the visible subtrees (the city above a
// county), offered themselves without their subtrees. AllStaff: they administer users city-wide and
// see staff without a grant too.
type reach struct {
	Own, Visible []string
	Above        []string
	AllStaff     bool
}

// passes are the subtrees a lookup reads, in turn: the user's own first, so that a limit never cuts
// them off, then the rest of what they may look at (once, when that is the same).
func (r reach) passes() [][]string {
	if slices.Equal(r.Own, r.Visible) {
		return [][]string{r.Visible}
	}
	return [][]string{r.Own, r.Visible}
}

// countyOf is the subtree a grant at path lets its holder look into: its county's (the first two codes
// of the path), or the path itself at city tier.
func countyOf(path string) string {
	codes := store.PathCodes(path)
	if len(codes) <= 2 {
		return path
	}
	return "/" + codes[0] + "/" + codes[1] + "/"
}

// minimal keeps the paths not inside another's subtree, sorted.
func minimal(paths []string) []string {
	slices.Sort(paths)
	out := paths[:0]
	for _, p := range paths {
		if len(out) == 0 || !strings.HasPrefix(p, out[len(out)-1]) {
			out = append(out, p)
		}
	}
	return slices.Clip(out)
}

// grantPath is the path of a grant's node, or of a body's seat (memo keeps what was read); "/" for a
// grant at Global; ok is false for a node or body that no longer exists.
func (s *Service) grantPath(ctx context.Context, node string, memo map[string]string) (string, bool, error) {
	if node == policy.Global {
		return "/", true, nil
	}
	if p, ok := memo[node]; ok {
		return p, p != "", nil
	}
	if p, ok := s.Authz.PathOf(node); ok {
		memo[node] = p
		return p, true, nil
	}
	b, err := s.DB.Body(ctx, node)
	if errors.Is(err, store.ErrNotFound) {
		memo[node] = ""
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("typeahead: grant at %s: %w", node, err)
	}
	memo[node] = b.NodePath
	return b.NodePath, true, nil
}

func (s *Service) reachOf(ctx context.Context, user string, memo map[string]string) (reach, error) {
	var r reach
	for _, g := range s.Authz.Grants(user) {
		p, ok, err := s.grantPath(ctx, g.Node, memo)
		if err != nil {
			return r, err
		}
		if !ok {
			continue
		}
		r.Own = append(r.Own, p)
		r.Visible = append(r.Visible, countyOf(p))
	}
	r.Own, r.Visible = minimal(r.Own), minimal(r.Visible)
	for _, v := range r.Visible {
		codes := store.PathCodes(v)
		for i := 0; i+1 < len(codes); i++ {
			if !slices.Contains(r.Above, codes[i]) && !inside("/"+strings.Join(codes[:i+1], "/")+"/", r.Visible) {
				r.Above = append(r.Above, codes[i])
			}
		}
	}
	ok, err := s.Authz.Can(user, policy.ActionAdminUsers, policy.Global)
	if err != nil {
		return r, err
	}
	r.AllStaff = ok
	return r, nil
}

// inside reports whether path lies in one of the subtrees.
func inside(path string, subtrees []string) bool {
	for _, s := range subtrees {
		if strings.HasPrefix(path, s) {
			return true
		}
	}
	return false
}

// checkInput refuses a text that cannot be looked up and a limit out of range, naming the field (q,
// limit); it returns the text trimmed and the limit (Limit for none).
func checkInput(text string, limit int) (string, int, error) {
	text = strings.TrimSpace(text)
	switch {
	case store.NormalizeName(text) == "":
		return "", 0, invalid("q", "is required")
	case utf8.RuneCountInString(text) > 64:
		return "", 0, invalid("q", "must be at most 64 characters")
	case limit < 0 || limit > MaxLimit:
		return "", 0, invalid("limit", fmt.Sprintf("must be a whole number from 1 to %d", MaxLimit))
	case limit == 0:
		limit = Limit
	}
	return text, limit, nil
}

// match is how well a name (or code) matches what was typed: 0 the whole name, 1 its beginning, 2 a
// part, 3 the beginning of the code only.
func match(name, code, text string) int {
	n, t := store.NormalizeName(name), store.NormalizeName(text)
	switch {
	case n == t:
		return 0
	case strings.HasPrefix(n, t):
		return 1
	case strings.Contains(n, t):
		return 2
	case strings.HasPrefix(code, strings.TrimSpace(text)):
		return 3
	}
	return 4
}

// rank is the order of the lists: the user's own subtree first, then the better match, then the
// higher tier, then the key.
type rank struct {
	own   bool
	match int
	depth int
	key   string
}

func (a rank) compare(b rank) int {
	if a.own != b.own {
		if a.own {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.match, b.match), cmp.Compare(a.depth, b.depth), cmp.Compare(a.key, b.key))
}

func depthOf(path string) int { return max(len(store.PathCodes(path))-1, 0) }

// invalid is a validation error naming the field.
func invalid(field, msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": " + msg,
		Fields: []fengqiao.FieldError{{Field: field, Message: msg}}}
}

// limitOf reads limit= (0 when absent: the default).
func limitOf(v url.Values) (int, error) {
	raw := v.Get("limit")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, invalid("limit", fmt.Sprintf("must be a whole number from 1 to %d", MaxLimit))
	}
	return n, nil
}

// flag reads a yes/no parameter: true, 1 or absent/false, 0.
func flag(v url.Values, name string) (bool, error) {
	switch v.Get(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, invalid(name, "must be true or false")
}

// PlaceQueryOf reads a place lookup from a query string: q, limit, tier (a comma-separated list) and
// open (true: where the user may open a case). A malformed value is a validation error naming it.
func PlaceQueryOf(v url.Values) (PlaceQuery, error) {
	q := PlaceQuery{Q: v.Get("q")}
	var err error
	if q.Limit, err = limitOf(v); err != nil {
		return q, err
	}
	if q.Open, err = flag(v, "open"); err != nil {
		return q, err
	}
	for _, t := range strings.Split(v.Get("tier"), ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if !fengqiao.Tier(t).Valid() {
			return q, invalid("tier", "must be a comma-separated list of city, county, township, village, grid, court")
		}
		q.Tiers = append(q.Tiers, fengqiao.Tier(t))
	}
	return q, nil
}

// BodyQueryOf reads a body lookup from a query string: q, limit, type and field.
func BodyQueryOf(v url.Values) (BodyQuery, error) {
	q := BodyQuery{Q: v.Get("q"), Type: fengqiao.BodyType(v.Get("type")), Field: v.Get("field")}
	var err error
	q.Limit, err = limitOf(v)
	return q, err
}

// StaffQueryOf reads a staff lookup from a query string: q, limit, role, case (a case id: only those
// who may be assigned it) and enabled (true: leave disabled accounts out).
func StaffQueryOf(v url.Values) (StaffQuery, error) {
	q := StaffQuery{Q: v.Get("q"), Role: fengqiao.Role(v.Get("role")), Case: v.Get("case")}
	var err error
	if q.Limit, err = limitOf(v); err != nil {
		return q, err
	}
	q.Enabled, err = flag(v, "enabled")
	return q, err
}
