package cases_test

import (
	"testing"

	"fengqiao"
	"fengqiao/cases"
)

// orgApplicant is an organisation as the intake gives it: 统一社会信用代码 with a valid check character.
func orgApplicant() cases.PartyInput {
	return cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Kind: fengqiao.PartyOrganization, Name: "宁波某物业服务有限公司",
		CreditCode: "91350100M000100Y43", Representative: "王五", RepresentativeTitle: "总经理",
		Address: "宁波市海曙区某路1号", Phone: "0574-87654321"}}
}

// fullPerson is a person with every identity field a document names.
func fullPerson(role fengqiao.PartyRole) cases.PartyInput {
	return cases.PartyInput{Party: fengqiao.Party{Role: role, Name: "张三", IDNumber: applicantID, Phone: applicantPhone,
		Gender: fengqiao.GenderFemale, Ethnicity: "汉族", BirthDate: "1949-12-31", Address: "宁波市海曙区某社区2幢301室"}}
}

func TestPartyValidationNamesTheFieldOfEachPartyKind(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(r *cases.OpenRequest)
		field string
	}{
		{"credit code check character", func(r *cases.OpenRequest) { r.Parties[1].CreditCode = "91350100M000100Y44" }, "parties[1].credit_code"},
		{"credit code length", func(r *cases.OpenRequest) { r.Parties[1].CreditCode = "9135010" }, "parties[1].credit_code"},
		{"credit code letter not in the alphabet", func(r *cases.OpenRequest) { r.Parties[1].CreditCode = "91350100M000100I43" }, "parties[1].credit_code"},
		{"organisation applicant without credit code", func(r *cases.OpenRequest) { r.Parties[1].CreditCode = "" }, "parties[1].credit_code"},
		{"organisation applicant without representative", func(r *cases.OpenRequest) { r.Parties[1].Representative = "" }, "parties[1].representative"},
		{"organisation with an ID number", func(r *cases.OpenRequest) { r.Parties[1].IDNumber = applicantID }, "parties[1].id_number"},
		{"organisation with a gender", func(r *cases.OpenRequest) { r.Parties[1].Gender = fengqiao.GenderMale }, "parties[1].gender"},
		{"person with a credit code", func(r *cases.OpenRequest) { r.Parties[0].CreditCode = "91350100M000100Y43" }, "parties[0].credit_code"},
		{"person with a representative", func(r *cases.OpenRequest) { r.Parties[0].Representative = "王五" }, "parties[0].representative"},
		{"unknown kind", func(r *cases.OpenRequest) { r.Parties[0].Kind = "robot" }, "parties[0].kind"},
		{"unknown gender", func(r *cases.OpenRequest) { r.Parties[0].Gender = "other" }, "parties[0].gender"},
		{"gender against the ID number", func(r *cases.OpenRequest) { r.Parties[0].Gender = fengqiao.GenderMale }, "parties[0].gender"},
		{"not an ethnic group", func(r *cases.OpenRequest) { r.Parties[0].Ethnicity = "火星族" }, "parties[0].ethnicity"},
		{"birth date format", func(r *cases.OpenRequest) { r.Parties[0].BirthDate = "1949/12/31" }, "parties[0].birth_date"},
		{"birth date against the ID number", func(r *cases.OpenRequest) { r.Parties[0].BirthDate = "1950-01-01" }, "parties[0].birth_date"},
		{"respondent organisation with a bad code", func(r *cases.OpenRequest) {
			r.Parties = append(r.Parties, cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyRespondent, Kind: fengqiao.PartyOrganization, Name: "某公司", CreditCode: "123"}})
		}, "parties[2].credit_code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := disputeIntake()
			r.Parties = []cases.PartyInput{fullPerson(fengqiao.PartyApplicant), orgApplicant()}
			c.edit(&r)
			wantInvalidField(t, r.Validate(), c.field)
		})
	}
	t.Run("a person and an organisation with full identity pass", func(t *testing.T) {
		r := disputeIntake()
		r.Address, r.Request = "宁波市海曙区某小区", "请求对方赔偿漏水损失2000元"
		r.Parties = []cases.PartyInput{fullPerson(fengqiao.PartyApplicant), orgApplicant(),
			{Party: fengqiao.Party{Role: fengqiao.PartyRespondent, Kind: fengqiao.PartyOrganization, Name: "某装修公司"}}}
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestPartyIsNormalisedAndTakesGenderFromTheIDNumber(t *testing.T) {
	p := cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Kind: fengqiao.PartyPerson, Name: " 张三 ", IDNumber: "11010519491231002x", Ethnicity: "汉"}}.Normalized()
	if p.Kind != "" || p.Name != "张三" || p.IDNumber != applicantID || p.Gender != fengqiao.GenderFemale || p.Ethnicity != "汉族" {
		t.Errorf("person %+v", p)
	}
	o := cases.PartyInput{Party: fengqiao.Party{Role: fengqiao.PartyApplicant, Kind: fengqiao.PartyOrganization, Name: "某公司", CreditCode: "91350100m000100y43"}}.Normalized()
	if !o.Organization() || o.CreditCode != "91350100M000100Y43" || o.Gender != "" {
		t.Errorf("organisation %+v", o)
	}
}
