package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"fengqiao/deadline"
)

// TestLeaderReceptionDayOnThePublicPage: the administrator publishes a leader's reception day on the
// admin page, and the public page shows it — the leader by name and title, where and when — to anyone.
func TestLeaderReceptionDayOnThePublicPage(t *testing.T) {
	e := newEnv(t)
	admin := e.browser(t)
	admin.login("admin", adminPassword)
	admin.get("/admin/calendar").want(http.StatusOK).has(`id="schedule"`, "新增接访安排")
	day := time.Now().In(deadline.China).AddDate(0, 0, 3).Format("2006-01-02")
	form := url.Values{"node": {"330203"}, "leader": {"sup-county"}, "title": {"区委副书记"}, "place": {"区矛调中心一楼接待大厅"},
		"day": {day}, "from": {"09:00"}, "to": {"11:30"}}
	admin.post("/admin/schedule", form).want(http.StatusOK).has("区矛调中心一楼接待大厅", "吴督办")

	t.Run("a leader who does not supervise the jurisdiction is refused, naming the field", func(t *testing.T) {
		admin.get("/admin")
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("leader", "clerk")
		admin.post("/admin/schedule", bad).want(http.StatusUnprocessableEntity).has("leader")
	})

	anon := e.browser(t)
	anon.get("/public").want(http.StatusOK).has("领导接访日", "区委副书记", "区矛调中心一楼接待大厅", day+" 09:00—11:30", "海曙区").
		lacks("sup-county").translated()
}
