package policy

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"fengqiao"
)

// anywhereDomain is the request domain "at some node" (model.conf): any grant of the role counts.
const anywhereDomain = ""

// nowhere is the domain reach gives for a scope this release does not know (a newer release's,
// during a rolling upgrade): no node has that code, so such a rule grants nothing here.
const nowhere = "\x00"

// reach is the model's reach(dom, scope): the domain a grant must cover for a p rule of that scope to
// apply at dom. See model.conf.
func reach(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("reach: want 2 arguments, got %d", len(args))
	}
	dom, ok1 := args[0].(string)
	scope, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, errors.New("reach: the arguments must be strings")
	}
	switch scope {
	case scopeSubtree:
		return dom, nil
	case scopeAnywhere:
		if dom == Global {
			return Global, nil
		}
		return anywhereDomain, nil
	}
	return nowhere, nil
}

// maxDecisions bounds the decision cache (a full one takes about 40 MB; a case's allowed actions are
// some 30 answers, so this holds those of ~8,000 cases). Past it, the next decision empties the cache
// and the answers Casbin memoises (see state.invalidate), which grow with it.
const maxDecisions = 1 << 18

// question is what the decision cache is keyed by: may user do act at dom (a known node, Global or
// anywhereDomain)?
type question struct {
	user, dom string
	act       Action
}

// verdict is Casbin's answer to a question, role by role: allow holds the roles, among those the user
// holds, in which Enforce allowed it; anywhere those of them allowed by an "anywhere" rule (it tells
// a clerk opening a case anywhere from a grid worker opening one in their grid).
type verdict struct {
	allow, anywhere roleMask
}

// decisions is the decision cache of one state. Its lock lets concurrent decisions, which hold the
// Authorizer's read lock, fill it; emptying it takes the Authorizer's write lock as well.
type decisions struct {
	mu sync.RWMutex
	m  map[question]verdict
}

// invalidate forgets every decision: the cache, and what Casbin's compiled matcher memoises. (The
// enforcer compiles the matcher once and keeps it, and the g function compiled into it remembers
// every link it was asked about; setting the role manager again makes the enforcer compile a new one.
// Casbin does this itself when it changes grants, but not when the node tree changes under the role
// manager.) Call it with the Authorizer's write lock held, whenever the grants, the rules or the tree
// change.
func (st *state) invalidate() {
	st.cache.mu.Lock()
	st.cache.m = make(map[question]verdict)
	st.cache.mu.Unlock()
	st.enforcer.SetRoleManager(st.rm)
}

// asker puts one user's questions to Casbin through the decision cache. It lives for one decision,
// with the Authorizer's read lock held. The first enforcer error sticks: the decision is then
// discarded and the error returned.
type asker struct {
	st   *state
	user string
	u    *userGrants  // nil: the user holds no role
	full *atomic.Bool // the Authorizer's: set when the cache is full
	err  error
}

// ask starts a decision for username; call it with a.mu read-locked.
func (a *Authorizer) ask(username string) asker {
	return asker{st: a.st, user: username, u: a.st.rm.users[username], full: &a.flushDue}
}

// roles returns Casbin's verdict on whether the user may do act at dom, which must be a known node,
// Global or anywhereDomain. It asks Enforce(user, dom, act, role) once for each role the user holds
// (a role they hold nowhere cannot allow anything: every rule needs a g link), and keeps the verdict
// until the policy version moves.
func (q *asker) roles(act Action, dom string) verdict {
	if q.u == nil || q.err != nil {
		return verdict{}
	}
	k := question{user: q.user, dom: dom, act: act}
	c := &q.st.cache
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	for _, r := range fengqiao.Roles {
		bit := roleBit(r)
		if q.u.anywhere&bit == 0 {
			continue
		}
		ok, rule, err := q.st.enforcer.EnforceEx(q.user, dom, string(act), string(r))
		if err != nil {
			q.err = fmt.Errorf("policy: enforce %s %s at %q as %s: %w", q.user, act, dom, r, err)
			return verdict{}
		}
		if ok {
			v.allow |= bit
			if len(rule) > 2 && rule[2] == scopeAnywhere {
				v.anywhere |= bit
			}
		}
	}
	c.mu.Lock()
	if len(c.m) < maxDecisions {
		c.m[k] = v
	} else {
		q.full.Store(true)
	}
	c.mu.Unlock()
	return v
}

// at returns the roles in which the user may do act at a node (or body) named by a case, by a grant
// at it or above it; none when the code is unset or unknown.
func (q *asker) at(act Action, node string) roleMask {
	if q.u == nil || node == "" || q.st.rm.lookup(node) == nil {
		return 0
	}
	return q.roles(act, node).allow
}

// holdsCovering reports whether the user holds one of roles at node, at an ancestor or at Global: a
// question for the role manager alone (g), no permission involved.
func (q *asker) holdsCovering(roles roleMask, node string) bool {
	m, _ := q.st.rm.rolesCovering(q.u, node)
	return m&roles != 0
}

// staff reports whether the user holds a case role (grid_worker, clerk, mediator or supervisor)
// somewhere, which being a case's first-contact owner or assignee takes.
func (q *asker) staff() bool {
	return q.u != nil && q.u.anywhere&maskCaseStaff != 0
}

// flushDecisions empties the decision cache once it is full (see maxDecisions).
func (a *Authorizer) flushDecisions() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.flushDue.Swap(false) {
		a.st.invalidate()
	}
}
