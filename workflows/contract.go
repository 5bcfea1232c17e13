package workflows

import (
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
)

// TaskQueue is the task queue of the case workflow and its activities.
const TaskQueue = "fengqiao-cases"

// WorkflowType is the registered name of the case workflow.
const WorkflowType = "CaseWorkflow"

// WorkflowID is the ID of the workflow of the case with the given id.
func WorkflowID(caseID string) string { return "case-" + caseID }

// QueryState is the query returning the case's CaseView.
const QueryState = "state"

// UpdateView returns the case as it stands and changes nothing. The cases service sends it with the
// start of a new case (Update-with-Start), so opening a case answers with the case after its first
// step in one round trip. It is not an action: ActionNames does not list it.
const UpdateView = "view"

// The update names, one per API action (API.md "POST /api/v1/cases/{id}/{action}") plus the actions the
// law needs beyond that table.
const (
	UpdateAssign        = "assign"         // supervisor (or clerk at the handling node) assigns a mediator
	UpdateAccept        = "accept"         // the assignee accepts: mediation starts (or restarts after a court rejection)
	UpdateConsent       = "consent"        // a party's consent to or refusal of mediation (PML 17)
	UpdateSession       = "sessions"       // a mediation session and its outcome
	UpdateAgreement     = "agreement"      // a mediated agreement, written or oral (PML 28-30)
	UpdateEscalate      = "escalate"       // one tier up the location's chain (rule 2)
	UpdateReturn        = "return"         // send down within the chain (下沉)
	UpdateAcknowledge   = "acknowledge"    // a supervisor acknowledges an escalated case
	UpdateSuspend       = "suspend"        // pause both clocks with a reason (XGTL 36; online mediation rules 26)
	UpdateResume        = "resume"         // resume the clocks
	UpdateExtend        = "extend"         // extend the statutory deadline (XGTL 34, NMR 27)
	UpdateVisit         = "visits"         // a repeat contact on the same matter (rule 3)
	UpdateConfirmation  = "confirmation"   // joint application for judicial confirmation (PML 33)
	UpdateCourtAccept   = "court-accept"   // the court accepts the application (SPC 2011 art. 4)
	UpdateCourtDecision = "court-decision" // the court confirms or rejects (SPC 2011 art. 5, 8)
	UpdateAlternative   = "alternative"    // notarisation with enforcement effect, or arbitration confirmation
	UpdatePerformance   = "performance"    // performance check after the agreement (PML 31)
	UpdateClose         = "close"          // close the case (also termination of mediation, PML 26, NMR 23)
	UpdateRouteDecision = "route-decision" // petition: accept or refer out to the lawful channel (XGTL 31, rule 6)
	UpdateAnswer        = "answer"         // petition: written answer (XGTL 32)
	UpdateReview        = "review"         // petition: 复查 / 复核 request (XGTL 35, 36)
	UpdateReviewReply   = "review-reply"   // petition: the reviewing level's written opinion
	UpdateFollowUp      = "follow-up"      // first-contact owner's follow-up visit after closure (回访)
	UpdateRating        = "rating"         // the party's rating through the query code (rule 8)
	UpdateMigratePolicy = "migrate-policy" // explicit move of a running case to a new policy version
	UpdateCoBody        = "co-body"        // joint mediation (联合调解): add or remove a co-handling body
	UpdateCoMediator    = "co-mediator"    // joint mediation: assign the mediator of a co-body
	UpdateJointPart     = "joint-part"     // joint mediation: a co-body's mediator records their part
	UpdateHandOff       = "hand-off"       // the county centre hands the case to a professional committee or an agency
	UpdateCourtFiling   = "court-filing"   // court referral: the court records the filing (立案) of a failed referral
	// UpdateCalendar carries changed holiday-calendar years to a running case, which recomputes its
	// deadlines (DESIGN §3 rule 4). The cases service sends it as the system when an administrator saves
	// a year; it is not a staff action (ActionNames leaves it out).
	UpdateCalendar = "calendar"
)

