package cases

import (
	"fengqiao"
)

// riskKind selects which open risk an action applies to; empty: every open risk of the case.
var riskKind = Field{Name: "kind", Type: "select", Options: append([]Option{{"", "risk.all"}}, options("risk.", riskKinds()...)...)}

func riskKinds() []string {
	out := make([]string, len(fengqiao.RiskKinds))
	for i, k := range fengqiao.RiskKinds {
		out[i] = string(k)
	}
	return out
}
