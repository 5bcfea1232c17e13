package typeahead

import (
	"context"
	"errors"
	"slices"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/policy"
	"fengqiao/store"
)

// PlaceQuery is a lookup of places (nodes of the tree).
type PlaceQuery struct {
	// Q is any part of the name, or the beginning of the code.
	Q string
	// Tiers keeps only these tiers (none: every tier).
	Tiers []fengqiao.Tier
	// Open keeps only the places where the user may open a case (the intake's location).
	Open  bool
	Limit int
}

// Place is a place offered.
type Place struct {
	Code string        `json:"code"`
	Name string        `json:"name"`
	Tier fengqiao.Tier `json:"tier"`
	Path string        `json:"path"`
	// ParentName is the name of the node above, to tell places of one name apart (两个“新村”).
	ParentName string `json:"parent_name,omitempty"`
	// Own marks a place in the user's own subtree (where their grants are), listed first.
	Own bool `json:"own"`
}

// Places finds the places user may look at whose name holds q.Q or whose code starts with it: those of
// their own subtree first, then the better match (the whole name, its beginning, a part of it, the
// code), then the higher tier. A user sees the county of each of their grants (the whole city from
// the city, everything from a grant at Global) and the nodes above it, never another county.
func (s *Service) Places(ctx context.Context, user string, q PlaceQuery) ([]Place, error) {
	text, limit, err := checkInput(q.Q, q.Limit)
	if err != nil {
		return nil, err
	}
	r, err := s.reachOf(ctx, user, map[string]string{})
	if err != nil {
		return nil, err
	}
	var found []fengqiao.Node
	for _, under := range r.passes() {
		nodes, err := s.DB.FindNodes(ctx, store.DirectoryQuery{Text: text, Under: under, Limit: limit * 3})
		if err != nil {
			return nil, err
		}
		found = append(found, nodes...)
	}
	for _, code := range r.Above {
		n, err := s.DB.Node(ctx, code)
		if err != nil {
			continue // removed meanwhile
		}
		if match(n.Name, n.Code, text) < 4 {
			found = append(found, n)
		}
	}
	type ranked struct {
		n fengqiao.Node
		r rank
	}
	var list []ranked
	for _, n := range found {
		if slices.ContainsFunc(list, func(x ranked) bool { return x.n.Code == n.Code }) ||
			len(q.Tiers) > 0 && !slices.Contains(q.Tiers, n.Tier) {
			continue
		}
		if q.Open {
			ok, err := s.Authz.Can(user, policy.ActionCaseOpen, n.Code)
			if err != nil {
				return nil, err
			}
			if !ok || n.Tier == fengqiao.TierCourt {
				continue
			}
		}
		list = append(list, ranked{n, rank{own: inside(n.Path, r.Own), match: match(n.Name, n.Code, text), depth: depthOf(n.Path), key: n.Code}})
	}
	slices.SortFunc(list, func(a, b ranked) int { return a.r.compare(b.r) })
	list = list[:min(len(list), limit)]
	var parents []string
	for _, x := range list {
		if x.n.ParentCode != "" {
			parents = append(parents, x.n.ParentCode)
		}
	}
	names, err := s.DB.DirectoryNames(ctx, parents)
	if err != nil {
		return nil, err
	}
	out := make([]Place, len(list))
	for i, x := range list {
		out[i] = Place{Code: x.n.Code, Name: x.n.Name, Tier: x.n.Tier, Path: x.n.Path, ParentName: names[x.n.ParentCode], Own: x.r.own}
	}
	return out, nil
}

// BodyQuery is a lookup of bodies (机构).
type BodyQuery struct {
	// Q is any part of the name, or the beginning of the code.
	Q string
	// Type and Field keep only bodies of that type, competent for that field (none: any).
	Type  fengqiao.BodyType
	Field string
	Limit int
}

// BodyItem is a body offered: the body, the name of its seat, and whether it sits in the user's own
// subtree.
type BodyItem struct {
	fengqiao.Body
	NodeName string `json:"node_name,omitempty"`
	Own      bool   `json:"own"`
}

