package cases

import (
	"sort"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/workflows"
)

// ActionSpec is what the application knows of a staff action (a workflow update) beyond the rule the
// workflow applies: the permission it needs, whether a supervisor may apply it to many cases at once,
// and the form a page shows for it. A new workflow step is one entry here, its OpenAPI entry and its
// translations; TestEveryWorkflowActionIsDeclared (api/web) fails when one is missing.
type ActionSpec struct {
	Permission policy.Action
	// Bulk allows the action on the supervision board's bulk form and POST /supervision/bulk.
	Bulk bool
	// Form are the inputs of the action's form: the JSON fields of its workflows.*Args.
	Form []Field
}

// Field is one input of an action's form; Name is the JSON name of the argument's field.
type Field struct {
	Name string
	// Type is text, textarea, number, date, datetime, checkbox, select or choice. A choice is a set of radio
	// buttons with none chosen: an explicit answer where an unticked checkbox would itself be a decision.
	Type    string
	Options []Option // for select and choice
	Value   string   // default value; never set on a consequential checkbox or choice
	Req     bool
	// Confirm asks the user to confirm before the form is sent with a consequential choice: one that
	// ends the case, refers it out or records a court's refusal. ConfirmOn are those choices' values;
	// the page explains each one's consequence (message conseq.<action>.<value>).
	Confirm   bool
	ConfirmOn []string
}

// Option is one choice of a select or choice field; Label is a message key of the pages' catalogue.
type Option struct {
	Value, Label string
}

// NeedsConfirm reports whether value is a consequential choice of the field.
func (f Field) NeedsConfirm(value string) bool {
	if !f.Confirm {
		return false
	}
	for _, v := range f.ConfirmOn {
		if v == value {
			return true
		}
	}
	return false
}

// yesNo is an explicit choice between "true" and "false" for a boolean argument, labelled
// choice.<name>.true and choice.<name>.false; confirmNo marks "false" as consequential.
func yesNo(name string, confirmNo bool) Field {
	f := Field{Name: name, Type: "choice", Req: true, Options: []Option{
		{Value: "true", Label: "choice." + name + ".true"},
		{Value: "false", Label: "choice." + name + ".false"}}}
	if confirmNo {
		f.Confirm, f.ConfirmOn = true, []string{"false"}
	}
	return f
}

// choose is the empty first option of a required select: nothing is chosen until the user chooses.
var choose = Option{Value: "", Label: "choice.none"}

func options(prefix string, values ...string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: v, Label: prefix + v}
	}
	return out
}

// ChannelOptions are the intake channels as select options.
func ChannelOptions() []Option {
	out := make([]Option, len(fengqiao.Channels))
	for i, c := range fengqiao.Channels {
		out[i] = Option{Value: string(c), Label: "channel." + string(c)}
	}
	return out
}

var reason = Field{Name: "reason", Type: "textarea", Req: true}

