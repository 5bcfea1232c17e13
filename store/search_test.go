package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func testKeys(t testing.TB) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type testParty struct{ role, name, id, phone string }

// projectSearchCase writes a case at village with its parties and their search keys, as the projection
// does.
func projectSearchCase(t *testing.T, db *store.DB, keys *secret.Keyring, id, number, village, status string, parties ...testParty) {
	t.Helper()
	codes := []string{"330200", "330203", village[:9], village}
	path := "/" + strings.Join(codes, "/") + "/"
	row := newCaseRow(id)
	row.Number, row.Location, row.LocationPath, row.HandlingNode, row.HandlingPath, row.Status = number, village, path, village, path, status
	row.OpenedAt = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	p := store.CaseProjection{Case: row}
	for i, tp := range parties {
		pr := store.PartyRow{CaseID: id, Idx: i, Role: tp.role, Name: tp.name}
		if tp.id != "" {
			pr.IDNumberHash, pr.IDNumberMasked = keys.Hash("id_number", tp.id), fengqiao.MaskIDNumber(tp.id)
		}
		if tp.phone != "" {
			pr.PhoneHash, pr.PhoneMasked = keys.Hash("phone", tp.phone), fengqiao.MaskPhone(tp.phone)
		}
		p.Parties = append(p.Parties, pr)
		p.SearchKeys = append(p.SearchKeys, store.NameSearchKeys(keys, id, i, tp.name)...)
	}
	if err := db.Project(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func hitIDs(hits []store.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Case.ID)
	}
	return out
}

const (
	idA = "330203195001010011"
	idB = "330203196002020022"
)

