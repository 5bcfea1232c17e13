package activities

import (
	"time"

	"fengqiao"
)

// ChainNode is one node of a location's chain of ancestors (root first).
type ChainNode struct {
	Code string        `json:"code"`
	Name string        `json:"name"`
	Tier fengqiao.Tier `json:"tier"`
	Path string        `json:"path"`
}

// Party is a party of a case in plaintext; the projection encrypts the ID number and phone.
type Party struct {
	Role     fengqiao.PartyRole `json:"role"`
	Name     string             `json:"name"`
	IDNumber string             `json:"id_number,omitempty"`
	Phone    string             `json:"phone,omitempty"`
}

// Event is one timeline entry; Seq is the workflow's own sequence number for the case.
type Event struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Type   string    `json:"type"`
	Actor  string    `json:"actor"`
	Node   string    `json:"node"`
	Detail string    `json:"detail"`
}

// CaseRecord is the projected case row: the columns the API filters by.
type CaseRecord struct {
	ID               string     `json:"id"`
	Number           string     `json:"number"`
	QueryCode        string     `json:"query_code"`
	WorkflowID       string     `json:"workflow_id"`
	Kind             string     `json:"kind"`
	Category         string     `json:"category"`
	Channel          string     `json:"channel"`
	Summary          string     `json:"summary"`
	Status           string     `json:"status"`
	Tier             string     `json:"tier"`
	HandlingNode     string     `json:"handling_node"`
	HandlingPath     string     `json:"handling_path"`
	Location         string     `json:"location"`
	LocationPath     string     `json:"location_path"`
	Assignee         string     `json:"assignee"`
	FirstContactUser string     `json:"first_contact_user"`
	FirstContactNode string     `json:"first_contact_node"`
	Court            string     `json:"court"`
	TierDueAt        *time.Time `json:"tier_due_at"`
	StatutoryDueAt   *time.Time `json:"statutory_due_at"`
	AtRisk           bool       `json:"at_risk"`
	Overdue          bool       `json:"overdue"`
	Paused           bool       `json:"paused"`
	Unacknowledged   bool       `json:"unacknowledged"`
	EscalatedAt      *time.Time `json:"escalated_at"`
	AcknowledgedAt   *time.Time `json:"acknowledged_at"`
	OneVisitBreach   bool       `json:"one_visit_breach"`
	Visits           int        `json:"visits"`
	OpenedAt         time.Time  `json:"opened_at"`
	ClosedAt         *time.Time `json:"closed_at"`
	ResolvedTier     string     `json:"resolved_tier"`
	Outcome          string     `json:"outcome"`
	Satisfaction     *int       `json:"satisfaction"`
	Final            bool       `json:"final"`
	PolicyVersion    string     `json:"policy_version"`
	UpdatedSeq       int64      `json:"updated_seq"`
}

// Recipient is who a notice goes to: a user, everyone holding a role at a node, or a party (by SMS).
type Recipient struct {
	User  string        `json:"user,omitempty"`
	Role  fengqiao.Role `json:"role,omitempty"`
	Node  string        `json:"node,omitempty"`
	Party *Party        `json:"party,omitempty"`
}

// Notice is one notification; Key makes it idempotent (case, event seq, index).
type Notice struct {
	Key     string    `json:"key"`
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	To      Recipient `json:"to"`
	Urgent  bool      `json:"urgent"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
}

// Projection is everything one workflow step writes: the case row, the parties (when they changed), new
// timeline events, notices, and the matter reservation changes.
type Projection struct {
	Case    CaseRecord `json:"case"`
	Parties []Party    `json:"parties,omitempty"`
	Events  []Event    `json:"events,omitempty"`
	Notices []Notice   `json:"notices,omitempty"`
	// MatterKeys are the case's matter keys; with Release the matter rows are released (case closed),
	// with Reserve they are taken again (case reopened), with Final they are kept and marked final.
	MatterKeys []string `json:"matter_keys,omitempty"`
	Release    bool     `json:"release,omitempty"`
	Reserve    bool     `json:"reserve,omitempty"`
	Final      bool     `json:"final,omitempty"`
}

// CourtRequest hands an agreement to a court for judicial confirmation (PML 33; SPC 2011 art. 1-3).
type CourtRequest struct {
	CaseID    string    `json:"case_id"`
	Number    string    `json:"number"`
	Court     string    `json:"court"`
	Terms     string    `json:"terms"`
	Form      string    `json:"form"`
	AppliedAt time.Time `json:"applied_at"`
}
