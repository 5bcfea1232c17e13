package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"fengqiao/demo"
)

func TestSearchBoxFindsTheCaseMaskedAndTheIntakeOffersItAsCandidate(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	receipt := clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK)
	id := caseIDOf(t, receipt.body)

	t.Run("the workbench has the search box", func(t *testing.T) {
		clerk.get("/workbench").want(http.StatusOK).has(`id="search"`, `action="/search"`, "姓名、身份证号").translated()
	})
	t.Run("a name finds the case, parties masked, in Chinese", func(t *testing.T) {
		clerk.get("/workbench")
		clerk.post("/search", url.Values{"q": {"张三"}}).want(http.StatusOK).
			has(`id="search-results"`, "/cases/"+id, "张*", "按姓名", "1101**********002X").
			lacks(applicantID, applicantPhone).translated()
	})
	t.Run("an ID number is taken in the body and found", func(t *testing.T) {
		clerk.get("/search")
		clerk.post("/search", url.Values{"q": {applicantID}}).want(http.StatusOK).has("/cases/"+id, "按身份证号")
	})
	t.Run("a malformed ID number is refused naming the field in Chinese", func(t *testing.T) {
		clerk.get("/search")
		clerk.post("/search", url.Values{"q": {"110105194912310021"}}).want(http.StatusUnprocessableEntity).
			has(`id="search-invalid"`, "查询内容：不是有效的18位公民身份号码")
	})
	t.Run("another township's mediator does not find it", func(t *testing.T) {
		south := e.browser(t)
		south.login("med-south", "south-password")
		south.get("/search")
		south.post("/search", url.Values{"q": {"张三"}}).want(http.StatusOK).has("未找到").lacks("/cases/" + id)
	})
	t.Run("the intake offers the applicant's open case when the respondent is left out", func(t *testing.T) {
		f := intakeForm("又来反映漏水")
		f.Del("resp_name")
		f.Set("check", "1")
		clerk.get("/cases/new")
		clerk.post("/cases/new", f).want(http.StatusOK).
			has(`id="candidates"`, "该申请人另有在办案件", "/cases/"+id+"/act/visits", `class="record-candidate"`).translated()
		if got := e.visitsOf(t, id, 1); got != 1 {
			t.Fatalf("visits %d after a check, want 1: a check records nothing", got)
		}
	})
	t.Run("in English too", func(t *testing.T) {
		clerk.get("/search?lang=en")
		clerk.post("/search?lang=en", url.Values{"q": {"张三"}}).want(http.StatusOK).has("Find a case", "by name", "/cases/"+id)
	})
}