// ActionNames returns, sorted, the name of every action staff take on a case: each is an update of the
// case workflow (API.md `POST /api/v1/cases/{id}/{action}`). The party's rating, sent through the query
// code, is not among them. It returns a new slice on each call.
func ActionNames() []string {
	var names []string
	for _, act := range caseActions {
		if act.staff() {
			names = append(names, act.actionName())
		}
	}
	slices.Sort(names)
	return names
}

// Typed search attributes of a case workflow. They never hold personal data.
var (
	AttrTier         = temporal.NewSearchAttributeKeyKeyword("FengqiaoTier")
	AttrNode         = temporal.NewSearchAttributeKeyKeyword("FengqiaoNode")
	AttrStatus       = temporal.NewSearchAttributeKeyKeyword("FengqiaoStatus")
	AttrTierDue      = temporal.NewSearchAttributeKeyTime("FengqiaoTierDue")
	AttrStatutoryDue = temporal.NewSearchAttributeKeyTime("FengqiaoStatutoryDue")
	AttrOverdue      = temporal.NewSearchAttributeKeyBool("FengqiaoOverdue")
	AttrAtRisk       = temporal.NewSearchAttributeKeyBool("FengqiaoAtRisk")
)

// SearchAttributes returns the custom search attributes the namespace must have, for devserver.Options
// and for `temporal operator search-attribute create` on a cluster.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	return map[string]enumspb.IndexedValueType{
		AttrTier.GetName():         enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		AttrNode.GetName():         enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		AttrStatus.GetName():       enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		AttrTierDue.GetName():      enumspb.INDEXED_VALUE_TYPE_DATETIME,
		AttrStatutoryDue.GetName(): enumspb.INDEXED_VALUE_TYPE_DATETIME,
		AttrOverdue.GetName():      enumspb.INDEXED_VALUE_TYPE_BOOL,
		AttrAtRisk.GetName():       enumspb.INDEXED_VALUE_TYPE_BOOL,
	}
}

// Actor is who performs an action and under which grant. The API has authorized the grant already;
// the workflow checks the facts it knows itself (e.g. only the assignee mediates).
type Actor struct {
	Username string        `json:"username"`
	Role     fengqiao.Role `json:"role"`
	Node     string        `json:"node"`
}

// OnSpot is an on-the-spot resolution (即问即办): the case is registered and closed in one step.
type OnSpot struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// Intake is what a case is opened with and keeps for its whole life: a new case's StartInput and the
// Carried state of every run both embed it (its JSON keys stay flat, as recorded histories have them).
type Intake struct {
	CaseID    string           `json:"case_id"`
	Number    string           `json:"number"`
	QueryCode string           `json:"query_code"`
	Kind      fengqiao.Kind    `json:"kind"`
	Category  string           `json:"category"`
	Channel   fengqiao.Channel `json:"channel"`
	Summary   string           `json:"summary"`
	// Address is where the dispute arose (纠纷发生地); Request is what the applicant asks for
	// (申请人请求事项). Both are absent from intakes recorded before them.
	Address      string           `json:"address,omitempty"`
	Request      string           `json:"request,omitempty"`
	Location     string           `json:"location"`
	FirstContact Actor            `json:"first_contact"`
	Parties      []fengqiao.Party `json:"parties"`
	MatterKeys   []string         `json:"matter_keys"`
	OpenedAt     time.Time        `json:"opened_at"`
	Policy       deadline.Policy  `json:"policy"`
	// HistoryLimit forces continue-as-new after this many history events (0: the server's suggestion only).
	HistoryLimit int `json:"history_limit,omitempty"`
}

