package cases

import (
	"context"
	"fmt"

	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/workflows"
)

// ClockExplanation is one running clock of a case counted day by day (DESIGN §3 rule 4: "every deadline
// can be explained day by day").
type ClockExplanation struct {
	workflows.ClockDetail
	// LastDayText is the end as people read it: "2026年12月7日（24:00）".
	LastDayText string `json:"last_day_text"`
	// Counting is the period counted from its start: each day counted or skipped, with the reason.
	Counting deadline.Explanation `json:"counting"`
	// Extension, when the court extended its decision (SPC 2011 art. 5), counts the extension from the
	// original last day.
	Extension *deadline.Explanation `json:"extension,omitempty"`
	// Rule is the counting rule applied, with its articles.
	Rule string `json:"rule"`
}

// DeadlineExplanation is every running clock of a case, explained.
type DeadlineExplanation struct {
	CaseID string             `json:"case_id"`
	Number string             `json:"number"`
	Clocks []ClockExplanation `json:"clocks"`
}

// countingRule is how every period is counted (民法典 200-204, 民事诉讼法 85).
const countingRule = "开始的当日不计入，自下一日开始计算（民法典第二百零一条、民事诉讼法第八十五条）；按月计算的，到期月的对应日为最后一日，没有对应日的为月末日（民法典第二百零二条）；最后一日是法定休假日的，以休假日结束的次日为最后一日，截止时间为二十四时（民法典第二百零三条）；工作日按国务院节假日安排（含调休上班日）计算。"

// ExplainDeadlines explains every running clock of the case day by day, for user (a case read,
// audited). The days are counted on the service's calendar (the stored notices over the built-in years),
// the calendar the case follows once a calendar change has reached it.
func (s *Service) ExplainDeadlines(ctx context.Context, user, id string) (DeadlineExplanation, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return DeadlineExplanation{}, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/deadlines", auditRead, "explained deadlines")
	return ExplainClocks(s.calendar(), v), nil
}

// ExplainClocks counts the running clocks of v on cal; a pure function of its inputs.
func ExplainClocks(cal *deadline.Calendar, v View) DeadlineExplanation {
	out := DeadlineExplanation{CaseID: v.ID, Number: v.Number, Clocks: []ClockExplanation{}}
	for _, c := range v.Deadlines.Running {
		d := c.Duration
		if c.ExtraDays > 0 && d.Days > 0 {
			d.Days += c.ExtraDays
		}
		e := ClockExplanation{ClockDetail: c, Counting: cal.Explain(c.Start, d, c.Pauses), Rule: countingRule}
		if !c.Extension.IsZero() {
			ext := cal.ExplainExtension(e.Counting.Due, c.Extension)
			e.Extension = &ext
		}
		if c.DueAt != nil && !c.DueAt.IsZero() {
			last := deadline.LastDate(*c.DueAt)
			e.LastDayText = fmt.Sprintf("%d年%d月%d日（24:00）", last.Year(), int(last.Month()), last.Day())
		}
		out.Clocks = append(out.Clocks, e)
	}
	return out
}
