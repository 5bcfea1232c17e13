package web

import (
	"net/url"
	"strings"

	"fengqiao"
	"fengqiao/cases"
)

// The case page's consequential choices (a refusal of mediation, a closure, a court's refusal, a
// petition referred out) are confirmed before they are sent: the form explains each one's consequence
// and carries a "我已知晓" box; the page refuses the choice without it. This is the page's rule, not the
// workflow's: the JSON API takes the workflow's arguments as they are.

// confirmField is the form field of the "我已知晓" box.
const confirmField = "confirm"

// checkChoices refuses an action's form whose required choice is missing, or whose consequential
// choice is not confirmed, with the consequence in the page's language. It acts on nothing.
func checkChoices(p *page, action string, form url.Values) error {
	var fe []fengqiao.FieldError
	var msg []string
	for _, f := range cases.FormOf(action) {
		value := strings.TrimSpace(form.Get(f.Name))
		if f.Type == "choice" && f.Req && value == "" {
			m := p.T("confirm.choose", p.T("f."+f.Name))
			fe, msg = append(fe, fengqiao.FieldError{Field: f.Name, Message: m}), append(msg, m)
			continue
		}
		if f.NeedsConfirm(value) && form.Get(confirmField) != "yes" {
			m := p.T("conseq."+action+"."+value) + p.T("confirm.tick")
			fe, msg = append(fe, fengqiao.FieldError{Field: confirmField, Message: m}), append(msg, m)
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: strings.Join(msg, " "), Fields: fe}
}

// consequences are the explanations of an action's consequential choices, as its form shows them
// above the "我已知晓" box: "「拒绝调解」：……".
func consequences(p *page, action string, fields []cases.Field) []string {
	var out []string
	for _, f := range fields {
		for _, o := range f.Options {
			if f.NeedsConfirm(o.Value) {
				out = append(out, p.T("confirm.item", p.T(o.Label), p.T("conseq."+action+"."+o.Value)))
			}
		}
	}
	return out
}

// outcomeText is a closed case's outcome in words. The workflow records a code, sometimes with a
// detail ("referred_out: litigation", "resolved_on_spot: 当场清理"); a code the catalogue does not
// know is shown as the generic "已办结" rather than as itself.
func outcomeText(p *page, outcome string) string {
	if outcome == "" {
		return ""
	}
	code, detail, _ := strings.Cut(outcome, ": ")
	head := p.TOr("close."+code, p.T("status.closed"))
	switch code {
	case "referred_out":
		detail = p.TOr("lawful."+detail, detail)
	case "final_after_review":
		detail = p.TOr("decision."+detail, detail)
	}
	if detail == "" {
		return head
	}
	return head + "：" + detail
}

// eventDetail is a timeline line's detail in words where the workflow wrote it with codes: a closure
// ("mediation_refused: …"), a party's consent or refusal ("respondent refuses mediation").
func eventDetail(p *page, typ, detail string) string {
	switch typ {
	case "closed":
		for _, code := range closeCodes {
			rest, ok := strings.CutPrefix(detail, code+": ")
			if !ok {
				continue
			}
			if code == "mediation_refused" {
				return p.T("close.mediation_refused") + "：" + p.T("conseq.detail.mediation_refused")
			}
			switch code {
			case "resolved_on_spot":
				return outcomeText(p, detail)
			case "answered": // the review window passed (timed.go)
				return p.T("close.answered") + "：" + p.T("conseq.detail.answered")
			}
			return outcomeText(p, code) + "：" + rest
		}
	case "consent", "consent_refused":
		party, _, _ := strings.Cut(detail, " ")
		if party == string(fengqiao.PartyApplicant) || party == string(fengqiao.PartyRespondent) {
			return p.T("party."+party) + p.T("ev.detail."+typ)
		}
	}
	return detail
}

// closeCodes are the outcome codes the workflow writes at the head of a closure's detail.
var closeCodes = []string{"mediation_refused", "resolved_on_spot", "referred_out", "final_after_review", "answered", "resolved", "terminated", "withdrawn"}