// StartInput starts a case workflow. The cases service fills it after reserving the matter.
type StartInput struct {
	Intake
	ResolvedOnSpot *OnSpot `json:"resolved_on_spot,omitempty"`
	// Chain and Calendar route the new case without a round trip: the cases service has read the
	// location's chain already (to number the case and check that someone can mediate there). Without
	// them the workflow looks both up with activities, so that starts recorded without them replay.
	Chain    []fengqiao.ChainNode `json:"chain,omitempty"`
	Calendar *deadline.Calendar   `json:"calendar,omitempty"`
	// Risk are the facts of other cases the risk rules need at intake (absent from starts recorded
	// before them).
	Risk RiskIntake `json:"risk,omitempty"`
	// Route is where the routing table sends the new case (DESIGN.md §2): the case starts at its body's
	// seat with that body handling it, and climbs the ladder of Chain's bodies. nil on starts recorded
	// before routing (and on a plain tree the table cannot route): the case starts at the lowest tier
	// with mediation power, as it always did.
	Route *fengqiao.Route `json:"route,omitempty"`
	// Carry is the state carried over a continue-as-new; nil on a new case.
	Carry *Carried `json:"carry,omitempty"`
	// Referral is the entrusting court of a court_referral (委派调解); nil on other kinds.
	Referral *Referral `json:"referral,omitempty"`
	// Arbitration is the labour arbitration body a failed or expired labour mediation goes to (劳动争议
	// 调解仲裁法 14-16), resolved by the cases service at intake; nil when none covers the location.
	Arbitration *fengqiao.BodyRef `json:"arbitration,omitempty"`
}

// Person is a user at a node (first-contact owner).
type Person struct {
	User string `json:"user"`
	Node string `json:"node"`
}

// Clock is one of the two clocks as the API shows it.
type Clock struct {
	Kind    string     `json:"kind,omitempty"`
	DueAt   *time.Time `json:"due_at"`
	Paused  bool       `json:"paused"`
	AtRisk  bool       `json:"at_risk"`
	Overdue bool       `json:"overdue"`
}

// Deadlines are the two clocks of rule 4, and every clock that runs at the case's status (Running).
type Deadlines struct {
	Tier      Clock `json:"tier"`
	Statutory Clock `json:"statutory"`
	// Running lists every clock that runs now, the two above included: the application window for
	// judicial confirmation, the court's acceptance and decision, the performance check, the 复查/复核
	// request window. Each carries what it is counted from, so that it can be explained day by day.
	Running []ClockDetail `json:"running,omitempty"`
}

// ClockDetail is one running clock with what it is counted from.
type ClockDetail struct {
	// Kind: tier, mediation, route, handle, review_reply, confirmation_apply, court_accept,
	// court_decide, performance_check, review_request.
	Kind string `json:"kind"`
	// Start is the moment the period started; its day is not counted.
	Start time.Time `json:"start"`
	// Duration is the period of the policy.
	Duration deadline.Duration `json:"duration"`
	// ExtraDays are approved extension days added to a day period (NMR 27, XGTL 34).
	ExtraDays int `json:"extra_days,omitempty"`
	// Extension is a court's extension counted from the original last day (SPC 2011 art. 5).
	Extension deadline.Duration `json:"extension,omitempty"`
	// Pauses are the pauses that stopped this clock.
	Pauses []deadline.Pause `json:"pauses,omitempty"`
	// DueAt is when it runs out (24:00 of the last day, stored as the next day's 00:00).
	DueAt *time.Time `json:"due_at"`
	// LastDay is the last day, "YYYY-MM-DD", as pages show it.
	LastDay string `json:"last_day,omitempty"`
	// Provisional reports that the period touches a year counted on the statutory stand-in.
	Provisional bool `json:"provisional,omitempty"`
	// Basis is the article that sets the period.
	Basis string `json:"basis"`
	// Paused, AtRisk, Overdue as in Clock.
	Paused  bool `json:"paused,omitempty"`
	AtRisk  bool `json:"at_risk,omitempty"`
	Overdue bool `json:"overdue,omitempty"`
}

// CalendarArgs carries changed calendar years to a running case (UpdateCalendar).
type CalendarArgs struct {
	// Years are the years added or changed, as the administrator saved them.
	Years []deadline.CalendarYear `json:"years"`
}

