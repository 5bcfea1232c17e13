package policy

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"gorm.io/gorm"

	"fengqiao"
	"fengqiao/store"
)

//go:embed model.conf
var modelConf string

// Global is the jurisdiction of a grant that covers the whole tree, including nodes not created yet:
// the bootstrap admin holds admin at Global, which lets them create the root city of an empty tree.
// Asking Can at Global (or at "") asks about the whole tree: only Global grants answer yes.
const Global = "*"

// Defaults of the freshness check (see Authorizer).
const (
	defaultSyncEvery  = 200 * time.Millisecond
	defaultMaxStale   = 30 * time.Second
	syncTimeout       = 5 * time.Second
	maxChangesPerSync = 2000
)

// ErrStale is returned by decisions when the Authorizer has not been able to check the database for
// changes for longer than its staleness bound: it fails closed (500) rather than honour a grant that
// may have been revoked.
var ErrStale = errors.New("policy: the authorization data could not be refreshed from the database")

// Authorizer answers who may do what, where, and Casbin decides. The model is embedded (model.conf);
// the p rules (role permissions) and g rules (grants) are stored through the Casbin GORM adapter in
// the table casbin_rule and loaded into a casbin.Enforcer whose role manager is jurisdictionRoles,
// which keeps the node tree in memory and answers g(user, role, node) by an ancestor walk. Every
// allow or deny that rests on a role permission is the answer of Enforce(user, node, action, role).
// The object-level rules of CanOnCase only choose what to ask (which of the case's nodes, which role:
// the assignee acting as mediator, a court officer through the case's court) and add what is not a
// permission (being the case's assignee or first-contact owner, the node existing).
//
// Enforce evaluates the matcher once per p rule, tens of microseconds, so its answers are kept in a
// decision cache by user, node and action, with the roles in which the action was allowed: a repeated
// decision is a few map lookups, without touching the database. The cache is emptied, together with
// what Casbin's compiled matcher memoises, whenever the policy version moves (a grant, a revocation,
// a new node, a bulk import; reseeded permissions reload everything) and is replaced on Reload, so an
// answer is never older than the rules and grants in memory. It holds at most maxDecisions answers
// (about 40 MB) and is emptied when full.
//
// Freshness across processes: every grant, revocation and new node bumps the policy_version row in
// the same transaction and records the change in policy_changes. Before a decision, at most once per
// 200 ms, one caller reads the version (one indexed row) and, when it moved, applies the recorded
// changes in order. So a change made by any `serve` process takes effect on every other one within
// ~200 ms plus one query, and at once in the process that made it. If the check keeps failing for
// 30 s, decisions return ErrStale.
//
// An Authorizer is safe for concurrent use.
type Authorizer struct {
	db *store.DB

	mu sync.RWMutex // guards st and its contents
	st *state

	flushDue atomic.Bool // the decision cache is full: the next decision empties it

	syncMu    sync.Mutex // one refresh at a time
	start     time.Time
	nextCheck atomic.Int64 // nanoseconds since start when the next freshness check is due
	lastOK    atomic.Int64 // nanoseconds since start of the last successful check
	stale     atomic.Bool  // checks have failed for longer than maxStale

	syncEvery time.Duration
	maxStale  time.Duration
}

// state is everything a decision reads; replaced whole by a full reload, patched by changes (and its
// decision cache emptied).
type state struct {
	enforcer *casbin.Enforcer
	rm       *jurisdictionRoles
	cache    decisions
	version  int64
}

