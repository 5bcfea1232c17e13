package routing

import (
	"fmt"
	"slices"

	"fengqiao"
	"fengqiao/deadline"
)

// Input is what a route is resolved from.
type Input struct {
	// Rules is the routing table in force (deadline.Policy.RoutingTable).
	Rules []deadline.RouteRule
	// Kind, Category, Channel and Parties (the number of parties) describe the new case.
	Kind     fengqiao.Kind
	Category string
	Channel  fengqiao.Channel
	Parties  int
	// Chain is the location's chain of ancestors, root first, the location last.
	Chain []fengqiao.ChainNode
	// Receiving is the chain of the node that received the case (first contact), root first; nil means
	// the location received it.
	Receiving []fengqiao.ChainNode
	// Bodies are the bodies seated on either chain (store.DB.BodiesAt), in any order.
	Bodies []fengqiao.Body
}

// Resolve returns the route of the first rule that matches the case and finds a body. A rule that
// finds no body falls through to the next. When none routes the case the error is a validation error
// naming the field to change: "category" when no rule takes the case at all, "location" when rules
// take it but no body of theirs covers the location.
func Resolve(in Input) (fengqiao.Route, error) {
	matched := false
	for i, r := range in.Rules {
		if !r.Match.Matches(in.Kind, in.Category, in.Channel, in.Parties) {
			continue
		}
		matched = true
		b, node, ok := find(in, r.To)
		if !ok {
			continue
		}
		route := fengqiao.Route{Rule: i, RuleText: r.String(), Body: b.Ref(), Tier: node.Tier}
		if r.Then != nil {
			route.Then = r.Then.Type
		}
		return route, nil
	}
	if !matched {
		return fengqiao.Route{}, fieldError("category",
			fmt.Sprintf("no rule of the routing table takes a %s of category %s", in.Kind, in.Category))
	}
	loc := ""
	if len(in.Chain) > 0 {
		loc = in.Chain[len(in.Chain)-1].Code
	}
	return fengqiao.Route{}, fieldError("location",
		fmt.Sprintf("no body the routing table names for a %s of category %s covers %s", in.Kind, in.Category, loc))
}

func fieldError(field, msg string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: field + ": " + msg,
		Fields: []fengqiao.FieldError{{Field: field, Message: msg}}}
}

// find looks for the target's body: at the lowest tier of the location's chain that has one, at a named
// tier of it, or at the nearest node at or above the receiving node that also covers the location.
func find(in Input, to deadline.RouteTarget) (fengqiao.Body, fengqiao.ChainNode, bool) {
	switch to.Tier {
	case deadline.RouteLowest:
		for i := len(in.Chain) - 1; i >= 0; i-- {
			n := in.Chain[i]
			if !n.Tier.HasMediationPower() {
				continue // a grid makes first contact only
			}
			if b, ok := At(n, in.Bodies, to.Type, to.Field); ok {
				return b, n, true
			}
		}
	case deadline.RouteReceiving:
		recv := in.Receiving
		if len(recv) == 0 {
			recv = in.Chain
		}
		for i := len(recv) - 1; i >= 0; i-- {
			n := recv[i]
			if !onChain(in.Chain, n.Code) {
				continue // a body outside the location's chain has no jurisdiction over the matter
			}
			if b, ok := At(n, in.Bodies, to.Type, to.Field); ok {
				return b, n, true
			}
		}
	default:
		for _, n := range in.Chain {
			if string(n.Tier) != to.Tier {
				continue
			}
			if b, ok := At(n, in.Bodies, to.Type, to.Field); ok {
				return b, n, true
			}
		}
	}
	return fengqiao.Body{}, fengqiao.ChainNode{}, false
}

func onChain(chain []fengqiao.ChainNode, code string) bool {
	return slices.ContainsFunc(chain, func(n fengqiao.ChainNode) bool { return n.Code == code })
}

// At returns the body of type typ (competent for field, when one is named) seated at node n: a body
// that lists the field before one that takes any, then by code. A node with mediation power that has no
// explicit committee acts as its own committee (Implicit).
func At(n fengqiao.ChainNode, bodies []fengqiao.Body, typ fengqiao.BodyType, field string) (fengqiao.Body, bool) {
	var general *fengqiao.Body
	var best *fengqiao.Body
	for i := range bodies {
		b := &bodies[i]
		if b.Node != n.Code || b.Type != typ || !b.HasField(field) {
			continue
		}
		if field != "" && slices.Contains(b.Fields, field) {
			if best == nil || b.Code < best.Code {
				best = b
			}
		} else if general == nil || b.Code < general.Code {
			general = b
		}
	}
	switch {
	case best != nil:
		return *best, true
	case general != nil:
		return *general, true
	case typ == fengqiao.BodyCommittee && n.Tier.HasMediationPower():
		return Implicit(n), true
	}
	return fengqiao.Body{}, false
}

// Implicit is the committee a node without an explicit one acts as (DESIGN.md §1): never stored, its
// code is the node's.
func Implicit(n fengqiao.ChainNode) fengqiao.Body {
	return fengqiao.Body{Code: n.Code, Name: n.Name + "人民调解委员会", Type: fengqiao.BodyCommittee, Node: n.Code,
		NodePath: n.Path, Implicit: true}
}

// LadderBody is the body that mediates at node n on the dispute ladder: at a county or a city its centre
// (矛调中心) when it has one, else its committee; at a township or a village its committee, explicit or
// implicit. A node without mediation power (a grid) has none.
func LadderBody(n fengqiao.ChainNode, bodies []fengqiao.Body) (fengqiao.Body, bool) {
	if !n.Tier.HasMediationPower() {
		return fengqiao.Body{}, false
	}
	if n.Tier == fengqiao.TierCounty || n.Tier == fengqiao.TierCity {
		if b, ok := At(n, bodies, fengqiao.BodyCenter, ""); ok {
			return b, true
		}
	}
	return At(n, bodies, fengqiao.BodyCommittee, "")
}

// Ladder returns a copy of chain with each node's ladder body (ChainNode.Body) filled in.
func Ladder(chain []fengqiao.ChainNode, bodies []fengqiao.Body) []fengqiao.ChainNode {
	out := make([]fengqiao.ChainNode, len(chain))
	for i, n := range chain {
		n.Body = nil
		if b, ok := LadderBody(n, bodies); ok {
			ref := b.Ref()
			n.Body = &ref
		}
		out[i] = n
	}
	return out
}