// Visit is one contact on the case (rule 3).
type Visit struct {
	At      time.Time        `json:"at"`
	Channel fengqiao.Channel `json:"channel"`
	By      string           `json:"by"`
	Node    string           `json:"node"`
	Note    string           `json:"note,omitempty"`
	// Leader is the leader who received the petitioner (领导接访), if one did.
	Leader string `json:"leader,omitempty"`
}

// Agreement is a mediated agreement (PML 28-30).
type Agreement struct {
	Terms       string    `json:"terms"`
	Form        string    `json:"form"`
	SignedByAll bool      `json:"signed_by_all"`
	At          time.Time `json:"at"`
	ApplyBy     time.Time `json:"apply_by"`
	PerformBy   time.Time `json:"perform_by"`
	Performed   *bool     `json:"performed,omitempty"`
	Alternative string    `json:"alternative,omitempty"`
	// PaymentObligation marks an agreement whose terms are a debt of money or goods (给付): only such an
	// agreement may be notarised with enforcement effect (公证法 37).
	PaymentObligation bool `json:"payment_obligation,omitempty"`
	// AlternativeBody is the notary or arbitration body the agreement went to instead of a court.
	AlternativeBody *fengqiao.BodyRef `json:"alternative_body,omitempty"`
}

// Confirmation is a judicial confirmation request (rule 5).
type Confirmation struct {
	Court        string     `json:"court"`
	AppliedAt    time.Time  `json:"applied_at"`
	AcceptBy     time.Time  `json:"accept_by"`
	AcceptedAt   *time.Time `json:"accepted_at,omitempty"`
	DecideBy     *time.Time `json:"decide_by,omitempty"`
	Extended     bool       `json:"extended,omitempty"`
	CourtOverdue bool       `json:"court_overdue"`
	Result       string     `json:"result,omitempty"`
	RulingNo     string     `json:"ruling_no,omitempty"`
}

// Petition is the state of the petition track (XGTL).
type Petition struct {
	Accepted          bool       `json:"accepted"`
	AcceptedAt        *time.Time `json:"accepted_at,omitempty"`
	Answer            string     `json:"answer,omitempty"`
	AnsweredAt        *time.Time `json:"answered_at,omitempty"`
	ReviewLevel       string     `json:"review_level,omitempty"` // 复查 or 复核
	ReviewNode        string     `json:"review_node,omitempty"`
	ReviewRequestedAt *time.Time `json:"review_requested_at,omitempty"`
	ReviewReplied     bool       `json:"review_replied,omitempty"`
	RequestBy         *time.Time `json:"request_by,omitempty"` // window for the next review request
	ReplyBy           *time.Time `json:"reply_by,omitempty"`
	// RequestFrom is when the current review-request window started (the answer or the 复查 opinion).
	RequestFrom  *time.Time `json:"request_from,omitempty"`
	ReferredTo   string     `json:"referred_to,omitempty"`
	ExtendedDays int        `json:"extended_days,omitempty"`

	// Organs marks a petition handled on organs (version 1 of PetitionOrgansChange): the petition office
	// registers it and forwards it to the competent agency, whose superior reviews. A petition without it
	// started on the mediation ladder and finishes there. The fields below are the organs' track
	// (petition_organs.go).
	Organs bool `json:"organs,omitempty"`
	// Stage is where an organs petition stands: office, forwarded, handling, answered, review, done.
	Stage string `json:"stage,omitempty"`
	// Office is the petition office that registered the petition (XGTL 22); it follows every step.
	Office *fengqiao.BodyRef `json:"office,omitempty"`
	// Organ is the organ handling the petition now: the competent agency, then its superior for 复查
	// and the next for 复核. Superiors are the agency's superiors, nearest first, as the body directory
	// named them when it was forwarded (复查 at Superiors[0], 复核 at Superiors[1]).
	Organ     *fengqiao.BodyRef  `json:"organ,omitempty"`
	Superiors []fengqiao.BodyRef `json:"superiors,omitempty"`
	// Answerer is the agency that answered first (信访处理意见书).
	Answerer *fengqiao.BodyRef `json:"answerer,omitempty"`
	// Mode is forward (转送) or assign (交办, with a report-back date, XGTL 22(三)).
	Mode        string     `json:"mode,omitempty"`
	ReportBy    *time.Time `json:"report_by,omitempty"`
	ForwardedAt *time.Time `json:"forwarded_at,omitempty"`
	// RouteFrom starts the office's 15 days: the registration, or the return after an objection.
	RouteFrom *time.Time `json:"route_from,omitempty"`
	// ObjectionBy ends the organ's 5 working days to object to a misrouting (XGTL 23).
	ObjectionBy *time.Time  `json:"objection_by,omitempty"`
	Objections  []Objection `json:"objections,omitempty"`
	// Decided: the common superior decided which organ accepts (XGTL 24); no further objection.
	Decided bool `json:"decided,omitempty"`
	// VillageCadres: the petition names village (community) cadres (反映村（社区）干部): it never goes to
	// that village's own bodies (XGTL 30).
	VillageCadres bool `json:"village_cadres,omitempty"`
	// ServedAt is the day the latest written answer or opinion was served (送达); the next review window
	// runs from it (XGTL 35, 36).
	ServedAt *time.Time `json:"served_at,omitempty"`
	// Supervised counts the petition office's 督办 (XGTL 40); OverdueReported and ReportOverdue record that
	// an overdue petition and a missed report-back date were reported up.
	Supervised      int  `json:"supervised,omitempty"`
	OverdueReported bool `json:"overdue_reported,omitempty"`
	ReportOverdue   bool `json:"report_overdue,omitempty"`
}

