package store_test

import (
	"context"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func nodeCodes(ns []fengqiao.Node) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Code
	}
	return strings.Join(out, ",")
}

// The directory keys are written with every node, body and user, whichever way it is created, and
// follow a rename: what the type-ahead finds is what the tables hold.
func TestDirectoryFindsWhatIsCreatedImportedAndRenamedByAnyPartOfItsName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, n := range []fengqiao.Node{
			{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
			{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
			{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
		} {
			if _, err := db.CreateNode(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ImportNodes(ctx, strings.NewReader("code,name,tier,parent_code\n330203001001,孝闻社区,village,330203001\n330203001002,鼓楼东社区,village,330203001\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateBody(ctx, fengqiao.Body{Code: "330203001-TWH", Name: "鼓楼街道人民调解委员会", Type: fengqiao.BodyCommittee, Node: "330203001"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportBodies(ctx, strings.NewReader("code,name,type,node,fields,superior\n330203-YTW,海曙区医疗纠纷人民调解委员会,professional,330203,medical,\n"), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, store.UserRow{Username: "med-town", PasswordHash: "x", DisplayName: "张调解（鼓楼街道）"}); err != nil {
			t.Fatal(err)
		}
		city := []string{"/330200/"}
		find := func(text string, under []string) string {
			t.Helper()
			ns, err := db.FindNodes(ctx, store.DirectoryQuery{Text: text, Under: under})
			if err != nil {
				t.Fatal(err)
			}
			return nodeCodes(ns)
		}
		for _, c := range []struct {
			text  string
			under []string
			want  string
		}{
			{"鼓楼", city, "330203001,330203001002"}, // the beginning of a name, and its middle; the township first
			{"鼓", city, "330203001,330203001002"},  // one character
			{"楼东社", city, "330203001002"},          // three characters: their pairs, and the name holds them together
			{"鼓社", city, ""},                       // pairs that are not in one name together
			{"孝闻社区", []string{"/330200/330203/330203001/"}, "330203001001"},
			{"孝闻", []string{"/330200/330205/"}, ""}, // another subtree
			{"330203001", city, "330203001,330203001001,330203001002"},
			{"鼓楼", nil, ""}, // no subtree, nothing
		} {
			if got := find(c.text, c.under); got != c.want {
				t.Errorf("%s under %v: %s, want %s", c.text, c.under, got, c.want)
			}
		}
		if err := db.RenameNode(ctx, "330203001002", "天一社区"); err != nil {
			t.Fatal(err)
		}
		if got := find("鼓楼", city); got != "330203001" {
			t.Errorf("after the rename 鼓楼 finds %s, want the township only", got)
		}
		if got := find("天一", city); got != "330203001002" {
			t.Errorf("after the rename 天一 finds %s, want the renamed community", got)
		}
		bodies, err := db.FindBodies(ctx, store.DirectoryQuery{Text: "调解", Under: city}, fengqiao.BodyFilter{})
		if err != nil || len(bodies) != 2 || bodies[0].Code != "330203-YTW" || bodies[1].Code != "330203001-TWH" {
			t.Errorf("bodies holding 调解: %+v, %v; want the county's committee, then the township's", bodies, err)
		}
		medical, err := db.FindBodies(ctx, store.DirectoryQuery{Text: "调解", Under: city}, fengqiao.BodyFilter{Field: "medical"})
		if err != nil || len(medical) != 1 || medical[0].Code != "330203-YTW" {
			t.Errorf("medical bodies holding 调解: %+v, %v", medical, err)
		}
		all := func(string) bool { return true }
		for _, q := range []string{"张调解", "鼓楼", "med-"} {
			users, err := db.FindUsers(ctx, q, all, 10)
			if err != nil || len(users) != 1 || users[0].Username != "med-town" {
				t.Errorf("users for %s: %+v, %v", q, users, err)
			}
		}
		if users, _ := db.FindUsers(ctx, "张调解", func(string) bool { return false }, 10); len(users) != 0 {
			t.Errorf("a user the caller may not see was found: %+v", users)
		}
	})
}

// Migration 0024 writes the keys of what existed before it.
func TestDirectoryMigrationIndexesWhatExistedBefore(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := store.AtVersion(t, dsn, 23)
		if _, err := db.CreateNode(ctx, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity}); err == nil {
			t.Fatal("CreateNode wrote directory keys before their table existed")
		}
		if err := db.Exec("INSERT INTO nodes (code, name, tier, path, depth, created_at) VALUES ('330200', '宁波市', 'city', '/330200/', 0, CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("INSERT INTO users (username, password_hash, display_name, created_at, updated_at) VALUES ('sup', 'x', '吴督办', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if ns, err := db.FindNodes(ctx, store.DirectoryQuery{Text: "宁波", Under: []string{"/"}}); err != nil || nodeCodes(ns) != "330200" {
			t.Errorf("宁波 after the migration: %v, %v", ns, err)
		}
		if us, err := db.FindUsers(ctx, "督办", func(string) bool { return true }, 5); err != nil || len(us) != 1 {
			t.Errorf("督办 after the migration: %v, %v", us, err)
		}
	})
}
