package cases_test

import (
	"errors"
	"testing"

	"fengqiao"
	"fengqiao/cases"
)

// TestNMR20AtMostFiveRepresentativesPerSide: six representatives on one side are refused naming the
// sixth one's field; five on each side (ten in all) are accepted.
func TestNMR20AtMostFiveRepresentativesPerSide(t *testing.T) {
	req := func(applicantSide, respondentSide int) cases.OpenRequest {
		r := cases.OpenRequest{Kind: fengqiao.KindDispute, Channel: fengqiao.ChannelVisit, Category: "wage_arrears",
			Summary: "工地欠薪", Location: "330203001001",
			Parties: []cases.PartyInput{{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Name: "张三", IDNumber: "11010519491231002X"}},
				{Party: fengqiao.Party{Role: fengqiao.PartyRespondent, Name: "某建设公司"}}}}
		for i := 0; i < applicantSide; i++ {
			r.Parties = append(r.Parties, cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyRepresentative, Name: "工人代表"}})
		}
		for i := 0; i < respondentSide; i++ {
			r.Parties = append(r.Parties, cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyRepresentative, Name: "公司代表"}, Side: fengqiao.PartyRespondent})
		}
		return r
	}
	if err := req(5, 5).Validate(); err != nil {
		t.Errorf("5+5 representatives: %v", err)
	}
	for _, tt := range []struct {
		name  string
		r     cases.OpenRequest
		field string
	}{
		{"six for the applicants", req(6, 0), "parties[7].role"},
		{"six for the respondent", req(0, 6), "parties[7].role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var fe *fengqiao.Error
			if err := tt.r.Validate(); !errors.As(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != tt.field {
				t.Fatalf("want a field error on %s, got %v", tt.field, err)
			}
		})
	}
	bad := req(1, 0)
	bad.Parties[2].Side = "court"
	if err := bad.Validate(); err == nil {
		t.Error("a representative of an unknown side was accepted")
	}
}