// Objection is an organ's objection that a forwarded petition is not within its competence (XGTL 23).
type Objection struct {
	Organ     fengqiao.BodyRef   `json:"organ"`
	Superiors []fengqiao.BodyRef `json:"superiors,omitempty"`
	At        time.Time          `json:"at"`
}

// CaseView is the case as API.md `GET /api/v1/cases/{id}` shows it (without allowed_actions, which the
// API adds per caller). Parties carry plaintext: the API masks them.
type CaseView struct {
	ID             string           `json:"id"`
	Number         string           `json:"number"`
	QueryCode      string           `json:"query_code"`
	Kind           fengqiao.Kind    `json:"kind"`
	Category       string           `json:"category"`
	Channel        fengqiao.Channel `json:"channel"`
	Summary        string           `json:"summary"`
	Address        string           `json:"address,omitempty"`
	Request        string           `json:"request,omitempty"`
	Status         fengqiao.Status  `json:"status"`
	Tier           fengqiao.Tier    `json:"tier"`
	HandlingNode   string           `json:"handling_node"`
	HandlingPath   string           `json:"handling_path"`
	Location       string           `json:"location"`
	LocationPath   string           `json:"location_path"`
	FirstContact   Person           `json:"first_contact"`
	Assignee       *string          `json:"assignee"`
	Visits         int              `json:"visits"`
	OneVisitBreach bool             `json:"one_visit_breach"`
	Deadlines      Deadlines        `json:"deadlines"`
	Parties        []fengqiao.Party `json:"parties"`
	Consent        map[string]bool  `json:"consent,omitempty"`
	FailedAttempt  bool             `json:"failed_attempt"`
	Unacknowledged bool             `json:"unacknowledged"`
	EscalatedAt    *time.Time       `json:"escalated_at,omitempty"`
	AcknowledgedAt *time.Time       `json:"acknowledged_at,omitempty"`
	Reported       bool             `json:"reported_to_next_supervisor"`
	Agreement      *Agreement       `json:"agreement,omitempty"`
	Confirmation   *Confirmation    `json:"confirmation,omitempty"`
	Petition       *Petition        `json:"petition,omitempty"`
	Outcome        string           `json:"outcome,omitempty"`
	ResolvedTier   fengqiao.Tier    `json:"resolved_tier,omitempty"`
	OpenedAt       time.Time        `json:"opened_at"`
	ClosedAt       *time.Time       `json:"closed_at,omitempty"`
	RateBy         *time.Time       `json:"rate_by,omitempty"`
	FollowUpDone   bool             `json:"follow_up_done"`
	Satisfaction   *int             `json:"satisfaction,omitempty"`
	Final          bool             `json:"final"`
	PolicyVersion  string           `json:"policy_version"`
	Seq            int64            `json:"seq"`
	NextActions    []string         `json:"next_actions"`
	// Risks are the case's risk flags, open and closed (DESIGN §3 rule 9).
	Risks []fengqiao.Risk `json:"risks"`
	// Leader is the leader who took the case (领导包案), if one did.
	Leader *Leader `json:"leader,omitempty"`
	// HandlingBody is the body that handles the case (API.md v2); nil on a case opened before routing,
	// which its handling node handles as its own committee.
	HandlingBody *fengqiao.BodyRef `json:"handling_body"`
	// Route is where the routing table sent the case at intake, and the rule that chose it.
	Route *fengqiao.Route `json:"route,omitempty"`
	// CoBodies are the co-handling bodies of a joint mediation (联合调解), each with its mediator and
	// the parts it recorded; removed ones stay with their removal.
	CoBodies []CoBody `json:"co_bodies"`
	// HandedTo is the body the case was handed to (行政调解, a professional committee, labour arbitration).
	HandedTo *fengqiao.BodyRef `json:"handed_to,omitempty"`
	// Referral is the court referral (委派调解) a court_referral came with and how it went back.
	Referral *Referral `json:"referral,omitempty"`
	// RefusalOnRecord lists the parties whose refusal of mediation stands (PML 17): the case does not
	// go back to mediation until they consent again.
	RefusalOnRecord []string `json:"refusal_on_record,omitempty"`

	// Step is the projection of the step an action's answer carries (version 1 of StepInAnswerChange):
	// the answer comes only once the step is committed, so the cases service writes it at once, and the
	// projection activity, which runs after it, finds it written. Never shown to a client.
	Step *activities.Projection `json:"step,omitempty"`
}

