package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fengqiao/demo"
)

const (
	creditCode = "91350100M000100Y43"
	homeAddr   = "宁波市海曙区孝闻街12号3幢201室"
)

// legalIntake is the intake form of a case whose applicant has full identity and whose respondent is
// an organisation.
func legalIntake(summary string) url.Values {
	f := intakeForm(summary)
	f.Set("app_kind", "person")
	f.Set("app_ethnicity", "汉族")
	f.Set("app_address", homeAddr)
	f.Set("address", "孝闻街12号楼道")
	f.Set("request", "请求对方修复漏水并赔偿损失八百元")
	f.Set("resp_kind", "organization")
	f.Set("resp_name", "宁波某物业服务有限公司")
	f.Set("resp_credit", creditCode)
	f.Set("resp_rep", "王五")
	f.Set("resp_rep_title", "总经理")
	f.Set("resp_address", "宁波市海曙区药行街99号")
	return f
}

// docArticle is the document of a printed page: the <article class="doc"> element as text, tags and
// the page's chrome (navigation, language switch, print button) left out.
func docArticle(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `<article class="doc"`)
	j := strings.Index(body, "</article>")
	if i < 0 || j < i {
		t.Fatalf("no document in %.1500s", body)
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body[i:j], " "))
}

// latinWord is a word in Latin letters; a Chinese document may hold none outside codes and numbers
// (case numbers and credit codes: tokens with a digit; query codes: a run of capitals; both dropped
// first by codeToken).
var (
	latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)
	codeToken = regexp.MustCompile(`[0-9A-Za-z-]*[0-9][0-9A-Za-z-]*|\b[A-Z]{8,}\b`)
)

// latinIn is the first Latin word of a Chinese text outside codes and numbers ("" when none).
func latinIn(text string) string { return latinWord.FindString(codeToken.ReplaceAllString(text, " ")) }

