package deadline

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"fengqiao"
)

// RouteRule is one rule of the routing table (DESIGN.md §2 "Routing is a table", API.md "Policy"
// `routing:`): what a new case must be to match, and which body takes it at which tier. The first rule
// that matches and finds a body wins; a rule that finds no body falls through to the next.
type RouteRule struct {
	Match RouteMatch  `json:"match" yaml:"match"`
	To    RouteTarget `json:"to" yaml:"to"`
	// Then names the body type a failure goes on to (a failed labour mediation goes to arbitration,
	// 劳动争议调解仲裁法 14-16); nil when none.
	Then *RouteThen `json:"then,omitempty" yaml:"then"`
}

// RouteMatch is what a rule matches; an empty field matches anything.
type RouteMatch struct {
	Kind fengqiao.Kind `json:"kind,omitempty" yaml:"kind"`
	// Categories are the categories the rule takes (`category:` in the file, one name or a list).
	Categories []string         `json:"category,omitempty" yaml:"category"`
	Channel    fengqiao.Channel `json:"channel,omitempty" yaml:"channel"`
	// Parties is the least number of parties (0: any).
	Parties int `json:"parties,omitempty" yaml:"parties"`
}

// RouteTarget is the body a rule sends a case to.
type RouteTarget struct {
	Type fengqiao.BodyType `json:"type" yaml:"type"`
	// Field narrows the type to bodies competent for a field (a professional committee's "medical").
	Field string `json:"field,omitempty" yaml:"field"`
	// Tier is where on the chain the body is looked for: lowest (the lowest tier of the location's chain
	// that has such a body), receiving (the nearest such body at or above the node that received the
	// case), or a tier name (village, township, county, city).
	Tier string `json:"tier" yaml:"tier"`
}

// RouteThen is where a case goes after the handling body's mediation fails.
type RouteThen struct {
	Type fengqiao.BodyType `json:"type" yaml:"type"`
}

// The routing tiers besides the tier names.
const (
	RouteLowest    = "lowest"
	RouteReceiving = "receiving"
)

// RouteTiers lists the values `to.tier` may take.
func RouteTiers() []string {
	return []string{RouteLowest, RouteReceiving, string(fengqiao.TierVillage), string(fengqiao.TierTownship),
		string(fengqiao.TierCounty), string(fengqiao.TierCity)}
}

// DefaultRouting is the built-in table of API.md "Policy": medical and traffic disputes to their
// professional committees at the lowest tier that has one, labour disputes (wage arrears included: Ningbo
// counts 欠薪 as a labour dispute, and 劳动争议调解仲裁法 2(四) lists 劳动报酬 among labour disputes) to the
// township committee and then arbitration, any other dispute and a court referral to the lowest
// committee, a petition to the petition office of the receiving level.
func DefaultRouting() []RouteRule {
	return []RouteRule{
		{Match: RouteMatch{Kind: fengqiao.KindDispute, Categories: []string{"medical"}},
			To: RouteTarget{Type: fengqiao.BodyProfessional, Field: "medical", Tier: RouteLowest}},
		{Match: RouteMatch{Kind: fengqiao.KindDispute, Categories: []string{"traffic"}},
			To: RouteTarget{Type: fengqiao.BodyProfessional, Field: "traffic", Tier: RouteLowest}},
		{Match: RouteMatch{Kind: fengqiao.KindDispute, Categories: []string{"labour", "wage_arrears"}},
			To:   RouteTarget{Type: fengqiao.BodyCommittee, Tier: string(fengqiao.TierTownship)},
			Then: &RouteThen{Type: fengqiao.BodyArbitration}},
		{Match: RouteMatch{Kind: fengqiao.KindDispute}, To: RouteTarget{Type: fengqiao.BodyCommittee, Tier: RouteLowest}},
		{Match: RouteMatch{Kind: fengqiao.KindCourtReferral}, To: RouteTarget{Type: fengqiao.BodyCommittee, Tier: RouteLowest}},
		{Match: RouteMatch{Kind: fengqiao.KindPetition}, To: RouteTarget{Type: fengqiao.BodyPetitionOffice, Tier: RouteReceiving}},
	}
}

// RoutingTable is the routing table in force: the policy's own, or DefaultRouting for a policy that
// names none (every policy written before the table existed).
func (p Policy) RoutingTable() []RouteRule {
	if p.Routing == nil {
		return DefaultRouting()
	}
	return p.Routing
}

