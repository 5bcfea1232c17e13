package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
)

// Risks caught early and closed in a loop (DESIGN §3 rule 9: 除险保安, 风险预警, 闭环管控), and leaders who
// take a case (领导包案). Rules raise a flag at intake (group, repeat, several matters), on a visit
// (repeat, 越级) and by time (积案); staff mark signs of violence or extreme acts with a reason. A
// violence flag is reported at once to the police (PML 25) and the supervisor; a major one is reported
// one level up at once (XGTL 25). Each flag has an owner, a plan and a review date, and leaves the board
// only when closed with a reason (销号).

// The risk and leader updates.
const (
	UpdateRiskMark     = "risk-mark"     // staff record signs of violence / extreme acts, or mark a group matter, with a reason
	UpdateRiskOwner    = "risk-owner"    // a supervisor names who owns the case's open risks
	UpdateRiskPlan     = "risk-plan"     // a measure of the plan (稳控/化解) and the next review date
	UpdateRiskClose    = "risk-close"    // close a risk with a reason (销号)
	UpdateTakeCase     = "take-case"     // a supervisor takes the case personally (领导包案)
	UpdateLeaderReport = "leader-report" // the leader who took the case reports progress
)

// NoticePoliceReport is the kind of the notice that reports a violence risk to the police (PML 25).
// The tree has no police bodies yet: the notice goes to the role "police" (派出所) at the township of
// the case's location, the level where a 派出所 sits.
const NoticePoliceReport = "police_report"

// RolePolice is the recipient role of a police report (派出所).
const RolePolice fengqiao.Role = "police"

// Leader is the supervisor who took a case personally (领导包案) and when progress is next due.
type Leader struct {
	User     string     `json:"user"`
	Node     string     `json:"node"`
	Since    time.Time  `json:"since"`
	Reason   string     `json:"reason"`
	ReportBy time.Time  `json:"report_by"`
	Reported *time.Time `json:"reported_at,omitempty"`
	// Reminded: the report is overdue and the leader and the supervisors above were told.
	Reminded bool `json:"reminded,omitempty"`
}

// RiskIntake are the facts about other cases the cases service finds at intake; the workflow cannot
// know them itself.
type RiskIntake struct {
	// Group: staff marked the matter as a group matter (群体性) whatever the number of parties.
	Group bool `json:"group,omitempty"`
	// OtherOpenMatters is how many other open cases the applicants have.
	OtherOpenMatters int `json:"other_open_matters,omitempty"`
	// EarlierVisits is how many visits the applicants made on the same matter in earlier cases.
	EarlierVisits int `json:"earlier_visits,omitempty"`
}

// RiskMarkArgs records signs of violence or extreme acts (a box ticked with a reason; never guessed
// from text), or marks a group matter.
type RiskMarkArgs struct {
	Violence bool   `json:"violence"`
	Group    bool   `json:"group"`
	Reason   string `json:"reason"`
}

// RiskOwnerArgs names the owner of the case's open risk of Kind, or of every open risk when Kind is "".
type RiskOwnerArgs struct {
	Kind  fengqiao.RiskKind `json:"kind,omitempty"`
	Owner string            `json:"owner"`
}

// RiskPlanArgs adds a measure (稳控/化解) to the plan of the open risk of Kind ("" : every open risk)
// and sets the next review date.
type RiskPlanArgs struct {
	Kind     fengqiao.RiskKind `json:"kind,omitempty"`
	Measure  string            `json:"measure"`
	ReviewAt time.Time         `json:"review_at,omitempty"` // zero: unchanged
}

// RiskCloseArgs closes the open risk of Kind with a reason (销号).
type RiskCloseArgs struct {
	Kind   fengqiao.RiskKind `json:"kind"`
	Reason string            `json:"reason"`
}

// TakeCaseArgs is a supervisor's taking of a case (领导包案).
type TakeCaseArgs struct {
	Reason string `json:"reason"`
}

// LeaderReportArgs is the leader's progress report.
type LeaderReportArgs struct {
	Note string `json:"note"`
}

// riskVersion asks, once per run at its start, whether the run follows the risk rules: runs recorded
// before them replay without (their visits, intakes and wake-ups unchanged).
func (s *caseState) riskVersion(ctx workflow.Context) {
	s.riskRules = workflow.GetVersion(ctx, "risk-rules", workflow.DefaultVersion, 1) >= 1
}

