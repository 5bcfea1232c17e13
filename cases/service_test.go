package cases_test

import (
	"testing"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/secret"
)

func TestOpenRequestValidationNamesTheField(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(r *cases.OpenRequest)
		field string
	}{
		{"kind", func(r *cases.OpenRequest) { r.Kind = "complaint" }, "kind"},
		{"channel", func(r *cases.OpenRequest) { r.Channel = "fax" }, "channel"},
		{"category", func(r *cases.OpenRequest) { r.Category = "aliens" }, "category"},
		{"summary", func(r *cases.OpenRequest) { r.Summary = " " }, "summary"},
		{"id number check digit", func(r *cases.OpenRequest) { r.Parties[0].IDNumber = "110105194912310021" }, "parties[0].id_number"},
		{"phone", func(r *cases.OpenRequest) { r.Parties[0].Phone = "12345" }, "parties[0].phone"},
		{"respondent id", func(r *cases.OpenRequest) { r.Parties[1].IDNumber = "123" }, "parties[1].id_number"},
		{"no applicant", func(r *cases.OpenRequest) { r.Parties = r.Parties[1:] }, "parties"},
		{"six representatives on one side", func(r *cases.OpenRequest) {
			for i := 0; i < 6; i++ {
				r.Parties = append(r.Parties, cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyRepresentative, Name: "代表"}})
			}
		}, "parties[7].role"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := disputeIntake()
			r.Parties = append([]cases.PartyInput(nil), r.Parties...)
			c.edit(&r)
			wantInvalidField(t, r.Validate(), c.field)
		})
	}
	if err := disputeIntake().Validate(); err != nil {
		t.Errorf("a good intake: %v", err)
	}
}

// wantInvalidField fails unless err is a validation_failed error naming field.
func wantInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	fe, ok := err.(*fengqiao.Error)
	if !ok || fe.Code != fengqiao.ECodeInvalid {
		t.Fatalf("want validation_failed, got %v", err)
	}
	for _, f := range fe.Fields {
		if f.Field == field {
			return
		}
	}
	t.Errorf("fields %+v lack %s", fe.Fields, field)
}

func TestRule3MatterKeysIdentifyApplicantCategoryAndRespondent(t *testing.T) {
	k, _ := secret.NewKeyring(secret.GenerateKey())
	svc := &cases.Service{Keys: k}
	base := disputeIntake()
	key := svc.MatterKeys(base)[0]
	same := disputeIntake()
	same.Parties[0].IDNumber = "11010519491231002x" // normalised
	same.Parties[1].Name = " 李 四 "
	if svc.MatterKeys(same)[0] != key {
		t.Error("the same applicant, category and respondent must be the same matter")
	}
	other := disputeIntake()
	other.Category = "debt"
	otherResp := disputeIntake()
	otherResp.Parties[1].Name = "王五"
	if svc.MatterKeys(other)[0] == key || svc.MatterKeys(otherResp)[0] == key {
		t.Error("another category or respondent is another matter")
	}
	for _, c := range key {
		if c < '0' || (c > '9' && c < 'a') || c > 'f' {
			t.Fatalf("a matter key must be an opaque hash, got %q", key)
		}
	}
}
