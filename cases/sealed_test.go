package cases_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// A phone number and a name typed into free text: a summary, session notes, agreement terms, a
// petition's answer, reasons, an outcome.
const (
	notePhone = "18655501234"
	noteName  = "欧阳秀英"
	said      = noteName + "（电话 " + notePhone + "）"
)

// TestIntegrationFreeTextIsSealedAtRest opens a dispute and a petition through the whole stack, writes
// the phone number and the name into every free text the staff types, waits for the projection, and
// then looks for them in the database as stored — the SQLite file and its WAL byte for byte, every
// column of every PostgreSQL table. They must be nowhere, while the API still shows every text.
func TestIntegrationFreeTextIsSealedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e, s := sealedEnv(t, db)
		ctx := context.Background()

		in := disputeIntake()
		in.Summary = "楼上漏水，邻居" + said + "拒不维修"
		d, _, err := e.svc.Open(ctx, countyClerk, in)
		if err != nil {
			t.Fatal(err)
		}
		act(t, e, villageSup, d.ID, workflows.UpdateAssign, `{"mediator":"med.village"}`)
		act(t, e, villageMed, d.ID, workflows.UpdateAccept, ``)
		act(t, e, villageMed, d.ID, workflows.UpdateSession, `{"held_at":"2026-03-03T10:00:00+08:00","notes":"约谈`+said+`","outcome":"agreement"}`)
		act(t, e, villageMed, d.ID, workflows.UpdateAgreement, `{"terms":"`+said+`赔偿 2000 元","form":"written","signed_by_all":true}`)
		d = act(t, e, villageMed, d.ID, workflows.UpdateClose, `{"outcome":"调解成功：`+said+`","note":"回访`+said+`"}`)

		pin := disputeIntake()
		pin.Kind, pin.Category, pin.Channel = fengqiao.KindPetition, "land", fengqiao.ChannelLetter
		pin.Summary = "反映" + said + "占用承包地"
		p, _, err := e.svc.Open(ctx, countyClerk, pin)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []fengqiao.Body{{Code: "hs-gov", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: county},
			{Code: "gl-gov", Name: "鼓楼街道办事处", Type: fengqiao.BodyAgency, Node: township, Superior: "hs-gov"}} {
			if _, err := e.db.CreateBody(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		townHandler := workflows.Actor{Username: "handler.town", Role: fengqiao.RoleHandler, Node: township}
		act(t, e, countyClerk, p.ID, workflows.UpdateForward, `{"agency":"gl-gov","mode":"forward"}`)
		act(t, e, townHandler, p.ID, workflows.UpdateAcceptPetition, ``)
		act(t, e, townHandler, p.ID, workflows.UpdateAnswer, `{"decision":"not_support","request":"收回承包地","facts":"已核查",
			"reasons":"经查`+said+`所述不实","basis":"《农村土地承包法》","served_on":"`+today()+`"}`)
		p = act(t, e, countyClerk, p.ID, workflows.UpdateReview, `{"level":"复查","reason":"`+said+`不服"}`)

		// an intake over HTTP with an Idempotency-Key: the answer kept for retries holds the summary too
		s.CreateUser(t, "clerk.http", "clerk.http password")
		s.Grant(t, "clerk.http", fengqiao.RoleClerk, county)
		body := map[string]any{"kind": "dispute", "channel": "visit", "category": "debt", "summary": "借款纠纷，" + said,
			"location": grid, "parties": []map[string]any{{"role": "applicant", "name": "张三", "id_number": applicantID}}}
		req, err := apptest.NewRequest(ctx, "POST", s.URL+"/api/v1/cases", s.Login(t, "clerk.http", "clerk.http password"), body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Idempotency-Key", "sealed-intake-1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("intake over HTTP: %d", res.StatusCode)
		}

		waitRow(t, e, d)
		waitRow(t, e, p)
		waitInbox(t, s.DB)

		for _, text := range []string{notePhone, noteName} {
			if where := storetest.InStorage(t, s.DB, text); len(where) > 0 {
				t.Errorf("%q is stored in clear: %v", text, where)
			}
		}

		s.CreateUser(t, "sup.county", "sup.county password")
		s.Grant(t, "sup.county", fengqiao.RoleSupervisor, county)
		tok := s.Login(t, "sup.county", "sup.county password")

		t.Run("lists show the summaries", func(t *testing.T) {
			got := listSummaries(t, s, tok)
			if got[d.ID] != in.Summary || got[p.ID] != pin.Summary {
				t.Errorf("list summaries %q", got)
			}
		})
		t.Run("timelines show the notes, outcomes and reasons", func(t *testing.T) {
			for _, want := range []struct{ id, text string }{
				{d.ID, "约谈" + said},
				{d.ID, "调解成功：" + said + ": 回访" + said},
				{p.ID, said + "不服"},
			} {
				if details := timeline(t, s, tok, want.id); !strings.Contains(strings.Join(details, "\n"), want.text) {
					t.Errorf("timeline of %s lacks %q: %q", want.id, want.text, details)
				}
			}
		})
		t.Run("a case read from its projection shows its summary and outcome", func(t *testing.T) {
			if err := e.client.TerminateWorkflow(ctx, workflows.WorkflowID(d.ID), "", "read from the projection"); err != nil {
				t.Fatal(err)
			}
			v, err := e.svc.Get(ctx, d.ID)
			if err != nil || v.Summary != in.Summary || v.Outcome != "调解成功："+said {
				t.Errorf("from the projection: %q %q, %v", v.Summary, v.Outcome, err)
			}
		})

		// rows as an older release wrote them (text in clear, nothing sealed) still read; a ciphertext
		// that does not open reads as such, and the list and the timeline still answer
		sealed, err := s.DB.Case(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		events, err := s.DB.CaseEvents(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		old, broken := legacyRow(sealed, "legacy0000000000old1"), legacyRow(sealed, "legacy000000broken01")
		old.Summary = "旧案：楼道堆物"
		broken.SummaryEnc = sealed.SummaryEnc // sealed for another case: does not open here
		for _, r := range []store.CaseRow{old, broken} {
			if err := s.DB.Create(&r).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DB.Create(&[]store.EventRow{
			{CaseID: old.ID, Seq: 1, OccurredAt: old.OpenedAt, Type: "registered", Actor: "clerk", Node: county, Detail: "旧记录：来访登记"},
			{CaseID: broken.ID, Seq: 1, OccurredAt: old.OpenedAt, Type: "session", Actor: "med", Node: village, DetailEnc: events[len(events)-1].DetailEnc},
		}).Error; err != nil {
			t.Fatal(err)
		}
		t.Run("rows written before sealing read as written", func(t *testing.T) {
			if got := listSummaries(t, s, tok); got[old.ID] != old.Summary || got[d.ID] != in.Summary {
				t.Errorf("list summaries %q", got)
			}
			if details := timeline(t, s, tok, old.ID); len(details) != 1 || details[0] != "旧记录：来访登记" {
				t.Errorf("timeline %q", details)
			}
		})
		t.Run("what does not open reads as undecryptable", func(t *testing.T) {
			if got := listSummaries(t, s, tok); got[broken.ID] != store.Undecryptable {
				t.Errorf("list summary %q", got[broken.ID])
			}
			if details := timeline(t, s, tok, broken.ID); len(details) != 1 || details[0] != store.Undecryptable {
				t.Errorf("timeline %q", details)
			}
		})
	})
}

// sealedEnv is the env of the integration tests over db, with the stack for HTTP reads.
func sealedEnv(t *testing.T, db *store.DB) (*env, *apptest.Stack) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a Temporal server")
	}
	s := apptest.New(t, apptest.WithDB(db), apptest.WithPrefixes(map[string]string{county: "HS"}))
	s.AddNodes(t,
		fengqiao.Node{Code: city, Name: "宁波市", Tier: fengqiao.TierCity},
		fengqiao.Node{Code: county, Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: city},
		fengqiao.Node{Code: township, Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: county},
		fengqiao.Node{Code: village, Name: "某社区", Tier: fengqiao.TierVillage, ParentCode: township},
		fengqiao.Node{Code: grid, Name: "网格一", Tier: fengqiao.TierGrid, ParentCode: village},
	)
	return &env{db: s.DB, client: s.Temporal, svc: s.Cases}, s
}

