package deadline

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// RiskPolicy holds the thresholds of the risk rules (DESIGN §3 rule 9, API.md "Policy": `risk:`).
type RiskPolicy struct {
	// GroupSize is the number of people from which a matter is a group matter (群体性).
	GroupSize int `json:"group_size" yaml:"group_size"`
	// RepeatVisits is the number of repeat visits on one matter (after the first) that raises a repeat
	// risk (重复访).
	RepeatVisits int `json:"repeat_visits" yaml:"repeat_visits"`
	// Stale is how long a case may stay open before it is a backlog case (积案).
	Stale Duration `json:"stale" yaml:"stale"`
	// LeaderReport is how often a leader who took a case (领导包案) reports progress.
	LeaderReport Duration `json:"leader_report" yaml:"leader_report"`
}

// DefaultRiskPolicy returns the thresholds of API.md: 5 people, 3 repeat visits, 90 days open; a leader
// reports progress on a case they took every 15 days. No statute sets these: they are Fengqiao policy
// (除险保安, 风险预警).
func DefaultRiskPolicy() RiskPolicy {
	return RiskPolicy{GroupSize: 5, RepeatVisits: 3, Stale: Days(90), LeaderReport: Days(15)}
}

// Risks returns the risk thresholds in force: the policy's own, or the defaults for a policy that set
// none (every policy recorded before the risk rules existed).
func (p Policy) Risks() RiskPolicy {
	if p.Risk == nil {
		return DefaultRiskPolicy()
	}
	return *p.Risk
}

// fingerprintRisk writes the risk thresholds into a fingerprint only when they differ from the
// defaults, so that every policy written before the risk rules keeps its version.
func (p Policy) fingerprintRisk() string {
	if p.Risk == nil || *p.Risk == DefaultRiskPolicy() {
		return ""
	}
	r := *p.Risk
	return fmt.Sprintf("risk=%d/%d/%s/%s\n", r.GroupSize, r.RepeatVisits, r.Stale, r.LeaderReport)
}

// validateRisk reports what is wrong with the risk thresholds.
func (r RiskPolicy) validate() error {
	if r.GroupSize < 2 {
		return fmt.Errorf("risk.group_size: %d is below 2", r.GroupSize)
	}
	if r.RepeatVisits < 1 {
		return fmt.Errorf("risk.repeat_visits: %d is below 1", r.RepeatVisits)
	}
	if err := r.Stale.Validate(); err != nil {
		return fmt.Errorf("risk.stale: %w", err)
	}
	if err := r.LeaderReport.Validate(); err != nil {
		return fmt.Errorf("risk.leader_report: %w", err)
	}
	return nil
}

// parseRisk reads the `risk:` section; keys left out keep their default.
func parseRisk(n *yaml.Node) (*RiskPolicy, error) {
	r := DefaultRiskPolicy()
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return &r, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("risk: line %d: want a mapping of keys to values", n.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := "risk." + k.Value
		if seen[key] {
			return nil, fmt.Errorf("%s: duplicate key", key)
		}
		seen[key] = true
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s: line %d: want a value", key, k.Line)
		}
		switch k.Value {
		case "group_size", "repeat_visits":
			x, err := strconv.Atoi(v.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a whole number", key, v.Value)
			}
			if k.Value == "group_size" {
				r.GroupSize = x
			} else {
				r.RepeatVisits = x
			}
		case "stale", "leader_report":
			d, err := ParseDuration(v.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			if k.Value == "stale" {
				r.Stale = d
			} else {
				r.LeaderReport = d
			}
		default:
			return nil, fmt.Errorf("%s: unknown key (known here: group_size, repeat_visits, stale, leader_report)", key)
		}
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	return &r, nil
}
