package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"fengqiao/demo"
	"fengqiao/workflows"
)

// TestExplainViewShowsTheBasisAndTheLastDay: the case page links to its 计算说明, which shows each
// running clock's start, its days with the reason each counted or not, its basis and its last day as
// "X年X月X日（24:00）" — in Chinese, and in English with ?lang=en.
func TestExplainViewShowsTheBasisAndTheLastDay(t *testing.T) {
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼上漏水")).want(http.StatusOK).body)
	clerk.get("/cases/"+id).want(http.StatusOK).has(`href="/cases/`+id+`/deadlines"`, "计算说明")

	v, err := e.stack.Cases.Get(context.Background(), id)
	if err != nil || len(v.Deadlines.Running) == 0 {
		t.Fatalf("running clocks of %s: %v %+v", id, err, v.Deadlines)
	}
	var want []string
	for _, c := range v.Deadlines.Running {
		want = append(want, c.Basis, workflows.LastDayText(*c.DueAt))
	}
	clerk.get("/cases/" + id + "/deadlines").want(http.StatusOK).translated().
		has(append(want, "时限计算说明", "层级办理期限", "调解期限", "依据", "届满", "起算日，不计入", "期间最后一日，至24时届满", "民法典第二百零一条")...)
	clerk.get("/cases/"+id+"/deadlines?lang=en").want(http.StatusOK).
		has("How the deadlines are counted", "Tier deadline", "Basis", "the starting day: not counted", "24:00 on ")

	t.Run("someone who may not read the case does not see how it is counted", func(t *testing.T) {
		other := e.browser(t)
		other.login("med-south", "south-password")
		other.get("/cases/" + id + "/deadlines").want(http.StatusNotFound)
	})
}

// TestAdminEntersANoticeOnTheCalendarPage: a city-wide administrator enters a year's notice on the
// calendar page — a refused one shows each field error with its date and saves nothing; a pasted YAML
// is saved and listed as a notice — and a clerk sees the years but no form, and is refused the save.
func TestAdminEntersANoticeOnTheCalendarPage(t *testing.T) {
	e := newEnv(t)
	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin/calendar").want(http.StatusOK).has(`href="/admin/calendars"`)
	admin.get("/admin/calendars").want(http.StatusOK).translated().has("节假日安排", `id="cal-holidays"`, "暂按法定节假日（暂定）")

	admin.post("/admin/calendars", url.Values{"year": {"2029"}, "holidays": {"2029-01-01\n2029-01-01"}, "workdays": {"2029-01-02"}}).
		want(http.StatusUnprocessableEntity).has("holidays[1]", "workdays[0]", "2029-01-02", "星期二").lacks("已录入通知")
	admin.post("/admin/calendars", url.Values{"year": {"2029"},
		"text": {"2029:\n  holidays:\n    - 2029-01-01\n    - 2029-02-12..2029-02-18   # 春节\n  workdays: [2029-02-10]\n"}}).
		want(http.StatusOK).has("2029年节假日安排已保存", "已录入通知", "2029-02-12、2029-02-13")

	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/admin/calendars").want(http.StatusOK).has("已录入通知", "只有全市管理员").lacks(`id="cal-holidays"`)
	clerk.post("/admin/calendars", url.Values{"year": {"2029"}, "holidays": {"2029-01-01"}}).want(http.StatusForbidden).has("无权办理")
}