// waitInbox waits until every text message the projection queued is in the dev inbox (the gateway
// sends after the projection commits).
func waitInbox(t *testing.T, db *store.DB) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var texts, inbox int64
		db.Model(&store.OutboxRow{}).Where("recipient_phone_masked <> ''").Count(&texts)
		db.Model(&store.InboxRow{}).Count(&inbox)
		if texts > 0 && inbox == texts {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts queued, %d in the inbox", texts, inbox)
		}
	}
}

// legacyRow is a copy of row under another id and number, nothing sealed.
func legacyRow(row store.CaseRow, id string) store.CaseRow {
	r := row
	r.ID, r.Number, r.QueryCode, r.WorkflowID = id, "HS-2025-"+id[len(id)-6:], "Q"+id[len(id)-11:], workflows.WorkflowID(id)
	r.Summary, r.SummaryEnc, r.Outcome, r.OutcomeEnc, r.IntakeEnc = "", nil, "", nil, nil
	return r
}

func getJSON(t *testing.T, s *apptest.Stack, token, path string, into any) {
	t.Helper()
	req, err := apptest.NewRequest(context.Background(), "GET", s.URL+path, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// listSummaries is the case list as GET /api/v1/cases shows it: id → summary.
func listSummaries(t *testing.T, s *apptest.Stack, token string) map[string]string {
	t.Helper()
	var list struct {
		Items []struct{ ID, Summary string }
	}
	getJSON(t, s, token, "/api/v1/cases?limit=100", &list)
	out := map[string]string{}
	for _, c := range list.Items {
		out[c.ID] = c.Summary
	}
	return out
}

// timeline is the details of a case's timeline as GET /api/v1/cases/{id}/timeline shows them.
func timeline(t *testing.T, s *apptest.Stack, token, id string) []string {
	t.Helper()
	var tl struct {
		Items []struct{ Detail json.RawMessage }
	}
	getJSON(t, s, token, "/api/v1/cases/"+id+"/timeline", &tl)
	var out []string
	for _, e := range tl.Items {
		var d string
		if json.Unmarshal(e.Detail, &d) != nil {
			d = string(e.Detail)
		}
		out = append(out, d)
	}
	return out
}
