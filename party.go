package fengqiao

import "time"

// Party is a party of a case as the intake gives it, in plaintext. It travels in the workflow's
// (encrypted) payloads; the projection seals the ID number and phone and shows them masked.
type Party struct {
	Role     PartyRole `json:"role"`
	Name     string    `json:"name"`
	IDNumber string    `json:"id_number,omitempty"`
	Phone    string    `json:"phone,omitempty"`
}

// ChainNode is one node of a location's chain of ancestors (root first): where a case may be handled.
type ChainNode struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Tier Tier   `json:"tier"`
	Path string `json:"path"`
	// Body is the body that mediates at this node on the dispute ladder (its committee, the county
	// centre); nil on a chain resolved before bodies existed (the node then acts as its own committee).
	Body *BodyRef `json:"body,omitempty"`
}

// Case is a case as it is projected and listed: the one record the workflow publishes after each step,
// the database keeps (store.CaseRow), and lists and boards read. The workflow's own state and the full
// view a case page shows (workflows.CaseView) are richer; this is what every reader outside the
// workflow shares.
type Case struct {
	ID           string `json:"id"`
	Number       string `json:"number"`
	QueryCode    string `json:"query_code"`
	WorkflowID   string `json:"workflow_id"`
	Kind         string `json:"kind"`
	Category     string `json:"category"`
	Channel      string `json:"channel"`
	Summary      string `json:"summary"`
	Status       string `json:"status"`
	Tier         string `json:"tier"`
	HandlingNode string `json:"handling_node"`
	HandlingPath string `json:"handling_path"`
	// HandlingBody is the code of the body that handles the case (its name and type beside it); empty
	// on a case opened before bodies, which its handling node handles as its own committee.
	HandlingBody     string `json:"handling_body"`
	HandlingBodyName string `json:"handling_body_name"`
	HandlingBodyType string `json:"handling_body_type"`
	// CoBodies are the co-handling bodies of a joint mediation, comma-wrapped (",a,b,").
	CoBodies         string     `json:"co_bodies"`
	Location         string     `json:"location"`
	LocationPath     string     `json:"location_path"`
	Assignee         string     `json:"assignee"`
	FirstContactUser string     `json:"first_contact_user"`
	FirstContactNode string     `json:"first_contact_node"`
	Court            string     `json:"court"`
	TierDueAt        *time.Time `json:"tier_due_at"`
	StatutoryDueAt   *time.Time `json:"statutory_due_at"`
	// NextDueAt is the nearest other running clock — the parties' window to apply to the court, the
	// court's acceptance or decision, the performance check, a review window — of kind NextDueKind.
	NextDueAt      *time.Time `json:"next_due_at,omitempty"`
	NextDueKind    string     `json:"next_due_kind,omitempty"`
	AtRisk         bool       `json:"at_risk"`
	Overdue        bool       `json:"overdue"`
	Paused         bool       `json:"paused"`
	Unacknowledged bool       `json:"unacknowledged"`
	EscalatedAt    *time.Time `json:"escalated_at"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	OneVisitBreach bool       `json:"one_visit_breach"`
	Visits         int        `json:"visits"`
	OpenedAt       time.Time  `json:"opened_at"`
	ClosedAt       *time.Time `json:"closed_at"`
	ResolvedTier   string     `json:"resolved_tier"`
	Outcome        string     `json:"outcome"`
	// OutcomeCode is the kind of outcome in clear, what statistics count by (the outcome is free text,
	// kept sealed): resolved (an agreement was reached), resolved_on_spot, terminated, withdrawn,
	// mediation_refused, answered, final_after_review, referred_out, other; "" while open.
	OutcomeCode   string `json:"outcome_code"`
	Satisfaction  *int   `json:"satisfaction"`
	Final         bool   `json:"final"`
	PolicyVersion string `json:"policy_version"`
	UpdatedSeq    int64  `json:"updated_seq"`
}
