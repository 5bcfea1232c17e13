package cases_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// petitionOrgans seats the organs of the petition story on the test tree and grants their staff:
// the township petition office (信访办), the township government under the county government under the
// city government, and the county labour bureau.
func petitionOrgans(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	for _, b := range []fengqiao.Body{
		{Code: "nb-gov", Name: "宁波市人民政府", Type: fengqiao.BodyAgency, Node: city},
		{Code: "hs-gov", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: county, Superior: "nb-gov"},
		{Code: "hs-rsj", Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: county, Superior: "hs-gov", Fields: []string{"labour"}},
		{Code: "gl-gov", Name: "鼓楼街道办事处", Type: fengqiao.BodyAgency, Node: township, Superior: "hs-gov"},
		{Code: "gl-xfb", Name: "鼓楼街道信访办", Type: fengqiao.BodyPetitionOffice, Node: township},
	} {
		if _, err := e.db.CreateBody(ctx, b); err != nil {
			t.Fatalf("body %s: %v", b.Code, err)
		}
	}
	for _, g := range []struct {
		user string
		role fengqiao.Role
		node string
	}{
		{"clerk.village", fengqiao.RoleClerk, village}, {"med.village", fengqiao.RoleMediator, village},
		{"grid.1", fengqiao.RoleGridWorker, grid}, {"clerk.xfb", fengqiao.RoleClerk, township},
		{"handler.town", fengqiao.RoleHandler, township}, {"clerk.hs", fengqiao.RoleClerk, county},
		{"handler.county", fengqiao.RoleHandler, county}, {"handler.city", fengqiao.RoleHandler, city},
		{"sup.county", fengqiao.RoleSupervisor, county},
	} {
		e.stack.CreateUser(t, g.user, "pw-"+g.user)
		e.stack.Grant(t, g.user, g.role, g.node)
	}
}

func petitionIntake() cases.OpenRequest {
	in := disputeIntake()
	in.Kind, in.Category, in.Channel, in.Location = fengqiao.KindPetition, "land_requisition", fengqiao.ChannelVisit, village
	in.Summary = "对街道征地补偿决定不服"
	return in
}

// perform does an action through the use case both front ends call (authorization included).
func perform(t *testing.T, e *env, user, id, action, body string) cases.View {
	t.Helper()
	v, err := e.svc.Perform(context.Background(), user, id, action, func(args any) error {
		if body == "" {
			return nil
		}
		return json.Unmarshal([]byte(body), args)
	}, "")
	if err != nil {
		t.Fatalf("%s by %s: %v", action, user, err)
	}
	return v
}

func today() string { return time.Now().In(deadline.China).Format("2006-01-02") }

