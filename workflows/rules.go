package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"fengqiao"
)

// This file holds the legal rules as named functions. Each cites the article it applies; DESIGN.md §3
// numbers the engine's rules.

// refuse is how a validator refuses an action: an application error whose type is the fengqiao error
// code, so the cases service can turn it back into a *fengqiao.Error. Nothing enters the history. The
// format is English (the API's detail and the msgid): its details carry it unformatted (Refusal), so
// that a page writes the refusal in its reader's language.
func refuse(code fengqiao.Code, format string, args ...any) error {
	return temporal.NewApplicationErrorWithOptions(fmt.Sprintf(format, args...), string(code),
		temporal.ApplicationErrorOptions{NonRetryable: true,
			Details: []any{[]fengqiao.FieldError(nil), Refusal{Format: format, Args: fengqiao.Texts(args...)}}})
}

// invalid refuses an action naming the invalid field (validation_failed).
func invalid(field, message string) error { return fieldRefusal(field, message, message, nil) }

// invalidf is invalid with a formatted message.
func invalidf(field, format string, args ...any) error {
	return fieldRefusal(field, format, fmt.Sprintf(format, args...), fengqiao.Texts(args...))
}

// fieldRefusal is the application error of invalid and invalidf: the field error, and its format and
// args in the details (Refusal).
func fieldRefusal(field, format, message string, args []string) error {
	return temporal.NewApplicationErrorWithOptions(field+" "+message, string(fengqiao.ECodeInvalid),
		temporal.ApplicationErrorOptions{NonRetryable: true,
			Details: []any{[]fengqiao.FieldError{{Field: field, Message: message}},
				Refusal{Fields: []Refusal{{Format: format, Args: args}}}}})
}

// Refusal is a refusal's message before it was formatted, the second detail of its application error
// (the first is its field errors): the English format string and the values it names, and the same for
// each field error in order. The cases service puts them back into the *fengqiao.Error.
type Refusal struct {
	Format string    `json:"format,omitempty"`
	Args   []string  `json:"args,omitempty"`
	Fields []Refusal `json:"fields,omitempty"`
}

// LowestMediationTier returns the index in chain (root first) of the node a new case is routed to: the
// lowest node with mediation power covering the location — a grid's case goes to its village committee,
// even when it was received at the county centre (rule 2: 小事不出村; 属地管理、分级负责, XGTL 5(三) and
// 22(二); mediation committees sit in villages and communities, PML 8; mediate 及时、就地, PML 21).
func LowestMediationTier(chain []fengqiao.ChainNode) (int, bool) {
	for i := len(chain) - 1; i >= 0; i-- {
		if chain[i].Tier.HasMediationPower() {
			return i, true
		}
	}
	return 0, false
}

// NextTierUp returns the index of the next node up the chain with mediation power: escalation moves
// one tier at a time along the location's ancestors only (rule 2: 矛盾不上交, 分级负责).
func NextTierUp(chain []fengqiao.ChainNode, from int) (int, bool) {
	for i := from - 1; i >= 0; i-- {
		if chain[i].Tier.HasMediationPower() {
			return i, true
		}
	}
	return 0, false
}

// EscalationTarget checks a requested escalation target: empty means the next tier up; anything else
// must be exactly the next tier up — skipping a tier or leaving the chain is refused (rule 2).
func EscalationTarget(chain []fengqiao.ChainNode, from int, to string) (int, error) {
	next, ok := NextTierUp(chain, from)
	if !ok {
		return 0, refuse(fengqiao.ECodeNotAllowed, "the case is already at the top of its chain (%s)", chain[from].Code)
	}
	if to != "" && to != chain[next].Code {
		if chainIndex(chain, to) < 0 {
			return 0, refuse(fengqiao.ECodeTierSkip, "%s is not an ancestor of the case's location: a case rises only along its own chain", to)
		}
		return 0, refuse(fengqiao.ECodeTierSkip, "a case rises one tier at a time: the next tier is %s (%s), not %s", chain[next].Code, chain[next].Tier, to)
	}
	return next, nil
}

