package cases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// riskKind selects which open risk an action applies to; empty: every open risk of the case.
var riskKind = Field{Name: "kind", Type: "select", Options: append([]Option{{"", "risk.all"}}, options("risk.", riskKinds()...)...)}

func riskKinds() []string {
	out := make([]string, len(fengqiao.RiskKinds))
	for i, k := range fengqiao.RiskKinds {
		out[i] = string(k)
	}
	return out
}

// RiskItem is one risk on the board: the flag, its case, how old it is. It names no party (XGTL 30).
type RiskItem struct {
	CaseID       string     `json:"case_id"`
	Number       string     `json:"number"`
	Status       string     `json:"status"`
	HandlingNode string     `json:"handling_node"`
	Kind         string     `json:"kind"`
	Severity     int        `json:"severity"`
	Since        time.Time  `json:"since"`
	AgeDays      int        `json:"age_days"`
	Owner        string     `json:"owner,omitempty"`
	ReviewAt     *time.Time `json:"review_at,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Leader       string     `json:"leader,omitempty"`
}

// Risks is the risk board (DESIGN §3 rule 9: 闭环管控) of the caller's subtree, or of node within it: the
// risks of the cases located or handled there, most severe first, then the oldest; open ones only
// unless all. Only supervisors see it (supervision.read); the read is audited.
func (s *Service) Risks(ctx context.Context, user, node string, all bool, limit int) ([]RiskItem, error) {
	var subtrees []string
	if node != "" {
		path, err := s.nodePath("node", node)
		if err != nil {
			return nil, err
		}
		if err := s.allow(ctx, user, policy.ActionSupervisionRead, node, "risks"); err != nil {
			return nil, err
		}
		subtrees = []string{path}
	} else {
		subtrees = s.SupervisedSubtrees(user)
	}
	if len(subtrees) == 0 {
		s.audit(ctx, user, string(policy.ActionSupervisionRead), "", "risks", auditDenied, "no supervising role")
		return nil, fengqiao.Errorf(fengqiao.ECodeForbidden, "only supervisors see the risk board")
	}
	rows, err := s.DB.RiskBoard(ctx, subtrees, all, limit)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, user, string(policy.ActionSupervisionRead), node, "risks", auditRead, fmt.Sprintf("%d risks", len(rows)))
	now := time.Now()
	out := make([]RiskItem, 0, len(rows))
	for _, r := range rows {
		end := now
		if r.ClosedAt != nil {
			end = *r.ClosedAt
		}
		out = append(out, RiskItem{CaseID: r.CaseID, Number: r.Number, Status: r.Status, HandlingNode: r.HandlingNode,
			Kind: r.Kind, Severity: r.Severity, Since: r.Since, AgeDays: int(end.Sub(r.Since).Hours() / 24),
			Owner: r.Owner, ReviewAt: r.ReviewAt, ClosedAt: r.ClosedAt, Leader: r.Leader})
	}
	return out, nil
}

// riskFigures are the risk figures of the subtree at path: found and closed in [from, to), the mean days
// to close, and those open now with their mean age.
func (s *Service) riskFigures(ctx context.Context, path string, from, to time.Time) (*store.RiskFigures, error) {
	var f store.RiskFigures
	var err error
	f.Raised, f.Closed, f.MeanDaysToClose, err = s.DB.RiskStats(ctx, []string{path}, from, to)
	if err != nil {
		return nil, err
	}
	open, err := s.DB.RiskBoard(ctx, []string{path}, false, 500)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var days float64
	for _, r := range open {
		days += now.Sub(r.Since).Hours() / 24
	}
	if f.Open = int64(len(open)); f.Open > 0 {
		f.OpenMeanAgeDays = days / float64(f.Open)
	}
	return &f, nil
}

// intakeRiskFacts fills the facts of other cases the intake risk rules need (rule 9), found in the
// projection by the keyed hash of the applicants' ID numbers: how many other matters they have open
// (一人多事), and how many visits they made on earlier, closed cases of the same category (重复访).
func (s *Service) intakeRiskFacts(ctx context.Context, start *workflows.StartInput) error {
	var hashes []string
	for _, p := range start.Parties {
		if p.Role == fengqiao.PartyApplicant && p.IDNumber != "" {
			hashes = append(hashes, s.Keys.Hash("id_number", p.IDNumber))
		}
	}
	if len(hashes) == 0 {
		return nil
	}
	rows, err := s.DB.ListCases(ctx, store.CaseFilter{PartyIDHashes: hashes, Limit: 500})
	if err != nil {
		return fmt.Errorf("cases: the applicants' other cases: %w", err)
	}
	for _, r := range rows {
		switch {
		case fengqiao.Status(r.Status).Open():
			start.Risk.OtherOpenMatters++
		case r.Category == start.Category:
			start.Risk.EarlierVisits += r.Visits
		}
	}
	return nil
}

// skipLevel reports whether an intake of a matter another case already handles (rule 3) is taken at a
// node above the one handling it while that case is within its deadlines: XGTL 19 — the higher level
// does not accept it again, the case stays with the level handling it. The intake itself changes
// nothing (a retried intake must not count as a visit): the clerk records the visit on the case, and
// the workflow's 越级 rule raises the flag on that visit.
func skipLevel(actor Actor, existing View) bool {
	if actor.Node == "" || actor.Node == existing.HandlingNode || existing.Deadlines.Tier.Overdue || existing.Deadlines.Statutory.Overdue {
		return false
	}
	return strings.Contains(existing.HandlingPath, "/"+actor.Node+"/")
}
