package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
)

// Carried is the whole state of a case. It is what a continue-as-new carries to the next run.
type Carried struct {
	Intake

	Chain    []fengqiao.ChainNode `json:"chain"` // root first; the location is last
	Calendar *deadline.Calendar   `json:"calendar"`
	Handling int                  `json:"handling"` // index in Chain of the handling node
	// Body is the handling body; Route is where the routing table sent the case at intake. Both nil on a
	// case opened before routing (its handling node handles it as its own committee).
	Body  *fengqiao.BodyRef `json:"body,omitempty"`
	Route *fengqiao.Route   `json:"route,omitempty"`

	Status        fengqiao.Status `json:"status"`
	SuspendedFrom fengqiao.Status `json:"suspended_from,omitempty"`
	Assignee      string          `json:"assignee,omitempty"`
	Consent       map[string]bool `json:"consent,omitempty"`
	FailedAttempt bool            `json:"failed_attempt,omitempty"`

	TierStart      time.Time     `json:"tier_start"`
	TierExtendDays int           `json:"tier_extend_days,omitempty"`
	StatStart      time.Time     `json:"stat_start"`
	StatExtendDays int           `json:"stat_extend_days,omitempty"`
	Pauses         []PauseRecord `json:"pauses,omitempty"`
	PausedSince    *time.Time    `json:"paused_since,omitempty"`
	PauseReason    string        `json:"pause_reason,omitempty"`
	PauseGround    string        `json:"pause_ground,omitempty"`
	PauseTierOnly  bool          `json:"pause_tier_only,omitempty"` // the open pause stops the tier clock only
	TierAtRisk     bool          `json:"tier_at_risk,omitempty"`
	TierOverdue    bool          `json:"tier_overdue,omitempty"`
	StatAtRisk     bool          `json:"stat_at_risk,omitempty"`
	StatOverdue    bool          `json:"stat_overdue,omitempty"`

	Unack       bool       `json:"unack,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	AckedAt     *time.Time `json:"acked_at,omitempty"`
	Reported    bool       `json:"reported,omitempty"`

	Visits []Visit `json:"visits"`
	Breach bool    `json:"breach,omitempty"`

	Risks  []fengqiao.Risk `json:"risks,omitempty"`  // risk flags (rule 9), see risk.go
	Leader *Leader         `json:"leader,omitempty"` // 领导包案

	Agreement       *Agreement    `json:"agreement,omitempty"`
	PerformReminded bool          `json:"perform_reminded,omitempty"`
	Confirmation    *Confirmation `json:"confirmation,omitempty"`
	Petition        *Petition     `json:"petition,omitempty"`

	// The dispute track's bodies (joint.go, referral.go): the co-bodies of a joint mediation, the body
	// the case was handed to, the entrusting court of a court referral, the labour arbitration body, and
	// whether a refusal of mediation holds on reopening (version 1 of "dispute-tracks").
	CoBodies    []CoBody          `json:"co_bodies,omitempty"`
	HandedTo    *fengqiao.BodyRef `json:"handed_to,omitempty"`
	Referral    *Referral         `json:"referral,omitempty"`
	Arbitration *fengqiao.BodyRef `json:"arbitration,omitempty"`
	RefusalHold bool              `json:"refusal_hold,omitempty"`

	Outcome      string        `json:"outcome,omitempty"`
	ResolvedTier fengqiao.Tier `json:"resolved_tier,omitempty"`
	ClosedAt     *time.Time    `json:"closed_at,omitempty"`
	RateBy       *time.Time    `json:"rate_by,omitempty"`
	FollowUpDone bool          `json:"follow_up_done,omitempty"`
	Satisfaction *int          `json:"satisfaction,omitempty"`
	Final        bool          `json:"final,omitempty"`

	Seq int64 `json:"seq"`
}

// caseState is the running workflow's state: the carried state plus what one run needs.
type caseState struct {
	Carried
	dirty bool // an update changed the state: recompute the clocks
	// riskRules: the run follows the risk rules (version 1 of "risk-rules", see riskVersion);
	// risksDirty: the next projection writes the risks.
	riskRules, risksDirty bool

	// What the next projection writes (flush): new events and their notices, the parties if they
	// changed, what happens to the matter rows (released at closure, reserved again on reopening, kept
	// as final after 复核) and a pending hand-off to a court.
	pendingEvents  []activities.Event
	pendingNotices []activities.Notice
	noticeIdx      int // notices of the latest event so far (the notice key's last part)
	partiesDirty   bool
	release        bool
	reserve        bool
	final          bool
	pendingCourt   *activities.CourtRequest

	// ratingOnly: a low rating of this petition is only a rating (version 1 of PetitionRatingChange, or a
	// petition on organs), rule 8.
	ratingOnly bool

	lastAttrs string // the search attributes last written, so that unchanged ones are not written again
	runSteps  int    // steps taken in this run (continue-as-new resets it)

	// keepTimer: the wake-up timer is kept across steps (version 1 of "one-task-steps", see setup).
	keepTimer bool
	timer     workflow.Future
	// lawPeriods: version 1 of "law-periods" (see lawVersion): the court's extension counts from the
	// last day, and a pause without a lawful ground stops the tier clock only. 0: not asked yet this run.
	lawPeriods  int
	timerAt     time.Time
	cancelTimer workflow.CancelFunc
	// tracks: version 1 of "dispute-tracks" (see tracksVersion); 0: not asked yet this run.
	tracks int
	// stepAnswer: version 1 of StepInAnswerChange (see stepInAnswer); 0: not asked yet this run.
	stepAnswer int
	// stepsTaken and stepsWritten count the projection steps of this run: each is written in the order
	// taken (write), and the run ends only once all are written.
	stepsTaken, stepsWritten int
}

// acts names the activities: only its method values are used (a nil pointer, never called, never set).
var acts *activities.Activities

// CaseWorkflow is the durable process of one case, from intake to the end of its satisfaction window.
func CaseWorkflow(ctx workflow.Context, in StartInput) (CaseView, error) {
	s, err := setup(ctx, in)
	if err != nil {
		return CaseView{}, err
	}
	return s.run(ctx)
}

// setup restores carried state or opens a new case: resolves the location's chain, loads the calendar,
// routes to the lowest mediation tier, registers the updates and the query.
func setup(ctx workflow.Context, in StartInput) (*caseState, error) {
	s := &caseState{}
	// Version 1 keeps the wake-up timer while its moment stays the same; a run recorded at the default
	// version replays as it ran, with a fresh timer per step.
	s.keepTimer = workflow.GetVersion(ctx, "one-task-steps", workflow.DefaultVersion, 1) >= 1
	s.riskVersion(ctx)
	if in.Carry != nil {
		s.Carried = *in.Carry
		s.HistoryLimit = in.HistoryLimit
	} else {
		if err := s.open(ctx, in); err != nil {
			return nil, err
		}
	}
	if err := s.register(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func activityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: retryPolicy()})
}

// retryPolicy retries the case's own side effects (database, court hand-off) until they succeed: a
// projection is never dropped while the database is down.
func retryPolicy() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
		MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{string(fengqiao.ECodeInvalid)}}
}

// open registers a new case (rule 1: first contact registers; rule 2: route to the lowest tier).
func (s *caseState) open(ctx workflow.Context, in StartInput) error {
	now := workflow.Now(ctx)
	if in.OpenedAt.IsZero() {
		in.OpenedAt = now
	}
	s.Carried = Carried{Intake: in.Intake, Status: fengqiao.StatusRegistered, TierStart: now, StatStart: now}
	actx := activityOptions(ctx)
	s.Chain, s.Calendar = in.Chain, in.Calendar
	if s.Chain == nil {
		if err := workflow.ExecuteActivity(actx, acts.ResolveChain, in.Location).Get(ctx, &s.Chain); err != nil {
			return fmt.Errorf("resolve chain of %s: %w", in.Location, err)
		}
	}
	if s.Calendar == nil {
		var cal deadline.Calendar
		if err := workflow.ExecuteActivity(actx, acts.LoadCalendar, now.Year(), now.Year()+1).Get(ctx, &cal); err != nil {
			return fmt.Errorf("load calendar: %w", err)
		}
		s.Calendar = &cal
	}
	idx, ok := LowestMediationTier(s.Chain)
	if !ok {
		return temporal.NewNonRetryableApplicationError("no node with mediation power covers "+in.Location, string(fengqiao.ECodeInvalid), nil)
	}
	s.Handling = idx
	if in.Route != nil {
		// Routed by the table (DESIGN.md §2): the case starts at its body's seat, that body handling it.
		if i := chainIndex(s.Chain, in.Route.Body.Node); i >= 0 {
			s.Handling = i
		}
		route, body := *in.Route, in.Route.Body
		s.Route, s.Body = &route, &body
	}
	if s.Kind == fengqiao.KindPetition {
		s.Petition = &Petition{}
		if workflow.GetVersion(ctx, PetitionOrgansChange, workflow.DefaultVersion, 1) >= 1 {
			s.registerPetition(now, in)
		}
	}
	if in.Referral != nil {
		r := *in.Referral
		s.Referral = &r
	}
	s.Arbitration = in.Arbitration
	s.partiesDirty = true
	fc := s.FirstContact
	s.eventWith(now, "registered", fc, "", facts{"kind": string(s.Kind), "number": s.Number, "user": fc.Username})
	s.Visits = append(s.Visits, Visit{At: now, Channel: s.Channel, By: fc.Username, Node: fc.Node, Note: "intake"})
	s.notify("receipt", false, "受理回执 "+s.Number, "您的事项已登记，查询码 "+s.QueryCode, s.applicants()...)
	if r := s.Referral; r != nil {
		s.eventWith(now, "court_referral", fc, "", map[string]string{"court": r.Court.Code, "court_name": r.Court.Name,
			"court_case_no": r.CourtCaseNo})
	}
	if in.ResolvedOnSpot != nil {
		// 即问即办: registered and closed in one step (rule 1).
		tier := s.tier()
		if i := chainIndex(s.Chain, fc.Node); i >= 0 {
			tier = s.Chain[i].Tier
		}
		s.close(now, fc, "resolved_on_spot: "+in.ResolvedOnSpot.Outcome, in.ResolvedOnSpot.Note, tier)
		return nil
	}
	if s.organs() {
		s.petitionRegistered(now, fc)
		s.intakeRisks(now, in)
		return nil
	}
	if s.Route != nil {
		s.eventWith(now, "routed", fc, "", map[string]string{"body": s.Body.Code, "body_name": s.Body.Name,
			"body_type": string(s.Body.Type), "node": s.node().Code, "tier": string(s.node().Tier),
			"rule": strconv.Itoa(s.Route.Rule), "rule_text": s.Route.RuleText, "then": string(s.Route.Then)})
		s.notify("routed", false, "案件 "+s.Number+" 已分流", "分流至 "+s.Body.Name, s.firstContact(), s.supervisors(s.node().Code))
	} else {
		s.eventWith(now, "routed", fc, "", facts{"node": s.node().Code, "body_name": s.node().Name,
			"tier": string(s.node().Tier), "location": s.Location})
		s.notify("routed", false, "案件 "+s.Number+" 已分流", "分流至 "+s.node().Name, s.firstContact(), s.supervisors(s.node().Code))
	}
	s.intakeRisks(now, in)
	return nil
}

// run keeps the clocks until the case is over, then returns its final view.
func (s *caseState) run(ctx workflow.Context) (CaseView, error) {
	s.flush(ctx)
	for {
		now := workflow.Now(ctx)
		if s.tick(now) {
			s.flush(ctx)
		}
		if s.finished(now) {
			break
		}
		if s.shouldContinueAsNew(ctx) {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && s.written() }); err != nil {
				return CaseView{}, err
			}
			in := StartInput{Intake: Intake{CaseID: s.CaseID, HistoryLimit: s.HistoryLimit}, Carry: &s.Carried}
			return CaseView{}, workflow.NewContinueAsNewError(ctx, WorkflowType, in)
		}
		s.dirty = false
		if err := s.sleep(ctx, now, s.nextWake(now)); err != nil {
			return CaseView{}, err
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && s.written() }); err != nil {
		return CaseView{}, err
	}
	return s.view(workflow.Now(ctx)), nil
}

// sleep waits until an update changes the case or the moment next of a timed rule (zero: none) has
// come.
func (s *caseState) sleep(ctx workflow.Context, now, next time.Time) error {
	wait := max(next.Sub(now), time.Second)
	if !s.keepTimer {
		if next.IsZero() {
			return workflow.Await(ctx, func() bool { return s.dirty })
		}
		_, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return s.dirty })
		return err
	}
	if !next.Equal(s.timerAt) {
		if s.cancelTimer != nil {
			s.cancelTimer()
		}
		s.timer, s.cancelTimer, s.timerAt = nil, nil, next
		if !next.IsZero() {
			tctx, cancel := workflow.WithCancel(ctx)
			s.timer, s.cancelTimer = workflow.NewTimer(tctx, wait), cancel
		}
	}
	err := workflow.Await(ctx, func() bool { return s.dirty || (s.timer != nil && s.timer.IsReady()) })
	if s.timer != nil && s.timer.IsReady() {
		s.timer, s.cancelTimer, s.timerAt = nil, nil, time.Time{}
	}
	return err
}

func (s *caseState) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	// Each step (an update, or a tick that changed something) adds about eight events: update
	// accepted and completed, the projection activity's three, a workflow task's three. The estimate
	// also holds where the history length is unknown (the SDK's test environment).
	length := max(info.GetCurrentHistoryLength(), 8*s.runSteps)
	if s.HistoryLimit > 0 && length >= s.HistoryLimit {
		return true
	}
	return info.GetContinueAsNewSuggested()
}

// finished reports whether the case is over: closed, referred out or final, and its satisfaction window
// has passed (rule 8).
func (s *caseState) finished(now time.Time) bool {
	switch s.Status {
	case fengqiao.StatusClosed, fengqiao.StatusReferredOut, fengqiao.StatusFinal:
		return s.RateBy == nil || !now.Before(*s.RateBy)
	}
	return false
}

// moveTo changes the handling node (escalation or return): the tier clock restarts, the assignee is
// released, and the first-contact owner is told (rule 1).
// reason is what the person wrote; more are facts (name, value pairs) of a move no person wrote, as a
// tier deadline that passed.
func (s *caseState) moveTo(now time.Time, a Actor, to int, typ, reason string, more ...string) {
	from := s.node()
	fromBody := s.Body
	s.Handling = to
	if s.Route != nil {
		b := s.ladderBody(to)
		s.Body = &b
	}
	s.TierStart = now
	s.TierExtendDays = 0
	s.TierAtRisk, s.TierOverdue = false, false
	s.Assignee = ""
	s.FailedAttempt = false
	if s.Status == fengqiao.StatusMediating {
		s.Status = fengqiao.StatusRegistered
	}
	if s.Route != nil && fromBody != nil {
		// The body ladder (village committee → township committee → county centre): the facts as
		// arguments, the reason as written.
		args := facts{"from": from.Code, "from_tier": string(from.Tier),
			"from_body": fromBody.Code, "from_body_name": fromBody.Name, "node": s.node().Code, "tier": string(s.node().Tier),
			"body": s.Body.Code, "body_name": s.Body.Name, "body_type": string(s.Body.Type)}
		for i := 0; i+1 < len(more); i += 2 {
			args[more[i]] = more[i+1]
		}
		s.eventWith(now, typ, a, reason, args)
		s.notify(typ, true, "案件 "+s.Number+" 层级变更", fmt.Sprintf("%s → %s", fromBody.Name, s.Body.Name),
			s.firstContact(), s.supervisors(s.node().Code))
		return
	}
	args := facts{"from": from.Code, "from_tier": string(from.Tier), "from_body_name": from.Name,
		"node": s.node().Code, "tier": string(s.node().Tier), "body_name": s.node().Name}
	for i := 0; i+1 < len(more); i += 2 {
		args[more[i]] = more[i+1]
	}
	s.eventWith(now, typ, a, reason, args)
	s.notify(typ, true, "案件 "+s.Number+" 层级变更", fmt.Sprintf("%s → %s", from.Name, s.node().Name),
		s.firstContact(), s.supervisors(s.node().Code))
}

// ladderBody is the body that mediates at chain node i on the dispute ladder: the one the cases service
// resolved, else the node acting as its own committee (a chain resolved without bodies).
func (s *caseState) ladderBody(i int) fengqiao.BodyRef {
	n := s.Chain[i]
	if n.Body != nil {
		return *n.Body
	}
	return fengqiao.BodyRef{Code: n.Code, Name: n.Name + "人民调解委员会", Type: fengqiao.BodyCommittee, Node: n.Code}
}

// close ends the case: the first-contact owner gets the follow-up task (回访, rule 1) and the
// satisfaction window opens (rule 8).
func (s *caseState) close(now time.Time, a Actor, outcome, note string, tier fengqiao.Tier) {
	s.Status = fengqiao.StatusClosed
	s.Outcome = outcome
	if s.ResolvedTier == "" {
		s.ResolvedTier = tier
	}
	s.ClosedAt = &now
	s.closeCommon(now)
	// The facts are stored in clear: only an outcome's code goes there; what a person wrote (an outcome
	// in their own words, the text after the code, the note) is the detail, sealed at rest.
	args, detail := facts{"variant": "written"}, outcome
	if code, text, _ := strings.Cut(outcome, ": "); closeOutcome(code) {
		args, detail = facts{"outcome": code, "variant": code}, text
	}
	if note != "" {
		if detail != "" {
			detail += ": "
		}
		detail += note
	}
	s.eventWith(now, "closed", a, detail, args)
	s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访当事人并收集评价", s.firstContact())
	s.notify("closed", false, "案件 "+s.Number+" 已办结", outcomeNotice(outcome), s.applicants()...)
}

func (s *caseState) closeCommon(now time.Time) {
	rate := s.Calendar.Due(now, s.Policy.Satisfaction)
	s.RateBy = &rate
	s.Unack = false
	s.PausedSince = nil
	s.release = true
}

// node is the handling node.
func (s *caseState) node() fengqiao.ChainNode {
	if len(s.Chain) == 0 {
		return fengqiao.ChainNode{}
	}
	return s.Chain[s.Handling]
}

func (s *caseState) tier() fengqiao.Tier { return s.node().Tier }

// event appends a timeline event with the next sequence number.
// facts are an event's arguments (eventWith); a nil map marks an event written before facts existed.
// A fact "variant" picks the sentence "evt.<type>.<variant>" when the catalogue has one.
type facts = map[string]string

// eventWith records an event with its facts as arguments (the body, tier, dates, decision it names),
// which pages render in the reader's language from the event's type; detail is only what a person
// wrote (a note, a reason). An event without facts passes facts{}, never nil.
func (s *caseState) eventWith(now time.Time, typ string, a Actor, detail string, args facts) {
	s.Seq++
	s.noticeIdx = 0
	node := a.Node
	if node == "" {
		node = s.node().Code
	}
	s.pendingEvents = append(s.pendingEvents, activities.Event{Seq: s.Seq, At: now, Type: typ, Actor: a.Username, Node: node, Detail: detail, Args: args})
}

// notify queues notices tied to the latest event (idempotency key: case, seq, index).
func (s *caseState) notify(kind string, urgent bool, subject, body string, to ...activities.Recipient) {
	at := time.Time{}
	if n := len(s.pendingEvents); n > 0 {
		at = s.pendingEvents[n-1].At
	}
	for _, r := range to {
		if r == (activities.Recipient{}) {
			continue
		}
		s.noticeIdx++
		s.pendingNotices = append(s.pendingNotices, activities.Notice{
			Key: fmt.Sprintf("%s/%d/%d", s.CaseID, s.Seq, s.noticeIdx), At: at, Kind: kind, To: r,
			Urgent: urgent, Subject: subject, Body: body})
	}
}

func (s *caseState) firstContact() activities.Recipient {
	return activities.Recipient{User: s.FirstContact.Username}
}

func (s *caseState) assignee() activities.Recipient {
	if s.Assignee == "" {
		return activities.Recipient{}
	}
	return activities.Recipient{User: s.Assignee}
}

func (s *caseState) supervisors(node string) activities.Recipient {
	return activities.Recipient{Role: fengqiao.RoleSupervisor, Node: node}
}

// applicants are the parties told by SMS. Notices go to applicants only and carry the case number and
// its status, never who complained: complainants' identities are not shown to the party complained
// about (XGTL 30).
func (s *caseState) applicants() []activities.Recipient {
	var out []activities.Recipient
	for i := range s.Parties {
		p := s.Parties[i]
		if p.Role == fengqiao.PartyApplicant && p.Phone != "" {
			out = append(out, activities.Recipient{Party: &p})
		}
	}
	return out
}

// flush writes the projection (case row, new events, notices, matter changes) and the search
// attributes, and waits until it is written.
func (s *caseState) flush(ctx workflow.Context) {
	s.write(ctx, s.takeStep(ctx))
}

// step is one step's projection and the court hand-off that follows it, numbered in the order taken.
type step struct {
	p     activities.Projection
	court *activities.CourtRequest
	n     int
}

// takeStep takes what the next projection writes and updates the search attributes.
func (s *caseState) takeStep(ctx workflow.Context) step {
	now := workflow.Now(ctx)
	s.runSteps++
	s.upsertSearchAttributes(ctx, now)
	p := activities.Projection{Case: s.record(now), Events: s.pendingEvents, Notices: s.pendingNotices,
		MatterKeys: s.MatterKeys, Release: s.release && !s.final, Reserve: s.reserve, Final: s.final}
	if s.partiesDirty {
		p.Parties = s.Parties
	}
	s.riskProjection(&p)
	s.pendingEvents, s.pendingNotices = nil, nil
	s.partiesDirty, s.release, s.reserve, s.final = false, false, false, false
	st := step{p: p, court: s.pendingCourt, n: s.stepsTaken}
	s.pendingCourt = nil
	s.stepsTaken++
	return st
}

// write writes a step once every step taken before it is written: the projection, then a court
// hand-off. A regular activity, not a local one: it is scheduled only once the step is committed, so the
// projection never shows a step the workflow did not take. A local activity would write before the
// workflow task completes, and a crash in between would project a step that never happened
// (reliability's TestKillDevUnderLoad kills `fengqiao dev` under load to check this).
//
// Runs before StepInAnswerChange wrote a step the moment it was taken, an action's beside the main
// loop's: they keep doing so, as their histories recorded it.
func (s *caseState) write(ctx workflow.Context, st step) {
	if s.stepAnswer == 2 {
		if err := workflow.Await(ctx, func() bool { return s.stepsWritten == st.n }); err != nil {
			return
		}
	}
	defer func() { s.stepsWritten++ }()
	if err := workflow.ExecuteActivity(activityOptions(ctx), acts.Project, st.p).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("projection failed", "case", s.CaseID, "error", err)
	}
	if st.court != nil {
		if err := workflow.ExecuteActivity(activityOptions(ctx), acts.SendToCourt, *st.court).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("court hand-off failed", "case", s.CaseID, "error", err)
		}
	}
}

// written reports whether every step taken is written (the run may end or continue as new).
func (s *caseState) written() bool { return s.stepsWritten == s.stepsTaken }

// StepInAnswerChange: an action answers with its step as soon as the step is committed, and its
// projection is written behind the answer (by the cases service at once, by the activity after it),
// instead of answering after the projection activity — one workflow task a step instead of three.
const StepInAnswerChange = "step-in-answer"

// stepInAnswer asks, once per run and only when an action is applied, whether the run answers actions
// with their step (version 1 of StepInAnswerChange); histories recorded before replay at the default.
func (s *caseState) stepInAnswer(ctx workflow.Context) bool {
	if s.stepAnswer == 0 {
		s.stepAnswer = 1
		if workflow.GetVersion(ctx, StepInAnswerChange, workflow.DefaultVersion, 1) >= 1 {
			s.stepAnswer = 2
		}
	}
	return s.stepAnswer == 2
}

func (s *caseState) upsertSearchAttributes(ctx workflow.Context, now time.Time) {
	v := s.view(now)
	key := fmt.Sprint(v.Tier, v.HandlingNode, v.Status, timeKey(v.Deadlines.Tier.DueAt), timeKey(v.Deadlines.Statutory.DueAt),
		v.Deadlines.Tier.Overdue || v.Deadlines.Statutory.Overdue, v.Deadlines.Tier.AtRisk || v.Deadlines.Statutory.AtRisk)
	if key == s.lastAttrs {
		return
	}
	s.lastAttrs = key
	updates := []temporal.SearchAttributeUpdate{
		AttrTier.ValueSet(string(v.Tier)),
		AttrNode.ValueSet(v.HandlingNode),
		AttrStatus.ValueSet(string(v.Status)),
		AttrOverdue.ValueSet(v.Deadlines.Tier.Overdue || v.Deadlines.Statutory.Overdue),
		AttrAtRisk.ValueSet(v.Deadlines.Tier.AtRisk || v.Deadlines.Statutory.AtRisk),
	}
	if d := v.Deadlines.Tier.DueAt; d != nil {
		updates = append(updates, AttrTierDue.ValueSet(*d))
	} else {
		updates = append(updates, AttrTierDue.ValueUnset())
	}
	if d := v.Deadlines.Statutory.DueAt; d != nil {
		updates = append(updates, AttrStatutoryDue.ValueSet(*d))
	} else {
		updates = append(updates, AttrStatutoryDue.ValueUnset())
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		workflow.GetLogger(ctx).Warn("search attributes not updated", "error", err)
	}
}

func timeKey(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// view builds the CaseView at now.
func (s *caseState) view(now time.Time) CaseView {
	v := CaseView{ID: s.CaseID, Number: s.Number, QueryCode: s.QueryCode, Kind: s.Kind, Category: s.Category,
		Channel: s.Channel, Summary: s.Summary, Address: s.Address, Request: s.Request, Status: s.Status, Tier: s.tier(), HandlingNode: s.node().Code,
		HandlingPath: s.node().Path, Location: s.Location,
		FirstContact: Person{User: s.FirstContact.Username, Node: s.FirstContact.Node},
		Visits:       len(s.Visits), OneVisitBreach: s.Breach, Parties: append([]fengqiao.Party(nil), s.Parties...),
		FailedAttempt: s.FailedAttempt, Unacknowledged: s.Unack, EscalatedAt: s.EscalatedAt,
		AcknowledgedAt: s.AckedAt, Reported: s.Reported, Agreement: s.Agreement, Confirmation: s.Confirmation,
		Petition: s.Petition, Outcome: s.Outcome, ResolvedTier: s.ResolvedTier, OpenedAt: s.OpenedAt,
		ClosedAt: s.ClosedAt, RateBy: s.RateBy, FollowUpDone: s.FollowUpDone, Satisfaction: s.Satisfaction,
		Final: s.Final, PolicyVersion: s.Policy.Version, Seq: s.Seq}
	if s.Body != nil {
		b := *s.Body
		v.HandlingBody = &b
	}
	if s.Route != nil {
		r := *s.Route
		v.Route = &r
	}
	if len(s.Chain) > 0 {
		v.LocationPath = s.Chain[len(s.Chain)-1].Path
	}
	if s.Assignee != "" {
		a := s.Assignee
		v.Assignee = &a
	}
	if len(s.Consent) > 0 {
		v.Consent = map[string]bool{}
		for _, r := range []fengqiao.PartyRole{fengqiao.PartyApplicant, fengqiao.PartyRespondent} {
			if c, ok := s.Consent[string(r)]; ok {
				v.Consent[string(r)] = c
			}
		}
	}
	v.Deadlines.Tier = s.clockView(s.tierClock(now), s.TierAtRisk, s.TierOverdue)
	v.Deadlines.Statutory = s.clockView(s.statutoryClock(now), s.StatAtRisk, s.StatOverdue)
	v.Deadlines.Running = s.runningClocks(now)
	v.NextActions = s.nextActions(now)
	s.riskView(&v)
	s.mediationView(&v)
	if v.CoBodies == nil {
		v.CoBodies = []CoBody{} // API.md: co_bodies is a list, empty when none
	}
	return v
}

// outcomeCode is the kind of the outcome of a closed case, in clear for statistics (the outcome is
// free text): a dispute closed after an agreement is "resolved" whatever its outcome says; otherwise the
// code the outcome starts with, "other" for free text.
func (s *caseState) outcomeCode() string {
	if s.Status.Open() || s.Outcome == "" {
		return ""
	}
	if s.Kind == fengqiao.KindDispute && s.Agreement != nil {
		return "resolved"
	}
	code, _, _ := strings.Cut(s.Outcome, ":")
	switch code = strings.TrimSpace(code); code {
	case "resolved", "resolved_on_spot", "terminated", "withdrawn", "mediation_refused", "answered",
		"final_after_review", "referred_out":
		return code
	}
	return "other"
}

// record is the projection row of the case.
func (s *caseState) record(now time.Time) fengqiao.Case {
	v := s.view(now)
	r := fengqiao.Case{ID: v.ID, Number: v.Number, QueryCode: v.QueryCode, WorkflowID: WorkflowID(v.ID),
		Kind: string(v.Kind), Category: v.Category, Channel: string(v.Channel), Summary: v.Summary,
		Address: v.Address, Request: v.Request,
		Status: string(v.Status), Tier: string(v.Tier), HandlingNode: v.HandlingNode, HandlingPath: v.HandlingPath,
		Location: v.Location, LocationPath: v.LocationPath, Assignee: s.Assignee,
		FirstContactUser: s.FirstContact.Username, FirstContactNode: s.FirstContact.Node,
		TierDueAt: v.Deadlines.Tier.DueAt, StatutoryDueAt: v.Deadlines.Statutory.DueAt,
		AtRisk:  v.Deadlines.Tier.AtRisk || v.Deadlines.Statutory.AtRisk,
		Overdue: v.Deadlines.Tier.Overdue || v.Deadlines.Statutory.Overdue,
		Paused:  s.PausedSince != nil, Unacknowledged: s.Unack, EscalatedAt: s.EscalatedAt,
		AcknowledgedAt: s.AckedAt, OneVisitBreach: s.Breach, Visits: len(s.Visits), OpenedAt: s.OpenedAt,
		ClosedAt: s.ClosedAt, ResolvedTier: string(s.ResolvedTier), Outcome: s.Outcome, OutcomeCode: s.outcomeCode(),
		Satisfaction: s.Satisfaction, Final: s.Final, PolicyVersion: s.Policy.Version, UpdatedSeq: s.Seq}
	if s.Confirmation != nil {
		r.Court = s.Confirmation.Court
	}
	if s.Body != nil {
		r.HandlingBody, r.HandlingBodyName, r.HandlingBodyType = s.Body.Code, s.Body.Name, string(s.Body.Type)
	}
	s.petitionProjection(&r)
	s.mediationRecord(&r)
	for _, c := range v.Deadlines.Running {
		if c.Kind == "tier" || c.DueAt == nil || sameInstant(c.DueAt, r.StatutoryDueAt) {
			continue
		}
		if r.NextDueAt == nil || c.DueAt.Before(*r.NextDueAt) {
			due := c.DueAt.UTC() // stored as UTC, as every instant of the row
			r.NextDueAt, r.NextDueKind = &due, c.Kind
		}
	}
	return r
}

func sameInstant(a, b *time.Time) bool { return a != nil && b != nil && a.Equal(*b) }

// closeOutcome reports whether code is one a closure's outcome starts with (the pages name it
// close.<code>); any other outcome is a person's own words.
// outcomeNotice is a closure's outcome as the text to the parties says it: the outcome's name in
// Chinese, then what the mediator wrote.
func outcomeNotice(outcome string) string {
	code, text, _ := strings.Cut(outcome, ": ")
	label, ok := outcomeLabels[code]
	switch {
	case !ok:
		return outcome
	case text == "":
		return label
	}
	return label + "：" + text
}

// outcomeLabels name the closure outcomes (closeOutcome) in Chinese.
var outcomeLabels = map[string]string{
	"resolved": "调解成功", "terminated": "终止调解", "withdrawn": "申请人撤回", "mediation_refused": "当事人拒绝调解",
	"resolved_on_spot": "当场化解", "answered": "已答复办结", "referred_out": "导入法定途径",
	"final_after_review": "复核终结", "not_accepted": "不予受理", "returned_for_filing": "退回法院立案",
	"arbitration": "转劳动人事争议仲裁",
}

func closeOutcome(code string) bool {
	switch code {
	case "resolved", "terminated", "withdrawn", "mediation_refused", "resolved_on_spot", "answered", "referred_out",
		"final_after_review", "not_accepted", "returned_for_filing", "arbitration":
		return true
	}
	return false
}

// bodyName is the name of the body handling the case: the routed body, else the handling node.
func (s *caseState) bodyName() string {
	if s.Body != nil {
		return s.Body.Name
	}
	return s.node().Name
}
