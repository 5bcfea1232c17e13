package web_test

import (
	"net/http"
	"testing"

	"fengqiao"
	"fengqiao/demo"
)

// TestGridWorkerSeesTheirGrid: a case a clerk received for a dispute in 孝闻社区第一网格 is on the
// workbench of that grid's worker under 本网格案件 and opens for them; a grid worker of another grid
// gets 404 for it, as for a case that does not exist.
func TestGridWorkerSeesTheirGrid(t *testing.T) {
	e := newEnv(t)
	e.createUser("grid-b", "grid-b-password", fengqiao.RoleGridWorker, "330203002001-01")
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", intakeForm("楼道堆物影响通行")).want(http.StatusOK).body)

	grid := e.browser(t)
	grid.login("grid", demo.Password)
	grid.get("/workbench").want(http.StatusOK).has("本网格案件", "/cases/"+id).translated()
	grid.get("/cases/" + id).want(http.StatusOK).has("楼道堆物影响通行")

	other := e.browser(t)
	other.login("grid-b", "grid-b-password")
	other.get("/workbench").want(http.StatusOK).has("本网格案件").lacks("/cases/" + id)
	other.get("/cases/" + id).want(http.StatusNotFound).lacks("楼道堆物影响通行")
}
