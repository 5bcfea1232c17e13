package web_test

import (
	"net/http"
	"testing"

	"fengqiao/demo"
)

// TestIntakePageShowsWhereTheCaseGoesBeforeSubmitting: the intake page carries the preview and its
// script, and the preview answers in the reader's language with the body, its tier and the rule; a case
// nobody can take says which field to check.
func TestIntakePageShowsWhereTheCaseGoesBeforeSubmitting(t *testing.T) {
	e := newEnv(t) // the demo county has its 医调委, 330203-YTW
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new").want(http.StatusOK).has(`id="route-preview"`, "分流预览", "/cases/new/route?")
	clerk.get("/cases/new/route?kind=dispute&category=medical&location=330203001001-01").want(http.StatusOK).
		has("将分流至：海曙区医疗纠纷人民调解委员会（县级）· 规则：医疗纠纷", `"code":"330203-YTW"`)
	clerk.get("/cases/new/route?kind=dispute&category=gossip&location=330203001001").want(http.StatusUnprocessableEntity).
		has("无法分流：分流规则中没有此类事项，请核对类别")
	clerk.get("/cases/new/route?kind=dispute&category=labour&location=330203001001&lang=en").want(http.StatusOK).
		has("Goes to: 鼓楼街道人民调解委员会 (township) · rule: labour; if mediation fails, on to the labour arbitration committee")
}
