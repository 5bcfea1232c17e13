package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

// The test jurisdiction: 宁波市 > 海曙区 > 鼓楼街道 > 某社区 > 网格一, and a court under the county.
const (
	city     = "330200"
	county   = "330203"
	township = "330203001"
	village  = "330203001001"
	grid     = "330203001001G1"
	court    = "330203C1"
)

var testChain = []fengqiao.ChainNode{
	{Code: city, Name: "宁波市", Tier: fengqiao.TierCity, Path: "/330200/"},
	{Code: county, Name: "海曙区", Tier: fengqiao.TierCounty, Path: "/330200/330203/"},
	{Code: township, Name: "鼓楼街道", Tier: fengqiao.TierTownship, Path: "/330200/330203/330203001/"},
	{Code: village, Name: "某社区", Tier: fengqiao.TierVillage, Path: "/330200/330203/330203001/330203001001/"},
	{Code: grid, Name: "网格一", Tier: fengqiao.TierGrid, Path: "/330200/330203/330203001/330203001001/330203001001G1/"},
}

// Actors used across the tests.
var (
	countyClerk   = workflows.Actor{Username: "clerk.hs", Role: fengqiao.RoleClerk, Node: county}
	gridWorker    = workflows.Actor{Username: "grid.1", Role: fengqiao.RoleGridWorker, Node: grid}
	villageSup    = workflows.Actor{Username: "sup.village", Role: fengqiao.RoleSupervisor, Node: village}
	townshipSup   = workflows.Actor{Username: "sup.town", Role: fengqiao.RoleSupervisor, Node: township}
	countySup     = workflows.Actor{Username: "sup.county", Role: fengqiao.RoleSupervisor, Node: county}
	villageMed    = workflows.Actor{Username: "med.village", Role: fengqiao.RoleMediator, Node: village}
	townshipMed   = workflows.Actor{Username: "med.town", Role: fengqiao.RoleMediator, Node: township}
	courtOfficer  = workflows.Actor{Username: "judge", Role: fengqiao.RoleCourtOfficer, Node: court}
	otherCourt    = workflows.Actor{Username: "judge2", Role: fengqiao.RoleCourtOfficer, Node: "330204C1"}
	admin         = workflows.Actor{Username: "admin", Role: fengqiao.RoleAdmin, Node: city}
	party         = workflows.Actor{Username: "party"}
	testApplicant = fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X", Phone: "13912345678"}
	testRespond   = fengqiao.Party{Role: fengqiao.PartyRespondent, Name: "李四"}
)

// harness runs one case workflow in the SDK's test environment with simulated time; the activities are
// mocked, and every projection is kept for assertions.
type harness struct {
	t       *testing.T
	env     *testsuite.TestWorkflowEnvironment
	mu      sync.Mutex
	proj    []activities.Projection
	court   []activities.CourtRequest
	results []*result
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	h := &harness{t: t, env: suite.NewTestWorkflowEnvironment()}
	h.env.SetTestTimeout(2 * time.Minute)
	// under -race on a loaded machine a workflow task can take longer than the default 1 s deadlock guard
	h.env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	h.env.SetStartTime(china("2026-03-02 09:00")) // a Monday: deadlines do not depend on when tests run
	h.env.RegisterWorkflowWithOptions(workflows.CaseWorkflow, workflow.RegisterOptions{Name: workflows.WorkflowType})
	a := &activities.Activities{}
	h.env.RegisterActivity(a)
	h.env.OnActivity(a.ResolveChain, mock.Anything, mock.Anything).Return(testChain, nil)
	h.env.OnActivity(a.LoadCalendar, mock.Anything, mock.Anything, mock.Anything).Return(deadline.DefaultCalendar(), nil)
	h.env.OnActivity(a.Project, mock.Anything, mock.Anything).Return(keep(h, &h.proj))
	h.env.OnActivity(a.SendToCourt, mock.Anything, mock.Anything).Return(keep(h, &h.court))
	return h
}

// keep is a mocked activity that keeps every input it is sent in list.
func keep[T any](h *harness, list *[]T) func(context.Context, T) error {
	return func(_ context.Context, in T) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		*list = append(*list, in)
		return nil
	}
}

// dispute is a start input for a neighbour dispute located in the grid, received by the county clerk.
func dispute() workflows.StartInput {
	return workflows.StartInput{Intake: workflows.Intake{CaseID: "c1", Number: "HS-2026-000001", QueryCode: "QC7K2M9P4X3B",
		Kind: fengqiao.KindDispute, Category: "neighbour", Channel: fengqiao.ChannelVisit, Summary: "噪音",
		Location: grid, FirstContact: countyClerk, Parties: []fengqiao.Party{testApplicant, testRespond},
		MatterKeys: []string{"k1"}, Policy: deadline.DefaultPolicy()}}
}

