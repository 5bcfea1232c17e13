package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/policy"
	"fengqiao/routing"
	"fengqiao/store"
	"fengqiao/workflows"
)

// routeCase resolves where a new case goes with the routing table of the policy in force (DESIGN.md §2):
// the route, and the location's chain with the body that mediates at each node on the dispute ladder.
// receiving is the node (or body) that received the case; "" or the global grant means the location.
//
// A nil route with no error keeps the case on the geographic ladder it always had: that happens only
// when the table routes nothing and no body at all is seated on either chain — a plain tree, on which a
// petition has no petition office to go to and is handled as before bodies existed. Once bodies are
// kept, a case the table cannot route is refused naming location or category.
func (s *Service) routeCase(ctx context.Context, kind fengqiao.Kind, category string, channel fengqiao.Channel, parties int,
	chain []fengqiao.ChainNode, receiving string) (*fengqiao.Route, []fengqiao.ChainNode, error) {
	recv, err := s.receivingChain(ctx, receiving)
	if err != nil {
		return nil, nil, err
	}
	codes := make([]string, 0, len(chain)+len(recv))
	for _, n := range append(append([]fengqiao.ChainNode{}, chain...), recv...) {
		if !slices.Contains(codes, n.Code) {
			codes = append(codes, n.Code)
		}
	}
	bodies, err := s.DB.BodiesAt(ctx, codes)
	if err != nil {
		return nil, nil, fmt.Errorf("cases: routing: %w", err)
	}
	route, err := routing.Resolve(routing.Input{Rules: s.Policy.RoutingTable(), Kind: kind, Category: category,
		Channel: channel, Parties: parties, Chain: chain, Receiving: recv, Bodies: bodies})
	if err != nil {
		if len(bodies) == 0 && fengqiao.ErrorCode(err) == fengqiao.ECodeInvalid {
			return nil, chain, nil // a plain tree: as before bodies (see above)
		}
		if kind == fengqiao.KindPetition && fengqiao.ErrorCode(err) == fengqiao.ECodeInvalid {
			// No petition office kept on the receiving chain: the receiving level registers the petition
			// itself (its nearest township-or-higher node acts as its office, see the petition track),
			// since every level's government must take in petitions (XGTL 22); never refused at the window.
			return nil, routing.Ladder(chain, bodies), nil
		}
		return nil, nil, err
	}
	return &route, routing.Ladder(chain, bodies), nil
}

// receivingChain is the chain of the node that received a case: a node's own, or a body's seat's; nil
// for the global grant or an unknown code (the location then counts as the receiving node).
func (s *Service) receivingChain(ctx context.Context, receiving string) ([]fengqiao.ChainNode, error) {
	if receiving == "" || receiving == policy.Global {
		return nil, nil
	}
	recv, err := activities.ResolveChain(ctx, s.DB, receiving)
	if errors.Is(err, store.ErrNotFound) {
		b, berr := s.DB.Body(ctx, receiving)
		if berr != nil {
			return nil, nil //nolint:nilerr // a grant at an unknown code: receive at the location
		}
		recv, err = activities.ResolveChain(ctx, s.DB, b.Node)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cases: receiving node %s: %w", receiving, err)
	}
	return recv, nil
}

// RoutePreview is what GET /api/v1/routing/preview answers: the body and tier a new case would go to and
// the rule that chose it (Rule -1: a plain tree without bodies, the lowest tier with mediation power).
type RoutePreview = fengqiao.Route