// The arguments of each update (the body of the API action). Every update takes (Actor, args).

// AssignArgs assigns a mediator (or petition handler).
type AssignArgs struct {
	Mediator string `json:"mediator"`
}

// NoArgs is the argument of actions without a body.
type NoArgs struct{}

// ConsentArgs records a party's consent to mediation or refusal (PML 17).
type ConsentArgs struct {
	Party  fengqiao.PartyRole `json:"party"`
	Agrees bool               `json:"agrees"`
	Note   string             `json:"note"`
}

// SessionArgs records one mediation session.
type SessionArgs struct {
	HeldAt  time.Time `json:"held_at"`
	Notes   string    `json:"notes"`
	Outcome string    `json:"outcome"` // continue | agreement | failed
}

// AgreementArgs records a mediated agreement.
type AgreementArgs struct {
	Terms       string `json:"terms"`
	Form        string `json:"form"` // written | oral
	SignedByAll bool   `json:"signed_by_all"`
	// PaymentObligation marks terms that are a payment obligation (公证法 37).
	PaymentObligation bool `json:"payment_obligation,omitempty"`
}

// ReasonArgs carries a written reason (escalate, suspend, resume, acknowledge).
type ReasonArgs struct {
	Reason string `json:"reason"`
	// Ground names the legal ground of a suspension (policy pauses: appraisal, hearing); a statutory
	// clock stops only for a ground the law allows on its track.
	Ground string `json:"ground,omitempty"`
	// To optionally names the target node of an escalation; anything but the next tier up is refused.
	To string `json:"to,omitempty"`
}

// ReturnArgs sends a case down within its chain.
type ReturnArgs struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// ExtendArgs extends the statutory deadline.
type ExtendArgs struct {
	Days   int    `json:"days"`
	Reason string `json:"reason"`
	// BothPartiesRequested must be true for a mediation (NMR 27).
	BothPartiesRequested bool `json:"both_parties_requested"`
}

