package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

func TestImportNodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustNode(t, db, fengqiao.Node{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity})
		t.Run("a good file imports whole, children before parents in the file", func(t *testing.T) {
			file := "\ufeffcode,name,tier,parent_code\n" +
				"330203001001,孝闻社区,village,330203001\n" +
				"330203,海曙区,county,330200\n" +
				"330203001,鼓楼街道,township,330203\n"
			nodes, err := db.ImportNodes(ctx, strings.NewReader(file))
			if err != nil || len(nodes) != 3 {
				t.Fatalf("import = %v, %v", nodes, err)
			}
			n, err := db.Node(ctx, "330203001001")
			if err != nil || n.Path != "/330200/330203/330203001/330203001001/" {
				t.Fatalf("village = %+v, %v", n, err)
			}
		})
		t.Run("a bad file imports nothing and names its bad lines", func(t *testing.T) {
			file := "code,name,tier,parent_code\n" +
				"330204,江北区,county,330200\n" + // fine on its own
				"330204001,,township,330204\n" + // line 3: no name
				"330204002,x,village,330204\n" + // line 4: village under a county
				"330204003,y,township,999\n" + // line 5: unknown parent
				"330204,again,county,330200\n" // line 6: repeat
			_, err := db.ImportNodes(ctx, strings.NewReader(file))
			var ie *store.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v", err)
			}
			lines := map[int]bool{}
			for _, l := range ie.Lines {
				lines[l.Line] = true
			}
			for _, want := range []int{3, 4, 5, 6} {
				if !lines[want] {
					t.Errorf("line %d not reported: %v", want, ie.Lines)
				}
			}
			if lines[2] {
				t.Errorf("good line 2 reported: %v", ie.Lines)
			}
			if _, err := db.Node(ctx, "330204"); !errors.Is(err, store.ErrNotFound) {
				t.Fatal("a bad file imported a row")
			}
		})
		t.Run("a wrong header is refused", func(t *testing.T) {
			_, err := db.ImportNodes(ctx, strings.NewReader("code,name\n1,2\n"))
			var ie *store.ImportError
			if !errors.As(err, &ie) || ie.Lines[0].Line != 1 {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func FuzzParseNodesCSV(f *testing.F) {
	f.Add("code,name,tier,parent_code\n330200,宁波市,city,\n330203,海曙区,county,330200\n")
	f.Add("code,name,tier,parent_code\n\"a\"\"b\",x,grid,\n")
	f.Fuzz(func(t *testing.T, data string) {
		nodes, err := store.ParseNodesCSV(strings.NewReader(data), func(string) (fengqiao.Tier, bool) { return "", false })
		if err != nil {
			var ie *store.ImportError
			if !errors.As(err, &ie) || len(ie.Lines) == 0 {
				t.Fatalf("error without line numbers: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, n := range nodes {
			if n.ParentCode != "" && !seen[n.ParentCode] {
				t.Fatalf("%s comes before its parent %s", n.Code, n.ParentCode)
			}
			if store.ValidateNode(n) != nil {
				t.Fatalf("invalid node accepted: %+v", n)
			}
			seen[n.Code] = true
		}
	})
}