// TestIntegrationPetitionToReviewAndFinal is the story through the cases use cases: a petition
// received at a village window about the township's land requisition decision is registered by the
// township petition office, assigned (交办) to the township government, accepted, answered by its
// handler with the day served, 复查 at the county government, 复核 at the city government, then final —
// and no village mediator ever reads it. The final petition refuses the same petition (XGTL 36) but
// not a people's mediation of the same parties (the track is part of the matter).
func TestIntegrationPetitionToReviewAndFinal(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	petitionOrgans(t, e)
	ctx := context.Background()
	in := petitionIntake()
	v, created, err := e.svc.Intake(ctx, "clerk.village", in)
	if err != nil || !created {
		t.Fatalf("intake: %v", err)
	}
	if v.HandlingNode != township || v.Petition == nil || v.Petition.Office == nil || v.Petition.Office.Code != "gl-xfb" {
		t.Fatalf("registered at %s by %+v, want the township petition office", v.HandlingNode, v.Petition)
	}
	villageNeverReads := func(step string) {
		t.Helper()
		for _, user := range []string{"med.village", "grid.1"} {
			if _, err := e.svc.Read(ctx, user, v.ID); fengqiao.ErrorCode(err) != fengqiao.ECodeNotFound {
				t.Errorf("%s: %s reads the petition: %v", step, user, err)
			}
			rows, err := e.svc.List(ctx, user, store.CaseFilter{Limit: 50})
			for _, r := range rows {
				if r.ID == v.ID {
					t.Errorf("%s: %s lists the petition (%v)", step, user, err)
				}
			}
		}
	}
	villageNeverReads("registered")
	_, err = e.svc.Perform(ctx, "clerk.xfb", v.ID, workflows.UpdateForward, func(args any) error {
		return json.Unmarshal([]byte(`{"agency":"no-such","mode":"forward"}`), args)
	}, "")
	wanterr.Field(t, err, "agency")
	_, err = e.svc.Perform(ctx, "med.village", v.ID, workflows.UpdateForward, func(args any) error { return nil }, "")
	wanterr.Code(t, err, fengqiao.ECodeNotFound)
	v = perform(t, e, "clerk.xfb", v.ID, workflows.UpdateForward,
		`{"agency":"gl-gov","mode":"assign","report_by":"`+time.Now().AddDate(0, 0, 30).In(deadline.China).Format("2006-01-02")+`","note":"请依法处理并于期限内反馈"}`)
	if p := v.Petition; p.Organ == nil || p.Organ.Code != "gl-gov" || len(p.Superiors) != 2 || p.Superiors[0].Code != "hs-gov" || p.Superiors[1].Code != "nb-gov" {
		t.Fatalf("assigned: %+v", v.Petition)
	}
	villageNeverReads("assigned")
	perform(t, e, "handler.town", v.ID, workflows.UpdateAcceptPetition, `{"note":"已受理"}`)
	v = perform(t, e, "handler.town", v.ID, workflows.UpdateAnswer, `{"decision":"not_support","request":"提高征地补偿标准",
		"facts":"补偿标准已公示并经听证","reasons":"补偿符合省定标准","basis":"《土地管理法》第四十八条","served_on":"`+today()+`"}`)
	if v.Status != fengqiao.StatusAnswered || v.Petition.ServedAt == nil {
		t.Fatalf("answered: %s %+v", v.Status, v.Petition)
	}
	row := waitRow(t, e, v)
	if row.HandlingBody != "gl-gov" || row.CoBodies != ",gl-xfb," || row.NextDueKind != "review_request" {
		t.Errorf("projection: handling body %q co-bodies %q next %q", row.HandlingBody, row.CoBodies, row.NextDueKind)
	}
	villageNeverReads("answered")
	v = perform(t, e, "clerk.hs", v.ID, workflows.UpdateReview, `{"level":"复查","reason":"信访人不服，请求复查"}`)
	if v.HandlingNode != county || v.Petition.Organ.Code != "hs-gov" {
		t.Fatalf("复查 at %s by %+v", v.HandlingNode, v.Petition.Organ)
	}
	_, err = e.svc.Perform(ctx, "handler.town", v.ID, workflows.UpdateReviewReply, func(args any) error {
		return json.Unmarshal([]byte(`{"decision":"explain","text":"维持","served_on":"`+today()+`"}`), args)
	}, "")
	if err == nil {
		t.Fatal("the answering agency must not reply to the 复查 of its own answer")
	}
	perform(t, e, "handler.county", v.ID, workflows.UpdateReviewReply, `{"decision":"explain","text":"维持原处理意见","served_on":"`+today()+`"}`)
	v = perform(t, e, "clerk.hs", v.ID, workflows.UpdateReview, `{"level":"复核","reason":"仍不服，请求复核"}`)
	if v.HandlingNode != city || v.Petition.Organ.Code != "nb-gov" {
		t.Fatalf("复核 at %s by %+v", v.HandlingNode, v.Petition.Organ)
	}
	v = perform(t, e, "handler.city", v.ID, workflows.UpdateReviewReply, `{"decision":"not_support","text":"维持复查意见","served_on":"`+today()+`"}`)
	if v.Status != fengqiao.StatusFinal {
		t.Fatalf("status %s", v.Status)
	}
	row = waitRow(t, e, v)
	if !row.Final || row.Status != "final" || row.HandlingBody != "nb-gov" {
		t.Errorf("row final=%t status=%s body=%s", row.Final, row.Status, row.HandlingBody)
	}
	villageNeverReads("final")
	// XGTL 36: the same petition is not accepted again; a people's mediation of the same parties is
	_, _, err = e.svc.Open(ctx, countyClerk, in)
	wanterr.Code(t, err, fengqiao.ECodeFinalAfterReview)
	same := in
	same.Kind = fengqiao.KindDispute
	d, created, err := e.svc.Open(ctx, countyClerk, same)
	if err != nil || !created || d.Kind != fengqiao.KindDispute {
		t.Fatalf("a dispute of the same parties after the final petition: created=%t %v", created, err)
	}
	record(t, e, v.ID, "petition-review-final")
}

