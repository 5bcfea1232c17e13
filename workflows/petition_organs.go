package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
)

// The petition track on organs (信访, XGTL 22-36): the petition office of the receiving level registers
// the petition and, within 15 days, forwards (转送) or assigns (交办) it to the competent agency, refers it
// out to the lawful channel, or does not accept it with a written notice. The agency may object to a
// misrouting within 5 working days (XGTL 23); when organs dispute, their common superior decides (XGTL 24).
// The agency accepts and tells the petitioner, handles within 60 days (+≤30 approved, XGTL 34), and
// answers in writing with the five elements of XGTL 32 and the day the answer was served. 复查 is at the
// agency's superior (XGTL 35), 复核 at the next superior (XGTL 36); then the matter is final. The
// petition office follows every step and may 督办 (XGTL 40).
//
// A petition started before this track (no Petition.Organs) keeps the mediation-ladder rules of
// petition.go, so that running cases and recorded histories replay.

// PetitionOrgansChange is the workflow.GetVersion change id under which a new petition starts on
// organs (version 1).
const PetitionOrgansChange = "petition-organs"

// PetitionRatingChange is the change id under which a petition on the old track stops starting 复查 on a
// low rating (version 1): a rating is only a rating (rule 8).
const PetitionRatingChange = "petition-rating-only"

// The updates of the petition track on organs.
const (
	UpdateForward        = "forward"         // the petition office forwards (转送) or assigns (交办) to the competent agency (XGTL 22)
	UpdateReferOut       = "refer-out"       // 诉访分离: closed with a notice naming the lawful channel (XGTL 22, 28, 31)
	UpdateNotAccept      = "not-accept"      // not accepted, with a written notice and its reason (XGTL 22, 23)
	UpdateObject         = "object"          // the agency objects to a misrouting within 5 working days (XGTL 23)
	UpdateDecideOrgan    = "decide-organ"    // the common superior decides which organ accepts (XGTL 24)
	UpdateAcceptPetition = "accept-petition" // the agency accepts and tells the petitioner (受理告知, XGTL 23)
	UpdateSupervise      = "supervise"       // the petition office urges the organ (督办, XGTL 40)
)

// The stages of a petition on organs (Petition.Stage).
const (
	StageOffice    = "office"    // registered at the petition office, to be routed
	StageForwarded = "forwarded" // with the agency, not yet accepted
	StageHandling  = "handling"  // accepted by the agency
	StageAnswered  = "answered"  // answered (or a 复查 opinion given); the review window runs
	StageReview    = "review"    // under 复查 or 复核 at a superior organ
	StageDone      = "done"      // closed, referred out, not accepted or final
)

// The two ways the petition office hands a petition to the competent agency (XGTL 22).
const (
	ModeForward = "forward" // 转送
	ModeAssign  = "assign"  // 交办: the agency reports back by a date (XGTL 22(三))
)

// ForwardArgs forwards or assigns a petition to the competent agency (and, for decide-organ, names the
// organ the common superior decided on). The clerk names Agency; the cases service resolves it in the
// body directory into Organ and its Superiors (nearest first) at that moment: the workflow looks
// nothing up.
type ForwardArgs struct {
	Agency    string             `json:"agency"`
	Organ     fengqiao.BodyRef   `json:"organ"`
	Superiors []fengqiao.BodyRef `json:"superiors,omitempty"`
	// Mode is forward (转送) or assign (交办); ReportBy ("YYYY-MM-DD") is required for assign.
	Mode     string `json:"mode"`
	ReportBy string `json:"report_by,omitempty"`
	// VillageCadres: the petition names cadres of a village or community (反映村（社区）干部, XGTL 30).
	VillageCadres bool   `json:"village_cadres,omitempty"`
	Note          string `json:"note,omitempty"`
}

// ReferOutArgs refers a petition to the lawful channel it belongs to; Note is the written notice.
type ReferOutArgs struct {
	Channel string `json:"channel"`
	Note    string `json:"note"`
}

// NotAcceptGrounds are why a petition office does not accept a petition (XGTL 19, 22-23; 浙江省信访条例
// 20(五)): the same matter is being handled within its period, it was concluded, the petitioner's name or
// address is unclear so no written notice can reach them, or another reason written out.
var NotAcceptGrounds = []string{"handling", "concluded", "unclear", "other"}

// NotAcceptArgs does not accept a petition, with the ground and the written reason.
type NotAcceptArgs struct {
	Ground string `json:"ground"`
	Reason string `json:"reason"`
}

// NoteArgs carries a note (the agency's acceptance notice, the petition office's 督办).
type NoteArgs struct {
	Note string `json:"note"`
}

// LawfulChannelLabel is the Chinese name of a lawful channel, as notices to the petitioner name it.
func LawfulChannelLabel(c string) string {
	switch c {
	case "litigation":
		return "诉讼"
	case "arbitration":
		return "仲裁"
	case "administrative_review":
		return "行政复议"
	case "party_appeal":
		return "党员申诉、申请复审"
	case "discipline":
		return "纪检监察机关检举控告"
	}
	return "其他法定途径"
}