// New creates the policy tables when missing, seeds the role permissions, loads the grants and the
// node tree, and returns the Authorizer. Call it once per process, after store.Open.
func New(ctx context.Context, db *store.DB) (*Authorizer, error) {
	if err := setup(ctx, db); err != nil {
		return nil, fmt.Errorf("policy: set up tables: %w", err)
	}
	a := &Authorizer{db: db, start: time.Now(), syncEvery: defaultSyncEvery, maxStale: defaultMaxStale}
	if err := a.Reload(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Reload reads every permission, grant and node from the database again and swaps them in at once.
// Decisions go on meanwhile on the previous data.
func (a *Authorizer) Reload(ctx context.Context) error {
	a.syncMu.Lock()
	defer a.syncMu.Unlock()
	return a.reloadLocked(ctx)
}

func (a *Authorizer) reloadLocked(ctx context.Context) error {
	st, err := loadState(ctx, a.db)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.st = st
	a.mu.Unlock()
	a.markChecked()
	return nil
}

// loadState builds a state from the database: the version first, then the rules and the nodes (side
// by side). Grants are kept by node code, so a grant read before its node simply covers nothing until
// the node is known. Changes after the version are applied again by the next sync; they are
// idempotent and applied in order, so the result converges on the database.
func loadState(ctx context.Context, db *store.DB) (*state, error) {
	version, err := readVersion(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("policy: load: %w", err)
	}
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("policy: model: %w", err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("policy: enforcer: %w", err)
	}
	e.AddFunction("reach", reach)
	rm := newJurisdictionRoles()
	e.SetRoleManager(rm)
	e.EnableAutoSave(false) // writes go through Grant/Revoke's own transactions
	ad, err := txAdapter(db.DB)
	if err != nil {
		return nil, err
	}
	e.SetAdapter(loadAdapter{Adapter: ad, ctx: ctx})
	// The tree is read beside the rules (grants are kept by node code, so neither waits for the
	// other): on two cores this takes a third off the load of a city.
	type treeResult struct {
		nodes  map[string]*treeNode
		bodies []bodyRow
		err    error
	}
	treeDone := make(chan treeResult, 1)
	go func() {
		nodes, err := loadNodes(ctx, db)
		if err != nil {
			treeDone <- treeResult{err: err}
			return
		}
		bodies, err := loadBodies(ctx, db)
		treeDone <- treeResult{buildTree(nodes), bodies, err}
	}()
	err = e.LoadPolicy()
	tree := <-treeDone
	if err != nil {
		return nil, fmt.Errorf("policy: load rules: %w", err)
	}
	if tree.err != nil {
		return nil, fmt.Errorf("policy: load: %w", tree.err)
	}
	rm.nodes = tree.nodes
	rm.linkBodies(tree.bodies)
	return &state{enforcer: e, rm: rm, cache: decisions{m: make(map[question]verdict)}, version: version}, nil
}

func (a *Authorizer) markChecked() {
	now := int64(time.Since(a.start))
	a.lastOK.Store(now)
	a.stale.Store(false)
	a.nextCheck.Store(now + int64(a.syncEvery))
}

// fresh is called before every decision: when the freshness check is due, the first caller to get
// there runs it (the others go on with the current data, at most one interval old), and when checks
// have failed for longer than maxStale it returns ErrStale.
func (a *Authorizer) fresh() error {
	if a.flushDue.Load() {
		a.flushDecisions()
	}
	now := int64(time.Since(a.start))
	if now < a.nextCheck.Load() {
		if a.stale.Load() {
			return ErrStale
		}
		return nil
	}
	if a.syncMu.TryLock() {
		ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
		err := a.syncLocked(ctx)
		cancel()
		if err != nil {
			// try again at the next interval, not at every decision
			now := int64(time.Since(a.start))
			a.stale.Store(now-a.lastOK.Load() > int64(a.maxStale))
			a.nextCheck.Store(now + int64(a.syncEvery))
		}
		a.syncMu.Unlock()
	}
	if a.stale.Load() {
		return ErrStale
	}
	return nil
}

// refreshAfterWrite applies a change this process just committed (and any before it). The change is
// stored whatever happens here; if the refresh fails, the next decision retries it.
func (a *Authorizer) refreshAfterWrite(ctx context.Context) {
	if err := a.sync(ctx); err != nil {
		a.nextCheck.Store(0)
	}
}

// sync applies, now, the changes other processes made since the last check.
func (a *Authorizer) sync(ctx context.Context) error {
	a.syncMu.Lock()
	defer a.syncMu.Unlock()
	return a.syncLocked(ctx)
}

func (a *Authorizer) syncLocked(ctx context.Context) error {
	v, err := readVersion(ctx, a.db)
	if err != nil {
		return fmt.Errorf("policy: sync: %w", err)
	}
	a.mu.RLock()
	have := a.st.version
	a.mu.RUnlock()
	if v <= have {
		a.markChecked()
		return nil
	}
	changes, err := readChanges(ctx, a.db, have, maxChangesPerSync+1)
	if err != nil {
		return fmt.Errorf("policy: sync: %w", err)
	}
	// A gap (pruned history), a flood or a reseed: reload everything instead.
	if len(changes) == 0 || changes[0].version != have+1 || len(changes) > maxChangesPerSync {
		return a.reloadLocked(ctx)
	}
	var needNodes, needBodies []string
	a.mu.RLock()
	for _, c := range changes {
		switch c.kind {
		case changeAll:
			a.mu.RUnlock()
			return a.reloadLocked(ctx)
		case changeNode:
			needNodes = append(needNodes, c.v2)
		case changeBody:
			needBodies = append(needBodies, c.v2)
		case changeGrant:
			// a node or body whose creator did not (yet) say so: learn it from the database
			if c.v2 != Global && a.st.rm.lookup(c.v2) == nil {
				needNodes = append(needNodes, c.v2)
				needBodies = append(needBodies, c.v2)
			}
		}
	}
	a.mu.RUnlock()
	var nodes []nodeRow
	var bodies []bodyRow
	var tree map[string]*treeNode // a whole new tree, after a bulk import
	for _, c := range changes {
		if c.kind == changeTree && tree == nil {
			all, err := loadNodes(ctx, a.db)
			if err != nil {
				return fmt.Errorf("policy: sync: %w", err)
			}
			tree = buildTree(all)
			if bodies, err = loadBodies(ctx, a.db); err != nil {
				return fmt.Errorf("policy: sync: %w", err)
			}
		}
	}
	if tree == nil && len(needBodies) > 0 {
		if bodies, err = loadBodies(ctx, a.db, needBodies...); err != nil {
			return fmt.Errorf("policy: sync: %w", err)
		}
		for _, b := range bodies { // their seats, when this process does not know them yet
			needNodes = append(needNodes, b.seat)
		}
	}
	if tree == nil && len(needNodes) > 0 {
		if nodes, err = a.missingNodes(ctx, needNodes); err != nil {
			return fmt.Errorf("policy: sync: %w", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.st
	defer st.invalidate() // whatever was applied, even if not everything
	if tree != nil {
		st.rm.nodes = tree
		st.rm.linkBodies(bodies)
	}
	for _, n := range nodes {
		st.rm.addNode(n.code, n.parent, n.path, n.tier)
	}
	if tree == nil {
		for _, b := range bodies {
			st.rm.addBody(b.code, b.seat, b.typ)
		}
	}
	for _, c := range changes {
		rule := []string{c.v0, c.v1, c.v2}
		switch c.kind {
		case changeGrant:
			if _, err := st.enforcer.SelfAddPolicy("g", "g", rule); err != nil {
				return fmt.Errorf("policy: apply change %d: %w", c.version, err)
			}
		case changeRevoke:
			if _, err := st.enforcer.SelfRemovePolicy("g", "g", rule); err != nil {
				return fmt.Errorf("policy: apply change %d: %w", c.version, err)
			}
		}
		st.version = c.version
	}
	a.markChecked()
	return nil
}

// missingNodes reads the named nodes and any of their ancestors this process does not know yet.
func (a *Authorizer) missingNodes(ctx context.Context, codes []string) ([]nodeRow, error) {
	rows, err := loadNodes(ctx, a.db, codes...)
	if err != nil {
		return nil, err
	}
	var missing []string
	a.mu.RLock()
	for _, r := range rows {
		for _, c := range store.PathCodes(r.path) {
			if a.st.rm.nodes[c] == nil {
				missing = append(missing, c)
			}
		}
	}
	a.mu.RUnlock()
	if len(missing) > 0 {
		if rows, err = loadNodes(ctx, a.db, missing...); err != nil {
			return nil, err
		}
	}
	// parents before children, for addNode (a path is a prefix of its descendants' paths)
	sort.Slice(rows, func(i, j int) bool { return rows[i].path < rows[j].path })
	return rows, nil
}

// errNoop aborts a transaction that has nothing to do.
var errNoop = errors.New("policy: nothing to change")

// Grant gives username the role at node (a jurisdiction code, or Global). It is idempotent: granting a
// role already held changes nothing. Bad input is a *fengqiao.Error validation_failed naming the field
// ("username", "role" or "jurisdiction"); the node must exist. Whether the caller may grant is the
// API's question: Can(caller, ActionAdminGrants, node), and at Global only a Global admin may.
// The grant takes effect at once here and within ~200 ms on every other process.
func (a *Authorizer) Grant(ctx context.Context, username string, role fengqiao.Role, node string) error {
	if err := a.validateGrant(ctx, username, role, node); err != nil {
		return err
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := bump(tx, change{kind: changeGrant, v0: username, v1: string(role), v2: node}); err != nil {
			return err
		}
		n, err := countGrant(tx, username, role, node)
		if err != nil {
			return err
		}
		if n > 0 {
			return errNoop
		}
		ad, err := txAdapter(tx)
		if err != nil {
			return err
		}
		if err := ad.AddPolicyCtx(ctx, "g", "g", []string{username, string(role), node}); err != nil {
			return fmt.Errorf("store grant: %w", err)
		}
		return nil
	})
	if errors.Is(err, errNoop) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("policy: grant %s %s at %s: %w", username, role, node, err)
	}
	a.refreshAfterWrite(ctx)
	return nil
}

// Revoke takes the role at node away from username. Revoking a grant that does not exist is a
// *fengqiao.Error not_found; revoking the last admin grant at Global is a conflict (nobody could
// administer the system any more).
func (a *Authorizer) Revoke(ctx context.Context, username string, role fengqiao.Role, node string) error {
	if !role.Valid() {
		return fieldError("role", "must be one of "+roleList())
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := bump(tx, change{kind: changeRevoke, v0: username, v1: string(role), v2: node}); err != nil {
			return err
		}
		n, err := countGrant(tx, username, role, node)
		if err != nil {
			return err
		}
		if n == 0 {
			return fengqiao.Errorf(fengqiao.ECodeNotFound, "%s does not hold %s at %s", username, role, node)
		}
		if role == fengqiao.RoleAdmin && node == Global {
			var admins int64
			if err := tx.Table(ruleTable).Where("ptype = ? AND v1 = ? AND v2 = ?", "g", string(fengqiao.RoleAdmin), Global).
				Count(&admins).Error; err != nil {
				return fmt.Errorf("count global admins: %w", err)
			}
			if admins <= 1 {
				return fengqiao.Errorf(fengqiao.ECodeConflict, "the last admin grant at %s cannot be revoked", Global)
			}
		}
		ad, err := txAdapter(tx)
		if err != nil {
			return err
		}
		if err := ad.RemovePolicyCtx(ctx, "g", "g", []string{username, string(role), node}); err != nil {
			return fmt.Errorf("delete grant: %w", err)
		}
		return nil
	})
	if err != nil {
		var fe *fengqiao.Error
		if errors.As(err, &fe) {
			return fe
		}
		return fmt.Errorf("policy: revoke %s %s at %s: %w", username, role, node, err)
	}
	a.refreshAfterWrite(ctx)
	return nil
}

func countGrant(tx *gorm.DB, username string, role fengqiao.Role, node string) (int64, error) {
	var n int64
	err := tx.Table(ruleTable).Where("ptype = ? AND v0 = ? AND v1 = ? AND v2 = ?", "g", username, string(role), node).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("read grant: %w", err)
	}
	return n, nil
}

func (a *Authorizer) validateGrant(ctx context.Context, username string, role fengqiao.Role, node string) error {
	var v fengqiao.Validation
	v.Check(username != "" && len(username) <= 100 && strings.TrimSpace(username) == username, "username",
		"is required (at most 100 bytes, no surrounding spaces)")
	v.Check(role.Valid(), "role", "must be one of %s", roleList())
	if node == "" {
		v.Add("jurisdiction", "is required (a jurisdiction code, a body code, or %s for the whole tree)", Global)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if node == Global {
		return nil
	}
	a.mu.RLock()
	known := a.st.rm.lookup(node)
	typ := fengqiao.BodyType("")
	isNode := a.st.rm.nodes[node] != nil
	if known != nil {
		typ = known.body
	}
	a.mu.RUnlock()
	if known == nil {
		// Created by another process a moment ago? The database is the authority.
		_, err := a.db.Node(ctx, node)
		switch {
		case err == nil:
			isNode = true
		case errors.Is(err, store.ErrNotFound):
			b, err := a.db.Body(ctx, node)
			if errors.Is(err, store.ErrNotFound) {
				return fieldError("jurisdiction", "没有辖区或机构 "+node+" (no such jurisdiction or body "+node+")")
			}
			if err != nil {
				return fmt.Errorf("policy: grant: %w", err)
			}
			typ = b.Type
		default:
			return fmt.Errorf("policy: grant: %w", err)
		}
	}
	if !isNode {
		if msg := bodyRoleProblem(role, typ); msg != "" {
			return fieldError("role", msg)
		}
	}
	return nil
}

// bodyRoleProblem says why role cannot be granted at a body of type typ ("" when it can). A body grant
// covers that body's cases: case roles make sense there, but not the administrator's (the tree is
// administered at nodes), nor the grid worker's (a grid is a node), nor a court officer's outside a
// court.
func bodyRoleProblem(role fengqiao.Role, typ fengqiao.BodyType) string {
	switch {
	case role == fengqiao.RoleAdmin || role == fengqiao.RoleGridWorker:
		return "机构不能授予" + role.Label() + "角色，请在辖区授予 (" + string(role) + " is granted at a jurisdiction, not at a body)"
	case role == fengqiao.RoleCourtOfficer && typ != fengqiao.BodyCourt:
		return "只有人民法院可授予法院角色 (court_officer is granted at a court only)"
	}
	return ""
}

// roleList is "grid_worker, clerk, ..." for the role error.
func roleList() string {
	names := make([]string, len(fengqiao.Roles))
	for i, r := range fengqiao.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func fieldError(field, msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": " + msg,
		Fields: []fengqiao.FieldError{{Field: field, Message: msg}}}
}

// NodeAdded tells every Authorizer that a jurisdiction was created: call it right after
// store.CreateNode succeeds. This process learns the node at once, the others within ~200 ms. (If
// the process dies between the two calls, the node is learnt at the next change or Reload; a grant
// at it is accepted anyway, since Grant checks the database.)
func (a *Authorizer) NodeAdded(ctx context.Context, n fengqiao.Node) error {
	if n.Code == "" {
		return fieldError("code", "is required")
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := bump(tx, change{kind: changeNode, v2: n.Code})
		return err
	})
	if err != nil {
		return fmt.Errorf("policy: node %s added: %w", n.Code, err)
	}
	a.refreshAfterWrite(ctx)
	return nil
}

// BodyAdded tells every Authorizer that a body was created: call it right after store.CreateBody
// succeeds (after a bulk import, TreeChanged). This process learns the body at once, the others
// within ~200 ms; a grant at the body is accepted anyway, since Grant checks the database.
func (a *Authorizer) BodyAdded(ctx context.Context, b fengqiao.Body) error {
	if b.Code == "" {
		return fieldError("code", "is required")
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := bump(tx, change{kind: changeBody, v2: b.Code})
		return err
	})
	if err != nil {
		return fmt.Errorf("policy: body %s added: %w", b.Code, err)
	}
	a.refreshAfterWrite(ctx)
	return nil
}

