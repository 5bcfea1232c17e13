// Package policy decides who may do what, where: jurisdiction-aware authorization on Casbin.
//
// Roles (fengqiao.Role) are granted at a node of the jurisdiction tree and cover that node's whole
// subtree; a grant at Global ("*") covers the whole tree. The Casbin model (model.conf, embedded)
// has role-level permissions `p, role, action, scope`, seeded from code, and grant links
// `g, user, role, node`, both stored through the Casbin GORM adapter in the application database
// (table casbin_rule). Casbin's enforcer decides: every allow or deny that rests on a role permission
// is Enforce(user, node, action, role) on those rules, so a p rule changed in the database changes the
// decisions once the Authorizer reloads. Subtree coverage is an ancestor lookup in a tree-aware role
// manager, not one rule per node nor domain pattern matching, and answers are cached until the policy
// version moves, so a repeated decision stays under a microsecond and a first one takes tens of
// microseconds for a city of ~73,000 nodes and 100,000 grants.
//
// The Authorizer answers function-level questions at a node (Can), object-level questions on a case
// (CanOnCase: location, handling node, first-contact owner, assignee, court; the rules choose which
// node and role to ask Casbin about), which subtrees a user may read (ReadableSubtrees, ReadScope,
// for SQL filters), and whether a user may see who complained (MaySeeComplainant, XGTL 30). Grants, revocations and new nodes are written in one transaction with
// a bump of the policy_version row, which every Authorizer sharing the database checks before
// decisions (at most every 200 ms), so a change takes effect on every `serve` process at once; each
// empties its decision cache when it applies one.
//
// What the API wires: New once per process after store.Open; Grant/Revoke from the grant endpoints
// (after Can(caller, ActionAdminGrants, node)); NodeAdded after every store.CreateNode and
// TreeChanged after a bulk import; Grant(ctx, "admin", fengqiao.RoleAdmin, Global) for the bootstrap
// admin; CanOnCase on every case read and action (404 when !Visible, 403 when !Allowed, 500 on error)
// and ReadScope in list queries (by location, handling, court and first-contact node paths, and the
// caller's own first-contact and assigned cases); CanBeAssigned for the mediator named in an assign.
//
// Tables: casbin_rule (the GORM adapter's layout), policy_version and policy_changes, created by New
// when missing; the store's migrations do not own them.
package policy
