package web

import (
	"context"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
)

// stepView is one step of the public page's progress line.
type stepView struct {
	Label string
	State string // done, current, todo
}

// publicGuide is what the public page explains beyond the facts: where the matter stands among its
// steps, what its status means, what the party may do next and what a rating does. It is built from
// the case's status and dates only, never from the timeline's details or the parties.
type publicGuide struct {
	Steps    []stepView
	Meaning  string
	Next     string
	Outcome  string
	Reopened bool
	RateNote string
}

// step names of the two kinds of matter, in order (message keys public.step.*).
var (
	disputeSteps  = []string{"register", "assign", "mediate", "agreement", "confirmation", "performance", "closed"}
	petitionSteps = []string{"register", "accept", "handle", "answer", "review", "closed"}
)

// guide explains the case to its party; reopened says the timeline holds a reopening.
func guide(p *page, v cases.View, reopened bool) publicGuide {
	g := publicGuide{Reopened: reopened && v.Status.Open()}
	code, _, _ := strings.Cut(v.Outcome, ": ")
	if !v.Status.Open() && code != "" {
		g.Outcome = p.TOr("close."+code, p.T("status.closed")) // the code only: a detail is staff's words
		if code == "referred_out" {
			_, ch, _ := strings.Cut(v.Outcome, ": ")
			g.Outcome += "：" + p.TOr("lawful."+ch, ch)
		}
	}
	var names []string
	current := 0
	if v.Kind == fengqiao.KindPetition {
		names, current = petitionProgress(v)
	} else {
		names, current = disputeProgress(v)
	}
	for i, n := range names {
		s := stepView{Label: p.T("public.step." + n), State: "todo"}
		switch {
		case i < current || (i == current && !v.Status.Open()):
			s.State = "done"
		case i == current:
			s.State = "current"
		}
		g.Steps = append(g.Steps, s)
	}
	status := string(v.Status)
	if (v.Status == fengqiao.StatusClosed || v.Status == fengqiao.StatusResolved) && code != "" && p.msgs.has("public.meaning.closed."+code) {
		status = "closed." + code
	}
	g.Meaning = p.TOr("public.meaning."+status, p.T("status."+string(v.Status)))
	g.Next = p.TOr("public.next."+status, "")
	switch v.Status {
	case fengqiao.StatusAgreement:
		if a := v.Agreement; a != nil {
			g.Next = p.T("public.next.agreement", p.date(deadline.LastDate(a.ApplyBy)))
		}
	case fengqiao.StatusAnswered:
		level, by := "复查", "—"
		if pt := v.Petition; pt != nil {
			if pt.ReviewLevel == "复查" && pt.ReviewReplied {
				level = "复核"
			}
			if pt.RequestBy != nil {
				by = p.date(deadline.LastDate(*pt.RequestBy))
			}
		}
		g.Next = p.T("public.next.answered", by, p.T("level."+level))
	}
	if v.Kind == fengqiao.KindPetition {
		g.RateNote = p.T("public.rate_note.petition_closed")
		if v.Status == fengqiao.StatusAnswered && (v.Petition == nil || v.Petition.ReviewLevel == "" ||
			(v.Petition.ReviewLevel == "复查" && v.Petition.ReviewReplied)) {
			g.RateNote = p.T("public.rate_note.petition_answered")
		}
	} else {
		g.RateNote = p.T("public.rate_note.dispute")
	}
	return g
}

// date is a calendar day in the page's language.
func (p *page) date(d time.Time) string {
	return p.T("public.date", d.Year(), int(d.Month()), d.Day())
}

// disputeProgress lists a dispute's steps and the index of the one it is at. A closed dispute lists
// only the steps it went through.
func disputeProgress(v cases.View) ([]string, int) {
	steps := disputeSteps
	if !v.Status.Open() {
		var kept []string
		for _, s := range steps {
			switch {
			case (s == "agreement" || s == "performance") && v.Agreement == nil,
				s == "confirmation" && v.Confirmation == nil:
				continue
			case s == "assign" && v.Assignee == nil && v.Agreement == nil:
				continue
			}
			kept = append(kept, s)
		}
		return kept, len(kept) - 1
	}
	at := map[fengqiao.Status]string{
		fengqiao.StatusMediating: "mediate", fengqiao.StatusSuspended: "mediate", fengqiao.StatusAgreement: "agreement",
		fengqiao.StatusConfirmationPending: "confirmation", fengqiao.StatusRejectedByCourt: "confirmation",
		fengqiao.StatusConfirmed: "performance",
	}[v.Status]
	if at == "" { // registered: waiting for a mediator, or for the assigned one to accept
		at = "assign"
		if v.Assignee != nil && *v.Assignee != "" {
			at = "mediate"
		}
	}
	return steps, index(steps, at)
}

// petitionProgress lists a petition's steps and the index of the one it is at; a petition referred
// out lists registration and the referral only, one never reviewed leaves out the review.
func petitionProgress(v cases.View) ([]string, int) {
	if v.Status == fengqiao.StatusReferredOut {
		return []string{"register", "referred"}, 1
	}
	steps := petitionSteps
	reviewed := v.Petition != nil && v.Petition.ReviewLevel != ""
	if !reviewed && v.Status != fengqiao.StatusAnswered {
		steps = []string{"register", "accept", "handle", "answer", "closed"}
	}
	if !v.Status.Open() {
		return steps, len(steps) - 1
	}
	at := "accept"
	switch {
	case v.Status == fengqiao.StatusUnderReview:
		at = "review"
	case v.Status == fengqiao.StatusAnswered:
		at = "answer"
	case v.Petition != nil && v.Petition.Accepted:
		at = "handle"
	}
	return steps, index(steps, at)
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// reopened reports whether the case's timeline holds a reopening (rule 8); only the event's type is
// read, never its details.
func (h *handler) reopened(ctx context.Context, id string) bool {
	events, err := h.Cases.Timeline(ctx, id)
	if err != nil {
		h.log.WarnContext(ctx, "public page: timeline", "error", err)
		return false
	}
	for _, e := range events {
		if e.Type == "reopened" {
			return true
		}
	}
	return false
}

// has reports whether the catalogue knows key.
func (c catalogue) has(key string) bool {
	_, ok := c[key]
	return ok
}