func (s *caseState) organs() bool { return s.Petition != nil && s.Petition.Organs }

func (s *caseState) stageIs(name string, stages ...string) error {
	if !s.organs() {
		return refuse(fengqiao.ECodeNotAllowed, "%s applies to a petition handled by organs", name)
	}
	for _, st := range stages {
		if s.Petition.Stage == st {
			return nil
		}
	}
	return refuse(fengqiao.ECodeNotAllowed, "%s is not allowed while the petition is at stage %s", name, s.Petition.Stage)
}

// coversBody reports whether a's grant covers the body: granted at the body itself, or at its seat or
// a node above it on the case's chain.
func (s *caseState) coversBody(a Actor, b *fengqiao.BodyRef) bool {
	if b == nil || b.IsZero() {
		return false
	}
	if a.Node == b.Code {
		return true
	}
	i := chainIndex(s.Chain, b.Node)
	return i >= 0 && covers(s.Chain, i, a.Node)
}

// officeStaff: a clerk or supervisor of the petition office that registered the petition.
func (s *caseState) officeStaff(a Actor) bool {
	return (a.Role == fengqiao.RoleClerk || a.Role == fengqiao.RoleSupervisor) && s.coversBody(a, s.Petition.Office)
}

// organStaff: a handler or supervisor (负责人) of the organ handling the petition now.
func (s *caseState) organStaff(a Actor) bool {
	return (a.Role == fengqiao.RoleHandler || a.Role == fengqiao.RoleSupervisor) && s.coversBody(a, s.Petition.Organ)
}

// registerPetition starts a new petition on organs at its petition office: the body the routing table
// chose (StartInput.Route), else the receiving level itself acting as its petition office — the nearest
// township or higher node on the chain at or above the receiving window (a plain tree keeps working).
func (s *caseState) registerPetition(now time.Time, in StartInput) {
	p := s.Petition
	p.Organs, p.Stage, p.RouteFrom = true, StageOffice, &now
	if r := in.Route; r != nil && r.Body.Type == fengqiao.BodyPetitionOffice {
		if i := chainIndex(s.Chain, r.Body.Node); i >= 0 {
			office := r.Body
			p.Office, s.Handling = &office, i
			return
		}
	}
	from := chainIndex(s.Chain, s.FirstContact.Node)
	if from < 0 {
		from = len(s.Chain) - 1
	}
	for i := from; i >= 0; i-- {
		if t := s.Chain[i].Tier; t == fengqiao.TierTownship || t == fengqiao.TierCounty || t == fengqiao.TierCity {
			n := s.Chain[i]
			p.Office, s.Handling = &fengqiao.BodyRef{Code: n.Code, Name: n.Name, Type: fengqiao.BodyPetitionOffice, Node: n.Code}, i
			return
		}
	}
}

// addBodyArgs puts a body's code and name among an event's facts under prefix.
func addBodyArgs(prefix string, b *fengqiao.BodyRef, args map[string]string) {
	if b == nil {
		return
	}
	args[prefix] = b.Code
	args[prefix+"_name"] = b.Name
}

// petitionArgs are the facts every event of the track names: the petition office and the organ.
func (s *caseState) petitionArgs(kv ...string) map[string]string {
	args := map[string]string{}
	addBodyArgs("office", s.Petition.Office, args)
	addBodyArgs("organ", s.Petition.Organ, args)
	for i := 0; i+1 < len(kv); i += 2 {
		args[kv[i]] = kv[i+1]
	}
	return args
}

// officeStaffTo are the petition office's clerks and supervisors (its seat), told of every step.
func (s *caseState) officeStaffTo() []activities.Recipient {
	o := s.Petition.Office
	if o == nil {
		return nil
	}
	return []activities.Recipient{{Role: fengqiao.RoleClerk, Node: o.Node}, {Role: fengqiao.RoleSupervisor, Node: o.Node}}
}

// organStaffTo are the handlers of the organ handling the petition now and its supervisors.
func (s *caseState) organStaffTo() []activities.Recipient {
	o := s.Petition.Organ
	if o == nil {
		return nil
	}
	return []activities.Recipient{{Role: fengqiao.RoleHandler, Node: o.Node}, {Role: fengqiao.RoleSupervisor, Node: o.Node}}
}

// day parses a calendar day ("YYYY-MM-DD") as 00:00 China time.
func day(field, v string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v), deadline.China)
	if err != nil {
		return time.Time{}, invalid(field, "must be a day YYYY-MM-DD")
	}
	return t, nil
}

func dayText(t time.Time) string { return t.In(deadline.China).Format("2006-01-02") }

// lastDayText is a deadline's last day as people read it (24:00 of the day before the stored instant).
func lastDayText(t time.Time) string { return deadline.LastDate(t).Format("2006-01-02") }