// legacyPetition runs the case as petitions started before the organs track did (the default version
// of PetitionOrgansChange and PetitionRatingChange): running cases keep the mediation-ladder rules.
func (h *harness) legacyPetition() *harness {
	h.env.OnGetVersion(workflows.PetitionOrgansChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	h.env.OnGetVersion(workflows.PetitionRatingChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	return h
}

func petition() workflows.StartInput {
	in := dispute()
	in.Kind, in.Category, in.Channel = fengqiao.KindPetition, "land", fengqiao.ChannelLetter
	return in
}

// at schedules the steps one simulated second apart, starting at offset d after the start; each step
// runs after the previous one's update has completed.
func (h *harness) at(d time.Duration, steps ...func()) {
	for i, s := range steps {
		h.env.RegisterDelayedCallback(s, d+time.Duration(i)*time.Second)
	}
}

// result is an update's outcome, filled by its callbacks.
type result struct {
	name  string
	actor string
	want  fengqiao.Code // "" for success
	done  bool
	view  workflows.CaseView
	err   error
}

// do sends an update now.
func (h *harness) do(name string, a workflows.Actor, args any, want fengqiao.Code) *result {
	r := &result{name: name, actor: a.Username, want: want}
	h.mu.Lock()
	h.results = append(h.results, r)
	h.mu.Unlock()
	h.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
		OnReject: func(err error) { r.done, r.err = true, err },
		OnComplete: func(v any, err error) {
			r.done, r.err = true, err
			if cv, ok := v.(workflows.CaseView); ok {
				r.view = cv
			}
		},
	}, a, args)
	return r
}

// ok is a step sending an update that must succeed.
func (h *harness) ok(name string, a workflows.Actor, args any) func() {
	return func() { h.do(name, a, args, "") }
}

// refused is a step sending an update that must be refused with the code, leaving the case unchanged.
func (h *harness) refused(name string, a workflows.Actor, args any, code fengqiao.Code) func() {
	return func() {
		before := h.state().Seq
		h.do(name, a, args, code)
		if after := h.state().Seq; after != before {
			h.fail("%s: a refused action changed the case (seq %d → %d)", name, before, after)
		}
	}
}

// check is a step asserting on the case as it stands.
func (h *harness) check(fn func(v workflows.CaseView)) func() {
	return func() { fn(h.state()) }
}

// verify checks every update's outcome against its expectation.
func (h *harness) verify() {
	h.t.Helper()
	for _, r := range h.results {
		var ae *temporal.ApplicationError
		switch {
		case !r.done:
			h.t.Errorf("%s by %s: never completed", r.name, r.actor)
		case r.want == "" && r.err != nil:
			h.t.Errorf("%s by %s: want success, got %v", r.name, r.actor, r.err)
		case r.want != "" && (!errors.As(r.err, &ae) || ae.Type() != string(r.want)):
			h.t.Errorf("%s by %s: want refusal %s, got %v", r.name, r.actor, r.want, r.err)
		}
	}
}

func (h *harness) fail(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.t.Errorf(format, args...)
}

// state queries the case.
func (h *harness) state() workflows.CaseView {
	h.t.Helper()
	val, err := h.env.QueryWorkflow(workflows.QueryState)
	if err != nil {
		h.t.Fatalf("query: %v", err)
	}
	var v workflows.CaseView
	if err := val.Get(&v); err != nil {
		h.t.Fatalf("decode view: %v", err)
	}
	return v
}

// run executes the workflow; stop cancels it at that offset (0: let it finish).
func (h *harness) run(in workflows.StartInput, stop time.Duration) {
	h.t.Helper()
	if stop > 0 {
		h.at(stop, func() { h.env.CancelWorkflow() })
	}
	h.env.ExecuteWorkflow(workflows.WorkflowType, in)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("workflow did not complete")
	}
	h.verify()
}

// events lists every projected event type in order.
func (h *harness) events() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, p := range h.proj {
		for _, e := range p.Events {
			out = append(out, e.Type)
		}
	}
	return out
}

// notices lists every projected notice.
func (h *harness) notices() []activities.Notice {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []activities.Notice
	for _, p := range h.proj {
		out = append(out, p.Notices...)
	}
	return out
}

// wantEvents fails the test for every wanted event type missing from the timeline.
func (h *harness) wantEvents(want ...string) {
	h.t.Helper()
	ev := h.events()
	for _, w := range want {
		if !contains(ev, w) {
			h.t.Errorf("no %s event in %v", w, ev)
		}
	}
}

// noticed reports whether a notice of the kind went to a recipient that to accepts.
func (h *harness) noticed(kind string, to func(activities.Recipient) bool) bool {
	for _, n := range h.notices() {
		if n.Kind == kind && to(n.To) {
			return true
		}
	}
	return false
}

// toParty accepts a party (an SMS to an applicant).
func toParty(r activities.Recipient) bool { return r.Party != nil }

// projected reports whether some projection satisfies ok.
func (h *harness) projected(ok func(activities.Projection) bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.proj {
		if ok(p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func china(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.China)
	if err != nil {
		panic(err)
	}
	return t
}

const day = 24 * time.Hour
