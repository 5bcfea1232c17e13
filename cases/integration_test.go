package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"fengqiao"
	"fengqiao/app"
	"fengqiao/app/apptest"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// EnvRecord names the variable that makes the integration tests rewrite testdata/histories.
const EnvRecord = "FENGQIAO_RECORD_HISTORIES"

const (
	city     = "330200"
	county   = "330203"
	township = "330203001"
	village  = "330203001001"
	grid     = "330203001001G1"
	court    = "330203C1"
)

var (
	countyClerk = cases.Actor{Username: "clerk.hs", Role: fengqiao.RoleClerk, Node: county}
	villageSup  = cases.Actor{Username: "sup.village", Role: fengqiao.RoleSupervisor, Node: village}
	townshipSup = cases.Actor{Username: "sup.town", Role: fengqiao.RoleSupervisor, Node: township}
	countySup   = cases.Actor{Username: "sup.county", Role: fengqiao.RoleSupervisor, Node: county}
	villageMed  = cases.Actor{Username: "med.village", Role: fengqiao.RoleMediator, Node: village}
	judge       = cases.Actor{Username: "judge", Role: fengqiao.RoleCourtOfficer, Node: court}
)

const (
	applicantID    = "11010519491231002X"
	applicantPhone = "13912345678"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// env is a real in-process Temporal server, a worker, a real database and the service.
type env struct {
	svc    *cases.Service
	db     *store.DB
	client client.Client
	stack  *apptest.Stack
}

func newEnv(t *testing.T, db *store.DB, more ...apptest.Option) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a Temporal server")
	}
	opts := append([]apptest.Option{apptest.WithDB(db), apptest.WithPrefixes(map[string]string{county: "HS"})}, more...)
	if recording() {
		// checked-in histories must replay without the key
		opts = append(opts, apptest.WithConfig(func(c *app.Config) { c.DataConverter = converter.GetDefaultDataConverter() }))
	}
	s := apptest.New(t, opts...)
	s.AddNodes(t,
		fengqiao.Node{Code: city, Name: "宁波市", Tier: fengqiao.TierCity},
		fengqiao.Node{Code: county, Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: city},
		fengqiao.Node{Code: township, Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: county},
		fengqiao.Node{Code: village, Name: "某社区", Tier: fengqiao.TierVillage, ParentCode: township},
		fengqiao.Node{Code: grid, Name: "网格一", Tier: fengqiao.TierGrid, ParentCode: village},
		fengqiao.Node{Code: court, Name: "海曙区人民法院", Tier: fengqiao.TierCourt, ParentCode: county},
	)
	return &env{db: s.DB, client: s.Temporal, svc: s.Cases, stack: s}
}

func recording() bool { return os.Getenv(EnvRecord) == "1" }

func disputeIntake() cases.OpenRequest {
	return cases.OpenRequest{Kind: fengqiao.KindDispute, Channel: fengqiao.ChannelVisit, Category: "neighbour",
		Summary: "楼上漏水", Location: grid, Parties: []cases.PartyInput{
			{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: applicantID, Phone: applicantPhone}},
			{Party: fengqiao.Party{Role: fengqiao.PartyRespondent, Name: "李四"}}}}
}

func act(t *testing.T, e *env, a cases.Actor, id, action string, body string) cases.View {
	t.Helper()
	v, err := e.svc.Act(context.Background(), a, id, action, json.RawMessage(body))
	if err != nil {
		t.Fatalf("%s by %s: %v", action, a.Username, err)
	}
	return v
}