func TestSearchFindsEachKindOfKeyOnlyWithinTheReadersScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := testKeys(t)
		projectSearchCase(t, db, keys, "caseA", "330203-2026-000001", "330203001001", "mediating",
			testParty{"applicant", "张三丰", idA, "13912345678"}, testParty{"respondent", "李四", "", ""})
		projectSearchCase(t, db, keys, "caseB", "330203-2026-000002", "330203002001", "mediating",
			testParty{"applicant", "王五", idB, "0574-87654321"}, testParty{"respondent", "张三", "", ""})
		townshipA := &store.ReadScope{User: "clerk-a", Subtrees: []string{"/330200/330203/330203001/"}}
		county := &store.ReadScope{User: "sup", Subtrees: []string{"/330200/330203/"}}
		cases := []struct {
			name  string
			q     store.SearchQuery
			scope *store.ReadScope
			want  []string
		}{
			{"whole name", store.SearchQuery{Kind: store.SearchName, Name: "张三丰"}, townshipA, []string{"caseA"}},
			{"beginning of a name", store.SearchQuery{Kind: store.SearchName, Name: "张三"}, townshipA, []string{"caseA"}},
			{"end of a name", store.SearchQuery{Kind: store.SearchName, Name: "三丰"}, townshipA, []string{"caseA"}},
			{"a name typed with a space", store.SearchQuery{Kind: store.SearchName, Name: "张 三丰"}, townshipA, []string{"caseA"}},
			{"whole name first across the county", store.SearchQuery{Kind: store.SearchName, Name: "张三"}, county, []string{"caseB", "caseA"}},
			{"another township's party", store.SearchQuery{Kind: store.SearchName, Name: "王五"}, townshipA, []string{}},
			{"another township's party, county reader", store.SearchQuery{Kind: store.SearchName, Name: "王五"}, county, []string{"caseB"}},
			{"one character finds no longer name", store.SearchQuery{Kind: store.SearchName, Name: "张"}, county, []string{}},
			{"name and last 4 of the phone", store.SearchQuery{Kind: store.SearchNamePhone4, Name: "张三丰", Last4: "5678"}, townshipA, []string{"caseA"}},
			{"name with other last 4", store.SearchQuery{Kind: store.SearchNamePhone4, Name: "张三丰", Last4: "0000"}, townshipA, []string{}},
			{"ID number", store.SearchQuery{Kind: store.SearchIDNumber, IDHashes: keys.HashAll("id_number", idA)}, townshipA, []string{"caseA"}},
			{"another township's ID number", store.SearchQuery{Kind: store.SearchIDNumber, IDHashes: keys.HashAll("id_number", idB)}, townshipA, []string{}},
			{"phone", store.SearchQuery{Kind: store.SearchPhone, PhoneHashes: keys.HashAll("phone", "13912345678")}, townshipA, []string{"caseA"}},
			{"another township's phone", store.SearchQuery{Kind: store.SearchPhone, PhoneHashes: keys.HashAll("phone", "0574-87654321")}, townshipA, []string{}},
			{"whole case number", store.SearchQuery{Kind: store.SearchNumber, Number: "330203-2026-000001"}, townshipA, []string{"caseA"}},
			{"beginning of a case number", store.SearchQuery{Kind: store.SearchNumber, Number: "330203-2026"}, townshipA, []string{"caseA"}},
			{"beginning of a case number, county", store.SearchQuery{Kind: store.SearchNumber, Number: "330203-2026-00000"}, county, []string{"caseA", "caseB"}},
			{"another township's case number", store.SearchQuery{Kind: store.SearchNumber, Number: "330203-2026-000002"}, townshipA, []string{}},
			{"query code", store.SearchQuery{Kind: store.SearchQueryCode, QueryCode: "QcaseA"}, townshipA, []string{"caseA"}},
			{"another township's query code", store.SearchQuery{Kind: store.SearchQueryCode, QueryCode: "QcaseB"}, townshipA, []string{}},
			{"no scope reads nothing", store.SearchQuery{Kind: store.SearchName, Name: "张三丰"}, nil, []string{}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.Scope = c.scope
				hits, err := db.SearchCases(ctx, keys, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := hitIDs(hits); strings.Join(got, ",") != strings.Join(c.want, ",") {
					t.Errorf("found %v, want %v", got, c.want)
				}
			})
		}
		hits, _ := db.SearchCases(ctx, keys, store.SearchQuery{Kind: store.SearchName, Name: "三丰", Scope: townshipA})
		if len(hits) != 1 || len(hits[0].Matched) != 1 || hits[0].Matched[0] != 0 || len(hits[0].Parties) != 2 {
			t.Errorf("hit = %+v, want case A with both parties and the applicant matched", hits)
		}
	})
}

func TestSearchNameMustHoldTheQueryNotOnlyItsBigrams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := testKeys(t)
		projectSearchCase(t, db, keys, "caseA", "330203-2026-000001", "330203001001", "mediating",
			testParty{"applicant", "张伟华伟明", "", ""})
		scope := &store.ReadScope{Subtrees: []string{"/"}}
		hits, err := db.SearchCases(context.Background(), keys, store.SearchQuery{Kind: store.SearchName, Name: "张伟明", Scope: scope})
		if err != nil || len(hits) != 0 {
			t.Errorf("张伟明 found %v (%v): the name holds its bigrams apart, not the name", hitIDs(hits), err)
		}
		hits, _ = db.SearchCases(context.Background(), keys, store.SearchQuery{Kind: store.SearchName, Name: "华伟明", Scope: scope})
		if len(hits) != 1 {
			t.Errorf("华伟明 found %v, want the case", hitIDs(hits))
		}
	})
}

