package policy

import (
	"errors"
	"sort"
	"strings"

	"github.com/casbin/casbin/v2/log"
	"github.com/casbin/casbin/v2/rbac"

	"fengqiao"
)

// treeNode is one node of the jurisdiction tree as the Authorizer keeps it in memory, or a body (机构)
// hung under its seat: a grant at the body then covers the body alone, and a grant at the seat or
// above covers the body too, by the same ancestor walk (DESIGN.md §4).
type treeNode struct {
	code   string
	path   string // a body's is its seat's path
	tier   fengqiao.Tier
	parent *treeNode // nil for a root; a body's seat
	// body is the type of the body with this code: set on every body, and on a court node whose court
	// body shares its code (the migrated courts), "" on a plain node.
	body fengqiao.BodyType
}

// heldRoles is a set of roles a user holds at one node.
type heldRoles struct {
	node  string
	roles roleMask
}

// userGrants are the grants of one user. Most staff hold one or two, so a slice scanned per ancestor
// beats a map; byNode indexes the few users holding many.
type userGrants struct {
	at       []heldRoles
	byNode   map[string]roleMask // non-nil once len(at) > manyGrants
	global   roleMask            // roles held at Global
	anywhere roleMask            // every role held at some node (or at Global)
}

// manyGrants is where a user's grants get a map index.
const manyGrants = 8

func (u *userGrants) rolesAt(code string) roleMask {
	if u.byNode != nil {
		return u.byNode[code]
	}
	for i := range u.at {
		if u.at[i].node == code {
			return u.at[i].roles
		}
	}
	return 0
}

func (u *userGrants) recompute() {
	u.anywhere = u.global
	for _, h := range u.at {
		u.anywhere |= h.roles
	}
	if len(u.at) > manyGrants {
		u.byNode = make(map[string]roleMask, len(u.at))
		for _, h := range u.at {
			u.byNode[h.node] = h.roles
		}
	} else {
		u.byNode = nil
	}
}

// jurisdictionRoles is the Casbin role manager of the g links (user, role, node). It knows the node
// tree, so that g(user, role, node) holds when the user has the role at the node, at one of its
// ancestors or at Global: subtree coverage by an ancestor walk (at most the depth of the tree, ~7),
// instead of one rule per node or domain pattern matching, which do not scale to a city.
//
// It is not safe for concurrent use on its own: the Authorizer guards it with its lock.
type jurisdictionRoles struct {
	nodes map[string]*treeNode
	// bodies are the bodies whose code is not a node's, each linked to its seat in nodes. They are
	// kept apart so that a body is never taken for a jurisdiction (a case's location, PathOf).
	bodies map[string]*treeNode
	users  map[string]*userGrants
}

var _ rbac.RoleManager = (*jurisdictionRoles)(nil)

func newJurisdictionRoles() *jurisdictionRoles {
	return &jurisdictionRoles{nodes: map[string]*treeNode{}, bodies: map[string]*treeNode{}, users: map[string]*userGrants{}}
}

// lookup returns the node or the body with the code, nil when neither is known.
func (rm *jurisdictionRoles) lookup(code string) *treeNode {
	if n := rm.nodes[code]; n != nil {
		return n
	}
	return rm.bodies[code]
}

// addBody adds (or updates) a body seated at seat. A body sharing a node's code (a court and its
// court node) marks that node instead.
func (rm *jurisdictionRoles) addBody(code, seat string, typ fengqiao.BodyType) {
	if n := rm.nodes[code]; n != nil {
		n.body = typ
		return
	}
	b := rm.bodies[code]
	if b == nil {
		b = &treeNode{code: code}
		rm.bodies[code] = b
	}
	b.body, b.parent = typ, rm.nodes[seat]
	if b.parent != nil {
		b.path = b.parent.path
	}
}

// linkBodies rebuilds the bodies over the current nodes (after the tree was replaced).
func (rm *jurisdictionRoles) linkBodies(rows []bodyRow) {
	rm.bodies = make(map[string]*treeNode, len(rows))
	for _, r := range rows {
		rm.addBody(r.code, r.seat, r.typ)
	}
}

// addNode adds (or updates) a node; its parent must already be known, or be added later by a reload.
func (rm *jurisdictionRoles) addNode(code, parent, path string, tier fengqiao.Tier) {
	n := rm.nodes[code]
	if n == nil {
		n = &treeNode{code: code}
		rm.nodes[code] = n
	}
	n.path, n.tier = path, tier
	if parent != "" {
		n.parent = rm.nodes[parent]
	}
}