// checkOrgan checks the organ a petition goes to: an agency (行政机关) seated on the location's chain
// (属地管理), never the village's own bodies when the petition names its cadres (XGTL 30).
func (s *caseState) checkOrgan(in ForwardArgs, cadres bool) error {
	if err := required("agency", in.Agency); err != nil {
		return err
	}
	if in.Organ.IsZero() || in.Organ.Code != in.Agency {
		return invalid("agency", "is not a known body")
	}
	if in.Organ.Type != fengqiao.BodyAgency {
		return invalidf("agency", "must be an agency (行政机关), not a %s", in.Organ.Type)
	}
	i := chainIndex(s.Chain, in.Organ.Node)
	if i < 0 {
		return invalid("agency", "must be seated on the chain of the petition's location (属地管理、分级负责, XGTL 5, 22)")
	}
	if t := s.Chain[i].Tier; cadres && (t == fengqiao.TierVillage || t == fengqiao.TierGrid) {
		return refuse(fengqiao.ECodeNotAllowed, "反映村（社区）干部的信访事项不得转交该村（社区）办理 / a petition naming village cadres must not go to that village's own bodies (XGTL 30)")
	}
	return nil
}

// checkForward checks the mode and the report-back day of a forward.
func (s *caseState) checkForward(now time.Time, in ForwardArgs) error {
	switch in.Mode {
	case ModeForward:
	case ModeAssign:
		if err := required("report_by", in.ReportBy); err != nil {
			return invalid("report_by", "is required when assigning (交办): the day the agency reports back (XGTL 22(三))")
		}
		d, err := day("report_by", in.ReportBy)
		if err != nil {
			return err
		}
		if today, _ := day("", dayText(now)); d.Before(today) {
			return invalid("report_by", "must not be in the past")
		}
	default:
		return invalid("mode", "must be forward (转送) or assign (交办)")
	}
	return nil
}

// handOver gives the petition to an organ (forward, assign or the common superior's decision).
func (s *caseState) handOver(now time.Time, a Actor, in ForwardArgs, typ string) {
	p := s.Petition
	organ := in.Organ
	p.Organ, p.Superiors, p.Mode = &organ, append([]fengqiao.BodyRef(nil), in.Superiors...), in.Mode
	p.ForwardedAt, p.ReportBy, p.ReportOverdue = &now, nil, false
	if in.Mode == ModeAssign {
		d, _ := day("report_by", in.ReportBy)
		end := d.AddDate(0, 0, 1) // 24:00 of the day
		p.ReportBy = &end
	}
	by := s.Calendar.Due(now, s.Policy.Petition.Objection)
	p.ObjectionBy = &by
	p.VillageCadres = p.VillageCadres || in.VillageCadres
	p.Stage = StageForwarded
	s.Handling = chainIndex(s.Chain, organ.Node)
	s.Assignee = ""
	s.StatAtRisk, s.StatOverdue, p.OverdueReported = false, false, false
	args := s.petitionArgs("mode", in.Mode, "objection_by", lastDayText(by))
	if p.ReportBy != nil {
		args["report_by"] = in.ReportBy
	}
	if p.VillageCadres {
		args["village_cadres"] = "true"
	}
	s.eventWith(now, typ, a, in.Note, args)
	verb := "转送"
	if in.Mode == ModeAssign {
		verb = "交办"
	}
	s.notify(typ, false, "信访事项"+verb+" "+s.Number, "已"+verb+organ.Name+"办理，请在5个工作日内受理或提出异议", s.organStaffTo()...)
	s.notify(typ, false, "信访事项"+verb+"告知 "+s.Number, "您的信访事项已"+verb+"至"+organ.Name+"办理", s.applicants()...)
	s.notify(typ, false, "信访事项去向 "+s.Number, verb+"至"+organ.Name, s.firstContact())
}

// forward: the petition office forwards (转送) or assigns (交办, with a report-back day) the petition to
// the competent agency within 15 days of registration (XGTL 22).
var forwardAction = action[ForwardArgs]{
	name:  UpdateForward,
	state: func(s *caseState, now time.Time) error { return s.stageIs("forward", StageOffice) },
	check: func(s *caseState, now time.Time, a Actor, in ForwardArgs) error {
		if !s.officeStaff(a) {
			return forbid("only a clerk or supervisor of the petition office %s may forward the petition", s.Petition.Office.Name)
		}
		return all(s.checkOrgan(in, in.VillageCadres || s.Petition.VillageCadres), s.checkForward(now, in))
	},
	apply: func(s *caseState, now time.Time, a Actor, in ForwardArgs) {
		typ := "petition_forwarded"
		if in.Mode == ModeAssign {
			typ = "petition_assigned"
		}
		s.handOver(now, a, in, typ)
	},
}

