package web

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

// field is one input of an action's form; Name is the JSON name of the argument's field.
type field struct {
	Name    string
	Type    string   // text, textarea, number, datetime, checkbox, select
	Options []option // for select
	Value   string   // default value
	Req     bool
}

// option is one choice of a select; Label is a message key.
type option struct {
	Value, Label string
}

func opts(prefix string, values ...string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: v, Label: prefix + v}
	}
	return out
}

// actionFields are the inputs of each action's form (the fields of its workflows.*Args).
func actionFields(action string) []field {
	reason := field{Name: "reason", Type: "textarea", Req: true}
	switch action {
	case workflows.UpdateAssign:
		return []field{{Name: "mediator", Type: "select", Req: true}}
	case workflows.UpdateConsent:
		return []field{{Name: "party", Type: "select", Options: opts("party.", "applicant", "respondent")},
			{Name: "agrees", Type: "checkbox", Value: "true"}, {Name: "note", Type: "text"}}
	case workflows.UpdateSession:
		return []field{{Name: "held_at", Type: "datetime", Req: true},
			{Name: "outcome", Type: "select", Options: opts("outcome.", "continue", "agreement", "failed")},
			{Name: "notes", Type: "textarea"}}
	case workflows.UpdateAgreement:
		return []field{{Name: "terms", Type: "textarea", Req: true},
			{Name: "form", Type: "select", Options: opts("form.", "written", "oral")},
			{Name: "signed_by_all", Type: "checkbox", Value: "true"}}
	case workflows.UpdateEscalate:
		return []field{reason, {Name: "to", Type: "text"}}
	case workflows.UpdateSuspend, workflows.UpdateResume, workflows.UpdateAcknowledge:
		return []field{reason}
	case workflows.UpdateReturn:
		return []field{{Name: "to", Type: "text", Req: true}, reason}
	case workflows.UpdateExtend:
		return []field{{Name: "days", Type: "number", Req: true, Value: "15"}, reason,
			{Name: "both_parties_requested", Type: "checkbox"}}
	case workflows.UpdateVisit:
		return []field{{Name: "channel", Type: "select", Options: channelOptions()}, {Name: "note", Type: "text"}}
	case workflows.UpdateConfirmation:
		return []field{{Name: "court", Type: "select", Req: true}, {Name: "joint", Type: "checkbox", Value: "true"}}
	case workflows.UpdateCourtAccept:
		return []field{{Name: "case_no", Type: "text", Req: true}}
	case workflows.UpdateCourtDecision:
		return []field{{Name: "result", Type: "select", Options: opts("result.", "confirmed", "rejected", "extended")},
			{Name: "ruling_no", Type: "text"}, {Name: "note", Type: "text"}}
	case workflows.UpdateAlternative:
		return []field{{Name: "route", Type: "select", Options: opts("route.", "notarisation", "arbitration")}, {Name: "note", Type: "text"}}
	case workflows.UpdatePerformance:
		return []field{{Name: "performed", Type: "checkbox", Value: "true"}, {Name: "note", Type: "text"}}
	case workflows.UpdateClose:
		return []field{{Name: "outcome", Type: "select", Options: opts("close.", "resolved", "terminated", "withdrawn")},
			{Name: "note", Type: "textarea"}}
	case workflows.UpdateRouteDecision:
		return []field{{Name: "accept", Type: "checkbox", Value: "true"},
			{Name: "channel", Type: "select", Options: append([]option{{"", "lawful.none"}}, opts("lawful.", workflows.LawfulChannels...)...)},
			{Name: "note", Type: "text"}}
	case workflows.UpdateAnswer, workflows.UpdateReviewReply:
		return []field{{Name: "decision", Type: "select", Options: opts("decision.", "support", "explain", "not_support")},
			{Name: "text", Type: "textarea", Req: true}}
	case workflows.UpdateReview:
		return []field{{Name: "level", Type: "select", Options: []option{{"复查", "level.复查"}, {"复核", "level.复核"}}}, reason}
	case workflows.UpdateFollowUp:
		return []field{{Name: "note", Type: "textarea", Req: true}}
	}
	return nil
}

func channelOptions() []option {
	out := make([]option, len(fengqiao.Channels))
	for i, c := range fengqiao.Channels {
		out[i] = option{Value: string(c), Label: "channel." + string(c)}
	}
	return out
}

// decodeForm fills the argument struct dst (a pointer from workflows.NewArgs) from the form by its
// fields' JSON names: strings as they are, booleans from checkboxes, whole numbers, and datetime-local
// inputs read in China time. A value that does not parse is a field error.
func decodeForm(form url.Values, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	var v fengqiao.Validation
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		raw := strings.TrimSpace(form.Get(name))
		fv := rv.Field(i)
		switch {
		case f.Type == reflect.TypeOf(time.Time{}):
			if raw == "" {
				continue
			}
			t, err := time.ParseInLocation("2006-01-02T15:04", raw, deadline.China)
			if err != nil {
				v.Add(name, "must be a date and time")
				continue
			}
			fv.Set(reflect.ValueOf(t))
		case fv.Kind() == reflect.String:
			fv.SetString(raw)
		case fv.Kind() == reflect.Bool:
			fv.SetBool(raw == "true" || raw == "on" || raw == "1")
		case fv.Kind() == reflect.Int:
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				v.Add(name, "must be a whole number")
				continue
			}
			fv.SetInt(int64(n))
		}
	}
	return v.Err()
}