// Matches reports whether a new case of kind, category and channel with parties parties matches the
// rule.
func (m RouteMatch) Matches(kind fengqiao.Kind, category string, channel fengqiao.Channel, parties int) bool {
	if m.Kind != "" && m.Kind != kind {
		return false
	}
	if len(m.Categories) > 0 && !slices.Contains(m.Categories, category) {
		return false
	}
	if m.Channel != "" && m.Channel != channel {
		return false
	}
	return parties >= m.Parties
}

// String is the rule as it is written in the policy file (flow style), for the preview and the timeline.
func (r RouteRule) String() string {
	var m []string
	if r.Match.Kind != "" {
		m = append(m, "kind: "+string(r.Match.Kind))
	}
	switch len(r.Match.Categories) {
	case 0:
	case 1:
		m = append(m, "category: "+r.Match.Categories[0])
	default:
		m = append(m, "category: ["+strings.Join(r.Match.Categories, ", ")+"]")
	}
	if r.Match.Channel != "" {
		m = append(m, "channel: "+string(r.Match.Channel))
	}
	if r.Match.Parties > 0 {
		m = append(m, "parties: "+strconv.Itoa(r.Match.Parties))
	}
	to := []string{"type: " + string(r.To.Type)}
	if r.To.Field != "" {
		to = append(to, "field: "+r.To.Field)
	}
	to = append(to, "tier: "+r.To.Tier)
	s := "{match: {" + strings.Join(m, ", ") + "}, to: {" + strings.Join(to, ", ") + "}"
	if r.Then != nil {
		s += ", then: {type: " + string(r.Then.Type) + "}"
	}
	return s + "}"
}

// validateRouting reports every problem of a routing table, each naming its field ("routing[2].to.type").
func validateRouting(rules []RouteRule) error {
	if rules == nil {
		return nil
	}
	if len(rules) == 0 {
		return errors.New("routing: an empty table routes nothing (leave the key out for the built-in table)")
	}
	var errs []error
	for i, r := range rules {
		f := fmt.Sprintf("routing[%d].", i)
		if r.Match.Kind != "" && !slices.Contains([]fengqiao.Kind{fengqiao.KindDispute, fengqiao.KindPetition, fengqiao.KindCourtReferral}, r.Match.Kind) {
			errs = append(errs, fmt.Errorf("%smatch.kind: %q is not dispute, petition or court_referral", f, r.Match.Kind))
		}
		for j, c := range r.Match.Categories {
			if !fengqiao.ValidCategory(c) {
				errs = append(errs, fmt.Errorf("%smatch.category[%d]: %q is not a known category", f, j, c))
			}
		}
		if r.Match.Channel != "" && !r.Match.Channel.Valid() {
			errs = append(errs, fmt.Errorf("%smatch.channel: %q is not a known channel", f, r.Match.Channel))
		}
		if r.Match.Parties < 0 {
			errs = append(errs, fmt.Errorf("%smatch.parties: %d is negative", f, r.Match.Parties))
		}
		if !r.To.Type.Valid() {
			errs = append(errs, fmt.Errorf("%sto.type: %q is not a body type (want one of %s)", f, r.To.Type, bodyTypeNames()))
		}
		if r.To.Field != "" && !fengqiao.ValidCategory(r.To.Field) {
			errs = append(errs, fmt.Errorf("%sto.field: %q is not a known category", f, r.To.Field))
		}
		if !slices.Contains(RouteTiers(), r.To.Tier) {
			errs = append(errs, fmt.Errorf("%sto.tier: %q is not one of %s", f, r.To.Tier, strings.Join(RouteTiers(), ", ")))
		}
		if r.Then != nil && !r.Then.Type.Valid() {
			errs = append(errs, fmt.Errorf("%sthen.type: %q is not a body type (want one of %s)", f, r.Then.Type, bodyTypeNames()))
		}
	}
	return errors.Join(errs...)
}

