package typeahead_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/demo"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/typeahead"
)

// city is the demo county (海曙区) and a second county of the same city (江北区) holding a 鼓楼村 and a
// 张调解 of its own, with a township clerk of 鼓楼街道, a village clerk of 孝闻社区, an administrator at
// Global and an account without any grant.
func city(t *testing.T, db *store.DB) *typeahead.Service {
	t.Helper()
	ctx := context.Background()
	pol, err := policy.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, pol); err != nil {
		t.Fatal(err)
	}
	for _, n := range []fengqiao.Node{
		{Code: "330205", Name: "江北区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
		{Code: "330205001", Name: "慈城镇", Tier: fengqiao.TierTownship, ParentCode: "330205"},
		{Code: "330205001001", Name: "鼓楼村", Tier: fengqiao.TierVillage, ParentCode: "330205001"},
		{Code: "330205001002", Name: "孝闻村", Tier: fengqiao.TierVillage, ParentCode: "330205001"},
	} {
		created, err := db.CreateNode(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if err := pol.NodeAdded(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
	body, err := db.CreateBody(ctx, fengqiao.Body{Code: "330205001-TWH", Name: "慈城镇鼓楼人民调解委员会", Type: fengqiao.BodyCommittee, Node: "330205001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := pol.BodyAdded(ctx, body); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name, display string
		role          fengqiao.Role
		node          string
	}{
		{"clerk-town", "钱受理（鼓楼街道）", fengqiao.RoleClerk, "330203001"},
		{"clerk-village", "孙受理（孝闻社区）", fengqiao.RoleClerk, "330203001001"},
		{"med-jb", "张调解（江北区）", fengqiao.RoleMediator, "330205"},
		{"med-jb-twh", "张调委（慈城镇）", fengqiao.RoleMediator, "330205001-TWH"},
		{"med-city", "张调解（宁波市）", fengqiao.RoleMediator, "330200"},
		{"root", "系统管理员", fengqiao.RoleAdmin, policy.Global},
		{"newbie", "张新人", "", ""},
	} {
		if _, err := db.CreateUser(ctx, store.UserRow{Username: u.name, PasswordHash: "x", DisplayName: u.display}); err != nil {
			t.Fatal(err)
		}
		if u.role != "" {
			if err := pol.Grant(ctx, u.name, u.role, u.node); err != nil {
				t.Fatal(err)
			}
		}
	}
	return typeahead.New(db, pol, nil)
}

func placeCodes(ps []typeahead.Place) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return strings.Join(out, ",")
}

func staffNames(ss []typeahead.Staff) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Username
	}
	return strings.Join(out, ",")
}

func TestPlacesATownshipClerkNeverSeesAnotherCountysPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ctx := context.Background()
		for _, c := range []struct {
			user, q string
			want    string
		}{
			{"clerk-town", "鼓楼", "330203001"},                                    // 鼓楼街道, not 江北区's 鼓楼村
			{"clerk-town", "孝闻", "330203001001,330203001001-01,330203001001-02"}, // not 江北区's 孝闻村; the village before its grids
			{"clerk-town", "江北", ""},                                             // another county is not offered at all
			{"clerk-town", "宁波", "330200"},                                       // the city above the county is
			{"clerk-town", "3302050", ""},                                        // nor by its codes
			{"clerk-town", "33020300100", "330203001001,330203001002,330203001001-01,330203001001-02,330203001002-01"}, // codes by their beginning
			{"med-jb", "鼓楼", "330205001001"},         // and the other way round
			{"root", "鼓楼", "330203001,330205001001"}, // Global sees the city, highest tier first
		} {
			got, err := ta.Places(ctx, c.user, typeahead.PlaceQuery{Q: c.q, Tiers: []fengqiao.Tier{fengqiao.TierCity, fengqiao.TierCounty,
				fengqiao.TierTownship, fengqiao.TierVillage, fengqiao.TierGrid}})
			if err != nil {
				t.Fatal(err)
			}
			if placeCodes(got) != c.want {
				t.Errorf("%s types %s: offered %s, want %s", c.user, c.q, placeCodes(got), c.want)
			}
		}
	})
}

func TestPlacesListTheUsersOwnSubtreeFirstThenByTier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		got, err := ta.Places(context.Background(), "clerk-village", typeahead.PlaceQuery{Q: "社区"})
		if err != nil {
			t.Fatal(err)
		}
		// 孝闻社区 and its grids (own), then the other communities of the county by tier
		want := "330203001001,330203001001-01,330203001001-02,330203001002,330203002001,330203002002,330203001002-01,330203002001-01"
		if placeCodes(got) != want {
			t.Errorf("offered %s, want %s", placeCodes(got), want)
		}
		if !got[0].Own || got[3].Own || got[0].ParentName != "鼓楼街道" {
			t.Errorf("first = %+v, fourth = %+v: want the own village marked own, named with its township", got[0], got[3])
		}
		limited, err := ta.Places(context.Background(), "clerk-village", typeahead.PlaceQuery{Q: "社区", Limit: 2})
		if err != nil || placeCodes(limited) != "330203001001,330203001001-01" {
			t.Errorf("limit 2: %s, %v", placeCodes(limited), err)
		}
	})
}