// TestIntegrationPetitionObjectionDecidedByTheCommonSuperior: the labour bureau objects to a misrouted
// petition (XGTL 23); the township government objects too; the county government, their common superior,
// decides the township government accepts (XGTL 24); it accepts, the petition office urges it (督办), its
// 负责人 extends the handling with a notice (XGTL 34), it answers, and the petitioner's 1-star rating changes
// nothing but the rating (rule 8).
func TestIntegrationPetitionObjectionDecidedByTheCommonSuperior(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	petitionOrgans(t, e)
	ctx := context.Background()
	v, _, err := e.svc.Intake(ctx, "clerk.village", petitionIntake())
	if err != nil {
		t.Fatal(err)
	}
	perform(t, e, "clerk.xfb", v.ID, workflows.UpdateForward, `{"agency":"hs-rsj","mode":"forward"}`)
	perform(t, e, "clerk.hs", v.ID, workflows.UpdateSupervise, `{"note":"请于5个工作日内受理"}`)
	perform(t, e, "handler.county", v.ID, workflows.UpdateObject, `{"reason":"征地补偿不属人社部门职权"}`)
	perform(t, e, "clerk.xfb", v.ID, workflows.UpdateForward, `{"agency":"gl-gov","mode":"forward"}`)
	perform(t, e, "handler.town", v.ID, workflows.UpdateObject, `{"reason":"征地补偿由区政府决定"}`)
	v = perform(t, e, "sup.county", v.ID, workflows.UpdateDecideOrgan, `{"agency":"gl-gov","mode":"forward","note":"由街道受理办理"}`)
	if !v.Petition.Decided || v.Petition.Organ.Code != "gl-gov" {
		t.Fatalf("decided: %+v", v.Petition)
	}
	perform(t, e, "handler.town", v.ID, workflows.UpdateAcceptPetition, ``)
	perform(t, e, "sup.county", v.ID, workflows.UpdateExtend, `{"days":30,"reason":"需补充测绘"}`)
	v = perform(t, e, "handler.town", v.ID, workflows.UpdateAnswer, `{"decision":"explain","request":"补偿","facts":"已测绘",
		"reasons":"补偿已足额","basis":"《土地管理法》第四十八条","served_on":"`+today()+`"}`)
	before := v
	v, err = e.svc.Rate(ctx, "127.0.0.1", v.QueryCode, "5678", workflows.RatingArgs{Score: 1, Comment: "不满意"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Satisfaction == nil || *v.Satisfaction != 1 || v.Status != before.Status || v.HandlingNode != before.HandlingNode ||
		v.Petition.ReviewLevel != "" || v.Seq != before.Seq+1 {
		t.Fatalf("a 1-star rating changed more than the rating: %s at %s review %q", v.Status, v.HandlingNode, v.Petition.ReviewLevel)
	}
	record(t, e, v.ID, "petition-organs-objection-rating")
}

// TestIntegrationPetitionReferredOutAndNotAccepted: the petition office refers an accusation against an
// official to the discipline organs (rule 6) and does not accept another petition, each with a written
// notice in Chinese.
func TestIntegrationPetitionReferredOutAndNotAccepted(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	petitionOrgans(t, e)
	ctx := context.Background()
	v, _, err := e.svc.Intake(ctx, "clerk.village", petitionIntake())
	if err != nil {
		t.Fatal(err)
	}
	v = perform(t, e, "clerk.xfb", v.ID, workflows.UpdateReferOut, `{"channel":"discipline","note":"检举控告请向区纪委监委提出"}`)
	if v.Status != fengqiao.StatusReferredOut {
		t.Fatalf("status %s", v.Status)
	}
	record(t, e, v.ID, "petition-organs-referred-out")

	other := petitionIntake()
	other.Category = "homestead"
	n, _, err := e.svc.Intake(ctx, "clerk.village", other)
	if err != nil {
		t.Fatal(err)
	}
	n = perform(t, e, "clerk.xfb", n.ID, workflows.UpdateNotAccept, `{"ground":"handling","reason":"同一事项正在区自然资源局办理期限内"}`)
	if n.Status != fengqiao.StatusClosed || n.Outcome != "not_accepted" {
		t.Fatalf("not accepted: %s %s", n.Status, n.Outcome)
	}
	outbox, _ := e.db.CaseOutbox(ctx, n.ID)
	told := false
	for _, o := range outbox {
		told = told || (o.Kind == "petition_not_accepted" && o.RecipientPhoneMasked != "")
	}
	if !told {
		t.Error("the petitioner must get the written notice")
	}
	record(t, e, n.ID, "petition-organs-not-accepted")
}
