package fuzz_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/cases"
)

// FuzzOpenRequestValidate decodes arbitrary bytes as an intake, the way the API does (strict JSON),
// and validates it. Validate must never panic; a refusal is a validation_failed error naming at least
// one field; an accepted intake really has a valid kind, channel, category, location, summary and at
// least one applicant with a valid ID number. `go test` runs the seeds; `make soak` fuzzes. It lives in
// a package of its own so that the fuzzing build does not instrument the embedded Temporal server.
func FuzzOpenRequestValidate(f *testing.F) {
	good := `{"kind":"dispute","channel":"visit","category":"neighbour","summary":"楼上漏水","location":"330203001001-01",` +
		`"parties":[{"role":"applicant","name":"张三","id_number":"11010519491231002X","phone":"13912345678"},{"role":"respondent","name":"李四"}]}`
	for _, s := range []string{
		good,
		`{}`, `null`, `[]`, `{"kind":"dispute"}`,
		`{"kind":"petition","channel":"letter","category":"land","summary":" ","location":"330203","parties":[]}`,
		`{"kind":"dispute","channel":"visit","category":"neighbour","summary":"x","location":"330203001001-01",` +
			`"parties":[{"role":"applicant","name":"张三","id_number":"11010519491231002x"}],"resolved_on_spot":{"outcome":""}}`,
		`{"kind":"dispute","channel":"visit","category":"neighbour","summary":"<script>alert(1)</script>","location":"330203001001-01",` +
			`"parties":[{"role":"applicant","name":"\u0000","id_number":"11010519491231002X","phone":"+86 139 1234 5678"}]}`,
		`{"parties":[{"role":"representative"},{"role":"representative"},{"role":"representative"},{"role":"representative"},{"role":"representative"},{"role":"representative"}]}`,
		`{"kind":"dispute","channel":"visit","category":"neighbour","summary":"` + strings.Repeat("长", 1400) + `","location":"../../etc"}`,
		`{"parties":[{"role":"applicant","id_number":"110105194902300010"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req cases.OpenRequest
		if err := json.Unmarshal(data, &req); err != nil {
			return
		}
		err := req.Validate()
		if err != nil {
			var fe *fengqiao.Error
			if !errors.As(err, &fe) || fe.Code != fengqiao.ECodeInvalid || len(fe.Fields) == 0 {
				t.Fatalf("Validate refused with %#v, want validation_failed naming a field", err)
			}
			return
		}
		if !req.Kind.Valid() || !req.Channel.Valid() || !fengqiao.ValidCategory(req.Category) ||
			!fengqiao.ValidNodeCode(req.Location) || strings.TrimSpace(req.Summary) == "" || len(req.Summary) > 4000 {
			t.Fatalf("Validate accepted %s", data)
		}
		applicant, reps := false, 0
		for _, p := range req.Parties {
			if p.Role == fengqiao.PartyApplicant && fengqiao.ValidIDNumber(fengqiao.NormalizeIDNumber(p.IDNumber)) {
				applicant = true
			}
			if p.Role == fengqiao.PartyRepresentative {
				reps++
			}
			if strings.TrimSpace(p.Name) == "" || !p.Role.Valid() {
				t.Fatalf("Validate accepted a party %+v", p)
			}
		}
		if !applicant || reps > 5 {
			t.Fatalf("Validate accepted parties %+v", req.Parties)
		}
	})
}
