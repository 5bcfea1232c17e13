package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fengqiao/demo"
)

// consequentialInputs are the inputs whose pre-checked state would decide for the user: a refusal of
// mediation, a signature, a performance, a joint application, an acceptance, a risk mark, a rating.
var consequentialInputs = []string{"agrees", "signed_by_all", "performed", "joint", "accept", "violence", "group", "score"}

var inputRe = regexp.MustCompile(`<input[^>]*>`)

// noneChecked fails when an input named one of consequentialInputs is checked on the page.
func (p page) noneChecked() page {
	p.t.Helper()
	for _, in := range inputRe.FindAllString(p.body, -1) {
		for _, name := range consequentialInputs {
			if strings.Contains(in, `name="`+name+`"`) && regexp.MustCompile(`\schecked(\s|>|=)`).MatchString(in) {
				p.t.Fatalf("%s pre-checks %s: %s", p.url, name, in)
			}
		}
	}
	return p
}

// rawValues are workflow codes the pages once showed as they are.
var rawValues = []string{"mediation_refused", "respondent refuses", "applicant consents", ">terminated", ">resolved", "referred_out:", "resolved_on_spot"}

// noRawValues fails when the page shows a workflow code instead of words.
func (p page) noRawValues() page {
	p.t.Helper()
	for _, s := range rawValues {
		if strings.Contains(p.body, s) {
			p.t.Fatalf("%s shows the raw value %q: %s", p.url, s, p.body)
		}
	}
	return p
}

// TestConsequentialChoices: no consequential box is pre-checked; a refusal of mediation and a closure
// are sent only once confirmed (refused without, changing nothing); the outcome and the timeline are
// in words.
func TestConsequentialChoices(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	open := func(summary, category string) string {
		f := intakeForm(summary)
		f.Set("category", category) // another matter of the same applicant: not a duplicate
		clerk.get("/cases/new")
		return caseIDOf(t, clerk.post("/cases/new", f).want(http.StatusOK).body)
	}
	first, second := open("楼道堆物", "neighbour"), open("赡养费", "family")

	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	for _, id := range []string{first, second} {
		sup.get("/cases/" + id)
		sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
		med.get("/cases/" + id)
		med.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusOK)
	}
	med.get("/cases/"+first).want(http.StatusOK).noneChecked().translated().
		has(`type="radio" id="consent-agrees-false" name="agrees" value="false" required data-confirm`, `id="confirm-consent"`,
			`id="confirm-close"`, "我已知晓上述后果")
	sup = med // the assigned mediator acts from here

	t.Run("a closure without the confirmation is refused and changes nothing", func(t *testing.T) {
		sup.get("/cases/" + first)
		sup.post("/cases/"+first+"/act/close", url.Values{"outcome": {"terminated"}, "note": {"双方分歧过大"}}).
			want(http.StatusUnprocessableEntity).has("调解终止，案件办结，不能撤销", "我已知晓上述后果").lacks("已办结")
		sup.get("/cases/"+first).want(http.StatusOK).has("调解中", `id="do-close"`).lacks(`id="case-outcome"`)
	})
	t.Run("a closure with the confirmation closes, in words", func(t *testing.T) {
		sup.post("/cases/"+first+"/act/close", url.Values{"outcome": {"terminated"}, "note": {"双方分歧过大"}, "confirm": {"yes"}}).
			want(http.StatusOK).has("已办结", `id="case-outcome">终止调解`).noRawValues().translated()
		sup.get("/cases/" + first + "?lang=en").want(http.StatusOK).noRawValues().translated()
	})

	t.Run("a refusal of mediation needs an explicit choice and a confirmation", func(t *testing.T) {
		sup.get("/cases/" + second + "?lang=zh") // the language sticks: English was asked for above
		sup.post("/cases/"+second+"/act/consent", url.Values{"party": {"respondent"}}).
			want(http.StatusUnprocessableEntity).has("请选择“同意调解”")
		sup.post("/cases/"+second+"/act/consent", url.Values{"party": {"respondent"}, "agrees": {"false"}}).
			want(http.StatusUnprocessableEntity).has("案件即以“当事人拒绝调解”办结")
		sup.get("/cases/" + second).want(http.StatusOK).has("调解中").lacks(`id="case-outcome"`)
		sup.post("/cases/"+second+"/act/consent", url.Values{"party": {"respondent"}, "agrees": {"false"}, "confirm": {"yes"}}).
			want(http.StatusOK).has("已办结", `id="case-outcome">当事人拒绝调解`, "被申请人拒绝调解").noRawValues().translated()
		sup.get("/cases/" + second + "?lang=en").want(http.StatusOK).has("refused mediation").noRawValues().translated()
	})
}