// Bodies finds the bodies user may look at (seated where Places looks) whose name holds q.Q or whose
// code starts with it, in the order of Places.
func (s *Service) Bodies(ctx context.Context, user string, q BodyQuery) ([]BodyItem, error) {
	text, limit, err := checkInput(q.Q, q.Limit)
	if err != nil {
		return nil, err
	}
	if q.Type != "" && !q.Type.Valid() {
		return nil, invalid("type", "no such body type")
	}
	r, err := s.reachOf(ctx, user, map[string]string{})
	if err != nil {
		return nil, err
	}
	f := fengqiao.BodyFilter{Type: q.Type, Field: q.Field}
	var found []fengqiao.Body
	for _, under := range r.passes() {
		bodies, err := s.DB.FindBodies(ctx, store.DirectoryQuery{Text: text, Under: under, Limit: limit * 3}, f)
		if err != nil {
			return nil, err
		}
		found = append(found, bodies...)
	}
	for _, code := range r.Above {
		f.Node = code
		bodies, err := s.DB.Bodies(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, b := range bodies {
			if match(b.Name, b.Code, text) < 4 {
				found = append(found, b)
			}
		}
	}
	type ranked struct {
		b fengqiao.Body
		r rank
	}
	var list []ranked
	for _, b := range found {
		if !slices.ContainsFunc(list, func(x ranked) bool { return x.b.Code == b.Code }) {
			list = append(list, ranked{b, rank{own: inside(b.NodePath, r.Own), match: match(b.Name, b.Code, text), depth: depthOf(b.NodePath), key: b.Code}})
		}
	}
	slices.SortFunc(list, func(a, b ranked) int { return a.r.compare(b.r) })
	list = list[:min(len(list), limit)]
	seats := make([]string, len(list))
	for i, x := range list {
		seats[i] = x.b.Node
	}
	names, err := s.DB.DirectoryNames(ctx, seats)
	if err != nil {
		return nil, err
	}
	out := make([]BodyItem, len(list))
	for i, x := range list {
		out[i] = BodyItem{Body: x.b, NodeName: names[x.b.Node], Own: x.r.own}
	}
	return out, nil
}

// StaffQuery is a lookup of staff.
type StaffQuery struct {
	// Q is any part of the display name, or the beginning of the username.
	Q string
	// Role keeps only staff holding this role where the user may look (none: any role).
	Role fengqiao.Role
	// Case keeps only the staff who may be assigned the case with this id (the user must be allowed to
	// assign it), as Assignable does.
	Case string
	// Assignable keeps only the staff who may be assigned this case (policy.CanBeAssigned), the nearest
	// to its handling node first.
	Assignable *policy.CaseRef
	// Body keeps only the staff who may be named the mediator of this body in a joint mediation
	// (cases.Service.MediatesFor): the case page's co-body mediator field. The pages alone ask it.
	Body string
	// Enabled leaves disabled accounts out.
	Enabled bool
	Limit   int
}

// StaffRole is one grant of a staff member, named.
type StaffRole struct {
	Role     fengqiao.Role `json:"role"`
	Node     string        `json:"node"`
	NodeName string        `json:"node_name,omitempty"`
}

// Staff is a staff member offered, with their grants where the user may look.
type Staff struct {
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Disabled    bool        `json:"disabled"`
	Roles       []StaffRole `json:"roles"`
	// Own marks someone holding a grant in the user's own subtree, listed first.
	Own bool `json:"own"`
}

// Staff finds the staff user may look at whose display name holds q.Q or whose username starts with
// it: those with a grant where Places looks (an administrator of users city-wide also sees accounts
// without any grant), their own subtree's first, then the better match, then the higher tier (or,
// with Assignable, the nearest to the case).
func (s *Service) Staff(ctx context.Context, user string, q StaffQuery) ([]Staff, error) {
	text, limit, err := checkInput(q.Q, q.Limit)
	if err != nil {
		return nil, err
	}
	if q.Role != "" && !q.Role.Valid() {
		return nil, invalid("role", "no such role")
	}
	if q.Case != "" {
		if s.Cases == nil {
			return nil, invalid("case", "cannot be looked up here")
		}
		v, err := s.Cases.Load(ctx, user, q.Case, policy.ActionCaseAssign)
		if err != nil {
			return nil, err
		}
		ref := cases.Ref(v)
		q.Assignable = &ref
	}
	var coBody *fengqiao.BodyRef
	if q.Body != "" {
		if s.Cases == nil {
			return nil, invalid("body", "cannot be looked up here")
		}
		b, err := s.DB.Body(ctx, q.Body)
		if errors.Is(err, store.ErrNotFound) {
			return nil, invalid("body", "no such body")
		}
		if err != nil {
			return nil, err
		}
		ref := b.Ref()
		coBody = &ref
	}
	memo := map[string]string{}
	r, err := s.reachOf(ctx, user, memo)
	if err != nil {
		return nil, err
	}
	casePath := ""
	if q.Assignable != nil {
		casePath, _ = s.Authz.PathOf(q.Assignable.HandlingNode)
	}
	type ranked struct {
		u     store.UserRow
		roles []StaffRole
		r     rank
	}
	seen := map[string]ranked{}
	var failed error
	keep := func(username string) bool {
		if failed != nil {
			return false
		}
		if q.Assignable != nil && !s.Authz.CanBeAssigned(username, *q.Assignable) ||
			coBody != nil && !s.Cases.MediatesFor(username, *coBody) {
			return false
		}
		x := ranked{r: rank{depth: 1 << 20, key: username}}
		grants := s.Authz.Grants(username)
		for _, g := range grants {
			if q.Role != "" && g.Role != q.Role {
				continue
			}
			p, ok, err := s.grantPath(ctx, g.Node, memo)
			if err != nil {
				failed = err
				return false
			}
			if !ok || !(inside(p, r.Visible) || slices.Contains(r.Above, g.Node)) {
				continue
			}
			x.roles = append(x.roles, StaffRole{Role: g.Role, Node: g.Node})
			x.r.own = x.r.own || inside(p, r.Own)
			d := depthOf(p)
			if q.Assignable != nil {
				d = nearness(g.Node, p, *q.Assignable, casePath)
			}
			x.r.depth = min(x.r.depth, d)
		}
		if len(x.roles) == 0 && !(len(grants) == 0 && r.AllStaff && q.Role == "" && q.Assignable == nil) {
			return false
		}
		if q.Assignable != nil {
			x.r.own = false
		}
		seen[username] = x
		return true
	}
	users, err := s.DB.FindUsers(ctx, text, keep, limit*2)
	if failed != nil {
		return nil, failed
	}
	if err != nil {
		return nil, err
	}
	var list []ranked
	for _, u := range users {
		if q.Enabled && u.Disabled {
			continue
		}
		x := seen[u.Username]
		x.u, x.r.match = u, match(u.DisplayName, u.Username, text)
		list = append(list, x)
	}
	slices.SortFunc(list, func(a, b ranked) int { return a.r.compare(b.r) })
	list = list[:min(len(list), limit)]
	var codes []string
	for _, x := range list {
		for _, g := range x.roles {
			codes = append(codes, g.Node)
		}
	}
	names, err := s.DB.DirectoryNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]Staff, len(list))
	for i, x := range list {
		for j := range x.roles {
			x.roles[j].NodeName = names[x.roles[j].Node]
		}
		if x.roles == nil {
			x.roles = []StaffRole{}
		}
		out[i] = Staff{Username: x.u.Username, DisplayName: x.u.DisplayName, Disabled: x.u.Disabled, Roles: x.roles, Own: x.r.own}
	}
	return out, nil
}