// actions are the staff actions, by workflow update name. Rating is the party's, through the public
// query code only, and is not here.
var actions = map[string]ActionSpec{
	workflows.UpdateAssign: {Permission: policy.ActionCaseAssign, Bulk: true,
		Form: []Field{{Name: "mediator", Type: "select", Req: true}}},
	workflows.UpdateAccept: {Permission: policy.ActionCaseAccept},
	workflows.UpdateConsent: {Permission: policy.ActionCaseSession,
		Form: []Field{{Name: "party", Type: "select", Options: options("party.", "applicant", "respondent")},
			yesNo("agrees", true), {Name: "note", Type: "text"}}},
	workflows.UpdateSession: {Permission: policy.ActionCaseSession,
		Form: []Field{{Name: "held_at", Type: "datetime", Req: true},
			{Name: "outcome", Type: "select", Options: options("outcome.", "continue", "agreement", "failed")},
			{Name: "notes", Type: "textarea"}}},
	workflows.UpdateAgreement: {Permission: policy.ActionCaseAgreement,
		Form: []Field{{Name: "terms", Type: "textarea", Req: true},
			{Name: "form", Type: "select", Options: options("form.", "written", "oral")},
			yesNo("signed_by_all", false), {Name: "payment_obligation", Type: "checkbox"}}},
	workflows.UpdateEscalate: {Permission: policy.ActionCaseEscalate, Bulk: true,
		Form: []Field{reason, {Name: "to", Type: "text"}}},
	workflows.UpdateReturn: {Permission: policy.ActionCaseReturn,
		Form: []Field{{Name: "to", Type: "text", Req: true}, reason}},
	workflows.UpdateAcknowledge: {Permission: policy.ActionSupervisionAcknowledge, Bulk: true, Form: []Field{reason}},
	workflows.UpdateSuspend:     {Permission: policy.ActionCaseSuspend, Form: []Field{reason}},
	workflows.UpdateResume:      {Permission: policy.ActionCaseResume, Form: []Field{reason}},
	workflows.UpdateExtend: {Permission: policy.ActionCaseExtend, Bulk: true,
		Form: []Field{{Name: "days", Type: "number", Req: true, Value: "15"}, reason,
			{Name: "both_parties_requested", Type: "checkbox"}}},
	workflows.UpdateVisit: {Permission: policy.ActionCaseVisit,
		Form: []Field{{Name: "channel", Type: "select", Options: ChannelOptions()}, {Name: "note", Type: "text"},
			{Name: "received_by", Type: "text"}}},
	workflows.UpdateConfirmation: {Permission: policy.ActionCaseConfirmation,
		Form: []Field{{Name: "court", Type: "select", Req: true}, {Name: "joint", Type: "checkbox", Req: true}}},
	workflows.UpdateCourtAccept: {Permission: policy.ActionCaseCourtDecision,
		Form: []Field{{Name: "case_no", Type: "text", Req: true}}},
	workflows.UpdateCourtDecision: {Permission: policy.ActionCaseCourtDecision,
		Form: []Field{{Name: "result", Type: "select", Req: true, Confirm: true, ConfirmOn: []string{"rejected"},
			Options: append([]Option{choose}, options("result.", "confirmed", "rejected", "extended")...)},
			{Name: "ruling_no", Type: "text"}, {Name: "note", Type: "text"}}},
	workflows.UpdateAlternative: {Permission: policy.ActionCaseConfirmation,
		Form: []Field{{Name: "route", Type: "select", Options: options("route.", "notarisation", "arbitration", "withdrawal")},
			{Name: "body", Type: "text"}, {Name: "note", Type: "text"}}},
	workflows.UpdatePerformance: {Permission: policy.ActionCasePerformance,
		Form: []Field{yesNo("performed", false), {Name: "note", Type: "text"}}},
	workflows.UpdateClose: {Permission: policy.ActionCaseClose,
		Form: []Field{{Name: "outcome", Type: "select", Req: true, Confirm: true, ConfirmOn: []string{"resolved", "terminated", "withdrawn"},
			Options: append([]Option{choose}, options("close.", "resolved", "terminated", "withdrawn")...)},
			{Name: "note", Type: "textarea"}}},
	// the receiving office decides to accept or refer out: authorized as assignment
	workflows.UpdateRouteDecision: {Permission: policy.ActionCaseAssign,
		Form: []Field{yesNo("accept", true),
			{Name: "channel", Type: "select", Options: append([]Option{{"", "lawful.none"}}, options("lawful.", workflows.LawfulChannels...)...)},
			{Name: "note", Type: "text"}}},
	workflows.UpdateAnswer: {Permission: policy.ActionCaseAnswer, Form: answerForm},
	workflows.UpdateReview: {Permission: policy.ActionCaseReview,
		Form: []Field{{Name: "level", Type: "select", Options: []Option{{"复查", "level.复查"}, {"复核", "level.复核"}}}, reason}},
	// the reviewing organ (复查/复核) replies: its handlers (on a petition started on the mediation ladder,
	// its supervisors); a 复核 opinion makes the matter final
	workflows.UpdateReviewReply: {Permission: policy.ActionCaseAnswer, Form: replyForm},
	// the petition track on organs (XGTL 22-36): the petition office routes — forwards or assigns to the
	// competent agency, refers out, does not accept — and the common superior decides after an objection
	// (case.route); the agency's handlers object, accept and answer (case.handle, case.answer); the office
	// urges the organ (督办, case.supervise)
	workflows.UpdateForward:     {Permission: policy.ActionCaseRoute, Form: forwardForm},
	workflows.UpdateDecideOrgan: {Permission: policy.ActionCaseRoute, Form: forwardForm},
	workflows.UpdateReferOut: {Permission: policy.ActionCaseRoute,
		Form: []Field{{Name: "channel", Type: "select", Req: true, Confirm: true, ConfirmOn: workflows.LawfulChannels,
			Options: append([]Option{choose}, options("lawful.", workflows.LawfulChannels...)...)},
			{Name: "note", Type: "textarea", Req: true}}},
	workflows.UpdateNotAccept: {Permission: policy.ActionCaseRoute,
		Form: []Field{{Name: "ground", Type: "select", Req: true, Confirm: true, ConfirmOn: workflows.NotAcceptGrounds,
			Options: append([]Option{choose}, options("notaccept.", workflows.NotAcceptGrounds...)...)},
			reason}},
	workflows.UpdateObject:         {Permission: policy.ActionCaseHandle, Form: []Field{reason}},
	workflows.UpdateAcceptPetition: {Permission: policy.ActionCaseHandle, Form: []Field{{Name: "note", Type: "text"}}},
	workflows.UpdateSupervise:      {Permission: policy.ActionCaseSupervise, Form: []Field{{Name: "note", Type: "textarea", Req: true}}},
	workflows.UpdateFollowUp:       {Permission: policy.ActionCaseFollowUp, Form: []Field{{Name: "note", Type: "textarea", Req: true}}},
	// risks (DESIGN §3 rule 9): anyone who may read the case records signs of violence (PML 25: a
	// mediator who finds a dispute may turn violent reports it); a supervisor names owners (in bulk on the
	// risk board); the owner or a supervisor records measures and closes (the workflow checks who)
	workflows.UpdateRiskMark: {Permission: policy.ActionCaseRead,
		Form: []Field{{Name: "violence", Type: "checkbox"}, {Name: "group", Type: "checkbox"}, reason}},
	workflows.UpdateRiskOwner: {Permission: policy.ActionCaseAssign, Bulk: true,
		Form: []Field{riskKind, {Name: "owner", Type: "text", Req: true}}},
	workflows.UpdateRiskPlan: {Permission: policy.ActionCaseRead,
		Form: []Field{riskKind, {Name: "measure", Type: "textarea", Req: true}, {Name: "review_at", Type: "datetime"}}},
	workflows.UpdateRiskClose: {Permission: policy.ActionCaseRead,
		Form: []Field{{Name: "kind", Type: "select", Req: true, Options: options("risk.", riskKinds()...)}, reason}},
	// a supervisor takes the case personally (领导包案): authorized as ordering an escalation
	workflows.UpdateTakeCase:     {Permission: policy.ActionCaseEscalate, Form: []Field{reason}},
	workflows.UpdateLeaderReport: {Permission: policy.ActionCaseRead, Form: []Field{{Name: "note", Type: "textarea", Req: true}}},
	// joint mediation at the county centre (联合调解): the lead mediator or a supervisor adds and removes
	// co-bodies and names their mediators; each co-body's mediator records their part; a supervisor
	// hands the case to a professional committee or an agency (行政调解)
	workflows.UpdateCoBody: {Permission: policy.ActionCaseJoint,
		Form: []Field{{Name: "op", Type: "select", Req: true, Confirm: true, ConfirmOn: []string{"remove"},
			Options: append([]Option{choose}, options("cobody.", "add", "remove")...)},
			{Name: "body", Type: "text", Req: true}, {Name: "reason", Type: "textarea"}}},
	workflows.UpdateCoMediator: {Permission: policy.ActionCaseJoint,
		Form: []Field{{Name: "body", Type: "text", Req: true}, {Name: "mediator", Type: "text", Req: true}}},
	workflows.UpdateJointPart: {Permission: policy.ActionCaseJointPart,
		Form: []Field{{Name: "body", Type: "text"}, {Name: "held_at", Type: "datetime", Req: true},
			{Name: "notes", Type: "textarea", Req: true}}},
	workflows.UpdateHandOff: {Permission: policy.ActionCaseHandOff,
		Form: []Field{{Name: "body", Type: "text", Req: true}, reason}},
	// the entrusting court records the filing (立案) of a court referral that came back without agreement
	workflows.UpdateCourtFiling: {Permission: policy.ActionCaseCourtDecision,
		Form: []Field{{Name: "case_no", Type: "text", Req: true}, {Name: "note", Type: "text"}}},
	// an administrator moves a running case to the deadline policy now in force (an empty body: the
	// service's current policy)
	workflows.UpdateMigratePolicy: {Permission: policy.ActionAdminPolicy},
}