// IsBody reports whether code names a body this process knows (a court node whose court body shares
// its code included), and its type.
func (a *Authorizer) IsBody(code string) (fengqiao.BodyType, bool) {
	_ = a.fresh()
	a.mu.RLock()
	defer a.mu.RUnlock()
	if n := a.st.rm.lookup(code); n != nil && n.body != "" {
		return n.body, true
	}
	return "", false
}

// Pruning policy_changes: the table would grow by a row per grant, revocation and node for ever. A
// process reads it only to catch up from its own version, at most 200 ms old while it runs; one that
// finds the rows it needs gone (a gap) reloads everything, as it does anyway when more than
// maxChangesPerSync changes are waiting. So rows older than ChangesKeepFor beyond the last
// maxChangesPerSync versions serve nobody: a process that far behind has been stopped or cut off from
// the database for a day, and a reload is what it does in any case.
const (
	// ChangesKeepFor is how long a recorded change is kept at least.
	ChangesKeepFor = 24 * time.Hour
	// ChangesKeepVersions is how many of the latest changes are kept whatever their age.
	ChangesKeepVersions = maxChangesPerSync
)

// PruneChanges deletes the recorded changes older than ChangesKeepFor, keeping the last
// ChangesKeepVersions, and returns how many it deleted. Any process may call it at any time (the
// worker does, once a minute); an Authorizer whose version falls before what is kept reloads in full on
// its next check.
func (a *Authorizer) PruneChanges(ctx context.Context) (int64, error) {
	return pruneChanges(ctx, a.db, time.Now().Add(-ChangesKeepFor), ChangesKeepVersions)
}

