package workflows_test

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao/activities"
	"fengqiao/workflows"
)

// TestAnActionIsAnsweredWithTheStepItCommitted: an action's answer carries its step — the case row at
// the answer's sequence and exactly the events the action recorded — so the cases service can write it
// before it answers; the projection activity still writes every step, one after another in the order
// taken, and the run ends only once all are written.
func TestAnActionIsAnsweredWithTheStepItCommitted(t *testing.T) {
	h := newHarness(t)
	var answers []*result
	h.at(time.Minute,
		func() {
			answers = append(answers, h.do(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}, ""))
		},
		func() { answers = append(answers, h.do(workflows.UpdateAccept, villageMed, workflows.NoArgs{}, "")) },
	)
	h.run(dispute(), time.Hour)

	for _, r := range answers {
		st := r.view.Step
		if st == nil {
			t.Fatalf("%s: the answer carries no step", r.name)
		}
		if st.Case.UpdatedSeq != r.view.Seq {
			t.Errorf("%s: step at seq %d, answer at %d", r.name, st.Case.UpdatedSeq, r.view.Seq)
		}
		if len(st.Events) == 0 || st.Events[len(st.Events)-1].Seq != r.view.Seq {
			t.Errorf("%s: the step's events %+v do not end at the answer's seq %d", r.name, st.Events, r.view.Seq)
		}
	}
	if got := answers[0].view.Step.Events[0].Type; got != "assigned" {
		t.Errorf("assign's step records %q, want assigned", got)
	}
	if got := answers[1].view.Step.Events[0].Type; got != "mediation_started" {
		t.Errorf("accept's step records %q, want mediation_started", got)
	}
	// every step is projected by the activity too, in the order taken
	var last int64 = -1
	seen := map[int64]bool{}
	for _, p := range h.proj {
		if p.Case.UpdatedSeq < last {
			t.Errorf("projection of seq %d after seq %d: steps written out of order", p.Case.UpdatedSeq, last)
		}
		last = p.Case.UpdatedSeq
		seen[p.Case.UpdatedSeq] = true
	}
	for _, r := range answers {
		if !seen[r.view.Seq] {
			t.Errorf("%s: the step at seq %d was answered but never projected by the activity", r.name, r.view.Seq)
		}
	}
}

// TestRunsBeforeTheStepInAnswerKeepAnsweringAfterTheProjection: a run recorded before
// StepInAnswerChange answers after its projection activity, with no step in the answer.
func TestRunsBeforeTheStepInAnswerKeepAnsweringAfterTheProjection(t *testing.T) {
	h := newHarness(t)
	h.env.OnGetVersion(workflows.StepInAnswerChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	var r *result
	h.at(time.Minute, func() {
		r = h.do(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}, "")
	})
	h.run(dispute(), time.Hour)
	if r.view.Step != nil {
		t.Errorf("a run before the change answered with its step: %+v", r.view.Step)
	}
}

// TestTextsToPartiesAreWrittenInChinese: what a party is texted when the case closes names the outcome
// in words, never its code (resolved, confirmed, support).
func TestTextsToPartiesAreWrittenInChinese(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 2000 元", Form: "oral"}),
		h.ok(workflows.UpdateClose, villageMed, workflows.CloseArgs{Outcome: "resolved", Note: "双方已履行"}),
	)
	in := dispute()
	h.run(in, time.Hour)
	seen := false
	for _, n := range h.notices() {
		if n.To.Party == nil {
			continue
		}
		seen = seen || n.Kind == "closed" && strings.Contains(n.Body, "调解成功")
		text := strings.NewReplacer(in.Number, "", in.QueryCode, "").Replace(n.Subject + n.Body) // codes, not words
		for _, r := range text {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				t.Errorf("the %s text to a party holds Latin letters: %s %s", n.Kind, n.Subject, n.Body)
				break
			}
		}
	}
	if !seen {
		t.Error("no closing text to the applicant")
	}
}

// TestAClosureIsAnsweredAfterItsMatterIsFreed: a step that frees the case's matter answers only after its
// projection (no step in the answer), so the same matter can be brought again the moment the clerk sees
// the case closed.
func TestAClosureIsAnsweredAfterItsMatterIsFreed(t *testing.T) {
	h := newHarness(t)
	var closing *result
	h.at(time.Minute,
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateAgreement, villageMed, workflows.AgreementArgs{Terms: "赔偿 2000 元", Form: "oral"}),
		func() {
			closing = h.do(workflows.UpdateClose, villageMed, workflows.CloseArgs{Outcome: "resolved"}, "")
		},
	)
	h.run(dispute(), time.Hour)
	if closing.view.Step != nil {
		t.Error("the closure answered with its step, before the activity freed its matter")
	}
	if !h.projected(func(p activities.Projection) bool { return p.Release && p.Case.UpdatedSeq == closing.view.Seq }) {
		t.Error("the closure's projection does not free the matter")
	}
}