// waitRow waits until the projection reflects the workflow's latest sequence number.
func waitRow(t *testing.T, e *env, v cases.View) store.CaseRow {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		row, err := e.db.Case(context.Background(), v.ID)
		if err == nil && row.UpdatedSeq >= v.Seq {
			return row
		}
		if time.Now().After(deadline) {
			t.Fatalf("projection of %s stuck at seq %d (want %d): %v", v.ID, row.UpdatedSeq, v.Seq, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestIntegrationDisputeFromCountyIntakeToCourtConfirmation(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	in := disputeIntake()
	bad := in
	bad.Parties = []cases.PartyInput{{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "110105194912310021"}}}
	_, _, err := e.svc.Open(ctx, countyClerk, bad)
	if fe := wanterr.Code(t, err, fengqiao.ECodeInvalid); len(fe.Fields) == 0 || fe.Fields[0].Field != "parties[0].id_number" {
		t.Errorf("fields = %+v", fe.Fields)
	}

	v, created, err := e.svc.Open(ctx, countyClerk, in)
	if err != nil || !created {
		t.Fatalf("open: %v", err)
	}
	if v.HandlingNode != village || v.FirstContact.Node != county || v.Number != "HS-2026-000001" || len(v.QueryCode) < 12 {
		t.Fatalf("opened: node %s first contact %+v number %s", v.HandlingNode, v.FirstContact, v.Number)
	}
	// rule 3: the same matter again returns the open case, and says 越级 when taken in at the county
	// while the village handles it within its deadline (XGTL 19); the intake itself records nothing
	// (a retried intake is no second visit), the clerk records the visit
	for i := 0; i < 2; i++ {
		again, created, err := e.svc.Open(ctx, countyClerk, in)
		fe := wanterr.Code(t, err, fengqiao.ECodeDuplicateCase)
		if created || fe.Details["existing_case_id"] != v.ID || again.ID != v.ID || fe.Details["skip_level"] != "true" {
			t.Fatalf("duplicate intake: created=%t %+v", created, fe)
		}
	}
	v, err = e.svc.RecordVisit(ctx, countyClerk, v.ID, workflows.VisitArgs{Channel: fengqiao.ChannelVisit})
	if err != nil || !v.OneVisitBreach || v.Visits != 2 {
		t.Fatalf("second visit: breach=%t visits=%d %v", v.OneVisitBreach, v.Visits, err)
	}
	_, err = e.svc.Act(ctx, countySup, v.ID, workflows.UpdateEscalate, json.RawMessage(`{"reason":"risk","to":"330203"}`))
	wanterr.Code(t, err, fengqiao.ECodeTierSkip)
	_, err = e.svc.Act(ctx, countySup, v.ID, workflows.UpdateAssign, json.RawMessage(`{"mediator":1}`))
	wanterr.Code(t, err, fengqiao.ECodeMalformed)

	act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAccept, ``)
	act(t, e, villageMed, v.ID, workflows.UpdateSession, `{"held_at":"2026-03-03T10:00:00+08:00","notes":"面谈","outcome":"agreement"}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAgreement, `{"terms":"赔偿 2000 元","form":"written","signed_by_all":true}`)
	act(t, e, villageMed, v.ID, workflows.UpdateConfirmation, `{"court":"330203C1","joint":true}`)
	_, err = e.svc.Act(ctx, villageMed, v.ID, workflows.UpdateCourtDecision, json.RawMessage(`{"result":"confirmed"}`))
	wanterr.Code(t, err, fengqiao.ECodeForbidden)
	act(t, e, judge, v.ID, workflows.UpdateCourtAccept, `{"case_no":"(2026)浙0203民特1号"}`)
	v = act(t, e, judge, v.ID, workflows.UpdateCourtDecision, `{"result":"confirmed","ruling_no":"R-1"}`)
	if v.Status != fengqiao.StatusConfirmed {
		t.Fatalf("status %s", v.Status)
	}
	act(t, e, villageMed, v.ID, workflows.UpdatePerformance, `{"performed":true,"note":"已付"}`)
	v = act(t, e, villageMed, v.ID, workflows.UpdateClose, `{"outcome":"confirmed_and_performed"}`)
	v, err = e.svc.Rate(ctx, "127.0.0.1", v.QueryCode, "5678", workflows.RatingArgs{Score: 5})
	if err != nil || v.Satisfaction == nil {
		t.Fatalf("rating: %v", err)
	}
	if _, err := e.svc.Rate(ctx, "127.0.0.1", v.QueryCode, "0000", workflows.RatingArgs{Score: 5}); fengqiao.ErrorCode(err) != fengqiao.ECodeNotFound {
		t.Errorf("rating with a wrong phone: %v", err)
	}

	// the projection
	row := waitRow(t, e, v)
	if row.Status != "closed" || row.ResolvedTier != "village" || row.Court != court || !row.OneVisitBreach || row.Visits != 2 ||
		row.HandlingPath != "/330200/330203/330203001/330203001001/" || row.FirstContactUser != countyClerk.Username {
		t.Errorf("row = %+v", row)
	}
	events, _ := e.db.CaseEvents(ctx, v.ID)
	for i, ev := range events {
		if ev.Seq != int64(i+1) {
			t.Fatalf("timeline seq %d at %d: events must be contiguous and ordered", ev.Seq, i)
		}
	}
	if int64(len(events)) != v.Seq {
		t.Errorf("%d events, workflow seq %d", len(events), v.Seq)
	}
	parties, _ := e.db.CaseParties(ctx, v.ID)
	if len(parties) != 2 || parties[0].IDNumberMasked != fengqiao.MaskIDNumber(applicantID) ||
		bytes.Contains(parties[0].IDNumberEnc, []byte(applicantID)) || bytes.Contains(parties[0].PhoneEnc, []byte(applicantPhone)) {
		t.Errorf("parties must be sealed and masked: %+v", parties)
	}
	outbox, _ := e.db.CaseOutbox(ctx, v.ID)
	var followUp bool
	for _, o := range outbox {
		followUp = followUp || (o.Kind == "follow_up_task" && o.RecipientUser == countyClerk.Username)
		if o.RecipientPhoneMasked != "" && o.RecipientPhoneMasked != fengqiao.MaskPhone(applicantPhone) {
			t.Errorf("outbox phone not masked: %s", o.RecipientPhoneMasked)
		}
	}
	if !followUp {
		t.Error("closure must queue the first-contact owner's follow-up task")
	}
	var inbox int64
	e.db.Model(&store.InboxRow{}).Count(&inbox)
	if inbox == 0 {
		t.Error("the dev SMS gateway must fill the in-app inbox")
	}
	// the matter was released at closure: the same matter may be brought again as a new case
	if _, err := e.db.Matter(ctx, e.svc.MatterKeys(in)[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("matter not released: %v", err)
	}
	// personal data never reaches Temporal's store in clear: the payload codec encrypts it
	if !recording() {
		it := e.client.GetWorkflowHistory(ctx, workflows.WorkflowID(v.ID), "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := proto.Marshal(ev) // payload data as stored, not base64
			if bytes.Contains(raw, []byte(applicantID)) || bytes.Contains(raw, []byte(applicantPhone)) {
				t.Fatalf("event %d holds a plaintext ID number or phone", ev.EventId)
			}
		}
	}
	// typed search attributes, no personal data: the case can be found by its node and status
	resp, err := e.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("FengqiaoNode = '%s' AND FengqiaoStatus = 'closed' AND WorkflowId = '%s'", village, workflows.WorkflowID(v.ID))})
	if err != nil || len(resp.Executions) != 1 {
		t.Errorf("visibility by search attributes: %v, %v", resp, err)
	}
	record(t, e, v.ID, "dispute-court-confirmation")
}

// TestIntegrationDisputeEscalatesReturnsAndIsRefused records a dispute that climbs, comes back down,
// pauses and is terminated.
func TestIntegrationDisputeEscalatesReturnsAndIsRefused(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	d, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatal(err)
	}
	act(t, e, countySup, d.ID, workflows.UpdateEscalate, `{"reason":"major risk"}`)
	act(t, e, countySup, d.ID, workflows.UpdateReturn, `{"to":"330203001001","reason":"小事不出村"}`)
	act(t, e, villageSup, d.ID, workflows.UpdateSuspend, `{"reason":"鉴定"}`)
	act(t, e, villageSup, d.ID, workflows.UpdateResume, `{"reason":"鉴定完成"}`)
	act(t, e, villageSup, d.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	act(t, e, villageMed, d.ID, workflows.UpdateConsent, `{"party":"respondent","agrees":false}`)
	record(t, e, d.ID, "dispute-escalate-return-refused")
}

func TestIntegrationContinueAsNewKeepsTheCaseAcrossRuns(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.svc.HistoryLimit = 60 // forced small
	ctx := context.Background()
	v, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(v.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 15; i++ {
		if v, err = e.svc.RecordVisit(ctx, countyClerk, v.ID, workflows.VisitArgs{Channel: fengqiao.ChannelPhone}); err != nil {
			t.Fatalf("visit %d: %v", i, err)
		}
	}
	// a run continues as new once every step it took is projected: soon after the last answer
	var now *workflowservice.DescribeWorkflowExecutionResponse
	for wait := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if now, err = e.client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(v.ID), ""); err != nil {
			t.Fatal(err)
		}
		if now.WorkflowExecutionInfo.Execution.RunId != first.WorkflowExecutionInfo.Execution.RunId {
			break
		}
		if time.Now().After(wait) {
			t.Fatal("the workflow never continued as new")
		}
	}
	if now.WorkflowExecutionInfo.HistoryLength > 80 {
		t.Errorf("history length %d: continue-as-new did not keep it small", now.WorkflowExecutionInfo.HistoryLength)
	}
	got, err := e.svc.Get(ctx, v.ID)
	if err != nil || got.Visits != 16 || got.HandlingNode != village || got.Number != v.Number {
		t.Fatalf("after continue-as-new: visits %d node %s, %v", got.Visits, got.HandlingNode, err)
	}
	events, _ := e.db.CaseEvents(ctx, v.ID)
	if int64(len(events)) != got.Seq {
		t.Errorf("%d timeline events for seq %d: the sequence must carry over", len(events), got.Seq)
	}
}

func TestIntegrationTierDeadlineEscalatesOnTheRealServer(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	// A demo policy in seconds (API.md "Policy": Go durations), so real timers fire during the test.
	p := deadline.DefaultPolicy()
	p.Tiers = map[fengqiao.Tier]deadline.Duration{fengqiao.TierVillage: deadline.Fixed(2 * time.Second),
		fengqiao.TierTownship: deadline.Fixed(time.Hour), fengqiao.TierCounty: deadline.Days(30), fengqiao.TierCity: deadline.Days(30)}
	p.Acknowledge = deadline.Fixed(2 * time.Second)
	p.Version = p.Fingerprint()
	e.svc.Policy = p
	ctx := context.Background()
	v, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err = e.svc.Get(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Reported || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if v.HandlingNode != township || !v.Unacknowledged || !v.Reported || v.PolicyVersion != p.Version {
		t.Fatalf("after the village deadline: node %s unack %t reported %t", v.HandlingNode, v.Unacknowledged, v.Reported)
	}
	row := waitRow(t, e, v)
	if row.HandlingNode != township || !row.Unacknowledged || row.EscalatedAt == nil || row.Tier != "township" {
		t.Errorf("projection: %+v", row)
	}
	act(t, e, townshipSup, v.ID, workflows.UpdateAcknowledge, `{"reason":"收到"}`)
	record(t, e, v.ID, "dispute-tier-deadline-escalation")
}

func TestIntegrationTenSimultaneousIntakesOfOneMatterOpenOneCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[string]int{}
		createdN := 0
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, created, err := e.svc.Open(context.Background(), countyClerk, disputeIntake())
				mu.Lock()
				defer mu.Unlock()
				if err != nil && fengqiao.ErrorCode(err) != fengqiao.ECodeDuplicateCase {
					t.Errorf("intake: %v", err)
					return
				}
				ids[v.ID]++
				if created {
					createdN++
				}
			}()
		}
		wg.Wait()
		var rows int64
		db.Model(&store.CaseRow{}).Count(&rows)
		if createdN != 1 || len(ids) != 1 || rows != 1 {
			t.Fatalf("created %d, distinct cases %v, rows %d: want exactly one case", createdN, ids, rows)
		}
	})
}

// record writes the workflow's history to testdata/histories when FENGQIAO_RECORD_HISTORIES=1.
func record(t *testing.T, e *env, caseID, name string) {
	t.Helper()
	if !recording() {
		return
	}
	ctx := context.Background()
	it := e.client.GetWorkflowHistory(ctx, workflows.WorkflowID(caseID), "", false, 0)
	var hist historyEvents
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.add(ev)
	}
	b, err := protojson.MarshalOptions{Indent: "  "}.Marshal(hist.history())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "testdata", "histories", name+".json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s (%d events)", path, len(hist.events))
}

// An intake is answered by the case's first workflow task, routed from the chain the service read (no
// chain or calendar activity), and an action is answered after its projection is written: a list read
// right after it already shows the step.
func TestIntegrationIntakeRoutesInItsFirstTaskAndAnActionIsProjectedBeforeItAnswers(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	activityTypes := func(id string) map[string]int {
		out := map[string]int{}
		it := e.client.GetWorkflowHistory(ctx, workflows.WorkflowID(id), "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			if ev.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
				out[ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()]++
			}
		}
		return out
	}
	v, created, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil || !created {
		t.Fatalf("open: created %t, %v", created, err)
	}
	if v.HandlingNode != village || v.Seq == 0 {
		t.Fatalf("the intake answered before the case was routed: %+v", v)
	}
	waitRow(t, e, v)
	if got := activityTypes(v.ID); len(got) != 1 || got["Project"] == 0 {
		t.Fatalf("intake activities %v, want the projection only", got)
	}
	v = act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	row, err := e.db.Case(ctx, v.ID)
	if err != nil || row.UpdatedSeq != v.Seq || row.Assignee != "med.village" {
		t.Fatalf("projection when the action answered: seq %d assignee %q (want %d), %v", row.UpdatedSeq, row.Assignee, v.Seq, err)
	}
}

// TestIntegrationRiskLoopAndCalendarChange runs, on the real server, what the newest workflow code
// adds to a case's history — a violence mark with its police and supervisor reports, the closed loop
// (owner, plan, 销号), a leader taking the case and reporting, and a calendar year arriving while the
// case runs — and records it for the replay test.
func TestIntegrationRiskLoopAndCalendarChange(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	v, _, err := e.svc.Open(ctx, countyClerk, disputeIntake())
	if err != nil {
		t.Fatal(err)
	}
	act(t, e, villageSup, v.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
	act(t, e, villageMed, v.ID, workflows.UpdateAccept, ``)
	act(t, e, villageMed, v.ID, workflows.UpdateRiskMark, `{"violence":true,"reason":"扬言报复对方"}`)
	act(t, e, townshipSup, v.ID, workflows.UpdateRiskOwner, `{"kind":"violence","owner":"sup.town"}`)
	act(t, e, townshipSup, v.ID, workflows.UpdateRiskPlan, `{"kind":"violence","measure":"每日走访稳控"}`)
	_, err = e.svc.Act(ctx, townshipSup, v.ID, workflows.UpdateRiskClose, json.RawMessage(`{"kind":"violence"}`))
	wanterr.Field(t, err, "reason")
	act(t, e, townshipSup, v.ID, workflows.UpdateRiskClose, `{"kind":"violence","reason":"双方达成谅解"}`)
	act(t, e, townshipSup, v.ID, workflows.UpdateTakeCase, `{"reason":"扬言报复，领导包案"}`)
	act(t, e, townshipSup, v.ID, workflows.UpdateLeaderReport, `{"note":"已约谈双方"}`)
	year := deadline.CalendarYear{Year: time.Now().Year() + 2, Holidays: []string{fmt.Sprintf("%d-01-01", time.Now().Year()+2)}}
	v, err = e.svc.Act(ctx, cases.Actor{Username: "system"}, v.ID, workflows.UpdateCalendar, &workflows.CalendarArgs{Years: []deadline.CalendarYear{year}})
	if err != nil {
		t.Fatalf("calendar: %v", err)
	}
	outbox, _ := e.db.CaseOutbox(ctx, v.ID)
	var police bool
	for _, o := range outbox {
		police = police || o.Kind == "police_report"
	}
	if !police {
		t.Error("a violence mark must report to the police in its own step (PML 25)")
	}
	waitRow(t, e, v)
	record(t, e, v.ID, "dispute-risk-loop-calendar")
}