// TreeChanged tells every Authorizer to reload the whole tree and its bodies: call it after a bulk
// import of nodes or bodies (`fengqiao import`) instead of NodeAdded or BodyAdded per row.
func (a *Authorizer) TreeChanged(ctx context.Context) error {
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := bump(tx, change{kind: changeTree})
		return err
	})
	if err != nil {
		return fmt.Errorf("policy: tree changed: %w", err)
	}
	a.refreshAfterWrite(ctx)
	return nil
}

// Grants lists the roles username holds, sorted by jurisdiction then role.
func (a *Authorizer) Grants(username string) []fengqiao.Grant {
	_ = a.fresh()
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.st.rm.grants(username)
}

// Holders lists the users holding role exactly at one of codes (nodes or bodies) or at Global, sorted:
// the few candidates of a choice by name — the mediators of a case's chain, of a co-body and its seat —
// for the caller to check with CanBeAssigned. It scans the grants held in memory, never the user table.
func (a *Authorizer) Holders(role fengqiao.Role, codes ...string) []string {
	bit := roleBit(role)
	if a.fresh() != nil || bit == 0 {
		return nil
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []string
	for user, u := range a.st.rm.users {
		held := u.global&bit != 0
		for _, c := range codes {
			held = held || u.rolesAt(c)&bit != 0
		}
		if held {
			out = append(out, user)
		}
	}
	sort.Strings(out)
	return out
}

// PathOf returns the path of the node ("/330200/330203/"), and whether the node is known.
func (a *Authorizer) PathOf(code string) (string, bool) {
	_ = a.fresh()
	a.mu.RLock()
	defer a.mu.RUnlock()
	if n := a.st.rm.nodes[code]; n != nil {
		return n.path, true
	}
	return "", false
}

// Can reports whether username may do action at node, function-level: the user holds, at the node
// or at one of its ancestors (or at Global), a role with that action; or, for the actions a role holds
// anywhere (a clerk's case.open and case.resolve_on_spot), holds that role somewhere and the node
// exists. It is Casbin's Enforce(username, node, action). An unknown node is (false, nil) for everyone
// (PathOf tells the API whether to answer 404); Global or "" asks about the whole tree, which only
// Global grants cover. node may be a body's code: a body is covered by grants at it, at its seat and
// above its seat.
//
// For anything done to a case use CanOnCase: Can does not know assignees, first-contact owners or
// courts. The error is for an unknown action (a bug), an enforcer failure and ErrStale: answer 500.
func (a *Authorizer) Can(username string, action Action, node string) (bool, error) {
	if err := a.fresh(); err != nil {
		return false, err
	}
	if !action.Valid() {
		return false, fmt.Errorf("policy: unknown action %q", action)
	}
	if node == "" {
		node = Global
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if node != Global && a.st.rm.lookup(node) == nil {
		return false, nil
	}
	q := a.ask(username)
	ok := q.roles(action, node).allow != 0
	return ok && q.err == nil, q.err
}

// HasAnywhere reports whether username holds action at some node (e.g. to show a menu entry, or for
// admin.users, which concerns no node: the API may require it at Global instead). An enforcer
// failure is a no.
func (a *Authorizer) HasAnywhere(username string, action Action) bool {
	if a.fresh() != nil || !action.Valid() {
		return false
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	q := a.ask(username)
	ok := q.roles(action, anywhereDomain).allow != 0
	return ok && q.err == nil
}