// buildTree links rows, in any order, into a tree, by code.
func buildTree(rows []nodeRow) map[string]*treeNode {
	byCode := make(map[string]*treeNode, len(rows))
	for _, r := range rows {
		byCode[r.code] = &treeNode{code: r.code, path: r.path, tier: r.tier}
	}
	for _, r := range rows {
		if r.parent != "" {
			byCode[r.code].parent = byCode[r.parent]
		}
	}
	return byCode
}

// rolesCovering returns the roles the user holds at the node (or body), at its ancestors (a body's
// seat and the seat's ancestors) and at Global; ok is false when the code is unknown.
func (rm *jurisdictionRoles) rolesCovering(u *userGrants, code string) (roleMask, bool) {
	n := rm.lookup(code)
	if n == nil {
		return 0, false
	}
	if u == nil {
		return 0, true
	}
	m := u.global
	for ; n != nil; n = n.parent {
		m |= u.rolesAt(n.code)
	}
	return m, true
}

// Clear implements rbac.RoleManager: it drops every grant and keeps the tree.
func (rm *jurisdictionRoles) Clear() error {
	rm.users = map[string]*userGrants{}
	return nil
}

// AddLink implements rbac.RoleManager: user name1 holds role name2 at node domain[0]. An unknown
// role is ignored.
func (rm *jurisdictionRoles) AddLink(name1, name2 string, domain ...string) error {
	if len(domain) != 1 {
		return errors.New("policy: a grant needs exactly one jurisdiction")
	}
	bit := roleBit(fengqiao.Role(name2))
	if bit == 0 {
		// a role this release does not know (a newer release's, during a rolling upgrade): it grants
		// nothing here, and must not stop the other grants from loading
		return nil
	}
	u := rm.users[name1]
	if u == nil {
		u = &userGrants{}
		rm.users[name1] = u
	}
	if domain[0] == Global {
		u.global |= bit
		u.anywhere |= bit
		return nil
	}
	for i := range u.at {
		if u.at[i].node == domain[0] {
			u.at[i].roles |= bit
			if u.byNode != nil {
				u.byNode[domain[0]] = u.at[i].roles
			}
			u.anywhere |= bit
			return nil
		}
	}
	u.at = append(u.at, heldRoles{node: domain[0], roles: bit})
	if u.byNode != nil || len(u.at) > manyGrants {
		u.recompute()
	} else {
		u.anywhere |= bit
	}
	return nil
}

// DeleteLink implements rbac.RoleManager.
func (rm *jurisdictionRoles) DeleteLink(name1, name2 string, domain ...string) error {
	if len(domain) != 1 {
		return errors.New("policy: a grant needs exactly one jurisdiction")
	}
	u := rm.users[name1]
	if u == nil {
		return nil
	}
	bit := roleBit(fengqiao.Role(name2))
	if domain[0] == Global {
		u.global &^= bit
	} else {
		for i := range u.at {
			if u.at[i].node == domain[0] {
				u.at[i].roles &^= bit
				if u.at[i].roles == 0 {
					u.at = append(u.at[:i], u.at[i+1:]...)
				}
				break
			}
		}
	}
	u.recompute()
	if len(u.at) == 0 && u.global == 0 {
		delete(rm.users, name1)
	}
	return nil
}

// BuildRelationship implements rbac.RoleManager (deprecated there, a no-op).
func (rm *jurisdictionRoles) BuildRelationship(string, string, ...string) error { return nil }

// HasLink implements rbac.RoleManager; it is the model's g. With a node as domain it reports whether
// user name1 holds role name2 covering that node (at it, an ancestor, or Global); with "*", whether
// they hold it at Global; without a domain or with "", whether they hold it anywhere. Unlike
// Casbin's default role manager, a name is never linked to itself: the bootstrap user "admin" is not
// thereby the role admin.
func (rm *jurisdictionRoles) HasLink(name1, name2 string, domain ...string) (bool, error) {
	u := rm.users[name1]
	bit := roleBit(fengqiao.Role(name2))
	if u == nil || bit == 0 {
		return false, nil
	}
	switch {
	case len(domain) == 0 || domain[0] == anywhereDomain:
		return u.anywhere&bit != 0, nil
	case domain[0] == Global:
		return u.global&bit != 0, nil
	}
	m, _ := rm.rolesCovering(u, domain[0])
	return m&bit != 0, nil
}

// GetRoles implements rbac.RoleManager: the roles covering the node (or held anywhere, without one
// or with "").
func (rm *jurisdictionRoles) GetRoles(name string, domain ...string) ([]string, error) {
	u := rm.users[name]
	if u == nil {
		return nil, nil
	}
	m := u.anywhere
	if len(domain) > 0 && domain[0] != anywhereDomain {
		if domain[0] == Global {
			m = u.global
		} else {
			m, _ = rm.rolesCovering(u, domain[0])
		}
	}
	var out []string
	for _, r := range fengqiao.Roles {
		if m&roleBit(r) != 0 {
			out = append(out, string(r))
		}
	}
	return out, nil
}