// TestDocumentsInLegalFormPrintFullIdentityOnlyForTheCasesStaff prints the 人民调解协议书 and the
// 司法确认申请书 of a case whose applicant has full identity and whose respondent is an organisation:
// the assigned mediator (and the supervisor) get the legal document — unmasked ID number and phone,
// 性别, 民族, 住址, the organisation's 统一社会信用代码 and 法定代表人, the court named from the case,
// the mediator signing by name, every party of the joint application labelled 申请人 — and the print
// is audited as a full read; the first-contact clerk gets the masked copy marked as not the legal
// document; a mediator of another township gets 404. The Chinese documents hold no Latin word, and
// the English ones no Chinese label.
func TestDocumentsInLegalFormPrintFullIdentityOnlyForTheCasesStaff(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new").has(`id="app_kind"`, `id="resp_credit"`, `id="request"`)
	t.Run("a bad credit code is refused naming the field", func(t *testing.T) {
		f := legalIntake("楼上漏水")
		f.Set("resp_credit", "91350100M000100Y44")
		clerk.post("/cases/new", f).want(http.StatusUnprocessableEntity).has("parties[1].credit_code")
	})
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", legalIntake("楼上漏水，物业拒修")).want(http.StatusOK).has("受理回执").body)

	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.get("/cases/" + id)
	sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.get("/cases/" + id)
	med.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusOK)
	med.post("/cases/"+id+"/act/agreement", url.Values{"terms": {"物业公司于十二月十日前修复漏水并赔偿张三八百元"},
		"form": {"written"}, "signed_by_all": {"true"}}).want(http.StatusOK).has(`id="doc-agreement"`)

	t.Run("the assigned mediator prints the legal document", func(t *testing.T) {
		p := med.get("/cases/" + id + "/documents/agreement").want(http.StatusOK)
		doc := docArticle(t, p.body)
		for _, want := range []string{"人民调解协议书", "申请人：张三，女，汉族，1949年12月31日出生，公民身份号码" + applicantID,
			"住" + homeAddr, "联系电话" + applicantPhone, "被申请人：宁波某物业服务有限公司，统一社会信用代码" + creditCode,
			"法定代表人（主要负责人）：王五，总经理", "人民调解员：李调解", "纠纷发生地：孝闻街12号楼道", "申请人请求事项：请求对方修复漏水", "本协议一式三份"} {
			if !strings.Contains(doc, want) {
				t.Errorf("the agreement lacks %q:\n%s", want, doc)
			}
		}
		if strings.Contains(doc, "med-village") || strings.Contains(doc, "隐去") {
			t.Errorf("the agreement names a login or is masked:\n%s", doc)
		}
		if m := latinIn(doc); m != "" {
			t.Errorf("the Chinese agreement holds the Latin word %q", m)
		}
	})
	t.Run("the joint application names every party 申请人 and the court", func(t *testing.T) {
		doc := docArticle(t, med.get("/cases/"+id+"/documents/confirmation").want(http.StatusOK).body)
		for _, want := range []string{"申请人：张三", "申请人：宁波某物业服务有限公司", "此致", "海曙区人民法院", "公民身份号码" + applicantID} {
			if !strings.Contains(doc, want) {
				t.Errorf("the application lacks %q:\n%s", want, doc)
			}
		}
		if strings.Contains(doc, "被申请人") || regexp.MustCompile(`申请人：\s*申请人`).MatchString(doc) || strings.Contains(doc, "＿＿＿＿人民法院") {
			t.Errorf("the application labels a co-applicant 被申请人, has an empty 申请人 line or a blank court:\n%s", doc)
		}
		if m := latinIn(doc); m != "" {
			t.Errorf("the Chinese application holds the Latin word %q", m)
		}
	})
	t.Run("the supervisor prints it in full too", func(t *testing.T) {
		sup.get("/cases/" + id + "/documents/agreement").want(http.StatusOK).has(applicantID)
	})
	t.Run("the clerk gets the masked copy", func(t *testing.T) {
		doc := docArticle(t, clerk.get("/cases/"+id+"/documents/agreement").want(http.StatusOK).body)
		if strings.Contains(doc, applicantID) || strings.Contains(doc, applicantPhone) || strings.Contains(doc, homeAddr) ||
			!strings.Contains(doc, "1101**********002X") || !strings.Contains(doc, "不作正式文书使用") {
			t.Errorf("the clerk's copy:\n%s", doc)
		}
	})
	t.Run("a mediator of another township gets 404", func(t *testing.T) {
		south := e.browser(t)
		south.login("med-south", "south-password")
		south.get("/cases/" + id + "/documents/agreement").want(http.StatusNotFound)
	})
	t.Run("every print is audited, saying whether the identity was full", func(t *testing.T) {
		entries, err := e.db.AuditPage(context.Background(), 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var full, masked bool
		for _, a := range entries {
			if a.Object == "case/"+id && a.Actor == "med-village" && a.Detail == "printed doc_agreement with full identity" {
				full = true
			}
			if a.Object == "case/"+id && a.Actor == "clerk" && a.Detail == "printed doc_agreement (identity masked)" {
				masked = true
			}
		}
		if !full || !masked {
			t.Errorf("audit: full %v, masked %v", full, masked)
		}
	})
	t.Run("in English the documents are English throughout", func(t *testing.T) {
		for _, doc := range []string{"agreement", "confirmation"} {
			text := docArticle(t, med.get("/cases/"+id+"/documents/"+doc+"?lang=en").want(http.StatusOK).body)
			for _, zh := range []string{"申请人", "公民身份号码", "签名", "人民调解协议书", "司法确认申请书", "联系电话", "此致"} {
				if strings.Contains(text, zh) {
					t.Errorf("the English %s holds the Chinese label %q:\n%s", doc, zh, text)
				}
			}
			if !strings.Contains(text, "Applicant: 张三, female") {
				t.Errorf("the English %s:\n%s", doc, text)
			}
		}
		med.get("/cases/" + id + "?lang=zh")
	})
	t.Run("the court's decision prints as a 司法确认结果通知 naming the court and the ruling", func(t *testing.T) {
		med.get("/cases/" + id)
		med.post("/cases/"+id+"/act/confirmation", url.Values{"court": {"330203-FY"}, "joint": {"true"}}).want(http.StatusOK)
		court := e.browser(t)
		court.login("court", demo.Password)
		court.get("/cases/" + id)
		court.post("/cases/"+id+"/act/court-accept", url.Values{"case_no": {"（2026）浙0203民特1号"}}).want(http.StatusOK)
		court.post("/cases/"+id+"/act/court-decision", url.Values{"result": {"confirmed"}, "ruling_no": {"（2026）浙0203民特1号"}}).
			want(http.StatusOK).has(`id="doc-court_result"`)
		doc := docArticle(t, court.get("/cases/"+id+"/documents/court_result").want(http.StatusOK).body)
		for _, want := range []string{"司法确认结果通知", "海曙区人民法院已于", "（2026）浙0203民特1号民事裁定", "强制执行",
			"不代替该裁定书", "公民身份号码" + applicantID} {
			if !strings.Contains(doc, want) {
				t.Errorf("the notice lacks %q:\n%s", want, doc)
			}
		}
		if w := latinIn(doc); w != "" {
			t.Errorf("the notice holds the Latin word %q", w)
		}
	})
	t.Run("the receipt of a grid worker asks for a signature, not a seal", func(t *testing.T) {
		grid := e.browser(t)
		grid.login("grid", demo.Password)
		grid.get("/cases/new")
		f := intakeForm("门口堆物")
		f.Set("app_id", "330203198001010036")
		doc := docArticle(t, grid.post("/cases/new", f).want(http.StatusOK).body)
		if strings.Contains(doc, "盖章") || !strings.Contains(doc, "受理网格员：王网格") {
			t.Errorf("the grid's receipt:\n%s", doc)
		}
	})
}