// PreviewRoute answers where a new case of kind and category located at location would go if user opened
// it now (DESIGN.md §2): the same routing as an intake, received at the node of the grant user would
// open it under. Anyone who may open a case there may ask. A case nobody can take is the intake's 422
// naming location or category.
func (s *Service) PreviewRoute(ctx context.Context, user string, kind fengqiao.Kind, category, location string, channel fengqiao.Channel, parties int) (RoutePreview, error) {
	var v fengqiao.Validation
	v.Check(kind.Valid() || kind == fengqiao.KindCourtReferral, "kind", "must be dispute, petition or court_referral")
	checkPreview(&v, category, location, channel, parties)
	if err := v.Err(); err != nil {
		return RoutePreview{}, err
	}
	if kind == fengqiao.KindCourtReferral {
		return s.PreviewReferral(ctx, user, "", category, location, channel, parties)
	}
	d, err := s.Authz.CanOnCase(user, policy.ActionCaseOpen, policy.CaseRef{Location: location})
	if err != nil {
		return RoutePreview{}, err
	}
	if !d.Allowed {
		if _, known := s.Authz.PathOf(location); !known {
			return RoutePreview{}, noLocation(location)
		}
		return RoutePreview{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow intake at this location")
	}
	return s.preview(ctx, actorFor(s.Authz, user, policy.ActionCaseOpen, location), kind, category, location, channel, parties)
}

// checkPreview checks what both previews ask besides the kind.
func checkPreview(v *fengqiao.Validation, category, location string, channel fengqiao.Channel, parties int) {
	v.Check(fengqiao.ValidCategory(category), "category", "is not a known category")
	v.Check(fengqiao.ValidNodeCode(location), "location", "must be a jurisdiction code")
	v.Check(channel == "" || channel.Valid(), "channel", "must be one of visit, letter, phone, online, patrol, referral")
	v.Check(parties >= 0, "parties", "must not be negative")
}

// PreviewReferral is PreviewRoute for a court referral (委派调解): a court officer asks where a dispute
// their court entrusts would go, received at that court as the referral is (court "" is the first court
// user is an officer of, ReferralCourts). Only an officer of the court may ask; the location may lie
// anywhere, as the referral's may.
func (s *Service) PreviewReferral(ctx context.Context, user, court, category, location string, channel fengqiao.Channel, parties int) (RoutePreview, error) {
	var v fengqiao.Validation
	checkPreview(&v, category, location, channel, parties)
	if err := v.Err(); err != nil {
		return RoutePreview{}, err
	}
	if court == "" {
		courts, err := s.ReferralCourts(ctx, user)
		if err != nil {
			return RoutePreview{}, err
		}
		if len(courts) == 0 {
			return RoutePreview{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "only a court officer entrusts a dispute to mediation")
		}
		court = courts[0].Code
	}
	ok, err := s.Authz.Can(user, policy.ActionCaseRefer, court)
	if err != nil {
		return RoutePreview{}, err
	}
	if !ok {
		return RoutePreview{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "only an officer of the court %s may entrust a dispute to mediation for it", court)
	}
	if _, known := s.Authz.PathOf(location); !known {
		return RoutePreview{}, noLocation(location)
	}
	return s.preview(ctx, actorFor(s.Authz, user, policy.ActionCaseRefer, court), fengqiao.KindCourtReferral, category, location,
		fengqiao.ChannelReferral, parties)
}

// preview routes a new case received by actor (PreviewRoute, PreviewReferral).
func (s *Service) preview(ctx context.Context, actor Actor, kind fengqiao.Kind, category, location string, channel fengqiao.Channel, parties int) (RoutePreview, error) {
	chain, err := activities.ResolveChain(ctx, s.DB, location)
	if errors.Is(err, store.ErrNotFound) {
		return RoutePreview{}, noLocation(location)
	}
	if err != nil {
		return RoutePreview{}, fmt.Errorf("cases: location: %w", err)
	}
	idx, ok := workflows.LowestMediationTier(chain)
	if !ok {
		return RoutePreview{}, &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no tier with mediation power covers it",
			Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("location", "no village, township, county or city covers %s", location)}}
	}
	route, _, err := s.routeCase(ctx, kind, category, channel, parties, chain, actor.Node)
	if err != nil {
		return RoutePreview{}, err
	}
	if route == nil {
		b := routing.Implicit(chain[idx])
		return RoutePreview{Rule: -1, Body: b.Ref(), Tier: chain[idx].Tier}, nil
	}
	return *route, nil
}

func noLocation(location string) error {
	return &fengqiao.Error{Code: fengqiao.ECodeInvalid, Message: "location: no such jurisdiction",
		Fields: []fengqiao.FieldError{fengqiao.FieldErrorf("location", "no such jurisdiction %s", location)}}
}
