package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// TestLeaderReceptionDaysArePublishedByTheJurisdictionsAdmin: an administrator publishes who receives
// petitioners where and when (信访工作条例 第十八条); anyone may read the schedule, without logging in;
// the leader must supervise the jurisdiction; a clerk may not publish; a bad day names its field.
func TestLeaderReceptionDaysArePublishedByTheJurisdictionsAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.stack.AddNodes(t,
			fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
			fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
			fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
		e.createUser("wang.leader", "leader password")
		e.stack.Grant(t, "wang.leader", fengqiao.RoleSupervisor, "330203")
		e.createUser("li.clerk", "clerk password")
		e.stack.Grant(t, "li.clerk", fengqiao.RoleClerk, "330203")
		start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
		day := map[string]any{"node": "330203", "leader": "wang.leader", "title": "区委副书记", "place": "区矛调中心接待大厅",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(3 * time.Hour).Format(time.RFC3339)}

		e.do("POST", "/api/v1/leader-schedule", e.login("li.clerk", "clerk password"), day).problem(403, fengqiao.ECodeForbidden, "")
		added := e.do("POST", "/api/v1/leader-schedule", e.adminToken, day).want(http.StatusCreated).json()
		if added["place"] != "区矛调中心接待大厅" || added["node_name"] != "海曙区" {
			t.Fatalf("added %v", added)
		}

		t.Run("anyone reads the schedule, the township's view included", func(t *testing.T) {
			e := e.with(t)
			for _, path := range []string{"/api/v1/leader-schedule", "/api/v1/leader-schedule?node=330203"} {
				items, _ := e.do("GET", path, "", nil).want(http.StatusOK).json()["items"].([]any)
				if len(items) != 1 || items[0].(map[string]any)["title"] != "区委副书记" {
					t.Fatalf("%s: %v", path, items)
				}
				if _, leaks := items[0].(map[string]any)["leader"]; leaks {
					t.Fatal("the public schedule names the leader by display name, not login")
				}
			}
			items, _ := e.do("GET", "/api/v1/leader-schedule?node=330203001", "", nil).want(http.StatusOK).json()["items"].([]any)
			if len(items) != 0 {
				t.Fatalf("a township sees only its own subtree's days: %v", items)
			}
		})
		t.Run("a bad day names its field and changes nothing", func(t *testing.T) {
			e := e.with(t)
			for field, bad := range map[string]map[string]any{
				"ends_at": {"ends_at": start.Add(-time.Hour).Format(time.RFC3339)},
				"leader":  {"leader": "li.clerk"},
				"node":    {"node": "330299"},
				"place":   {"place": ""},
			} {
				body := map[string]any{}
				for k, v := range day {
					body[k] = v
				}
				for k, v := range bad {
					body[k] = v
				}
				e.do("POST", "/api/v1/leader-schedule", e.adminToken, body).problem(422, fengqiao.ECodeInvalid, field)
			}
			items, _ := e.do("GET", "/api/v1/leader-schedule", "", nil).json()["items"].([]any)
			if len(items) != 1 {
				t.Fatalf("refused days were kept: %v", items)
			}
		})
		t.Run("the admin removes a day", func(t *testing.T) {
			e := e.with(t)
			id := added["id"].(float64)
			path := "/api/v1/leader-schedule/" + strconv.FormatInt(int64(id), 10)
			e.do("DELETE", path, e.login("li.clerk", "clerk password"), nil).problem(403, fengqiao.ECodeForbidden, "")
			e.do("DELETE", path, e.adminToken, nil).want(http.StatusNoContent)
			e.do("DELETE", path, e.adminToken, nil).problem(404, fengqiao.ECodeNotFound, "")
		})
	})
}