// decide-organ: after an organ objected, their common superior (the first organ above both) decides
// which organ accepts (XGTL 24); a clerk or supervisor there records it, and that organ may not object.
var decideOrganAction = action[ForwardArgs]{
	name: UpdateDecideOrgan,
	state: func(s *caseState, now time.Time) error {
		if err := s.stageIs("decide-organ", StageOffice); err != nil {
			return err
		}
		if len(s.Petition.Objections) == 0 {
			return refuse(fengqiao.ECodeNotAllowed, "no organ has objected: the petition office forwards the petition itself")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ForwardArgs) error {
		if in.Mode == "" {
			in.Mode = ModeForward
		}
		if err := all(s.checkOrgan(in, s.Petition.VillageCadres), s.checkForward(now, in)); err != nil {
			return err
		}
		common, ok := CommonSuperior(s.Petition.Objections[len(s.Petition.Objections)-1], in.Organ, in.Superiors)
		if !ok {
			return refuse(fengqiao.ECodeNotAllowed, "these organs have no common superior: the joint petition conference (信访工作联席会议) coordinates (XGTL 24)")
		}
		if (a.Role != fengqiao.RoleClerk && a.Role != fengqiao.RoleSupervisor) || !s.coversBody(a, &common) {
			return forbid("only a clerk or supervisor of the common superior %s may decide which organ accepts (XGTL 24)", common.Name)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ForwardArgs) {
		if in.Mode == "" {
			in.Mode = ModeForward
		}
		common, _ := CommonSuperior(s.Petition.Objections[len(s.Petition.Objections)-1], in.Organ, in.Superiors)
		s.Petition.Decided = true
		s.handOver(now, a, in, "petition_organ_decided")
		s.pendingEvents[len(s.pendingEvents)-1].Args["decided_by"] = common.Code
		s.pendingEvents[len(s.pendingEvents)-1].Args["decided_by_name"] = common.Name
	},
}

// CommonSuperior is the nearest organ above both the organ that objected and the organ chosen (XGTL 24):
// the first of the objector's superiors that is the chosen organ or one of its superiors.
func CommonSuperior(o Objection, organ fengqiao.BodyRef, superiors []fengqiao.BodyRef) (fengqiao.BodyRef, bool) {
	for _, up := range o.Superiors {
		if up.Code == organ.Code {
			return up, true
		}
		for _, other := range superiors {
			if other.Code == up.Code {
				return up, true
			}
		}
	}
	return fengqiao.BodyRef{}, false
}

// object: the agency objects within 5 working days that the petition is not within its competence,
// giving its reasons; the petition goes back to the petition office (XGTL 23).
var objectAction = action[ReasonArgs]{
	name: UpdateObject,
	state: func(s *caseState, now time.Time) error {
		if err := s.stageIs("object", StageForwarded); err != nil {
			return err
		}
		p := s.Petition
		if p.Decided {
			return refuse(fengqiao.ECodeNotAllowed, "the common superior decided that this organ accepts (XGTL 24)")
		}
		if p.ObjectionBy == nil || !now.Before(*p.ObjectionBy) {
			return refuse(fengqiao.ECodeNotAllowed, "the 5 working days to object have passed (XGTL 23)")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReasonArgs) error {
		if !s.organStaff(a) {
			return forbid("only a handler of %s may object", s.Petition.Organ.Name)
		}
		return required("reason", in.Reason)
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReasonArgs) {
		p := s.Petition
		p.Objections = append(p.Objections, Objection{Organ: *p.Organ, Superiors: p.Superiors, At: now})
		s.eventWith(now, "petition_objection", a, in.Reason, s.petitionArgs())
		p.Organ, p.Superiors, p.Mode, p.ObjectionBy, p.ReportBy, p.ForwardedAt = nil, nil, "", nil, nil, nil
		p.Stage, p.RouteFrom = StageOffice, &now
		s.Handling = chainIndex(s.Chain, p.Office.Node)
		s.StatAtRisk, s.StatOverdue = false, false
		s.notify("petition_objection", true, "信访事项转送异议 "+s.Number, "承办机关提出异议，请重新转送或报请共同上级决定", s.officeStaffTo()...)
	},
}

// accept-petition: the agency accepts the petition and tells the petitioner in writing (受理告知, XGTL 23);
// the 60 days of XGTL 34 start.
var acceptPetitionAction = action[NoteArgs]{
	name:  UpdateAcceptPetition,
	state: func(s *caseState, now time.Time) error { return s.stageIs("accept-petition", StageForwarded) },
	check: func(s *caseState, now time.Time, a Actor, in NoteArgs) error {
		if !s.organStaff(a) {
			return forbid("only a handler of %s may accept the petition", s.Petition.Organ.Name)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in NoteArgs) {
		p := s.Petition
		p.Stage, p.Accepted, p.AcceptedAt = StageHandling, true, &now
		s.StatAtRisk, s.StatOverdue, p.OverdueReported = false, false, false
		due := s.Calendar.Due(now, s.Policy.Petition.Handle)
		s.eventWith(now, "petition_accepted", a, in.Note, s.petitionArgs("handle_by", lastDayText(due)))
		s.notify("petition_accepted", false, "信访事项受理告知书 "+s.Number,
			fmt.Sprintf("您的信访事项已由%s受理，将于%s前办结并书面答复", p.Organ.Name, lastDayText(due)), s.applicants()...)
		s.notify("petition_accepted", false, "信访事项已受理 "+s.Number, p.Organ.Name+"已受理", s.officeStaffTo()...)
	},
}

// refer-out: a matter that belongs to litigation, arbitration, administrative review, a party appeal or
// the discipline organs (检举控告) is not handled as a petition; it is closed with a written notice
// naming that channel (诉访分离, XGTL 22, 28, 31(一)-(四); rule 6). The petition office decides before
// forwarding; the agency may find it while handling.
var referOutAction = action[ReferOutArgs]{
	name: UpdateReferOut,
	state: func(s *caseState, now time.Time) error {
		return s.stageIs("refer-out", StageOffice, StageForwarded, StageHandling)
	},
	check: func(s *caseState, now time.Time, a Actor, in ReferOutArgs) error {
		if !lawfulChannel(in.Channel) {
			return invalidf("channel", "must name the lawful channel: %s", strings.Join(LawfulChannels, ", "))
		}
		if err := required("note", in.Note); err != nil {
			return invalid("note", "is required: the written notice naming the channel")
		}
		if s.Petition.Stage == StageOffice && !s.officeStaff(a) {
			return forbid("only the petition office %s may refer the petition out", s.Petition.Office.Name)
		}
		if s.Petition.Stage != StageOffice && !s.organStaff(a) {
			return forbid("only a handler of %s may refer the petition out", s.Petition.Organ.Name)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReferOutArgs) {
		p := s.Petition
		p.ReferredTo, p.Stage = in.Channel, StageDone
		s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusReferredOut, "referred_out: "+in.Channel, &now
		s.closeCommon(now)
		s.eventWith(now, "referred_out", a, in.Note, s.petitionArgs("channel", in.Channel))
		s.notify("referred_out", false, "信访事项告知书 "+s.Number, "您反映的事项应当通过"+LawfulChannelLabel(in.Channel)+"途径解决："+in.Note, s.applicants()...)
		s.notify("referred_out", false, "信访事项已导入法定途径 "+s.Number, LawfulChannelLabel(in.Channel), s.officeStaffTo()...)
		s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人", s.firstContact())
	},
}

// not-accept: the petition office does not accept the petition, with a written notice and its reason
// (XGTL 22, 23; e.g. a matter already being handled or concluded, 浙江省信访条例 20(五)).
var notAcceptAction = action[NotAcceptArgs]{
	name:  UpdateNotAccept,
	state: func(s *caseState, now time.Time) error { return s.stageIs("not-accept", StageOffice) },
	check: func(s *caseState, now time.Time, a Actor, in NotAcceptArgs) error {
		if !s.officeStaff(a) {
			return forbid("only the petition office %s may decide not to accept", s.Petition.Office.Name)
		}
		ok := false
		for _, g := range NotAcceptGrounds {
			ok = ok || g == in.Ground
		}
		if !ok {
			return invalidf("ground", "must be one of %s", strings.Join(NotAcceptGrounds, ", "))
		}
		return required("reason", in.Reason)
	},
	apply: func(s *caseState, now time.Time, a Actor, in NotAcceptArgs) {
		s.Petition.Stage = StageDone
		s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusClosed, "not_accepted", &now
		s.ResolvedTier = s.tier()
		s.closeCommon(now)
		s.eventWith(now, "petition_not_accepted", a, in.Reason, s.petitionArgs("ground", in.Ground))
		s.notify("petition_not_accepted", false, "信访事项不予受理告知书 "+s.Number, "不予受理的理由："+in.Reason, s.applicants()...)
		s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人", s.firstContact())
	},
}

// supervise: the petition office urges the organ (督办, XGTL 40) with a note; the organ's handlers and
// supervisors are told, and the step is on the timeline.
var superviseAction = action[NoteArgs]{
	name: UpdateSupervise,
	state: func(s *caseState, now time.Time) error {
		return s.stageIs("supervise", StageForwarded, StageHandling, StageReview)
	},
	check: func(s *caseState, now time.Time, a Actor, in NoteArgs) error {
		if !s.officeStaff(a) {
			return forbid("only the petition office %s may supervise (督办) the petition", s.Petition.Office.Name)
		}
		return required("note", in.Note)
	},
	apply: func(s *caseState, now time.Time, a Actor, in NoteArgs) {
		s.Petition.Supervised++
		s.eventWith(now, "petition_supervised", a, in.Note, s.petitionArgs("count", strconv.Itoa(s.Petition.Supervised)))
		s.notify("supervision", true, "信访事项督办 "+s.Number, in.Note, s.organStaffTo()...)
	},
}

// answerOrgans is the agency's written answer (信访处理意见书, XGTL 32): the request, facts, reasons,
// decision and legal basis, and the day it was served; the 30 days for 复查 run from that day (XGTL 35).
func (s *caseState) checkAnswerOrgans(now time.Time, a Actor, in AnswerArgs) error {
	if !s.organStaff(a) {
		return forbid("only a handler of %s may answer the petition", s.Petition.Organ.Name)
	}
	if !answerDecision(in.Decision) {
		return invalid("decision", "must be support, explain or not_support (XGTL 32)")
	}
	for _, f := range []struct{ name, v string }{{"request", in.Request}, {"facts", in.Facts}, {"reasons", in.Reasons}, {"basis", in.Basis}} {
		if strings.TrimSpace(f.v) == "" {
			return invalid(f.name, "is required: the written answer states the request, facts, reasons and legal basis (XGTL 32)")
		}
	}
	return s.checkServed(now, in.ServedOn)
}

func (s *caseState) checkServed(now time.Time, served string) error {
	if strings.TrimSpace(served) == "" {
		return invalid("served_on", "is required: the day the written answer was served (XGTL 35)")
	}
	d, err := day("served_on", served)
	if err != nil {
		return err
	}
	if d.After(now) {
		return invalid("served_on", "must not be in the future")
	}
	if p := s.Petition; p.ForwardedAt != nil {
		if first, _ := day("", dayText(*p.ForwardedAt)); d.Before(first) {
			return invalid("served_on", "must not be before the petition reached the organ")
		}
	}
	return nil
}

func (s *caseState) applyAnswerOrgans(now time.Time, a Actor, in AnswerArgs) {
	p := s.Petition
	served, _ := day("served_on", in.ServedOn)
	by := s.Calendar.Due(served, s.Policy.Petition.ReviewRequest)
	organ := *p.Organ
	p.Answer, p.AnsweredAt, p.ServedAt, p.RequestBy, p.RequestFrom = in.Decision, &now, &served, &by, &served
	p.Answerer, p.Stage = &organ, StageAnswered
	s.Status = fengqiao.StatusAnswered
	s.ResolvedTier = s.tier()
	detail := fmt.Sprintf("投诉请求：%s\n事实：%s\n理由：%s\n依据：%s", in.Request, in.Facts, in.Reasons, in.Basis)
	if t := strings.TrimSpace(in.Text); t != "" {
		detail += "\n" + t
	}
	s.eventWith(now, "answered", a, detail, s.petitionArgs("decision", in.Decision, "served_on", in.ServedOn,
		"request_by", lastDayText(by)))
	s.notify("answered", false, "信访处理意见书 "+s.Number,
		fmt.Sprintf("处理意见：%s。如不服，可自收到之日起30日内（%s前）向%s请求复查", decisionLabel(in.Decision), lastDayText(by), s.nextReviewerName(LevelReexamine)),
		s.applicants()...)
	s.notify("answered", false, "信访事项已答复 "+s.Number, organ.Name+"已出具信访处理意见书", s.officeStaffTo()...)
}

func decisionLabel(d string) string {
	switch d {
	case "support":
		return "予以支持"
	case "explain":
		return "解释说明"
	case "not_support":
		return "不予支持"
	}
	return d
}

// reviewer is the organ that reviews at a level: the answering agency's superior for 复查 (XGTL 35),
// that superior's superior for 复核 (XGTL 36).
func (s *caseState) reviewer(level string) (fengqiao.BodyRef, bool) {
	i := 0
	if level == LevelReview {
		i = 1
	}
	if sup := s.Petition.Superiors; i < len(sup) && chainIndex(s.Chain, sup[i].Node) >= 0 {
		return sup[i], true
	}
	return fengqiao.BodyRef{}, false
}

func (s *caseState) nextReviewerName(level string) string {
	if r, ok := s.reviewer(level); ok {
		return r.Name
	}
	return "上一级机关"
}

func (s *caseState) checkReviewOrgans(now time.Time, a Actor, in ReviewArgs) error {
	want := expectedLevel(s.Petition)
	if in.Level == "" {
		in.Level = want
	}
	if in.Level != want {
		return invalidf("level", "must be %s now (XGTL 35, 36)", want)
	}
	if a.Role != fengqiao.RoleClerk && a.Role != fengqiao.RoleSupervisor {
		return forbid("a review request is recorded by a clerk on the petitioner's request (XGTL 35)")
	}
	return required("reason", in.Reason)
}

// startReviewOrgans records the petitioner's 复查/复核 request: the petition goes to the reviewing organ,
// which replies within 30 days (XGTL 35, 36).
func (s *caseState) startReviewOrgans(now time.Time, a Actor, in ReviewArgs) {
	p := s.Petition
	level := expectedLevel(p)
	from := *p.Organ
	to, _ := s.reviewer(level)
	p.Organ, p.Stage = &to, StageReview
	s.Handling = chainIndex(s.Chain, to.Node)
	p.ReviewLevel, p.ReviewNode, p.ReviewRequestedAt, p.ReviewReplied, p.RequestBy = level, to.Node, &now, false, nil
	s.Status = fengqiao.StatusUnderReview
	s.StatAtRisk, s.StatOverdue, p.OverdueReported = false, false, false
	due := s.Calendar.Due(now, s.Policy.Petition.ReviewReply)
	s.eventWith(now, "review_requested", a, in.Reason, s.petitionArgs("level", level, "from", from.Code, "from_name", from.Name,
		"reply_by", lastDayText(due)))
	s.notify("review_requested", true, level+"申请 "+s.Number, "请于"+lastDayText(due)+"前提出"+level+"意见", s.organStaffTo()...)
	s.notify("review_requested", false, level+"申请已登记 "+s.Number, "已转"+to.Name+level, append(s.officeStaffTo(), s.firstContact())...)
	s.notify("review_requested", false, level+"申请受理告知 "+s.Number, "您的"+level+"申请已由"+to.Name+"受理，将于"+lastDayText(due)+"前答复", s.applicants()...)
}

func (s *caseState) checkReviewReplyOrgans(now time.Time, a Actor, in ReviewReplyArgs) error {
	if !answerDecision(in.Decision) {
		return invalid("decision", "must be support, explain or not_support (XGTL 32)")
	}
	if !s.organStaff(a) {
		return forbid("only a handler of the reviewing organ %s may reply", s.Petition.Organ.Name)
	}
	return all(required("text", in.Text), s.checkServed(now, in.ServedOn))
}

// replyReviewOrgans is the reviewing organ's written opinion: after 复查 the 30 days for 复核 run from its
// service (XGTL 36); after 复核 the matter is final (XGTL 36).
func (s *caseState) replyReviewOrgans(now time.Time, a Actor, in ReviewReplyArgs) {
	p := s.Petition
	served, _ := day("served_on", in.ServedOn)
	p.ReviewReplied, p.Answer, p.ServedAt = true, in.Decision, &served
	if p.ReviewLevel == LevelReview {
		p.Stage = StageDone
		s.Status, s.Final, s.ClosedAt = fengqiao.StatusFinal, true, &now
		s.Outcome = "final_after_review: " + in.Decision
		s.closeCommon(now)
		s.final = true
		s.eventWith(now, "review_replied", a, in.Text, s.petitionArgs("level", LevelReview, "decision", in.Decision,
			"served_on", in.ServedOn, "final", "true", "variant", "final"))
		s.notify("final", false, "复核意见书 "+s.Number, "复核意见："+decisionLabel(in.Decision)+"。信访人以同一事实和理由再次提出的，不再受理", s.applicants()...)
		s.notify("final", false, "信访事项复核终结 "+s.Number, "复核意见："+decisionLabel(in.Decision), s.officeStaffTo()...)
		s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人", s.firstContact())
		return
	}
	by := s.Calendar.Due(served, s.Policy.Petition.ReviewRequest)
	p.RequestBy, p.RequestFrom, p.Stage = &by, &served, StageAnswered
	s.Status = fengqiao.StatusAnswered
	s.eventWith(now, "review_replied", a, in.Text, s.petitionArgs("level", LevelReexamine, "decision", in.Decision,
		"served_on", in.ServedOn, "request_by", lastDayText(by)))
	s.notify("review_replied", false, "复查意见书 "+s.Number,
		fmt.Sprintf("复查意见：%s。如不服，可自收到之日起30日内（%s前）向%s请求复核", decisionLabel(in.Decision), lastDayText(by), s.nextReviewerName(LevelReview)),
		s.applicants()...)
	s.notify("review_replied", false, "复查意见已出具 "+s.Number, p.Organ.Name, s.officeStaffTo()...)
}

// organClock is the statutory clock of a petition on organs:
//   - at the petition office: 15 days to forward, refer out or not accept (XGTL 22), from registration
//     or from an objection's return;
//   - with the agency, not yet accepted: 15 days to tell the petitioner it accepts (XGTL 23);
//   - accepted: 60 days from acceptance, +≤30 approved (XGTL 34);
//   - under 复查/复核: 30 days from the request (XGTL 35, 36).
func (s *caseState) organClock(now time.Time) clock {
	p := s.Petition
	switch p.Stage {
	case StageOffice:
		if p.RouteFrom != nil {
			return s.makeClock("route", *p.RouteFrom, s.Policy.Petition.Route, 0, now)
		}
	case StageForwarded:
		if p.ForwardedAt != nil {
			return s.makeClock("accept_notice", *p.ForwardedAt, s.Policy.Petition.Route, 0, now)
		}
	case StageHandling:
		if p.AcceptedAt != nil {
			return s.makeClock("handle", *p.AcceptedAt, s.Policy.Petition.Handle, p.ExtendedDays, now)
		}
	case StageReview:
		if p.ReviewRequestedAt != nil {
			return s.makeClock("review_reply", *p.ReviewRequestedAt, s.Policy.Petition.ReviewReply, 0, now)
		}
	}
	return clock{}
}

// organClocks are the other clocks of a petition on organs: the organ's 5 working days to object and
// the report-back day of an assignment (交办).
func (s *caseState) organClocks(now time.Time) []ClockDetail {
	p := s.Petition
	var out []ClockDetail
	if p.Stage == StageForwarded && p.ObjectionBy != nil && p.ForwardedAt != nil && !p.Decided {
		out = append(out, s.stored("objection", *p.ForwardedAt, s.Policy.Petition.Objection, *p.ObjectionBy))
	}
	if (p.Stage == StageForwarded || p.Stage == StageHandling) && p.ReportBy != nil && p.ForwardedAt != nil {
		d := s.stored("report_back", *p.ForwardedAt, deadline.Duration{}, *p.ReportBy)
		d.Overdue = p.ReportOverdue
		out = append(out, d)
	}
	return out
}

// reportOverdue reports an overdue petition up (XGTL 40, rule 4): the petition office and the supervisor
// one level up (the organ's superior, else the next tier up) are told, and the report is on the timeline.
func (s *caseState) reportOverdue(now time.Time, by Actor, kind string, due time.Time) {
	p := s.Petition
	p.OverdueReported = true
	up := s.node().Code
	if r, ok := s.reviewer(LevelReexamine); ok && p.Stage != StageReview {
		up = r.Node
	} else if i, ok := NextTierUp(s.Chain, s.Handling); ok {
		up = s.Chain[i].Code
	}
	s.eventWith(now, "petition_overdue_reported", Actor{Username: "system", Node: up}, "",
		s.petitionArgs("clock", kind, "due", lastDayText(due), "reported_to", up))
	body := "信访事项超过法定期限（" + clockLabel(kind) + "），请督办"
	s.notify("overdue", true, "信访事项超期督办 "+s.Number, body, append(s.officeStaffTo(), s.supervisors(up))...)
}

// reportBackRule: an assigned petition (交办) whose report-back day passes without an answer is reported
// to the petition office (XGTL 22(三), 40).
var reportBackRule = timedRule{
	name:  "report_back_overdue",
	basis: "XGTL 22(三), 40: an assigned petition reports back by its day; a missed day is reported to the petition office",
	due: func(s *caseState, now time.Time) (time.Time, bool) {
		if !s.organs() {
			return time.Time{}, false
		}
		p := s.Petition
		if p.ReportBy == nil || p.ReportOverdue || (p.Stage != StageForwarded && p.Stage != StageHandling) {
			return time.Time{}, false
		}
		return *p.ReportBy, true
	},
	apply: func(s *caseState, now time.Time, by Actor) {
		p := s.Petition
		p.ReportOverdue = true
		s.eventWith(now, "report_back_overdue", by, "", s.petitionArgs("report_by", lastDayText(*p.ReportBy)))
		s.notify("overdue", true, "交办事项逾期未反馈 "+s.Number, p.Organ.Name+"未在交办期限内反馈办理结果", append(s.officeStaffTo(), s.organStaffTo()...)...)
	},
}

// Bodies are the bodies a petition handled by organs stands with now: the handling body is the office or,
// once forwarded, the organ; the petition office is a co-body while an organ handles the petition, so its
// staff keep reading the petition they registered wherever it goes (co_bodies, DESIGN.md §4). Both are nil
// for a petition of the old track (and for no petition): the projection row and the authorizer's view of
// a case (cases.Ref) both read them here.
func (p *Petition) Bodies() (handling, office *fengqiao.BodyRef) {
	if p == nil || !p.Organs {
		return nil, nil
	}
	handling = p.Office
	if p.Organ != nil && p.Stage != StageOffice {
		handling = p.Organ
	}
	if p.Office != nil && handling != p.Office {
		office = p.Office
	}
	return handling, office
}

// petitionProjection puts the organs on the projection row (Petition.Bodies).
func (s *caseState) petitionProjection(r *fengqiao.Case) {
	b, office := s.Petition.Bodies()
	if b != nil {
		r.HandlingBody, r.HandlingBodyName, r.HandlingBodyType = b.Code, b.Name, string(b.Type)
	}
	if office != nil {
		r.CoBodies = "," + office.Code + ","
	}
}

// ratingVersion asks, on a petition of the old track, whether a low rating still starts 复查 (the
// default version, as recorded histories ran) or is only a rating (version 1, rule 8).
func (s *caseState) ratingVersion(ctx workflow.Context) {
	if s.Kind == fengqiao.KindPetition && !s.organs() && !s.ratingOnly {
		s.ratingOnly = workflow.GetVersion(ctx, PetitionRatingChange, workflow.DefaultVersion, 1) >= 1
	}
}

// petitionRegistered records that the petition office registered the new petition (XGTL 22): the
// office's staff are told, and so is the first-contact owner (rule 1).
func (s *caseState) petitionRegistered(now time.Time, fc Actor) {
	o := s.Petition.Office
	due := s.Calendar.Due(now, s.Policy.Petition.Route)
	s.eventWith(now, "petition_registered", fc, "", s.petitionArgs("route_by", lastDayText(due)))
	s.notify("routed", false, "信访事项登记 "+s.Number, "请于"+lastDayText(due)+"前转送、交办或告知", s.officeStaffTo()...)
	s.notify("routed", false, "信访事项已登记 "+s.Number, "由"+o.Name+"登记办理", s.firstContact())
}

// closeAnsweredOrgans closes an answered petition whose review window passed with no request: the answer
// stands (浙江省信访条例 25(二)).
func (s *caseState) closeAnsweredOrgans(now time.Time, by Actor) {
	s.Petition.Stage = StageDone
	s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusClosed, "answered", &now
	if s.ResolvedTier == "" {
		s.ResolvedTier = s.tier()
	}
	s.closeCommon(now)
	s.eventWith(now, "closed", by, "", s.petitionArgs("outcome", "answered", "reason", "review_window_passed"))
	s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人并收集评价", s.firstContact())
}
