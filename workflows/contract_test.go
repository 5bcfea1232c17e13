package workflows_test

import (
	"reflect"
	"slices"
	"testing"

	"fengqiao/workflows"
)

// TestEveryActionDecodesIntoItsArguments pins the argument type of every update: the HTTP layer
// decodes an action's body into NewArgs(name) and sends it as the update's argument.
func TestEveryActionDecodesIntoItsArguments(t *testing.T) {
	want := map[string]any{
		workflows.UpdateAssign:        &workflows.AssignArgs{},
		workflows.UpdateAccept:        &workflows.NoArgs{},
		workflows.UpdateConsent:       &workflows.ConsentArgs{},
		workflows.UpdateSession:       &workflows.SessionArgs{},
		workflows.UpdateAgreement:     &workflows.AgreementArgs{},
		workflows.UpdateEscalate:      &workflows.ReasonArgs{},
		workflows.UpdateReturn:        &workflows.ReturnArgs{},
		workflows.UpdateAcknowledge:   &workflows.ReasonArgs{},
		workflows.UpdateSuspend:       &workflows.ReasonArgs{},
		workflows.UpdateResume:        &workflows.ReasonArgs{},
		workflows.UpdateExtend:        &workflows.ExtendArgs{},
		workflows.UpdateVisit:         &workflows.VisitArgs{},
		workflows.UpdateConfirmation:  &workflows.ConfirmationArgs{},
		workflows.UpdateCourtAccept:   &workflows.CourtAcceptArgs{},
		workflows.UpdateCourtDecision: &workflows.CourtDecisionArgs{},
		workflows.UpdateAlternative:   &workflows.AlternativeArgs{},
		workflows.UpdatePerformance:   &workflows.PerformanceArgs{},
		workflows.UpdateClose:         &workflows.CloseArgs{},
		workflows.UpdateRouteDecision: &workflows.RouteDecisionArgs{},
		workflows.UpdateAnswer:        &workflows.AnswerArgs{},
		workflows.UpdateReview:        &workflows.ReviewArgs{},
		workflows.UpdateReviewReply:   &workflows.ReviewReplyArgs{},
		workflows.UpdateFollowUp:      &workflows.FollowUpArgs{},
		workflows.UpdateRating:        &workflows.RatingArgs{},
		workflows.UpdateMigratePolicy: &workflows.MigratePolicyArgs{},
		workflows.UpdateView:          nil, // not an action
		"no-such-action":              nil,
	}
	for name, args := range want {
		t.Run(name, func(t *testing.T) {
			if got := workflows.NewArgs(name); !reflect.DeepEqual(got, args) {
				t.Errorf("NewArgs(%q) = %#v, want %#v", name, got, args)
			}
		})
	}
}

// TestActionNamesAreTheStaffActionsSorted: every staff action once, sorted; the party's rating and
// the view are not staff actions.
func TestActionNamesAreTheStaffActionsSorted(t *testing.T) {
	names := workflows.ActionNames()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("ActionNames() = %v, want sorted and without repeats", names)
	}
	if len(names) != 42 {
		t.Errorf("ActionNames() has %d names, want the 42 staff actions: %v", len(names), names)
	}
	for _, n := range names {
		if workflows.NewArgs(n) == nil {
			t.Errorf("action %q has no arguments", n)
		}
	}
	for _, n := range []string{workflows.UpdateRating, workflows.UpdateView} {
		if slices.Contains(names, n) {
			t.Errorf("ActionNames() lists %q, which no member of staff takes", n)
		}
	}
	names[0] = "changed"
	if workflows.ActionNames()[0] == "changed" {
		t.Error("ActionNames() shares its slice between calls")
	}
}
