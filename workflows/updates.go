package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"fengqiao"
)

// An action is one update: when the case may take it (state, which also yields NextActions), who may
// take it with which arguments (check), and what it does (apply). state and check run in the update's
// validator, so a refused action never reaches the history; apply runs in the handler.
type action[T any] struct {
	name string
	// byParty marks the one action a party takes through the query code rather than a member of staff.
	byParty bool
	// system marks an update only the system sends (a calendar change): not a staff action.
	system bool
	state  func(s *caseState, now time.Time) error
	check  func(s *caseState, now time.Time, a Actor, args T) error
	apply  func(s *caseState, now time.Time, a Actor, args T)
}

// caseActions is every action a case accepts, in the order CaseView.NextActions lists them. The
// workflow registers its updates from it, and ActionNames and NewArgs read it.
var caseActions = []anyAction{
	assignAction, acceptAction, consentAction, sessionAction, agreementAction,
	escalateAction, returnAction, acknowledgeAction, suspendAction, resumeAction, extendAction, visitAction,
	confirmationAction, courtAcceptAction, courtDecisionAction, alternativeAction, performanceAction, closeAction,
	routeDecisionAction, answerAction, reviewAction, reviewReplyAction,
	forwardAction, referOutAction, notAcceptAction, objectAction, decideOrganAction, acceptPetitionAction, superviseAction,
	riskMarkAction, riskOwnerAction, riskPlanAction, riskCloseAction, takeCaseAction, leaderReportAction,
	coBodyAction, coMediatorAction, jointPartAction, handOffAction, courtFilingAction,
	followUpAction, ratingAction,
	migratePolicyAction, calendarAction,
}

// anyAction is an action whatever its argument type, as caseActions holds it.
type anyAction interface {
	actionName() string
	staff() bool
	allowed(s *caseState, now time.Time) error
	newArgs() any
	handle(ctx workflow.Context, s *caseState) error
}

func (act action[T]) actionName() string                        { return act.name }
func (act action[T]) staff() bool                               { return !act.byParty && !act.system }
func (act action[T]) allowed(s *caseState, now time.Time) error { return act.state(s, now) }
func (act action[T]) newArgs() any                              { return new(T) }

// handle registers the action as an update of the case's workflow, with its validator.
func (act action[T]) handle(ctx workflow.Context, s *caseState) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, act.name,
		func(ctx workflow.Context, a Actor, args T) (CaseView, error) {
			s.lawVersion(ctx)
			if act.name == UpdateRating {
				s.ratingVersion(ctx)
			}
			s.tracksVersion(ctx)
			act.apply(s, workflow.Now(ctx), a, args)
			s.dirty = true
			// A step that frees or takes the case's matter (closure, reopening, finality) still answers
			// after its projection: a clerk may open the same matter the moment the case is closed, and
			// the matter rows must change in the order of the steps, which only the activities keep.
			if s.stepInAnswer(ctx) && !(s.release || s.reserve || s.final) {
				st := s.takeStep(ctx)
				workflow.Go(ctx, func(ctx workflow.Context) { s.write(ctx, st) })
				v := s.view(workflow.Now(ctx))
				v.Step = &st.p
				return v, nil
			}
			s.flush(ctx)
			return s.view(workflow.Now(ctx)), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, a Actor, args T) error {
			now := workflow.Now(ctx)
			if err := act.state(s, now); err != nil {
				return err
			}
			if act.check != nil {
				return act.check(s, now, a, args)
			}
			return nil
		}})
}

// lawVersion asks, once per run and only when an action is applied, which version of the period rules
// the run follows: histories recorded before "law-periods" replay at the default version (the court's
// extension counted from the stored end instant; every pause stopping both clocks), new steps at 1.
func (s *caseState) lawVersion(ctx workflow.Context) bool {
	if s.lawPeriods == 0 {
		s.lawPeriods = 1
		if workflow.GetVersion(ctx, "law-periods", workflow.DefaultVersion, 1) >= 1 {
			s.lawPeriods = 2
		}
	}
	return s.lawPeriods == 2
}

// nextActions lists the actions the case's state allows now (the API narrows them to the caller).
func (s *caseState) nextActions(now time.Time) []string {
	var out []string
	for _, act := range caseActions {
		if act.allowed(s, now) == nil {
			out = append(out, act.actionName())
		}
	}
	return out
}

// register installs the query, the view update and every action.
func (s *caseState) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseView, error) {
		return s.view(workflow.Now(ctx)), nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateView, func(ctx workflow.Context) (CaseView, error) {
		return s.view(workflow.Now(ctx)), nil
	}); err != nil {
		return err
	}
	for _, act := range caseActions {
		if err := act.handle(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// --- state and actor helpers ---

func statusIn(s *caseState, name string, ok ...fengqiao.Status) error {
	for _, st := range ok {
		if s.Status == st {
			return nil
		}
	}
	return refuse(fengqiao.ECodeNotAllowed, "%s is not allowed while the case is %s", name, s.Status)
}

// whileOpen allows an action for as long as the case is open.
func whileOpen(s *caseState, now time.Time) error {
	if !s.Status.Open() {
		return refuse(fengqiao.ECodeNotAllowed, "the case is %s", s.Status)
	}
	return nil
}

func kindIs(s *caseState, name string, k fengqiao.Kind) error {
	if s.Kind != k {
		return refuse(fengqiao.ECodeNotAllowed, "%s applies to a %s, not to a %s", name, k, s.Kind)
	}
	return nil
}

func all(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func forbid(format string, args ...any) error {
	return refuse(fengqiao.ECodeForbidden, format, args...)
}

func (s *caseState) isAssignee(a Actor) bool { return s.Assignee != "" && a.Username == s.Assignee }

// isSupervisorOver reports whether a is a supervisor at or above the handling node (DESIGN.md §4).
func (s *caseState) isSupervisorOver(a Actor) bool {
	return a.Role == fengqiao.RoleSupervisor && covers(s.Chain, s.Handling, a.Node)
}

func (s *caseState) assigneeOrSupervisor(a Actor, what string) error {
	if s.isAssignee(a) || s.isSupervisorOver(a) {
		return nil
	}
	return forbid("only the assigned mediator or a supervisor over %s may %s", s.node().Code, what)
}

func (s *caseState) onlyAssignee(a Actor, what string) error {
	if s.isAssignee(a) {
		return nil
	}
	if s.Assignee == "" {
		return refuse(fengqiao.ECodeNotAllowed, "no mediator is assigned: assign one before %s", what)
	}
	return forbid("only the assigned mediator %s may %s", s.Assignee, what)
}

func required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return invalid(field, "is required")
	}
	return nil
}