// answerForm is the written answer: on a petition handled by organs, the five elements of XGTL 32 and the
// day it was served (XGTL 35).
var answerForm = []Field{{Name: "request", Type: "textarea"}, {Name: "facts", Type: "textarea"},
	{Name: "reasons", Type: "textarea"},
	{Name: "decision", Type: "select", Req: true, Options: append([]Option{choose}, options("decision.", "support", "explain", "not_support")...)},
	{Name: "basis", Type: "textarea"}, {Name: "text", Type: "textarea"}, {Name: "served_on", Type: "date"}}

// replyForm is a 复查 or 复核 opinion; after 复核 the matter is final (XGTL 36), hence the confirmation.
var replyForm = []Field{{Name: "decision", Type: "select", Req: true, Confirm: true, ConfirmOn: workflows.AnswerDecisions,
	Options: append([]Option{choose}, options("decision.", workflows.AnswerDecisions...)...)},
	{Name: "text", Type: "textarea", Req: true}, {Name: "served_on", Type: "date"}}

// forwardForm hands a petition to the competent agency (the page lists the agencies on the location's
// chain); a petition naming village cadres is marked so that it never goes to that village (XGTL 30).
var forwardForm = []Field{{Name: "agency", Type: "select", Req: true},
	{Name: "mode", Type: "choice", Req: true, Options: options("mode.", workflows.ModeForward, workflows.ModeAssign)},
	{Name: "report_by", Type: "date"}, {Name: "village_cadres", Type: "checkbox"}, {Name: "note", Type: "textarea"}}

// Action returns the spec of a staff action, and false for a name that is no staff action.
func Action(name string) (ActionSpec, bool) {
	a, ok := actions[name]
	return a, ok
}

// Actions lists the staff actions' names, sorted.
func Actions() []string {
	out := make([]string, 0, len(actions))
	for name := range actions {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// BulkActions lists the actions a supervisor may apply to many cases at once, sorted.
func BulkActions() []string {
	var out []string
	for _, name := range Actions() {
		if actions[name].Bulk {
			out = append(out, name)
		}
	}
	return out
}

// FormOf returns a fresh copy of an action's form fields (a page fills in options and defaults).
func FormOf(name string) []Field {
	out := append([]Field(nil), actions[name].Form...)
	for i := range out { // a page fills in options: never into the shared specs
		out[i].Options = append([]Option(nil), out[i].Options...)
	}
	return out
}
