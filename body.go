package fengqiao

import "context"

// BodyType is what a body (机构) on the tree does (DESIGN.md §1, "条").
type BodyType string

// The body types of DESIGN.md §1.
const (
	BodyCommittee      BodyType = "committee"       // 人民调解委员会 (PML 8)
	BodyProfessional   BodyType = "professional"    // 行业性专业性调解组织 (医调委, 交调委, ...)
	BodyCenter         BodyType = "center"          // 矛调中心 / 综合信息指挥室
	BodyAgency         BodyType = "agency"          // 行政机关 / 职能部门 (petitions' competent organ)
	BodyPetitionOffice BodyType = "petition_office" // 信访工作机构 (XGTL 22)
	BodyCourt          BodyType = "court"           // 人民法院 / 人民法庭
	BodyArbitration    BodyType = "arbitration"     // 劳动人事争议仲裁委员会
	BodyNotary         BodyType = "notary"          // 公证处
	BodyPolice         BodyType = "police"          // 派出所
)

// BodyTypes lists every body type in a stable order.
var BodyTypes = []BodyType{BodyCommittee, BodyProfessional, BodyCenter, BodyAgency, BodyPetitionOffice,
	BodyCourt, BodyArbitration, BodyNotary, BodyPolice}

// Valid reports whether t is a known body type.
func (t BodyType) Valid() bool {
	for _, v := range BodyTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Label is the body type's Chinese name.
func (t BodyType) Label() string {
	switch t {
	case BodyCommittee:
		return "人民调解委员会"
	case BodyProfessional:
		return "行业性专业性调解组织"
	case BodyCenter:
		return "矛盾纠纷调处化解中心"
	case BodyAgency:
		return "行政机关"
	case BodyPetitionOffice:
		return "信访工作机构"
	case BodyCourt:
		return "人民法院"
	case BodyArbitration:
		return "劳动人事争议仲裁委员会"
	case BodyNotary:
		return "公证处"
	case BodyPolice:
		return "公安派出所"
	}
	return string(t)
}

// Mediates reports whether a body of this type runs mediation itself (people's, professional, joint or
// administrative mediation).
func (t BodyType) Mediates() bool {
	switch t {
	case BodyCommittee, BodyProfessional, BodyCenter, BodyAgency:
		return true
	}
	return false
}

// Body is a body seated at a node of the tree. Fields name the matters a professional committee or an
// agency is competent for (categories such as "medical", "traffic", "labour"); Superior is, for an
// agency, the code of its superior organ (上一级行政机关): 复查 and 复核 follow that line (XGTL 35-36).
type Body struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Type     BodyType `json:"type"`
	Node     string   `json:"node"`      // the seat
	NodePath string   `json:"node_path"` // the seat's path, "/330200/330203/"
	Fields   []string `json:"fields,omitempty"`
	Superior string   `json:"superior,omitempty"`
	// Implicit marks the committee a node without an explicit one acts as (DESIGN.md §1): it is never
	// stored, its code is the node's.
	Implicit bool `json:"implicit,omitempty"`
}

// Ref is what a case carries of the body.
func (b Body) Ref() BodyRef { return BodyRef{Code: b.Code, Name: b.Name, Type: b.Type, Node: b.Node} }

// HasField reports whether the body is competent for the field (a body without fields takes any).
func (b Body) HasField(field string) bool {
	if len(b.Fields) == 0 || field == "" {
		return true
	}
	for _, f := range b.Fields {
		if f == field {
			return true
		}
	}
	return false
}

// BodyRef names a body on a case (the handling body, a co-body, the court, the competent agency).
type BodyRef struct {
	Code string   `json:"code"`
	Name string   `json:"name"`
	Type BodyType `json:"type"`
	Node string   `json:"node,omitempty"`
}

// IsZero reports whether no body is named.
func (r BodyRef) IsZero() bool { return r.Code == "" }

// BodyFilter selects bodies; empty fields match anything. Under matches bodies seated in a subtree
// (a node path prefix).
type BodyFilter struct {
	Node  string
	Under string
	Type  BodyType
	Field string
}

// BodyDirectory is where the use cases look bodies up (store.DB implements it).
type BodyDirectory interface {
	// Body returns the body with the code, or a not-found error (store.ErrNotFound).
	Body(ctx context.Context, code string) (Body, error)
	// Bodies lists the bodies matching the filter, ordered by code.
	Bodies(ctx context.Context, f BodyFilter) ([]Body, error)
}

// Route is where the routing table sends a new case (DESIGN.md §2): the body that takes it, the tier of
// its seat, and the rule that chose it. Then names the body type a failure goes on to (a failed labour
// mediation goes to arbitration).
type Route struct {
	Rule     int      `json:"rule"`      // index of the chosen rule in the policy's routing table
	RuleText string   `json:"rule_text"` // the rule as written, for the preview and the timeline
	Body     BodyRef  `json:"body"`
	Tier     Tier     `json:"tier"`
	Then     BodyType `json:"then,omitempty"`
}
