package workflows_test

import (
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/workflows"
)

// routedChain is testChain with the dispute ladder's bodies: the village's explicit committee, the
// township acting as its own committee, the county centre, the city's own committee; a grid has none.
func routedChain() []fengqiao.ChainNode {
	chain := append([]fengqiao.ChainNode(nil), testChain...)
	bodies := []*fengqiao.BodyRef{
		{Code: city, Name: "宁波市人民调解委员会", Type: fengqiao.BodyCommittee, Node: city},
		{Code: "hs-center", Name: "海曙区社会矛盾纠纷调处化解中心", Type: fengqiao.BodyCenter, Node: county},
		{Code: township, Name: "鼓楼街道人民调解委员会", Type: fengqiao.BodyCommittee, Node: township},
		{Code: "mq-twh", Name: "某社区人民调解委员会", Type: fengqiao.BodyCommittee, Node: village},
		nil,
	}
	for i := range chain {
		chain[i].Body = bodies[i]
	}
	return chain
}

var ytw = fengqiao.BodyRef{Code: "hs-ytw", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: county}

func TestRoutedCaseStartsAtItsBodysSeatWithThatBodyHandling(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.Category, in.Chain = "medical", routedChain()
	in.Route = &fengqiao.Route{Rule: 0, RuleText: "{match: {kind: dispute, category: medical}, to: {type: professional, field: medical, tier: lowest}}",
		Body: ytw, Tier: fengqiao.TierCounty}
	h.at(time.Minute, h.check(func(v view) {
		if v.HandlingNode != county || v.Tier != fengqiao.TierCounty {
			t.Errorf("handling node %s (%s), want the 医调委's seat %s", v.HandlingNode, v.Tier, county)
		}
		if v.HandlingBody == nil || *v.HandlingBody != ytw {
			t.Errorf("handling body %+v, want %+v", v.HandlingBody, ytw)
		}
		if v.Route == nil || v.Route.Rule != 0 || v.CoBodies == nil {
			t.Errorf("route %+v co-bodies %v", v.Route, v.CoBodies)
		}
	}))
	h.run(in, time.Hour)
	if !h.projected(func(p activities.Projection) bool {
		return p.Case.HandlingBody == "hs-ytw" && p.Case.HandlingBodyName == ytw.Name && p.Case.HandlingBodyType == "professional" &&
			p.Case.HandlingNode == county
	}) {
		t.Error("the projection never carried the handling body")
	}
	var routed *activities.Event
	for _, p := range h.proj {
		for i, e := range p.Events {
			if e.Type == "routed" {
				routed = &p.Events[i]
			}
		}
	}
	if routed == nil || routed.Detail != "" || routed.Args["body"] != "hs-ytw" || routed.Args["body_name"] != ytw.Name ||
		routed.Args["tier"] != "county" || routed.Args["rule"] != "0" {
		t.Errorf("routed event %+v, want its facts as arguments and no sentence", routed)
	}
}

func TestRoutedCaseClimbsTheBodyLadderOneTierAtATimeAndIsSentBack(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.Chain = routedChain()
	in.Route = &fengqiao.Route{Rule: 3, RuleText: "{match: {kind: dispute}, to: {type: committee, tier: lowest}}",
		Body: *in.Chain[3].Body, Tier: fengqiao.TierVillage}
	body := func(code string, typ fengqiao.BodyType, node string) func() {
		return h.check(func(v view) {
			if v.HandlingBody == nil || v.HandlingBody.Code != code || v.HandlingBody.Type != typ || v.HandlingNode != node {
				t.Errorf("handling body %+v at %s, want %s (%s) at %s", v.HandlingBody, v.HandlingNode, code, typ, node)
			}
		})
	}
	h.at(time.Minute,
		body("mq-twh", fengqiao.BodyCommittee, village),
		h.ok(workflows.UpdateAssign, villageSup, workflows.AssignArgs{Mediator: villageMed.Username}),
		h.ok(workflows.UpdateAccept, villageMed, workflows.NoArgs{}),
		h.ok(workflows.UpdateSession, villageMed, workflows.SessionArgs{Notes: "no", Outcome: "failed"}),
		h.ok(workflows.UpdateEscalate, villageMed, workflows.ReasonArgs{Reason: "调解不成"}),
		body(township, fengqiao.BodyCommittee, township),
		h.refused(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "越级", To: city}, fengqiao.ECodeTierSkip),
		h.ok(workflows.UpdateEscalate, countySup, workflows.ReasonArgs{Reason: "重大风险", To: county}),
		body("hs-center", fengqiao.BodyCenter, county),
		h.ok(workflows.UpdateReturn, countySup, workflows.ReturnArgs{To: village, Reason: "属地化解"}),
		body("mq-twh", fengqiao.BodyCommittee, village),
	)
	h.run(in, time.Hour)
	var esc *activities.Event
	for _, p := range h.proj {
		for i, e := range p.Events {
			if e.Type == "escalated" && e.Args["body"] == "hs-center" {
				esc = &p.Events[i]
			}
		}
	}
	if esc == nil || esc.Args["from_body"] != township || esc.Detail != "重大风险" || esc.Args["tier"] != "county" {
		t.Errorf("escalation to the centre %+v, want its bodies as arguments and the reason as written", esc)
	}
}

func TestUnroutedCaseKeepsNoHandlingBody(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute, h.check(func(v view) {
		if v.HandlingBody != nil || v.Route != nil || v.HandlingNode != village {
			t.Errorf("a start without a route: body %+v route %+v node %s, want none at the village", v.HandlingBody, v.Route, v.HandlingNode)
		}
	}))
	h.run(dispute(), time.Hour)
}