func bodyTypeNames() string {
	names := make([]string, len(fengqiao.BodyTypes))
	for i, t := range fengqiao.BodyTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// fingerprintRouting writes the routing table into a fingerprint only when the policy names one, so
// that every policy written before the table keeps its version.
func (p Policy) fingerprintRouting() string {
	if p.Routing == nil {
		return ""
	}
	var b strings.Builder
	for _, r := range p.Routing {
		fmt.Fprintf(&b, "route=%s\n", r)
	}
	return b.String()
}

// parseRouting reads the `routing:` key: a list of rules, each a mapping of match, to and then. Every
// error names its field, e.g. "routing[2].to.type: ...". null keeps the built-in table.
func parseRouting(n *yaml.Node) ([]RouteRule, error) {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("routing: line %d: want a list of rules", n.Line)
	}
	rules := make([]RouteRule, 0, len(n.Content))
	for i, rn := range n.Content {
		f := fmt.Sprintf("routing[%d]", i)
		var r RouteRule
		err := eachKey(resolve(rn), f, func(key string, v *yaml.Node) error {
			switch key {
			case "match":
				return eachKey(v, f+".match", func(k string, v *yaml.Node) error {
					switch k {
					case "kind":
						s, err := scalar(v, f+".match.kind")
						r.Match.Kind = fengqiao.Kind(s)
						return err
					case "category":
						cs, err := scalars(v, f+".match.category")
						r.Match.Categories = cs
						return err
					case "channel":
						s, err := scalar(v, f+".match.channel")
						r.Match.Channel = fengqiao.Channel(s)
						return err
					case "parties":
						s, err := scalar(v, f+".match.parties")
						if err != nil {
							return err
						}
						n, err := strconv.Atoi(s)
						if err != nil {
							return fmt.Errorf("%s.match.parties: %q is not a whole number", f, s)
						}
						r.Match.Parties = n
						return nil
					}
					return fmt.Errorf("%s.match.%s: unknown key (known here: kind, category, channel, parties)", f, k)
				})
			case "to":
				return eachKey(v, f+".to", func(k string, v *yaml.Node) error {
					s, err := scalar(v, f+".to."+k)
					if err != nil {
						return err
					}
					switch k {
					case "type":
						r.To.Type = fengqiao.BodyType(s)
					case "field":
						r.To.Field = s
					case "tier":
						r.To.Tier = s
					default:
						return fmt.Errorf("%s.to.%s: unknown key (known here: type, field, tier)", f, k)
					}
					return nil
				})
			case "then":
				r.Then = &RouteThen{}
				return eachKey(v, f+".then", func(k string, v *yaml.Node) error {
					if k != "type" {
						return fmt.Errorf("%s.then.%s: unknown key (known here: type)", f, k)
					}
					s, err := scalar(v, f+".then.type")
					r.Then.Type = fengqiao.BodyType(s)
					return err
				})
			}
			return fmt.Errorf("%s.%s: unknown key (known here: match, to, then)", f, key)
		})
		if err != nil {
			return nil, err
		}
		if r.To.Type == "" {
			return nil, fmt.Errorf("%s.to.type: is required", f)
		}
		if r.To.Tier == "" {
			return nil, fmt.Errorf("%s.to.tier: is required", f)
		}
		rules = append(rules, r)
	}
	if err := validateRouting(rules); err != nil {
		return nil, err
	}
	return rules, nil
}

// eachKey calls fn for each key of the mapping n (where names it in errors); a repeated key is an error.
func eachKey(n *yaml.Node, where string, fn func(key string, v *yaml.Node) error) error {
	if n == nil || n.Kind != yaml.MappingNode {
		line := 0
		if n != nil {
			line = n.Line
		}
		return fmt.Errorf("%s: line %d: want a mapping of keys to values", where, line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s: line %d: a key must be a plain name", where, n.Content[i].Line)
		}
		if seen[k.Value] {
			return fmt.Errorf("%s.%s: duplicate key", where, k.Value)
		}
		seen[k.Value] = true
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func scalar(n *yaml.Node, where string) (string, error) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", fmt.Errorf("%s: want a value", where)
	}
	return n.Value, nil
}

// scalars reads one value or a list of values.
func scalars(n *yaml.Node, where string) ([]string, error) {
	if n != nil && n.Kind == yaml.SequenceNode {
		out := make([]string, 0, len(n.Content))
		for i, c := range n.Content {
			s, err := scalar(resolve(c), fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s: an empty list matches nothing (leave the key out to match any)", where)
		}
		return out, nil
	}
	s, err := scalar(n, where)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}