// ReturnTarget checks a send-down (下沉): the target must be below the handling node within the chain
// and have mediation power (rule 2: a higher tier may send a case back down).
func ReturnTarget(chain []fengqiao.ChainNode, from int, to string) (int, error) {
	i := chainIndex(chain, to)
	if i < 0 {
		return 0, refuse(fengqiao.ECodeTierSkip, "%s is not in the case's chain: a case moves only along its location's ancestors", to)
	}
	if i <= from {
		return 0, refuse(fengqiao.ECodeNotAllowed, "%s is not below the handling node %s", to, chain[from].Code)
	}
	if !chain[i].Tier.HasMediationPower() {
		return 0, refuse(fengqiao.ECodeTierSkip, "%s is a %s: it has no mediation power", to, chain[i].Tier)
	}
	return i, nil
}

// covers reports whether node is at or above chain[idx] in the chain (a grant there covers the handling
// node's subtree, DESIGN.md §4).
func covers(chain []fengqiao.ChainNode, idx int, node string) bool {
	i := chainIndex(chain, node)
	return i >= 0 && i <= idx
}

func chainIndex(chain []fengqiao.ChainNode, code string) int {
	for i, n := range chain {
		if n.Code == code {
			return i
		}
	}
	return -1
}

// SecondVisitBreach reports whether the visits break "at most one visit" (最多跑一次, rule 3): a second
// in-person visit on the same matter.
func SecondVisitBreach(visits []Visit) bool {
	n := 0
	for _, v := range visits {
		if v.Channel.InPerson() {
			n++
		}
	}
	return n >= 2
}

// AgreementEffective checks an agreement's form: a written agreement takes effect when signed by all
// parties (PML 29); an oral agreement takes effect when reached (PML 28, 30).
func AgreementEffective(a AgreementArgs) error {
	if strings.TrimSpace(a.Terms) == "" {
		return invalid("terms", "is required (PML 29)")
	}
	switch a.Form {
	case "written":
		if !a.SignedByAll {
			return refuse(fengqiao.ECodeNotAllowed, "a written agreement takes effect only when signed by all parties (PML 29)")
		}
	case "oral":
	default:
		return invalid("form", "must be written or oral (PML 28)")
	}
	return nil
}

// ConfirmationWindowOpen reports whether the parties may still apply for judicial confirmation: jointly,
// within 30 days of the agreement taking effect (PML 33).
func ConfirmationWindowOpen(now, applyBy time.Time) bool { return !now.After(applyBy) }

// ArbitrationFits reports whether arbitration confirmation is an alternative for the category: labour
// disputes (劳动争议调解仲裁法 arts. 14-16).
func ArbitrationFits(category string) bool { return category == "labour" || category == "wage_arrears" }

// Unsatisfied reports whether a rating reopens the case (rule 8): 1 or 2 of 5.
func Unsatisfied(score int) bool { return score <= 2 }

// LawfulChannels are the channels a petition is referred to when it belongs to litigation, arbitration
// or administrative procedures (诉访分离, XGTL 31(一)-(四); rule 6), or is an accusation for the
// discipline organs (检举控告, XGTL 22, 30).
var LawfulChannels = []string{"litigation", "arbitration", "administrative_review", "party_appeal", "discipline", "other"}

func lawfulChannel(c string) bool {
	for _, v := range LawfulChannels {
		if v == c {
			return true
		}
	}
	return false
}

// AnswerDecisions are the three written answers of XGTL 32: support, explain, not support.
var AnswerDecisions = []string{"support", "explain", "not_support"}

func answerDecision(d string) bool {
	for _, v := range AnswerDecisions {
		if v == d {
			return true
		}
	}
	return false
}

// The two review levels of a petition: 复查 at the next level up (XGTL 35), 复核 at the level above
// that (XGTL 36); after 复核 the matter is final.
const (
	LevelReexamine = "复查"
	LevelReview    = "复核"
)
