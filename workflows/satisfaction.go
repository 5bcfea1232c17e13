package workflows

import (
	"strconv"
	"time"

	"fengqiao"
)

// After closure: the first-contact owner's follow-up visit (rule 1) and the party's rating (rule 8).

// follow-up is the first-contact owner's follow-up visit after closure (回访, rule 1).
var followUpAction = action[FollowUpArgs]{
	name: UpdateFollowUp,
	state: func(s *caseState, now time.Time) error {
		if s.Status.Open() || s.FollowUpDone {
			return refuse(fengqiao.ECodeNotAllowed, "a follow-up is due once, after closure")
		}
		return nil
	},
	check: func(s *caseState, now time.Time, a Actor, in FollowUpArgs) error {
		if a.Username != s.FirstContact.Username {
			return forbid("the follow-up is the first-contact owner's (%s) task (首问负责)", s.FirstContact.Username)
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in FollowUpArgs) {
		s.FollowUpDone = true
		s.eventWith(now, "follow_up", a, in.Note, facts{})
	},
}

// rating is the party's rating through the query code within the satisfaction window; an unsatisfied
// rating reopens a dispute on the same number (rule 8). For a petition a rating is only a rating;
// petitions started before PetitionRatingChange that are rated before it replay as they ran (a low
// rating of an answered petition started 复查).
var ratingAction = action[RatingArgs]{
	name:    UpdateRating,
	byParty: true,
	state: func(s *caseState, now time.Time) error {
		if s.Satisfaction != nil {
			return refuse(fengqiao.ECodeNotAllowed, "the case has been rated")
		}
		if s.Status == fengqiao.StatusAnswered && s.Kind == fengqiao.KindPetition {
			return nil
		}
		if (s.Status == fengqiao.StatusClosed || s.Status == fengqiao.StatusFinal || s.Status == fengqiao.StatusReferredOut) &&
			s.RateBy != nil && now.Before(*s.RateBy) {
			return nil
		}
		return refuse(fengqiao.ECodeNotAllowed, "the case cannot be rated now")
	},
	check: func(s *caseState, now time.Time, a Actor, in RatingArgs) error {
		if in.Score < 1 || in.Score > 5 {
			return invalid("score", "must be 1 to 5")
		}
		return nil
	},
	apply: func(s *caseState, now time.Time, a Actor, in RatingArgs) {
		score := in.Score
		if s.Kind == fengqiao.KindPetition && (s.organs() || s.ratingOnly) {
			// rule 8: for a petition a rating, however low, is only a rating; 复查 starts only on the
			// petitioner's own request, recorded by a clerk (XGTL 35)
			s.Satisfaction = &score
			s.eventWith(now, "rated", a, in.Comment, map[string]string{"score": strconv.Itoa(score)})
			return
		}
		// the score is an argument, so that statistics count every rating, one that reopens the case too
		s.eventWith(now, "rated", a, in.Comment, map[string]string{"score": strconv.Itoa(score)})
		if !Unsatisfied(score) {
			s.Satisfaction = &score
			return
		}
		if s.Kind == fengqiao.KindPetition {
			s.Satisfaction = &score
			if s.Status == fengqiao.StatusAnswered && expectedLevel(s.Petition) != "" {
				if _, ok := NextTierUp(s.Chain, s.Handling); ok {
					s.startReview(now, a, expectedLevel(s.Petition), "unsatisfied rating (rule 8)")
				}
			}
			return
		}
		// A dispute reopens on the same number at the tier that closed it.
		s.Status, s.Outcome, s.ResolvedTier, s.ClosedAt, s.RateBy = fengqiao.StatusRegistered, "", "", nil, nil
		s.Agreement, s.Confirmation, s.PerformReminded, s.FollowUpDone = nil, nil, false, false
		s.TierStart, s.StatStart, s.TierExtendDays, s.StatExtendDays = now, now, 0, 0
		s.TierAtRisk, s.TierOverdue, s.StatAtRisk, s.StatOverdue = false, false, false, false
		s.reserve = true
		if s.tracks == 2 {
			// PML 17: a refusal on record still holds; the reopened case waits for new consent.
			s.RefusalHold = len(s.refusing()) > 0
		}
		s.eventWith(now, "reopened", a, "", facts{"number": s.Number})
		s.notify("reopened", true, "案件重新办理 "+s.Number, "当事人不满意", s.firstContact(), s.assignee(), s.supervisors(s.node().Code))
	},
}