// TestPetitionNoticesFollowThePetitionsState prints the 信访事项受理告知书 of an accepted petition and
// the 不予受理告知书 of one referred out to litigation (XGTL 23, 31): each names the case's matter and
// the lawful channel in words, holds no Latin word in Chinese, and exists only in its state — the
// acceptance only once the organ the petition office forwarded it to accepted it, not before.
func TestPetitionNoticesFollowThePetitionsState(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	sup := e.browser(t)
	sup.login("sup-county", demo.Password)
	open := func(summary, appID string) string {
		f := intakeForm(summary)
		f.Set("kind", "petition")
		f.Set("app_id", appID)
		f.Set("request", "请求依法处理")
		clerk.get("/cases/new")
		return caseIDOf(t, clerk.post("/cases/new", f).want(http.StatusOK).body)
	}
	refused := open("反映邻居占用公共通道，已起诉", applicantID)
	sup.get("/cases/" + refused).want(http.StatusOK)
	sup.post("/cases/"+refused+"/act/refer-out", url.Values{"channel": {"litigation"},
		"note": {"该事项已向人民法院起诉"}, "confirm": {"yes"}}).want(http.StatusOK).has(`id="doc-petition_refused"`)
	doc := docArticle(t, sup.get("/cases/"+refused+"/documents/petition_refused").want(http.StatusOK).body)
	for _, want := range []string{"信访事项不予受理告知书", "信访人：张三", "诉讼程序", "第三十一条"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, doc)
		}
	}
	if w := latinIn(doc); w != "" {
		t.Errorf("the refusal holds the Latin word %q:\n%s", w, doc)
	}
	sup.get("/cases/" + refused + "/documents/petition_accepted").want(http.StatusConflict)

	// on organs (XGTL 22-23): the county petition bureau forwards the petition to the competent organ,
	// and only once that organ accepted does the 受理告知书 exist, in its name
	accepted := open("反映小区违建", "330203198001010036")
	sup.get("/cases/" + accepted).want(http.StatusOK).lacks(`id="doc-petition_accepted"`)
	sup.post("/cases/"+accepted+"/act/forward", url.Values{"agency": {"330203001-JDB"}, "mode": {"forward"}}).
		want(http.StatusOK).lacks(`id="doc-petition_accepted"`)
	sup.get("/cases/" + accepted + "/documents/petition_accepted").want(http.StatusConflict)
	handler := e.browser(t)
	handler.login("handler-jd", demo.Password)
	handler.get("/cases/" + accepted).want(http.StatusOK).has(`id="action-accept-petition"`)
	handler.post("/cases/"+accepted+"/act/accept-petition", url.Values{"note": {"属本机关职权范围"}}).
		want(http.StatusOK).has(`id="doc-petition_accepted"`)
	doc = docArticle(t, handler.get("/cases/"+accepted+"/documents/petition_accepted").want(http.StatusOK).body)
	for _, want := range []string{"信访事项受理告知书", "属于鼓楼街道办事处职权范围", "依法受理", "六十日", "请求依法处理", "鼓楼街道办事处（印章）"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the acceptance lacks %q:\n%s", want, doc)
		}
	}
	if w := latinIn(doc); w != "" {
		t.Errorf("the acceptance holds the Latin word %q:\n%s", w, doc)
	}
	en := docArticle(t, handler.get("/cases/"+accepted+"/documents/petition_accepted?lang=en").want(http.StatusOK).body)
	if strings.Contains(en, "受理告知书") || !strings.Contains(en, "Notice of Acceptance") {
		t.Errorf("the English acceptance:\n%s", en)
	}
	// the petition office that forwarded it prints the same notice
	sup.get("/cases/" + accepted + "/documents/petition_accepted").want(http.StatusOK)
}
