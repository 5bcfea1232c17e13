package fengqiao

// Role is what a staff member may do; a role is granted at a node, covering that node's subtree and the
// bodies seated in it, or at a body, covering that body's cases (DESIGN.md §4).
type Role string

// The roles of DESIGN.md §4.
const (
	RoleGridWorker   Role = "grid_worker"   // 网格员: opens cases in their grid, resolves on the spot
	RoleClerk        Role = "clerk"         // 受理员: opens cases anywhere (first contact), routes, records visits
	RoleMediator     Role = "mediator"      // 调解员: acts on cases assigned to them
	RoleSupervisor   Role = "supervisor"    // 督办: reads the subtree, assigns, escalates, acknowledges
	RoleHandler      Role = "handler"       // 承办人: an agency's staff handling petitions assigned to it
	RoleCourtOfficer Role = "court_officer" // 法院: rules on confirmation requests sent to their court
	RoleAuditor      Role = "auditor"       // 审计: reads cases and the audit log
	RoleAdmin        Role = "admin"         // 管理员: jurisdictions, staff, grants, calendars, policy
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleGridWorker, RoleClerk, RoleMediator, RoleHandler, RoleSupervisor, RoleCourtOfficer, RoleAuditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleGridWorker:
		return "网格员"
	case RoleClerk:
		return "受理员"
	case RoleMediator:
		return "调解员"
	case RoleHandler:
		return "承办人"
	case RoleSupervisor:
		return "督办"
	case RoleCourtOfficer:
		return "法院司法确认"
	case RoleAuditor:
		return "审计员"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// Grant is a role held at a node or at a body (Node is then the body's code).
type Grant struct {
	Username string `json:"username"`
	Role     Role   `json:"role"`
	Node     string `json:"jurisdiction"`
}

// User is a staff account as clients see it (never its password hash).
type User struct {
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	PhoneMasked string  `json:"phone_masked,omitempty"`
	Disabled    bool    `json:"disabled"`
	Grants      []Grant `json:"roles"`
}