func (s *caseState) openRisk(kind fengqiao.RiskKind) *fengqiao.Risk {
	for i := range s.Risks {
		if s.Risks[i].Kind == kind && s.Risks[i].Open() {
			return &s.Risks[i]
		}
	}
	return nil
}

func (s *caseState) everRaised(kind fengqiao.RiskKind) bool {
	for _, r := range s.Risks {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

// raiseRisk puts a flag on the case unless one of its kind is open, records it on the timeline and
// reports it: a violence risk to the police of the location and the supervisor (PML 25), a major risk
// one level up as well (XGTL 25), any other to the handling node's supervisors.
//
// reason is the rule's finding as the risk board shows it; a person's words are the event's detail
// (written), the rule's findings its facts (name, value pairs: "variant" picks the sentence).
func (s *caseState) raiseRisk(now time.Time, a Actor, kind fengqiao.RiskKind, reason, written string, more ...string) {
	if s.openRisk(kind) != nil {
		return
	}
	r := fengqiao.Risk{Kind: kind, Severity: kind.Severity(), Since: now, Reason: reason}
	if s.Leader != nil {
		r.Owner = s.Leader.User
	}
	s.Risks = append(s.Risks, r)
	s.risksDirty = true
	args := facts{"risk": string(kind)}
	for i := 0; i+1 < len(more); i += 2 {
		args[more[i]] = more[i+1]
	}
	s.eventWith(now, "risk_raised", a, written, args)
	subject := fmt.Sprintf("风险预警 %s：%s", s.Number, riskLabel(kind))
	here := s.supervisors(s.node().Code)
	if kind == fengqiao.RiskViolence {
		s.notify(NoticePoliceReport, true, "治安风险报告（派出所） "+s.Number,
			"调解中发现纠纷可能激化、可能引起治安或刑事案件，依人民调解法第二十五条报告："+reason,
			activities.Recipient{Role: RolePolice, Node: s.policeNode()})
	}
	if kind.Severity() >= 3 {
		to := []activities.Recipient{here}
		if up, ok := NextTierUp(s.Chain, s.Handling); ok {
			to = append(to, s.supervisors(s.Chain[up].Code))
		}
		s.notify("risk_major", true, subject, "重大、紧急事项，及时报告（信访工作条例第二十五条）", to...)
		return
	}
	s.notify("risk", false, subject, "请确定责任人并制定稳控化解措施", here)
}

// policeNode is where the police report goes: the township (镇/街道, where a 派出所 sits) of the
// case's location, else the handling node.
func (s *caseState) policeNode() string {
	for i := len(s.Chain) - 1; i >= 0; i-- {
		if s.Chain[i].Tier == fengqiao.TierTownship {
			return s.Chain[i].Code
		}
	}
	return s.node().Code
}

func riskLabel(k fengqiao.RiskKind) string {
	switch k {
	case fengqiao.RiskGroup:
		return "群体性"
	case fengqiao.RiskRepeat:
		return "重复访"
	case fengqiao.RiskSkipLevel:
		return "越级"
	case fengqiao.RiskStale:
		return "积案"
	case fengqiao.RiskSeveralMatters:
		return "一人多事"
	case fengqiao.RiskViolence:
		return "暴力/极端苗头"
	}
	return string(k)
}

// intakeRisks applies the intake rules: a group matter (at least risk.group_size people, or marked),
// repeated visits on the same matter before this case, other open matters of the same person.
func (s *caseState) intakeRisks(now time.Time, in StartInput) {
	if !s.riskRules {
		return
	}
	by := s.FirstContact
	pol := s.Policy.Risks()
	people := 0
	for _, p := range s.Parties {
		if p.Role != fengqiao.PartyRespondent {
			people++
		}
	}
	if people >= pol.GroupSize || in.Risk.Group {
		s.raiseRisk(now, by, fengqiao.RiskGroup, fmt.Sprintf("%d 人反映同一事项（群体性标准 %d 人）", people, pol.GroupSize), "",
			"variant", "group", "people", strconv.Itoa(people), "group_size", strconv.Itoa(pol.GroupSize))
	}
	if in.Risk.EarlierVisits >= pol.RepeatVisits {
		s.raiseRisk(now, by, fengqiao.RiskRepeat, fmt.Sprintf("同一事项此前已来访 %d 次", in.Risk.EarlierVisits), "",
			"variant", "earlier_visits", "count", strconv.Itoa(in.Risk.EarlierVisits))
	}
	if in.Risk.OtherOpenMatters > 0 {
		s.raiseRisk(now, by, fengqiao.RiskSeveralMatters, fmt.Sprintf("另有 %d 件在办事项", in.Risk.OtherOpenMatters), "",
			"variant", "other_matters", "count", strconv.Itoa(in.Risk.OtherOpenMatters))
	}
}

// visitRisks applies the rules of a repeat contact: repeated visits (at least risk.repeat_visits after
// the first), and 越级 — received at a level above the one handling the case while that level is still
// within its deadline (XGTL 19: the higher level does not accept it; the case stays where it is). A
// visit received by a leader is recorded with that leader (领导接访).
func (s *caseState) visitRisks(now time.Time, a Actor, in VisitArgs) {
	if !s.riskRules {
		return
	}
	if in.ReceivedBy != "" {
		s.Visits[len(s.Visits)-1].Leader = in.ReceivedBy
	}
	pol := s.Policy.Risks()
	if repeats := len(s.Visits) - 1; repeats >= pol.RepeatVisits {
		s.raiseRisk(now, a, fengqiao.RiskRepeat, fmt.Sprintf("第 %d 次来访", len(s.Visits)), "",
			"variant", "visits", "count", strconv.Itoa(len(s.Visits)))
	}
	if i := chainIndex(s.Chain, a.Node); i >= 0 && i < s.Handling && !s.TierOverdue && !s.StatOverdue {
		s.raiseRisk(now, a, fengqiao.RiskSkipLevel, fmt.Sprintf("在 %s 反映，%s 正在办理且未超期，仍由 %s 办理（信访工作条例第十九条）",
			s.Chain[i].Name, s.node().Name, s.node().Name), "",
			"variant", "skip_level", "at", s.Chain[i].Code, "at_name", s.Chain[i].Name, "node", s.node().Code, "body_name", s.node().Name)
	}
}

// staleRule raises the 积案 flag when a case has been open longer than risk.stale.
var staleRule = timedRule{
	name:  "risk_stale",
	basis: "rule 9: a case open longer than the policy's risk.stale is a backlog case (积案)",
	due: func(s *caseState, now time.Time) (time.Time, bool) {
		if !s.riskRules || !s.Status.Open() || s.everRaised(fengqiao.RiskStale) {
			return time.Time{}, false
		}
		return s.Calendar.Due(s.OpenedAt, s.Policy.Risks().Stale), true
	},
	apply: func(s *caseState, now time.Time, by Actor) {
		s.raiseRisk(now, by, fengqiao.RiskStale, "立案至今超过"+s.Policy.Risks().Stale.Chinese(), "",
			"variant", "stale", "opened_at", s.OpenedAt.Format(time.RFC3339))
	},
}

// leaderReportRule reminds a leader who took a case that a progress report is due, and tells the
// supervisors above.
var leaderReportRule = timedRule{
	name:  "leader_report_due",
	basis: "rule 9: a leader who took a case (包案) reports progress every risk.leader_report",
	due: func(s *caseState, now time.Time) (time.Time, bool) {
		if s.Leader == nil || s.Leader.Reminded || !s.Status.Open() {
			return time.Time{}, false
		}
		return s.Leader.ReportBy, true
	},
	apply: func(s *caseState, now time.Time, by Actor) {
		s.Leader.Reminded = true
		s.eventWith(now, "leader_report_due", by, "", facts{"leader": s.Leader.User})
		s.notify("leader_report_due", true, "包案进展报告到期 "+s.Number, "请报告化解进展",
			activities.Recipient{User: s.Leader.User}, s.supervisors(s.Leader.Node))
	},
}

func riskKindOK(k fengqiao.RiskKind, emptyOK bool) error {
	if (k == "" && emptyOK) || k.Valid() {
		return nil
	}
	return invalid("kind", "must be one of violence, group, skip_level, repeat, stale, several_matters")
}

// selectRisks returns the open risks of kind ("": every open one).
func (s *caseState) selectRisks(kind fengqiao.RiskKind) []*fengqiao.Risk {
	var out []*fengqiao.Risk
	for i := range s.Risks {
		if s.Risks[i].Open() && (kind == "" || s.Risks[i].Kind == kind) {
			out = append(out, &s.Risks[i])
		}
	}
	return out
}

func hasOpenRisk(s *caseState, now time.Time) error {
	if len(s.selectRisks("")) == 0 {
		return refuse(fengqiao.ECodeNotAllowed, "the case has no open risk")
	}
	return nil
}

// ownerOrSupervisor: the risk's owner, the leader who took the case, or a supervisor over it.
func (s *caseState) ownerOrSupervisor(a Actor, kind fengqiao.RiskKind, what string) error {
	if s.isSupervisorOver(a) || (s.Leader != nil && s.Leader.User == a.Username) {
		return nil
	}
	rs := s.selectRisks(kind)
	for _, r := range rs {
		if r.Owner != a.Username {
			return forbid("only the risk's owner or a supervisor over %s may %s", s.node().Code, what)
		}
	}
	if len(rs) == 0 {
		return refuse(fengqiao.ECodeNotAllowed, "no open %s risk", kind)
	}
	return nil
}

var riskMarkAction = action[RiskMarkArgs]{
	name:  UpdateRiskMark,
	state: whileOpen,
	check: func(s *caseState, now time.Time, a Actor, in RiskMarkArgs) error {
		if !in.Violence && !in.Group {
			return invalid("violence", "tick violence or group")
		}
		if err := required("reason", in.Reason); err != nil {
			return err
		}
		switch a.Role {
		case fengqiao.RoleAuditor, fengqiao.RoleAdmin, fengqiao.RoleCourtOfficer:
			return forbid("a %s does not record risks", a.Role)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in RiskMarkArgs) {
		if in.Violence {
			s.raiseRisk(now, a, fengqiao.RiskViolence, strings.TrimSpace(in.Reason), strings.TrimSpace(in.Reason))
		}
		if in.Group {
			s.raiseRisk(now, a, fengqiao.RiskGroup, strings.TrimSpace(in.Reason), strings.TrimSpace(in.Reason))
		}
	},
}

var riskOwnerAction = action[RiskOwnerArgs]{
	name:  UpdateRiskOwner,
	state: hasOpenRisk,
	check: func(s *caseState, now time.Time, a Actor, in RiskOwnerArgs) error {
		if err := all(riskKindOK(in.Kind, true), required("owner", in.Owner)); err != nil {
			return err
		}
		if len(s.selectRisks(in.Kind)) == 0 {
			return refuse(fengqiao.ECodeNotAllowed, "no open %s risk", in.Kind)
		}
		if !s.isSupervisorOver(a) {
			return forbid("only a supervisor over %s names a risk's owner", s.node().Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in RiskOwnerArgs) {
		for _, r := range s.selectRisks(in.Kind) {
			r.Owner = in.Owner
			s.eventWith(now, "risk_owner", a, "", facts{"risk": string(r.Kind), "user": in.Owner})
		}
		s.risksDirty = true
		s.notify("risk_owner", false, "风险责任 "+s.Number, "您已被确定为风险责任人", activities.Recipient{User: in.Owner})
	},
}

var riskPlanAction = action[RiskPlanArgs]{
	name:  UpdateRiskPlan,
	state: hasOpenRisk,
	check: func(s *caseState, now time.Time, a Actor, in RiskPlanArgs) error {
		if err := all(riskKindOK(in.Kind, true), required("measure", in.Measure)); err != nil {
			return err
		}
		if !in.ReviewAt.IsZero() && !in.ReviewAt.After(now) {
			return invalid("review_at", "must be in the future")
		}
		return s.ownerOrSupervisor(a, in.Kind, "record a measure")
	},
	apply: func(s *caseState, now time.Time, a Actor, in RiskPlanArgs) {
		for _, r := range s.selectRisks(in.Kind) {
			r.Plan = append(r.Plan, fengqiao.RiskStep{At: now, By: a.Username, Measure: strings.TrimSpace(in.Measure)})
			if !in.ReviewAt.IsZero() {
				at := in.ReviewAt.UTC()
				r.ReviewAt = &at
			}
			s.eventWith(now, "risk_plan", a, strings.TrimSpace(in.Measure), facts{"risk": string(r.Kind)})
		}
		s.risksDirty = true
	},
}

var riskCloseAction = action[RiskCloseArgs]{
	name:  UpdateRiskClose,
	state: hasOpenRisk,
	check: func(s *caseState, now time.Time, a Actor, in RiskCloseArgs) error {
		if err := all(riskKindOK(in.Kind, false), required("reason", in.Reason)); err != nil {
			return err
		}
		if s.openRisk(in.Kind) == nil {
			return refuse(fengqiao.ECodeNotAllowed, "no open %s risk", in.Kind)
		}
		return s.ownerOrSupervisor(a, in.Kind, "close a risk")
	},
	apply: func(s *caseState, now time.Time, a Actor, in RiskCloseArgs) {
		r := s.openRisk(in.Kind)
		r.ClosedAt, r.ClosedBy, r.Closing = &now, a.Username, strings.TrimSpace(in.Reason)
		s.risksDirty = true
		s.eventWith(now, "risk_closed", a, r.Closing, facts{"risk": string(r.Kind)})
	},
}

var takeCaseAction = action[TakeCaseArgs]{
	name: UpdateTakeCase,
	state: func(s *caseState, now time.Time) error {
		if err := whileOpen(s, now); err != nil {
			return err
		}
		if s.Leader != nil {
			return refuse(fengqiao.ECodeNotAllowed, "the case is already taken by %s (包案)", s.Leader.User)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in TakeCaseArgs) error {
		if err := required("reason", in.Reason); err != nil {
			return err
		}
		if !s.isSupervisorOver(a) {
			return forbid("only a supervisor over %s may take the case (包案)", s.node().Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in TakeCaseArgs) {
		s.Leader = &Leader{User: a.Username, Node: a.Node, Since: now, Reason: strings.TrimSpace(in.Reason),
			ReportBy: s.Calendar.Due(now, s.Policy.Risks().LeaderReport)}
		for _, r := range s.selectRisks("") {
			if r.Owner == "" {
				r.Owner = a.Username
			}
		}
		s.risksDirty = true
		s.eventWith(now, "leader_took_case", a, strings.TrimSpace(in.Reason), facts{"leader": a.Username})
		s.notify("leader_took_case", false, "领导包案 "+s.Number, "包案领导："+a.Username, s.assignee(), s.supervisors(s.node().Code))
	},
}

var leaderReportAction = action[LeaderReportArgs]{
	name: UpdateLeaderReport,
	state: func(s *caseState, now time.Time) error {
		if err := whileOpen(s, now); err != nil {
			return err
		}
		if s.Leader == nil {
			return refuse(fengqiao.ECodeNotAllowed, "no leader has taken the case")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in LeaderReportArgs) error {
		if err := required("note", in.Note); err != nil {
			return err
		}
		if a.Username != s.Leader.User {
			return forbid("only the leader who took the case (%s) reports its progress", s.Leader.User)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in LeaderReportArgs) {
		s.Leader.Reported, s.Leader.Reminded = &now, false
		s.Leader.ReportBy = s.Calendar.Due(now, s.Policy.Risks().LeaderReport)
		s.risksDirty = true
		s.eventWith(now, "leader_report", a, strings.TrimSpace(in.Note), facts{"leader": a.Username})
	},
}

// riskView adds the flags and the leader to the case's view.
func (s *caseState) riskView(v *CaseView) {
	v.Risks = append([]fengqiao.Risk{}, s.Risks...)
	if s.Leader != nil {
		l := *s.Leader
		v.Leader = &l
	}
}

// riskProjection is what the projection writes of the risks: every flag, with the leader if any.
func (s *caseState) riskProjection(p *activities.Projection) {
	if !s.risksDirty {
		return
	}
	s.risksDirty = false
	p.Risks = &activities.Risks{Risks: append([]fengqiao.Risk{}, s.Risks...)}
	if s.Leader != nil {
		p.Risks.Leader = s.Leader.User
	}
}
