package cases_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/app/apptest"
	"fengqiao/store"
	"fengqiao/store/storetest"
	"fengqiao/workflows"
)

// TestIntegrationPartyIdentityIsSealedAtRest opens, through the JSON API, a case whose applicants are a
// person with full identity (性别, 民族, 出生日期, 住址) and an organisation (名称, 统一社会信用代码,
// 法定代表人 and 职务, 住所), with the place of the dispute and the applicant's request. None of the
// identifying values may sit in clear anywhere in the database (SQLite file and WAL byte for byte,
// every PostgreSQL column), while the case read back — from the workflow and from the projection —
// has them all.
func TestIntegrationPartyIdentityIsSealedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, s := sealedEnv(t, db)
		ctx := context.Background()
		s.CreateUser(t, "clerk.http", "clerk.http password")
		s.Grant(t, "clerk.http", fengqiao.RoleClerk, county)
		tok := s.Login(t, "clerk.http", "clerk.http password")

		const (
			address  = "宁波市海曙区望京花园7幢"
			request  = "请求物业公司修复外墙渗水并赔偿损失"
			home     = "宁波市海曙区翠柏里18号"
			seat     = "宁波市海曙区药行街99号"
			code     = "91350100M000100Y43"
			rep      = "司马长风"
			repTitle = "执行董事兼总经理"
			orgPhone = "0574-87650001"
		)
		body := map[string]any{"kind": "dispute", "channel": "visit", "category": "neighbour", "summary": "外墙渗水",
			"location": grid, "address": address, "request": request,
			"parties": []map[string]any{
				{"role": "applicant", "name": "张三", "id_number": applicantID, "phone": applicantPhone,
					"gender": "female", "ethnicity": "回族", "birth_date": "1949-12-31", "address": home},
				{"role": "applicant", "kind": "organization", "name": "宁波某业主委员会", "credit_code": code,
					"representative": rep, "representative_title": repTitle, "address": seat, "phone": orgPhone},
				{"role": "respondent", "kind": "organization", "name": "宁波某物业服务有限公司"},
			}}
		req, err := apptest.NewRequest(ctx, "POST", s.URL+"/api/v1/cases", tok, body)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("intake: %d %s", res.StatusCode, raw)
		}
		var created struct {
			ID, Address, Request string
			Seq                  int64
			Parties              []struct {
				Kind, Name, CreditCode, Representative, RepresentativeTitle string
				IDNumberMasked                                              string `json:"id_number_masked"`
			}
		}
		if err := json.Unmarshal(raw, &created); err != nil {
			t.Fatal(err)
		}
		// the JSON of the case: tags are snake case
		var tagged struct {
			Parties []map[string]string `json:"parties"`
		}
		_ = json.Unmarshal(raw, &tagged)
		if created.Address != address || created.Request != request || len(tagged.Parties) != 3 ||
			tagged.Parties[1]["kind"] != "organization" || tagged.Parties[1]["credit_code"] != code ||
			tagged.Parties[1]["representative"] != rep || tagged.Parties[0]["kind"] != "person" ||
			tagged.Parties[0]["id_number_masked"] != fengqiao.MaskIDNumber(applicantID) {
			t.Errorf("the case as created: %s", raw)
		}

		// wait for the projection of the intake (parties are written with it)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			rows, _ := s.DB.CaseParties(ctx, created.ID)
			if len(rows) == 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("parties not projected")
			}
		}
		for _, text := range []string{address, request, home, seat, code, rep, repTitle, orgPhone, "回族", "1949-12-31", applicantID} {
			if where := storetest.InStorage(t, s.DB, text); len(where) > 0 {
				t.Errorf("%q is stored in clear: %v", text, where)
			}
		}

		t.Run("the case read from its projection has every field", func(t *testing.T) {
			if err := s.Temporal.TerminateWorkflow(ctx, workflows.WorkflowID(created.ID), "", "read from the projection"); err != nil {
				t.Fatal(err)
			}
			v, err := s.Cases.Get(ctx, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Address != address || v.Request != request || len(v.Parties) != 3 {
				t.Fatalf("from the projection: %+v", v)
			}
			p, o := v.Parties[0], v.Parties[1]
			if p.Gender != fengqiao.GenderFemale || p.Ethnicity != "回族" || p.BirthDate != "1949-12-31" || p.Address != home || p.IDNumber != applicantID {
				t.Errorf("person %+v", p)
			}
			if !o.Organization() || o.CreditCode != code || o.Representative != rep || o.RepresentativeTitle != repTitle || o.Address != seat || o.Phone != orgPhone {
				t.Errorf("organisation %+v", o)
			}
		})
	})
}
