package store_test

import (
	"context"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/secret"
	"fengqiao/store"
)

// searchWorld is a synthetic city for the search measures: 10 counties, 15 townships each, 20 villages
// each, and n cases over its villages, each with an applicant and a respondent drawn from a population
// of people who come back (so that a person has several cases, as repeat petitioners do).
type searchWorld struct {
	keys      *secret.Keyring
	key       secret.Key // the keyring's one key (kept with a kept world)
	townships []string   // paths
	counties  []string   // paths
	// samples are people and cases to search for, with the township each case lies in.
	samples []searchSample
}

type searchSample struct {
	caseID, number, queryCode, township, county string
	name, id, phone                             string
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
var givens = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏飞云峰海波亮志东晓燕梅琳雪婷慧佳俊新春林德成荣福生龙永忠庆祥宏鑫博瑞琪欣怡子涵思雨梓轩晨阳")

// person is person number i of the population, the same every time.
func person(i int) (name, id, phone string) {
	r := mrand.New(mrand.NewPCG(uint64(i), 99))
	var b strings.Builder
	b.WriteRune(surnames[r.IntN(len(surnames))])
	for g := 0; g < 1+r.IntN(2); g++ {
		b.WriteRune(givens[r.IntN(len(givens))])
	}
	body := fmt.Sprintf("330203%04d%02d%02d%03d", 1950+r.IntN(55), 1+r.IntN(12), 1+r.IntN(28), i%1000)
	return b.String(), withCheckDigit(body), fmt.Sprintf("13%09d", i)
}

func withCheckDigit(body string) string {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

// loadSearchWorld fills db with n cases and their parties and search keys, the way the projection
// writes them (hashes under keys, identifiers masked, nothing sealed: sealing costs the same whatever
// is searched), in batched multi-row INSERTs inside one transaction.
func loadSearchWorld(tb testing.TB, db *store.DB, n int) searchWorld {
	tb.Helper()
	ctx := context.Background()
	key := secret.GenerateKey()
	keys, err := secret.NewKeyring(key)
	if err != nil {
		tb.Fatal(err)
	}
	w := searchWorld{keys: keys, key: key}
	var villages []string
	w.counties, w.townships, villages = searchTree()
	sqlDB, err := db.DB.DB()
	if err != nil {
		tb.Fatal(err)
	}
	pg := db.IsPostgres()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if !pg {
		for _, pragma := range []string{"PRAGMA cache_size = -262144"} {
			if _, err := conn.ExecContext(ctx, pragma); err != nil {
				tb.Fatal(err)
			}
		}
	}
	// Secondary indexes are dropped for the load and built again after it, and the search keys (whose
	// key is a random hash) are staged and inserted in key order: building a b-tree from sorted rows is
	// many times faster than growing it at random places, and the schema ends the same.
	creates := dropSecondaryIndexes(tb, ctx, conn, pg)
	keyTable := "case_search_keys"
	if !pg {
		keyTable = "load_search_keys"
		if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE load_search_keys (hash TEXT, case_id TEXT, idx INTEGER)"); err != nil {
			tb.Fatal(err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	type table struct {
		name  string
		cols  []string
		batch int
		args  []any
		rows  int
	}
	caseT := &table{name: "cases", cols: []string{"id", "number", "query_code", "workflow_id", "kind", "category", "channel",
		"status", "tier", "handling_node", "handling_path", "location", "location_path", "first_contact_user",
		"first_contact_node", "opened_at", "created_at", "updated_at"}, batch: caseBatch}
	partyT := &table{name: "case_parties", cols: []string{"case_id", "idx", "role", "name", "id_number_hash", "id_number_masked",
		"phone_hash", "phone_masked"}, batch: partyBatch}
	keyT := &table{name: keyTable, cols: []string{"hash", "case_id", "idx"}, batch: keyBatch}
	stmts := map[*table]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	insert := func(t *table, rows int) string { return store.BulkInsertSQL(t.name, t.cols, rows, pg) }
	flush := func(t *table) {
		if t.rows == 0 {
			return
		}
		var err error
		if t.rows == t.batch {
			st, ok := stmts[t]
			if !ok {
				if st, err = tx.PrepareContext(ctx, insert(t, t.batch)); err != nil {
					tx.Rollback()
					tb.Fatalf("prepare %s: %v", t.name, err)
				}
				stmts[t] = st
			}
			_, err = st.ExecContext(ctx, t.args...)
		} else {
			_, err = tx.ExecContext(ctx, insert(t, t.rows), t.args...)
		}
		if err != nil {
			tx.Rollback()
			tb.Fatalf("load %s: %v", t.name, err)
		}
		t.args, t.rows = t.args[:0], 0
	}
	add := func(t *table, vals ...any) {
		t.args = append(t.args, vals...)
		t.rows++
		if t.rows == t.batch {
			flush(t)
		}
	}
	r := mrand.New(mrand.NewPCG(7, 11))
	now := time.Now().UTC().Truncate(time.Second)
	population := n*3/2 + 10
	statuses := []string{"closed", "closed", "closed", "mediating", "registered", "agreement"}
	for i := 0; i < n; i++ {
		vp := villages[r.IntN(len(villages))]
		codes := store.PathCodes(vp)
		id := fmt.Sprintf("S%019d", i)
		number := fmt.Sprintf("%s-%d-%06d", codes[1], 2026, i)
		qc := fmt.Sprintf("Q%011d", i)
		opened := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		add(caseT, id, number, qc, "case-"+id, "dispute", fengqiao.Categories[i%len(fengqiao.Categories)], "visit",
			statuses[r.IntN(len(statuses))], "village", codes[3], vp, codes[3], vp, "clerk", codes[2], opened, opened, opened)
		for idx, role := range []string{"applicant", "respondent"} {
			name, idn, phone := person(r.IntN(population))
			add(partyT, id, idx, role, name, keys.Hash("id_number", idn), fengqiao.MaskIDNumber(idn),
				keys.Hash("phone", phone), fengqiao.MaskPhone(phone))
			for _, k := range store.NameSearchKeys(keys, id, idx, name) {
				add(keyT, k.Hash, k.CaseID, k.Idx)
			}
			if idx == 0 && r.IntN(n) < 2000 {
				w.samples = append(w.samples, searchSample{caseID: id, number: number, queryCode: qc,
					township: "/" + strings.Join(codes[:3], "/") + "/", county: "/" + strings.Join(codes[:2], "/") + "/",
					name: name, id: idn, phone: phone})
			}
		}
	}
	for _, t := range []*table{caseT, partyT, keyT} {
		flush(t)
	}
	// the keys carry their cases' scope columns (migration 25), as the projection writes them
	scope := "kind, status, location_path, handling_path, handling_body, co_bodies, court, first_contact_node, first_contact_user, assignee, opened_at"
	if !pg {
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_search_keys (hash, case_id, idx, "+scope+") SELECT k.hash, k.case_id, k.idx, c."+
			strings.ReplaceAll(scope, ", ", ", c.")+" FROM load_search_keys k JOIN cases c ON c.id = k.case_id ORDER BY k.hash, k.case_id, k.idx"); err != nil {
			tx.Rollback()
			tb.Fatal(err)
		}
	} else if _, err := tx.ExecContext(ctx, "UPDATE case_search_keys k SET ("+scope+") = (c."+strings.ReplaceAll(scope, ", ", ", c.")+
		") FROM cases c WHERE c.id = k.case_id"); err != nil {
		tx.Rollback()
		tb.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if !pg {
		if _, err := conn.ExecContext(ctx, "DROP TABLE load_search_keys"); err != nil {
			tb.Fatal(err)
		}
	}
	for _, c := range creates {
		if _, err := conn.ExecContext(ctx, c); err != nil {
			tb.Fatalf("%s: %v", c, err)
		}
	}
	if pg {
		if _, err := conn.ExecContext(ctx, "ANALYZE"); err != nil {
			tb.Fatal(err)
		}
	} else if _, err := conn.ExecContext(ctx, "PRAGMA optimize"); err != nil {
		tb.Fatal(err)
	}
	return w
}

// searchTree is the city's tree as paths: 10 counties, 15 townships each, 20 villages each.
func searchTree() (counties, townships, villages []string) {
	for c := 1; c <= 10; c++ {
		cp := fmt.Sprintf("/330200/3302%02d/", c)
		counties = append(counties, cp)
		for t := 1; t <= 15; t++ {
			tp := fmt.Sprintf("%s3302%02d%03d/", cp, c, t)
			townships = append(townships, tp)
			for v := 1; v <= 20; v++ {
				villages = append(villages, fmt.Sprintf("%s3302%02d%03d%03d/", tp, c, t, v))
			}
		}
	}
	return counties, townships, villages
}

// Rows per INSERT statement of the load, on each table.
var caseBatch, partyBatch, keyBatch = 50, 100, 300

// dropSecondaryIndexes drops the indexes of cases and case_parties that no constraint needs and returns
// the statements that create them again.
func dropSecondaryIndexes(tb testing.TB, ctx context.Context, conn *sql.Conn, pg bool) []string {
	tb.Helper()
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'case_parties') AND sql IS NOT NULL"
	if pg {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('cases', 'case_parties') AND schemaname = current_schema()
			AND indexname NOT IN (SELECT conname FROM pg_constraint)`
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			tb.Fatal(err)
		}
		names, creates = append(names, name), append(creates, create)
	}
	rows.Close()
	for _, name := range names {
		if _, err := conn.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			tb.Fatalf("drop index %s: %v", name, err)
		}
	}
	return creates
}
