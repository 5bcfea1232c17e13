package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func seedCounty(t *testing.T, db *store.DB) {
	t.Helper()
	mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
	mustNode(t, db, fengqiao.Node{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"})
	mustNode(t, db, fengqiao.Node{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"})
	mustNode(t, db, fengqiao.Node{Code: "hscourt", Name: "海曙区人民法院", Tier: fengqiao.TierCourt, ParentCode: "330203"})
}

// lines returns "line field" for every problem of an import error.
func lines(t *testing.T, err error) []string {
	t.Helper()
	var ie *store.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want an import error, got %v", err)
	}
	var out []string
	for _, l := range ie.Lines {
		out = append(out, strings.TrimSpace(strings.Join([]string{strconv.Itoa(l.Line), l.Field}, " ")))
		if l.Message == "" || !strings.ContainsFunc(l.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("line %d %s: the message must be in Chinese first: %q", l.Line, l.Field, l.Message)
		}
	}
	return out
}

func TestBodyImportIsAllOrNothingAndNamesEveryBadLineAndField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		if _, err := db.CreateBody(ctx, fengqiao.Body{Code: "nb-gov", Name: "宁波市人民政府", Type: fengqiao.BodyAgency, Node: "330200"}); err != nil {
			t.Fatal(err)
		}
		file := "code,name,type,node,fields,superior\n" +
			"hs-rsj,区人社局,agency,330203,labour|wage_arrears,hs-gov\n" + // 2: fine, superior defined later
			"hs-bad,坏类型,bureau,330203,,\n" + // 3: type
			"hs-x,无辖区,committee,404,,\n" + // 4: node
			"hs-y,坏领域,professional,330203,medical|cooking,\n" + // 5: fields
			"hs-z,非行政机关的上级,committee,330203,,hs-gov\n" + // 6: superior on a committee
			"hs-rsj,重复,agency,330203,,\n" + // 7: code repeats line 2
			"nb-gov,已存在,agency,330200,,\n" + // 8: code exists
			"hs-gov,区政府,agency,330203,,nb-gov\n" + // 9: fine
			"330203,与辖区同码,center,330203,,\n" + // 10: code is a node's
			"nb-x,上级在下级,agency,330200,,hs-gov\n" + // 11: superior seated below
			"a1,循环甲,agency,330203,,a2\n" + // 12: cycle
			"a2,循环乙,agency,330203,,a1\n" + // 13: cycle
			"short,列数不足\n" // 14: columns
		_, err := db.ImportBodies(ctx, strings.NewReader(file), nil)
		got := strings.Join(lines(t, err), ";")
		want := "3 type;4 node;5 fields;6 superior;7 code;8 code;10 code;11 superior;12 superior;13 superior;14 csv"
		if got != want {
			t.Fatalf("bad lines = %s\nwant        %s", got, want)
		}
		if all, _ := db.Bodies(ctx, fengqiao.BodyFilter{}); len(all) != 1 {
			t.Fatalf("a refused file imported something: %+v", all)
		}
		good := "\ufeffcode,name,type,node,fields,superior\n" +
			"hs-rsj,海曙区人力资源和社会保障局,agency,330203,labour|wage_arrears,hs-gov\n" +
			"hs-gov,海曙区人民政府,agency,330203,,nb-gov\n" +
			"hscourt,海曙区人民法院,court,330203,,\n" +
			"hs-ytw,海曙区医疗纠纷人民调解委员会,professional,330203,medical,\n"
		bodies, err := db.ImportBodies(ctx, strings.NewReader(good), nil)
		if err != nil || len(bodies) != 4 {
			t.Fatalf("import = %+v, %v", bodies, err)
		}
		if bodies[0].Code != "hs-gov" {
			t.Fatalf("a superior must be written before the bodies naming it: %+v", bodies)
		}
		rsj, err := db.Body(ctx, "hs-rsj")
		if err != nil || rsj.Superior != "hs-gov" || !rsj.HasField("wage_arrears") || rsj.HasField("medical") || rsj.NodePath != "/330200/330203/" {
			t.Fatalf("hs-rsj = %+v, %v", rsj, err)
		}
		if got, _ := db.Bodies(ctx, fengqiao.BodyFilter{Field: "medical"}); len(got) != 1 || got[0].Code != "hs-ytw" {
			t.Fatalf("medical = %+v", got)
		}
		// the same file again: every code is taken, nothing changes
		_, err = db.ImportBodies(ctx, strings.NewReader(good), nil)
		if got := strings.Join(lines(t, err), ";"); got != "2 code;3 code;4 code;5 code" {
			t.Fatalf("again = %s", got)
		}
	})
}

func TestBodyImportNeedsTheHeaderAndStopsWhenRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		_, err := db.ImportBodies(ctx, strings.NewReader("hs-gov,区政府,agency,330203,,\n"), nil)
		if got := strings.Join(lines(t, err), ";"); got != "1 header" {
			t.Fatalf("no header = %s", got)
		}
		refused := errors.New("refused")
		_, err = db.ImportBodies(ctx, strings.NewReader("code,name,type,node,fields,superior\nhs-gov,区政府,agency,330203,,\n"),
			func(b fengqiao.Body) error { return refused })
		if !errors.Is(err, refused) {
			t.Fatalf("refused import = %v", err)
		}
		if all, _ := db.Bodies(ctx, fengqiao.BodyFilter{}); len(all) != 0 {
			t.Fatalf("a refused import wrote %+v", all)
		}
	})
}

func TestBodyCodesDoNotShadowJurisdictionsButACourtKeepsItsNodesCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		_, err := db.CreateBody(ctx, fengqiao.Body{Code: "330203001", Name: "街道办", Type: fengqiao.BodyAgency, Node: "330203001"})
		wanterr.Field(t, err, "code")
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "hscourt", Name: "法院", Type: fengqiao.BodyCourt, Node: "330203001"})
		wanterr.Field(t, err, "code") // a court body sits where its court node hangs
		if _, err := db.CreateBody(ctx, fengqiao.Body{Code: "hscourt", Name: "海曙区人民法院", Type: fengqiao.BodyCourt, Node: "330203"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateBody(ctx, fengqiao.Body{Code: "hs-gov", Name: "区政府", Type: fengqiao.BodyAgency, Node: "330203"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "nb-rsj", Name: "市人社局", Type: fengqiao.BodyAgency, Node: "330200", Superior: "hs-gov"})
		wanterr.Field(t, err, "superior") // a superior sits at the body's node or above
		_, err = db.CreateBody(ctx, fengqiao.Body{Code: "jd-twh", Name: "调委会", Type: fengqiao.BodyCommittee, Node: "330203001", Superior: "hs-gov"})
		wanterr.Field(t, err, "superior") // only an agency names a superior
		page, err := db.BodiesPage(ctx, fengqiao.BodyFilter{}, "", 1)
		if err != nil || len(page) != 1 || page[0].Code != "hs-gov" {
			t.Fatalf("first page = %+v, %v", page, err)
		}
		page, _ = db.BodiesPage(ctx, fengqiao.BodyFilter{}, "hs-gov", 5)
		if len(page) != 1 || page[0].Code != "hscourt" {
			t.Fatalf("next page = %+v", page)
		}
	})
}
