package workflows

import (
	"strings"
	"time"

	"fengqiao"
)

// Petition work (信访, XGTL): the route decision, the written answer, and 复查/复核 review.

// route-decision accepts a petition (XGTL 22, 31(六)) or refers it to the lawful channel it belongs to —
// litigation, arbitration, administrative review — and closes it with a notice naming that channel
// (诉访分离, XGTL 31(一)-(四), rule 6).
var routeDecisionAction = action[RouteDecisionArgs]{
	name: UpdateRouteDecision,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "route-decision", fengqiao.KindPetition),
			statusIn(s, "route-decision", fengqiao.StatusRegistered)); err != nil {
			return err
		}
		if s.organs() {
			return refuse(fengqiao.ECodeNotAllowed, "the petition office forwards, refers out or does not accept this petition (forward, refer-out, not-accept)")
		}
		if s.Petition.Accepted {
			return refuse(fengqiao.ECodeNotAllowed, "the petition is already accepted")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in RouteDecisionArgs) error {
		if !in.Accept && !lawfulChannel(in.Channel) {
			return invalidf("channel", "must name the lawful channel: %s", strings.Join(LawfulChannels, ", "))
		}
		if s.isSupervisorOver(a) || (a.Role == fengqiao.RoleClerk && covers(s.Chain, s.Handling, a.Node)) {
			return nil
		}
		return forbid("only a clerk or supervisor over %s may decide", s.node().Code)
	},
	apply: func(s *caseState, now time.Time, a Actor, in RouteDecisionArgs) {
		if in.Accept {
			s.Petition.Accepted, s.Petition.AcceptedAt = true, &now
			s.StatAtRisk, s.StatOverdue = false, false
			s.eventWith(now, "petition_accepted", a, "", facts{"organ": s.node().Code, "organ_name": s.node().Name})
			s.notify("petition_accepted", false, "信访事项受理告知 "+s.Number, "已受理，60日内办结", s.applicants()...)
			return
		}
		s.Petition.ReferredTo = in.Channel
		s.Status, s.Outcome, s.ClosedAt = fengqiao.StatusReferredOut, "referred_out: "+in.Channel, &now
		s.closeCommon(now)
		s.eventWith(now, "referred_out", a, strings.TrimSpace(in.Note), facts{"channel": in.Channel})
		s.notify("referred_out", false, "信访事项不予受理告知 "+s.Number, "请通过"+LawfulChannelLabel(in.Channel)+"途径解决："+in.Note, s.applicants()...)
		s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访当事人", s.firstContact())
	},
}

// answer gives the written answer to a petition: support, explain or not support (XGTL 32), within 60
// days (+extension) of acceptance (XGTL 34). The petitioner may ask for 复查 within 30 days (XGTL 35).
var answerAction = action[AnswerArgs]{
	name: UpdateAnswer,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "answer", fengqiao.KindPetition), statusIn(s, "answer",
			fengqiao.StatusRegistered, fengqiao.StatusMediating, fengqiao.StatusAgreement)); err != nil {
			return err
		}
		if !s.Petition.Accepted {
			return refuse(fengqiao.ECodeNotAllowed, "the petition has not been accepted")
		}
		if s.organs() {
			return s.stageIs("answer", StageHandling)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in AnswerArgs) error {
		if s.organs() {
			return s.checkAnswerOrgans(now, a, in)
		}
		if !answerDecision(in.Decision) {
			return invalid("decision", "must be support, explain or not_support (XGTL 32)")
		}
		return all(required("text", in.Text), s.assigneeOrSupervisor(a, "answer"))
	},
	apply: func(s *caseState, now time.Time, a Actor, in AnswerArgs) {
		if s.organs() {
			s.applyAnswerOrgans(now, a, in)
			return
		}
		p := s.Petition
		by := s.Calendar.Due(now, s.Policy.Petition.ReviewRequest)
		p.Answer, p.AnsweredAt, p.RequestBy, p.RequestFrom = in.Decision, &now, &by, &now
		s.Status = fengqiao.StatusAnswered
		s.ResolvedTier = s.tier()
		s.eventWith(now, "answered", a, "", facts{"decision": in.Decision, "request_by": by.Format(time.RFC3339)})
		s.notify("answered", false, "信访处理意见书 "+s.Number, decisionLabel(in.Decision), s.applicants()...)
	},
}

func expectedLevel(p *Petition) string {
	if p.ReviewLevel == "" {
		return LevelReexamine
	}
	if p.ReviewLevel == LevelReexamine && p.ReviewReplied {
		return LevelReview
	}
	return ""
}