func TestSearchIndexKeepsNoNameInClear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := testKeys(t)
		// Only the search keys are written (case_parties.name still holds names in clear, a gap of its own).
		row := newCaseRow("caseA")
		row.Number = "330203-2026-000001"
		const name = "欧阳娜娜"
		p := store.CaseProjection{Case: row, SearchKeys: store.NameSearchKeys(keys, "caseA", 0, name)}
		if len(p.SearchKeys) != 3 {
			t.Fatalf("%d keys for %s, want its 3 distinct bigrams", len(p.SearchKeys), name)
		}
		if err := db.Project(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if !db.IsPostgres() {
			db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		}
		for _, text := range []string{name, "欧阳", "阳娜", "娜娜"} {
			if where := storetest.InStorage(t, db, text); len(where) > 0 {
				t.Errorf("%q stored in clear at %v", text, where)
			}
		}
	})
}

func TestSearchBackfillIndexesPartiesProjectedBeforeTheSearchKeys(t *testing.T) {
	storetest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := store.AtVersion(t, dsn, 22) // the search keys are migration 23
		row := newCaseRow("caseA")
		row.Number, row.LocationPath = "330203-2026-000001", "/330200/330203/330203001/330203001001/"
		if err := db.Create(&row).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&store.PartyRow{CaseID: "caseA", Idx: 0, Role: "applicant", Name: "赵六"}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		keys := testKeys(t)
		q := store.SearchQuery{Kind: store.SearchName, Name: "赵六", Scope: &store.ReadScope{Subtrees: []string{"/330200/"}}}
		if hits, _ := db.SearchCases(ctx, keys, q); len(hits) != 0 {
			t.Fatalf("found before the backfill: %v", hitIDs(hits))
		}
		n, err := db.IndexSearchBackfill(ctx, keys)
		if err != nil || n != 1 {
			t.Fatalf("backfill indexed %d parties (%v), want 1", n, err)
		}
		if hits, _ := db.SearchCases(ctx, keys, q); len(hits) != 1 {
			t.Errorf("after the backfill found %v, want caseA", hitIDs(hits))
		}
		if n, err := db.IndexSearchBackfill(ctx, keys); err != nil || n != 0 {
			t.Errorf("a finished backfill indexed %d more (%v)", n, err)
		}
	})
}

// scanOfTable is a plan line that reads a whole table of the search: SQLite's "SCAN <table>" (a
// covering-index scan included), PostgreSQL's "Seq Scan on <table>".
var scanOfTable = regexp.MustCompile(`(?m)(^|\s)(SCAN|Seq Scan on) (cases|case_parties|case_search_keys)\b`)

func TestSearchUsesIndexesNotScansAt20000Cases(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 20,000 cases")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := loadSearchWorld(t, db, 20000)
		s := w.samples[0]
		name := []rune(s.name)
		scope := &store.ReadScope{User: "clerk", Subtrees: []string{s.township}}
		queries := map[string]store.SearchQuery{
			"name":        {Kind: store.SearchName, Name: s.name},
			"name part":   {Kind: store.SearchName, Name: string(name[:2])},
			"name_phone4": {Kind: store.SearchNamePhone4, Name: s.name, Last4: s.phone[len(s.phone)-4:]},
			"id_number":   {Kind: store.SearchIDNumber, IDHashes: w.keys.HashAll("id_number", s.id)},
			"phone":       {Kind: store.SearchPhone, PhoneHashes: w.keys.HashAll("phone", s.phone)},
			"number":      {Kind: store.SearchNumber, Number: s.number},
			"number part": {Kind: store.SearchNumber, Number: s.number[:len(s.number)-3]},
			"query_code":  {Kind: store.SearchQueryCode, QueryCode: s.queryCode},
		}
		for kind, q := range queries {
			q.Scope = scope
			plan, err := db.ExplainSearch(ctx, w.keys, q)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			if scanOfTable.MatchString(plan) {
				t.Errorf("%s reads a whole table:\n%s", kind, plan)
			}
			hits, err := db.SearchCases(ctx, w.keys, q)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			found := false
			for _, h := range hits {
				found = found || h.Case.ID == s.caseID
			}
			if !found {
				t.Errorf("%s did not find case %s (found %v)", kind, s.caseID, hitIDs(hits))
			}
		}
	})
}