func TestPlacesForIntakeLeaveOutCourtsAndPlacesTheUserMayNotOpenAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ctx := context.Background()
		got, err := ta.Places(ctx, "clerk", typeahead.PlaceQuery{Q: "海曙", Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if placeCodes(got) != "330203" {
			t.Errorf("clerk opens at %s, want 海曙区 without its court", placeCodes(got))
		}
		got, err = ta.Places(ctx, "grid", typeahead.PlaceQuery{Q: "孝闻", Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if placeCodes(got) != "330203001001-01" {
			t.Errorf("the grid worker opens at %s, want their own grid only", placeCodes(got))
		}
	})
}

func TestStaffATownshipClerkNeverSeesAnotherCountysStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ctx := context.Background()
		for _, c := range []struct {
			user string
			q    typeahead.StaffQuery
			want string
		}{
			// own township first, then the city's by tier; never 江北区's 张调解 nor the account without grants
			{"clerk-town", typeahead.StaffQuery{Q: "张"}, "med-town,med-city"},
			{"clerk-town", typeahead.StaffQuery{Q: "调解"}, "med-town,med-village,med-city,med-county,med-ytw"},
			{"clerk-town", typeahead.StaffQuery{Q: "med-j"}, ""},
			{"clerk-town", typeahead.StaffQuery{Q: "med-", Role: fengqiao.RoleMediator}, "med-town,med-village,med-city,med-county,med-ytw"},
			{"med-jb", typeahead.StaffQuery{Q: "张"}, "med-jb,med-jb-twh,med-city"},
			// an administrator of users city-wide finds the new account, to grant it a role
			{"root", typeahead.StaffQuery{Q: "张"}, "med-city,med-jb,med-jb-twh,med-town,newbie"},
		} {
			got, err := ta.Staff(ctx, c.user, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if staffNames(got) != c.want {
				t.Errorf("%s types %q (role %q): offered %s, want %s", c.user, c.q.Q, c.q.Role, staffNames(got), c.want)
			}
		}
		got, _ := ta.Staff(ctx, "clerk-town", typeahead.StaffQuery{Q: "张调解"})
		if len(got) == 0 || len(got[0].Roles) != 1 || got[0].Roles[0].NodeName != "鼓楼街道" || !got[0].Own {
			t.Errorf("张调解 = %+v, want med-town with their grant named 鼓楼街道, own", got)
		}
	})
}

func TestStaffAssignableToAVillageCaseListTheVillagesMediatorFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ref := policy.CaseRef{Location: "330203001001", HandlingNode: "330203001001"}
		got, err := ta.Staff(context.Background(), "sup-county", typeahead.StaffQuery{Q: "调解", Assignable: &ref, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		if staffNames(got) != "med-village,med-town,med-county,med-city" {
			t.Errorf("offered %s, want the village's mediator first, then up the chain", staffNames(got))
		}
	})
}

func TestBodiesWithinReachByNameCodeTypeAndField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ctx := context.Background()
		codes := func(bs []typeahead.BodyItem) string {
			out := make([]string, len(bs))
			for i, b := range bs {
				out[i] = b.Code
			}
			return strings.Join(out, ",")
		}
		for _, c := range []struct {
			user string
			q    typeahead.BodyQuery
			want string
		}{
			{"clerk-town", typeahead.BodyQuery{Q: "鼓楼"}, "330203001-JDB,330203001-TWH,330203001-PCS"},
			{"clerk-town", typeahead.BodyQuery{Q: "调解", Type: fengqiao.BodyProfessional, Field: "medical"}, "330203-YTW"},
			{"clerk-town", typeahead.BodyQuery{Q: "信访"}, "330200-XFJ,330203-XFJ"},
			{"clerk-town", typeahead.BodyQuery{Q: "330203-Y"}, "330203-YTW"},
			{"med-jb", typeahead.BodyQuery{Q: "鼓楼"}, "330205001-TWH"},
		} {
			got, err := ta.Bodies(ctx, c.user, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if codes(got) != c.want {
				t.Errorf("%s types %q: offered %s, want %s", c.user, c.q.Q, codes(got), c.want)
			}
		}
	})
}

func TestLookupsRefuseAnEmptyOrOverlongTextNamingTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := city(t, db)
		ctx := context.Background()
		for _, q := range []string{"", "  ", strings.Repeat("鼓", 65)} {
			_, err := ta.Places(ctx, "clerk", typeahead.PlaceQuery{Q: q})
			var fe *fengqiao.Error
			if !errors.As(err, &fe) || fe.Code != fengqiao.ECodeInvalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "q" {
				t.Errorf("q %q: %v, want validation_failed naming q", q, err)
			}
		}
		_, err := ta.Staff(ctx, "clerk", typeahead.StaffQuery{Q: "张", Limit: 51})
		var fe *fengqiao.Error
		if !errors.As(err, &fe) || !slices.ContainsFunc(fe.Fields, func(f fengqiao.FieldError) bool { return f.Field == "limit" }) {
			t.Errorf("limit 51: %v, want validation_failed naming limit", err)
		}
	})
}
