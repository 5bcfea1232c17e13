package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
)

// Court referral (诉调对接, track `court_referral`) and the labour route to arbitration: the two ways a
// mediation hands its case back to a body outside mediation when it does not end in an agreement.
//
//   - A court entrusts a dispute to mediation before filing (委派调解, SPC 2016 arts. 20-21, 27): 30 days,
//     extendable on both parties' consent; an agreement goes back to the same court for confirmation
//     (CPL 205(一)) or the claim is withdrawn (撤诉); a failure goes back to it for filing (立案) with the
//     mediation record.
//   - A labour dispute's mediation takes at most 15 days (劳动争议调解仲裁法 14); when it fails or the
//     time runs out, the case goes to the labour arbitration body, and the parties are told its name.

// Referral is a court's entrustment of a dispute to mediation (委派调解) and how it went back.
type Referral struct {
	Court       fengqiao.BodyRef `json:"court"`
	CourtCaseNo string           `json:"court_case_no,omitempty"` // the court's pre-filing number (诉前调解号)
	Officer     string           `json:"officer,omitempty"`
	// Returned: how the case went back to the court — confirmation, withdrawal or filing.
	Returned   string     `json:"returned,omitempty"`
	ReturnedAt *time.Time `json:"returned_at,omitempty"`
	// Reason a filing return: failed, refused, terminated or expired.
	Reason   string     `json:"reason,omitempty"`
	FilingNo string     `json:"filing_no,omitempty"`
	FiledAt  *time.Time `json:"filed_at,omitempty"`
}

// CourtFilingArgs records the court's filing (立案) of a referral that came back without an agreement.
type CourtFilingArgs struct {
	CaseNo string `json:"case_no"`
	Note   string `json:"note"`
}

// mediates refuses an action outside the mediation track (a dispute, or a court referral).
func mediates(s *caseState, name string) error {
	if !s.Kind.Mediates() {
		return refuse(fengqiao.ECodeNotAllowed, "%s applies to a dispute, not to a %s", name, s.Kind)
	}
	return nil
}

// labourMediation reports whether the case runs the 15-day labour mediation (劳动争议调解仲裁法 14): a
// labour dispute on a policy that has the period (a case started before it keeps the one-month clock).
func (s *caseState) labourMediation() bool {
	return s.Kind == fengqiao.KindDispute && ArbitrationFits(s.Category) && !s.Policy.LabourMediation.IsZero()
}

// tracksVersion asks, once per run and only when an action is applied, whether the run follows the
// dispute-track rules of version 1 ("dispute-tracks"): a refusal of mediation on record holds when an
// unsatisfied rating reopens the case (PML 17). Histories recorded before replay at the default version.
func (s *caseState) tracksVersion(ctx workflow.Context) bool {
	if s.tracks == 0 {
		s.tracks = 1
		if workflow.GetVersion(ctx, "dispute-tracks", workflow.DefaultVersion, 1) >= 1 {
			s.tracks = 2
		}
	}
	return s.tracks == 2
}

// refusing lists the parties whose refusal of mediation is on record (PML 17), in role order.
func (s *caseState) refusing() []string {
	var out []string
	for _, r := range []fengqiao.PartyRole{fengqiao.PartyApplicant, fengqiao.PartyRespondent} {
		if c, ok := s.Consent[string(r)]; ok && !c {
			out = append(out, string(r))
		}
	}
	return out
}

// returnForFiling sends a court referral that ends without an agreement back to its court for filing
// (立案) with the mediation record (SPC 2016 art. 21): the mediation's part is over.
func (s *caseState) returnForFiling(now time.Time, a Actor, reason, note string) {
	r := s.Referral
	r.Returned, r.ReturnedAt, r.Reason = "filing", &now, reason
	s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusReferredOut, "returned_for_filing", &now
	if s.ResolvedTier == "" {
		s.ResolvedTier = s.tier()
	}
	s.closeCommon(now)
	sessions := 0
	for _, e := range s.CoBodies {
		sessions += len(e.Parts)
	}
	args := map[string]string{"court": r.Court.Code, "court_name": r.Court.Name, "reason": reason,
		"court_case_no": r.CourtCaseNo, "joint_parts": strconv.Itoa(sessions)}
	s.eventWith(now, "returned_to_court", a, note, args)
	s.notify("returned_to_court", true, "委派调解退回立案 "+s.Number,
		fmt.Sprintf("委派调解未达成协议（%s），案件连同调解记录退回贵院依法登记立案（特邀调解规定第二十一条）", returnReasonZH(reason)),
		activities.Recipient{Role: fengqiao.RoleCourtOfficer, Node: r.Court.Code})
	s.notify("returned_to_court", false, "调解未达成协议 "+s.Number,
		"您的纠纷已退回"+r.Court.Name+"，坚持诉讼的，由法院依法登记立案", s.applicants()...)
	s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访当事人", s.firstContact())
}

