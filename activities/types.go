package activities

import (
	"time"

	"fengqiao"
)

// Event is one timeline entry; Seq is the workflow's own sequence number for the case.
type Event struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Type   string    `json:"type"`
	Actor  string    `json:"actor"`
	Node   string    `json:"node"`
	Detail string    `json:"detail"`
	// Args are the facts the event names (body, tier, dates, decision) for rendering per language;
	// Detail keeps only what a person wrote.
	Args map[string]string `json:"args"`
}

// Recipient is who a notice goes to: a user, everyone holding a role at a node, or a party (by SMS).
type Recipient struct {
	User  string          `json:"user,omitempty"`
	Role  fengqiao.Role   `json:"role,omitempty"`
	Node  string          `json:"node,omitempty"`
	Party *fengqiao.Party `json:"party,omitempty"`
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
	Case    fengqiao.Case    `json:"case"`
	Parties []fengqiao.Party `json:"parties,omitempty"`
	Events  []Event          `json:"events,omitempty"`
	Notices []Notice         `json:"notices,omitempty"`
	// MatterKeys are the case's matter keys; with Release the matter rows are released (case closed),
	// with Reserve they are taken again (case reopened), with Final they are kept and marked final.
	MatterKeys []string `json:"matter_keys,omitempty"`
	Release    bool     `json:"release,omitempty"`
	Reserve    bool     `json:"reserve,omitempty"`
	Final      bool     `json:"final,omitempty"`
	// Risks, when set, replace the case's risk flags (DESIGN §3 rule 9); nil leaves them as they are.
	Risks *Risks `json:"risks,omitempty"`
}

// Risks are a case's risk flags, open and closed, and the leader who took the case (领导包案), if any.
type Risks struct {
	Risks  []fengqiao.Risk `json:"risks"`
	Leader string          `json:"leader,omitempty"`
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