// VisitArgs records a repeat contact.
type VisitArgs struct {
	Channel fengqiao.Channel `json:"channel"`
	Note    string           `json:"note"`
	// ReceivedBy names the leader who received the petitioner on a reception day (领导接访).
	ReceivedBy string `json:"received_by,omitempty"`
}

// ConfirmationArgs sends the agreement to a court (PML 33).
type ConfirmationArgs struct {
	Court string `json:"court"`
	// Joint must be true: the parties apply jointly (PML 33).
	Joint bool `json:"joint"`
}

// CourtAcceptArgs records the court's acceptance (SPC 2011 art. 4).
type CourtAcceptArgs struct {
	CaseNo string `json:"case_no"`
}

// CourtDecisionArgs records the court's decision (SPC 2011 art. 5, 8), or its approved extension.
type CourtDecisionArgs struct {
	Result   string `json:"result"` // confirmed | rejected | extended
	RulingNo string `json:"ruling_no"`
	Note     string `json:"note"`
}

// AlternativeArgs chooses notarisation (公证法 37) or arbitration confirmation (劳动争议调解仲裁法) instead
// of judicial confirmation.
type AlternativeArgs struct {
	Route string `json:"route"` // notarisation | arbitration | withdrawal (a court referral's claim withdrawn)
	Note  string `json:"note"`
	// Body is the code of the notary or arbitration body the user named; BodyRef is that body as the
	// cases service resolved it (zero when none was named or the code names no body).
	Body    string           `json:"body,omitempty"`
	BodyRef fengqiao.BodyRef `json:"body_ref,omitempty"`
}

// PerformanceArgs records the performance check (PML 31).
type PerformanceArgs struct {
	Performed bool   `json:"performed"`
	Note      string `json:"note"`
}

// CloseArgs closes a case.
type CloseArgs struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// RouteDecisionArgs decides whether a petition is accepted (XGTL 31) or referred out (rule 6).
type RouteDecisionArgs struct {
	Accept bool `json:"accept"`
	// Channel names the lawful channel when not accepted: litigation | arbitration | administrative_review | other.
	Channel string `json:"channel,omitempty"`
	Note    string `json:"note"`
}

// AnswerArgs is the written answer to a petition (XGTL 32).
type AnswerArgs struct {
	Decision string `json:"decision"` // support | explain | not_support
	Text     string `json:"text"`
	// On an organs petition the 信访处理意见书 states the petitioner's request, the facts, the reasons,
	// the decision and its legal basis (XGTL 32), and the day it was served (送达, "YYYY-MM-DD"): the
	// 30 days for 复查 run from it (XGTL 35).
	Request  string `json:"request,omitempty"`
	Facts    string `json:"facts,omitempty"`
	Reasons  string `json:"reasons,omitempty"`
	Basis    string `json:"basis,omitempty"`
	ServedOn string `json:"served_on,omitempty"`
}

// ReviewArgs requests 复查 (XGTL 35) or 复核 (XGTL 36).
type ReviewArgs struct {
	Level  string `json:"level"`
	Reason string `json:"reason"`
}

// ReviewReplyArgs is the reviewing level's opinion.
type ReviewReplyArgs struct {
	Decision string `json:"decision"` // support | explain | not_support
	Text     string `json:"text"`
	// ServedOn is the day the written opinion was served (organs petitions): the 30 days for 复核 run
	// from it (XGTL 36).
	ServedOn string `json:"served_on,omitempty"`
}

// FollowUpArgs records the first-contact owner's follow-up visit.
type FollowUpArgs struct {
	Note string `json:"note"`
}

// RatingArgs is a party's rating (1-5).
type RatingArgs struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// MigratePolicyArgs moves a running case to a new policy (explicit migration).
type MigratePolicyArgs struct {
	Policy deadline.Policy `json:"policy"`
}

// NewArgs returns a pointer to the zero argument value of the named action (rating included), or nil
// for an unknown name. The cases service decodes the API body into it before sending the update.
func NewArgs(update string) any {
	for _, act := range caseActions {
		if act.actionName() == update {
			return act.newArgs()
		}
	}
	return nil
}