// TestPublicGuide: the public page shows the steps, what the status means and what the party may do
// next, at agreement and once judicially confirmed; after closure the rating form has no default and
// says what a low rating does.
func TestPublicGuide(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	receipt := clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK)
	id, code := caseIDOf(t, receipt.body), queryCodeRe.FindStringSubmatch(receipt.body)[1]

	party := e.browser(t)
	look := func(lang string) page { // the language sticks (a cookie): each look names it
		if lang == "" {
			lang = "?lang=zh"
		}
		party.get("/public" + lang)
		return party.post("/public"+lang, url.Values{"code": {code}, "last4": {"5678"}}).want(http.StatusOK).
			lacks("张三", "李四", applicantID, "139****5678").translated()
	}
	look("").has(`id="public-steps"`, "受理", `aria-current="step">分派`, "正在分派承办人员")

	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.get("/cases/" + id)
	sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.get("/cases/" + id).want(http.StatusOK).noneChecked()
	med.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusOK)
	med.get("/cases/" + id).want(http.StatusOK).noneChecked()
	t.Run("an agreement needs the explicit signature choice", func(t *testing.T) {
		med.post("/cases/"+id+"/act/agreement", url.Values{"terms": {"李四修复漏水"}, "form": {"written"}}).
			want(http.StatusUnprocessableEntity).has("请选择“各方已签字”")
	})
	med.post("/cases/"+id+"/act/agreement", url.Values{"terms": {"李四修复漏水"}, "form": {"written"}, "signed_by_all": {"true"}}).
		want(http.StatusOK).has("已达成协议").noneChecked()

	t.Run("at agreement", func(t *testing.T) {
		look("").has(`aria-current="step">协议`, "司法确认", "履行回访", "办结", "已达成调解协议",
			"共同向人民法院申请司法确认", "具有强制执行力").lacks(`id="rate-submit"`)
		look("?lang=en").has("Judicial confirmation", "jointly apply to the court")
	})

	med.get("/cases/" + id)
	med.post("/cases/"+id+"/act/confirmation", url.Values{"court": {"330203-FY"}, "joint": {"true"}}).want(http.StatusOK)
	court := e.browser(t)
	court.login("court", demo.Password)
	court.get("/cases/"+id).want(http.StatusOK).noneChecked().has(`<option value="rejected" data-confirm>`, `id="confirm-court-decision"`)
	court.post("/cases/"+id+"/act/court-accept", url.Values{"case_no": {"（2026）浙0203民特1号"}}).want(http.StatusOK)
	t.Run("a court's refusal needs the confirmation", func(t *testing.T) {
		court.post("/cases/"+id+"/act/court-decision", url.Values{"result": {"rejected"}}).
			want(http.StatusUnprocessableEntity).has("调解协议不具有强制执行力")
	})
	court.post("/cases/"+id+"/act/court-decision", url.Values{"result": {"confirmed"}, "ruling_no": {"（2026）浙0203民特1号"}}).
		want(http.StatusOK).has("已司法确认")

	t.Run("confirmed", func(t *testing.T) {
		look("").has("已司法确认", `aria-current="step">履行回访`, "人民法院已裁定调解协议有效",
			"向作出确认裁定的人民法院申请强制执行")
	})

	t.Run("after closure the rating has no default and says what a low one does", func(t *testing.T) {
		med.get("/cases/" + id)
		med.post("/cases/"+id+"/act/close", url.Values{"outcome": {"resolved"}, "confirm": {"yes"}}).want(http.StatusOK)
		p := look("").has(`id="rate-submit"`, `id="rate-note"`, "1—2 星表示不满意，案件将在原案号下重新办理", "调解成功").noneChecked()
		if n := strings.Count(p.body, `name="score"`); n != 5 || strings.Count(p.body, `name="score" value="1" required`) != 1 {
			t.Fatalf("the rating offers %d required radios: %.3000s", n, p.body)
		}
	})
}