func returnReasonZH(reason string) string {
	switch reason {
	case "failed":
		return "调解不成"
	case "refused":
		return "当事人拒绝调解"
	case "terminated":
		return "调解终止"
	case "expired":
		return "调解期限届满"
	}
	return reason
}

// toArbitration hands a labour dispute whose mediation failed or ran out to the labour arbitration body
// (劳动争议调解仲裁法 14-16), and tells the parties which body that is.
func (s *caseState) toArbitration(now time.Time, a Actor, reason string) {
	b := fengqiao.BodyRef{Type: fengqiao.BodyArbitration, Name: fengqiao.BodyArbitration.Label()}
	if s.Arbitration != nil {
		b = *s.Arbitration
	}
	s.HandedTo = &b
	s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusReferredOut, "arbitration", &now
	if s.ResolvedTier == "" {
		s.ResolvedTier = s.tier()
	}
	s.closeCommon(now)
	args := bodyArgs(b)
	args["reason"] = reason
	s.eventWith(now, "handed_to_arbitration", a, "", args)
	why := "调解不成"
	if reason == "expired" {
		why = "自收到调解申请之日起十五日内未达成调解协议"
	}
	s.notify("arbitration", false, "劳动争议转仲裁告知 "+s.Number,
		fmt.Sprintf("您的劳动争议%s，可以依法向%s申请仲裁（劳动争议调解仲裁法第十四条）", why, b.Name), s.applicants()...)
	if b.Code != "" {
		s.notify("arbitration", false, "劳动争议移送 "+s.Number, "调解不成的劳动争议，当事人可向贵委申请仲裁",
			s.supervisors(b.Code))
	}
	s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访当事人", s.firstContact())
}

// mediationEnded is where a failed mediation goes on this track: a court referral back to its court,
// a labour dispute to arbitration. It reports false when the case stays (an ordinary dispute may be
// escalated after a failed attempt, rule 2 (b)).
func (s *caseState) mediationEnded(now time.Time, a Actor, reason, note string) bool {
	switch {
	case s.Kind == fengqiao.KindCourtReferral && s.Referral != nil:
		s.returnForFiling(now, a, reason, note)
		return true
	case s.labourMediation() && (reason == "failed" || reason == "terminated"):
		s.toArbitration(now, a, reason)
		return true
	}
	return false
}

// court-filing: the entrusting court records that it filed (立案) the dispute the mediation sent back.
var courtFilingAction = action[CourtFilingArgs]{
	name: UpdateCourtFiling,
	state: func(s *caseState, now time.Time) error {
		if r := s.Referral; r == nil || r.Returned != "filing" || r.FiledAt != nil {
			return refuse(fengqiao.ECodeNotAllowed, "no court referral waits for its filing")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in CourtFilingArgs) error {
		if err := required("case_no", in.CaseNo); err != nil {
			return err
		}
		if a.Role != fengqiao.RoleCourtOfficer || a.Node != s.Referral.Court.Code {
			return forbid("only an officer of the entrusting court %s records its filing", s.Referral.Court.Code)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in CourtFilingArgs) {
		r := s.Referral
		r.FilingNo, r.FiledAt = in.CaseNo, &now
		s.eventWith(now, "court_filed", a, in.Note, map[string]string{"court": r.Court.Code,
			"court_name": r.Court.Name, "case_no": in.CaseNo})
	},
}

// expiryRule hands a case on when the statutory clock of kind runs out while it is being mediated.
func expiryRule(name, basis, kind string, apply func(s *caseState, now time.Time, by Actor)) timedRule {
	return timedRule{
		name:  name,
		basis: basis,
		due: func(s *caseState, now time.Time) (time.Time, bool) {
			if s.Status != fengqiao.StatusRegistered && s.Status != fengqiao.StatusMediating {
				return time.Time{}, false
			}
			c := s.statutoryClock(now)
			if !c.running() || c.kind != kind {
				return time.Time{}, false
			}
			return c.due, true
		},
		apply: apply,
	}
}

// labourExpiredRule: 15 days without an agreement, the labour dispute goes to arbitration.
var labourExpiredRule = expiryRule("labour_mediation_expired",
	"劳动争议调解仲裁法 14: fifteen days without an agreement, the parties may apply for arbitration",
	"labour_mediation", func(s *caseState, now time.Time, by Actor) { s.toArbitration(now, by, "expired") })

// referralExpiredRule: 30 days (plus the extensions the parties agreed) without an agreement, the
// court referral goes back to its court for filing.
var referralExpiredRule = expiryRule("court_referral_expired",
	"SPC 2016 arts. 21, 27: the entrusted mediation ran out of time; back to the court for filing",
	"court_referral", func(s *caseState, now time.Time, by Actor) { s.returnForFiling(now, by, "expired", "") })