// GetUsers implements rbac.RoleManager: the users holding the role exactly at the node (a scan; for
// administration, not for decisions).
func (rm *jurisdictionRoles) GetUsers(name string, domain ...string) ([]string, error) {
	bit := roleBit(fengqiao.Role(name))
	var out []string
	for user, u := range rm.users {
		switch {
		case len(domain) == 0:
			if u.anywhere&bit != 0 {
				out = append(out, user)
			}
		case domain[0] == Global:
			if u.global&bit != 0 {
				out = append(out, user)
			}
		default:
			if u.rolesAt(domain[0])&bit != 0 {
				out = append(out, user)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// GetImplicitRoles implements rbac.RoleManager; roles do not inherit from one another here.
func (rm *jurisdictionRoles) GetImplicitRoles(name string, domain ...string) ([]string, error) {
	return rm.GetRoles(name, domain...)
}

// GetImplicitUsers implements rbac.RoleManager; roles do not inherit from one another here.
func (rm *jurisdictionRoles) GetImplicitUsers(name string, domain ...string) ([]string, error) {
	return rm.GetUsers(name, domain...)
}

// GetDomains implements rbac.RoleManager: the nodes where the user holds a role.
func (rm *jurisdictionRoles) GetDomains(name string) ([]string, error) {
	u := rm.users[name]
	if u == nil {
		return nil, nil
	}
	var out []string
	if u.global != 0 {
		out = append(out, Global)
	}
	for _, h := range u.at {
		out = append(out, h.node)
	}
	sort.Strings(out)
	return out, nil
}

// GetAllDomains implements rbac.RoleManager: every node where someone holds a role.
func (rm *jurisdictionRoles) GetAllDomains() ([]string, error) {
	seen := map[string]bool{}
	for _, u := range rm.users {
		if u.global != 0 {
			seen[Global] = true
		}
		for _, h := range u.at {
			seen[h.node] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

// PrintRoles implements rbac.RoleManager (nothing to print to).
func (rm *jurisdictionRoles) PrintRoles() error { return nil }

// SetLogger implements rbac.RoleManager (the role manager does not log).
func (rm *jurisdictionRoles) SetLogger(log.Logger) {}

// Match implements rbac.RoleManager: names match only when equal.
func (rm *jurisdictionRoles) Match(str, pattern string) bool { return str == pattern }

// AddMatchingFunc implements rbac.RoleManager. Pattern matching is deliberately unsupported: it is
// what made subtree rules too slow at city scale.
func (rm *jurisdictionRoles) AddMatchingFunc(string, rbac.MatchingFunc) {}

// AddDomainMatchingFunc implements rbac.RoleManager; unsupported, as AddMatchingFunc.
func (rm *jurisdictionRoles) AddDomainMatchingFunc(string, rbac.MatchingFunc) {}

// DeleteDomain implements rbac.RoleManager: it drops every grant at the node.
func (rm *jurisdictionRoles) DeleteDomain(domain string) error {
	for name, u := range rm.users {
		for _, r := range fengqiao.Roles {
			if domain == Global && u.global&roleBit(r) != 0 || domain != Global && u.rolesAt(domain)&roleBit(r) != 0 {
				_ = rm.DeleteLink(name, string(r), domain)
			}
		}
	}
	return nil
}

// grants lists a user's grants sorted by node then role.
func (rm *jurisdictionRoles) grants(username string) []fengqiao.Grant {
	u := rm.users[username]
	if u == nil {
		return nil
	}
	var out []fengqiao.Grant
	add := func(node string, m roleMask) {
		for _, r := range fengqiao.Roles {
			if m&roleBit(r) != 0 {
				out = append(out, fengqiao.Grant{Username: username, Role: r, Node: node})
			}
		}
	}
	add(Global, u.global)
	for _, h := range u.at {
		add(h.node, h.roles)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Node != out[j].Node {
			return out[i].Node < out[j].Node
		}
		return out[i].Role < out[j].Role
	})
	return out
}

// minimalPaths returns the minimal sorted set of node paths covering the given ones (a path inside
// another's subtree is dropped), nil for none; "/" covers every path.
func minimalPaths(paths []string) []string {
	sort.Strings(paths)
	out := paths[:0]
	for _, p := range paths {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue // inside a subtree already listed (sorted, so an ancestor comes first)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