// review opens 复查 at the next level up (XGTL 35) or 复核 at the level above that (XGTL 36), on the
// petitioner's request within 30 days of the written answer.
var reviewAction = action[ReviewArgs]{
	name: UpdateReview,
	state: func(s *caseState, now time.Time) error {
		if err := all(kindIs(s, "review", fengqiao.KindPetition), statusIn(s, "review", fengqiao.StatusAnswered)); err != nil {
			return err
		}
		p := s.Petition
		if p.RequestBy == nil || now.After(*p.RequestBy) {
			return refuse(fengqiao.ECodeNotAllowed, "the 30-day window for a review request has closed (XGTL 35, 36)")
		}
		if expectedLevel(p) == "" {
			return refuse(fengqiao.ECodeFinalAfterReview, "the matter was reviewed (复核) and is final (XGTL 36)")
		}
		if s.organs() {
			if _, ok := s.reviewer(expectedLevel(p)); !ok {
				return refuse(fengqiao.ECodeNotAllowed, "%s has no superior organ on record to review its answer (XGTL 35, 36)", p.Organ.Name)
			}
			return nil
		}
		if _, ok := NextTierUp(s.Chain, s.Handling); !ok {
			return refuse(fengqiao.ECodeNotAllowed, "there is no level above %s to review the answer", s.node().Code)
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in ReviewArgs) error {
		if s.organs() {
			return s.checkReviewOrgans(now, a, in)
		}
		if want := expectedLevel(s.Petition); in.Level != want {
			return invalidf("level", "must be %s now (XGTL 35, 36)", want)
		}
		return required("reason", in.Reason)
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReviewArgs) {
		if s.organs() {
			s.startReviewOrgans(now, a, in)
			return
		}
		s.startReview(now, a, in.Level, in.Reason)
	},
}

func (s *caseState) startReview(now time.Time, a Actor, level, reason string) {
	p := s.Petition
	up, _ := NextTierUp(s.Chain, s.Handling)
	from := s.node()
	s.Handling = up
	p.ReviewLevel, p.ReviewNode, p.ReviewRequestedAt, p.ReviewReplied, p.RequestBy = level, s.node().Code, &now, false, nil
	s.Status = fengqiao.StatusUnderReview
	s.StatAtRisk, s.StatOverdue = false, false
	s.eventWith(now, "review_requested", a, reason, facts{"level": level, "from": from.Code, "from_name": from.Name,
		"organ": s.node().Code, "organ_name": s.node().Name})
	s.notify("review_requested", true, level+" "+s.Number, reason, s.supervisors(s.node().Code), s.firstContact())
}

// review-reply is the reviewing level's written opinion within 30 days (XGTL 35, 36); after 复核 the
// matter is final: the same facts and reasons are not accepted again (XGTL 36).
var reviewReplyAction = action[ReviewReplyArgs]{
	name: UpdateReviewReply,
	state: func(s *caseState, now time.Time) error {
		return statusIn(s, "review-reply", fengqiao.StatusUnderReview)
	},
	check: func(s *caseState, now time.Time, a Actor, in ReviewReplyArgs) error {
		if s.organs() {
			return s.checkReviewReplyOrgans(now, a, in)
		}
		if !answerDecision(in.Decision) {
			return invalid("decision", "must be support, explain or not_support (XGTL 32)")
		}
		if err := required("text", in.Text); err != nil {
			return err
		}
		if a.Node != s.Petition.ReviewNode || (a.Role != fengqiao.RoleSupervisor && a.Role != fengqiao.RoleClerk && a.Role != fengqiao.RoleMediator) {
			return forbid("only staff of the reviewing organ %s may reply", s.Petition.ReviewNode)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in ReviewReplyArgs) {
		if s.organs() {
			s.replyReviewOrgans(now, a, in)
			return
		}
		p := s.Petition
		p.ReviewReplied, p.Answer = true, in.Decision
		if p.ReviewLevel == LevelReview {
			s.Status, s.Final, s.ClosedAt = fengqiao.StatusFinal, true, &now
			s.Outcome = "final_after_review: " + in.Decision
			s.closeCommon(now)
			s.final = true
			s.eventWith(now, "review_replied", a, "", facts{"level": LevelReview, "decision": in.Decision, "final": "true", "variant": "final"})
			s.notify("final", false, "复核意见书 "+s.Number, decisionLabel(in.Decision), s.applicants()...)
			s.notify("follow_up_task", false, "回访任务 "+s.Number, "请回访信访人", s.firstContact())
			return
		}
		by := s.Calendar.Due(now, s.Policy.Petition.ReviewRequest)
		p.RequestBy, p.RequestFrom = &by, &now
		s.Status = fengqiao.StatusAnswered
		s.eventWith(now, "review_replied", a, "", facts{"level": p.ReviewLevel, "decision": in.Decision, "request_by": by.Format(time.RFC3339)})
		s.notify("review_replied", false, "复查意见书 "+s.Number, decisionLabel(in.Decision), s.applicants()...)
	},
}