// nearness orders the grants that may make someone the case's mediator, nearest first (lower): a grant
// at the case's handling body, then the deepest of the handling node's chain (the village's own
// mediator before the township's); a grant covering nothing of the case last.
func nearness(node, path string, ref policy.CaseRef, casePath string) int {
	switch {
	case ref.HandlingBody != "" && node == ref.HandlingBody:
		return -1 << 10
	case casePath != "" && inside(casePath, []string{path}):
		return -depthOf(path)
	}
	return 1 << 10
}

// ByNearness orders the usernames (staff who may be assigned the case, policy.CanBeAssigned) by their
// nearest mediator grant to the case, as Staff does with Assignable: the default of an assignment is
// then the case's own village's mediator, not the county's.
func (s *Service) ByNearness(ctx context.Context, ref policy.CaseRef, usernames []string) ([]string, error) {
	casePath, _ := s.Authz.PathOf(ref.HandlingNode)
	memo := map[string]string{}
	near := make(map[string]int, len(usernames))
	for _, u := range usernames {
		near[u] = 1 << 20
		for _, g := range s.Authz.Grants(u) {
			if g.Role != fengqiao.RoleMediator {
				continue
			}
			p, ok, err := s.grantPath(ctx, g.Node, memo)
			if err != nil {
				return nil, err
			}
			if ok {
				near[u] = min(near[u], nearness(g.Node, p, ref, casePath))
			}
		}
	}
	out := slices.Clone(usernames)
	slices.SortStableFunc(out, func(a, b string) int { return near[a] - near[b] })
	return out, nil
}
