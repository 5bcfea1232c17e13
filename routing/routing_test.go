package routing_test

import (
	"testing"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/routing"
)

// The tree: 宁波市 > 海曙区 > 鼓楼街道 (> 县前社区 > 网格一) and 西门街道 (> 孝闻社区).
var (
	city     = fengqiao.ChainNode{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity, Path: "/330200/"}
	county   = fengqiao.ChainNode{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, Path: "/330200/330203/"}
	gulou    = fengqiao.ChainNode{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, Path: "/330200/330203/330203001/"}
	xianqian = fengqiao.ChainNode{Code: "330203001001", Name: "县前社区", Tier: fengqiao.TierVillage, Path: "/330200/330203/330203001/330203001001/"}
	grid     = fengqiao.ChainNode{Code: "330203001001g1", Name: "网格一", Tier: fengqiao.TierGrid, Path: "/330200/330203/330203001/330203001001/330203001001g1/"}
	ximen    = fengqiao.ChainNode{Code: "330203002", Name: "西门街道", Tier: fengqiao.TierTownship, Path: "/330200/330203/330203002/"}
	xiaowen  = fengqiao.ChainNode{Code: "330203002001", Name: "孝闻社区", Tier: fengqiao.TierVillage, Path: "/330200/330203/330203002/330203002001/"}
)

func chain(ns ...fengqiao.ChainNode) []fengqiao.ChainNode { return ns }

var (
	ytw    = fengqiao.Body{Code: "hs-ytw", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: county.Code, Fields: []string{"medical"}}
	anyPro = fengqiao.Body{Code: "hs-aaa", Name: "海曙区行业性调解委员会", Type: fengqiao.BodyProfessional, Node: county.Code}
	jtw    = fengqiao.Body{Code: "nb-jtw", Name: "宁波市道路交通事故人民调解委员会", Type: fengqiao.BodyProfessional, Node: city.Code, Fields: []string{"traffic"}}
	center = fengqiao.Body{Code: "hs-center", Name: "海曙区社会矛盾纠纷调处化解中心", Type: fengqiao.BodyCenter, Node: county.Code}
	xfj    = fengqiao.Body{Code: "hs-xfj", Name: "海曙区信访局", Type: fengqiao.BodyPetitionOffice, Node: county.Code}
	xfb    = fengqiao.Body{Code: "gl-xfb", Name: "鼓楼街道信访办", Type: fengqiao.BodyPetitionOffice, Node: gulou.Code}
	xqtwh  = fengqiao.Body{Code: "xq-twh", Name: "县前社区人民调解委员会", Type: fengqiao.BodyCommittee, Node: xianqian.Code}
	all    = []fengqiao.Body{ytw, jtw, center, xfj, xfb, xqtwh}
)

func TestResolveFollowsTheTable(t *testing.T) {
	builtIn := deadline.DefaultRouting()
	medicalOnly := []deadline.RouteRule{builtIn[0]}
	tests := []struct {
		name      string
		rules     []deadline.RouteRule
		kind      fengqiao.Kind
		category  string
		chain     []fengqiao.ChainNode
		receiving []fengqiao.ChainNode
		bodies    []fengqiao.Body
		wantBody  string
		wantTier  fengqiao.Tier
		wantRule  int
		wantThen  fengqiao.BodyType
		implicit  bool
		wantField string // a refusal naming this field
	}{
		{name: "medical dispute goes to the lowest 医调委 covering the location, even received at a grid",
			kind: fengqiao.KindDispute, category: "medical", chain: chain(city, county, gulou, xianqian, grid), bodies: all,
			wantBody: "hs-ytw", wantTier: fengqiao.TierCounty, wantRule: 0},
		{name: "a body that lists the field is chosen before one that takes any",
			kind: fengqiao.KindDispute, category: "medical", chain: chain(city, county, gulou, xianqian), bodies: []fengqiao.Body{anyPro, ytw},
			wantBody: "hs-ytw", wantTier: fengqiao.TierCounty, wantRule: 0},
		{name: "traffic dispute goes to the 交调委 seated at an ancestor: it covers its subtree",
			kind: fengqiao.KindDispute, category: "traffic", chain: chain(city, county, ximen, xiaowen), bodies: all,
			wantBody: "nb-jtw", wantTier: fengqiao.TierCity, wantRule: 1},
		{name: "labour dispute goes to the township committee, implicit, then arbitration",
			kind: fengqiao.KindDispute, category: "labour", chain: chain(city, county, gulou, xianqian, grid), bodies: all,
			wantBody: gulou.Code, wantTier: fengqiao.TierTownship, wantRule: 2, wantThen: fengqiao.BodyArbitration, implicit: true},
		{name: "wage arrears count as labour",
			kind: fengqiao.KindDispute, category: "wage_arrears", chain: chain(city, county, ximen, xiaowen), bodies: all,
			wantBody: ximen.Code, wantTier: fengqiao.TierTownship, wantRule: 2, wantThen: fengqiao.BodyArbitration, implicit: true},
		{name: "labour dispute located above any township falls through to the lowest committee",
			kind: fengqiao.KindDispute, category: "labour", chain: chain(city, county), bodies: all,
			wantBody: county.Code, wantTier: fengqiao.TierCounty, wantRule: 3, implicit: true},
		{name: "neighbour dispute goes to the village's explicit committee",
			kind: fengqiao.KindDispute, category: "neighbour", chain: chain(city, county, gulou, xianqian, grid), bodies: all,
			wantBody: "xq-twh", wantTier: fengqiao.TierVillage, wantRule: 3},
		{name: "neighbour dispute in a village without a committee goes to the village acting as its own committee",
			kind: fengqiao.KindDispute, category: "neighbour", chain: chain(city, county, ximen, xiaowen), bodies: all,
			wantBody: xiaowen.Code, wantTier: fengqiao.TierVillage, wantRule: 3, implicit: true},
		{name: "a plain tree without bodies routes a dispute to the lowest tier with mediation power",
			kind: fengqiao.KindDispute, category: "neighbour", chain: chain(city, county, gulou, xianqian, grid),
			wantBody: xianqian.Code, wantTier: fengqiao.TierVillage, wantRule: 3, implicit: true},
		{name: "a rule that finds no body falls through: a medical dispute without a 医调委 goes to the village committee",
			kind: fengqiao.KindDispute, category: "medical", chain: chain(city, county, ximen, xiaowen), bodies: []fengqiao.Body{jtw},
			wantBody: xiaowen.Code, wantTier: fengqiao.TierVillage, wantRule: 3, implicit: true},
		{name: "court referral goes to the lowest committee",
			kind: fengqiao.KindCourtReferral, category: "debt", chain: chain(city, county, gulou, xianqian), bodies: all,
			wantBody: "xq-twh", wantTier: fengqiao.TierVillage, wantRule: 4},
		{name: "petition goes to the nearest petition office at or above the receiving window",
			kind: fengqiao.KindPetition, category: "land", chain: chain(city, county, gulou), receiving: chain(city, county, gulou, xianqian), bodies: all,
			wantBody: "gl-xfb", wantTier: fengqiao.TierTownship, wantRule: 5},
		{name: "petition received at the county window goes to the county petition office",
			kind: fengqiao.KindPetition, category: "land", chain: chain(city, county, gulou, xianqian), receiving: chain(city, county), bodies: all,
			wantBody: "hs-xfj", wantTier: fengqiao.TierCounty, wantRule: 5},
		{name: "petition received in another township goes to the office that covers the matter too",
			kind: fengqiao.KindPetition, category: "land", chain: chain(city, county, ximen, xiaowen), receiving: chain(city, county, gulou, xianqian), bodies: all,
			wantBody: "hs-xfj", wantTier: fengqiao.TierCounty, wantRule: 5},
		{name: "petition without a receiving chain is received at its location",
			kind: fengqiao.KindPetition, category: "land", chain: chain(city, county, gulou, xianqian), bodies: all,
			wantBody: "gl-xfb", wantTier: fengqiao.TierTownship, wantRule: 5},
		{name: "nothing found names the location",
			kind: fengqiao.KindPetition, category: "land", chain: chain(city, county, gulou, xianqian), bodies: []fengqiao.Body{ytw},
			wantField: "location"},
		{name: "no rule for the case names the category",
			rules: medicalOnly, kind: fengqiao.KindDispute, category: "neighbour", chain: chain(city, county, gulou, xianqian), bodies: all,
			wantField: "category"},
		{name: "first match wins: a custom rule before the built-in ones",
			rules: append([]deadline.RouteRule{{Match: deadline.RouteMatch{Kind: fengqiao.KindDispute, Categories: []string{"neighbour"}},
				To: deadline.RouteTarget{Type: fengqiao.BodyCenter, Tier: "county"}}}, builtIn...),
			kind: fengqiao.KindDispute, category: "neighbour", chain: chain(city, county, gulou, xianqian), bodies: all,
			wantBody: "hs-center", wantTier: fengqiao.TierCounty, wantRule: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := tt.rules
			if rules == nil {
				rules = builtIn
			}
			got, err := routing.Resolve(routing.Input{Rules: rules, Kind: tt.kind, Category: tt.category, Channel: fengqiao.ChannelVisit,
				Parties: 2, Chain: tt.chain, Receiving: tt.receiving, Bodies: tt.bodies})
			if tt.wantField != "" {
				var fe *fengqiao.Error
				if err == nil || !asError(err, &fe) || fe.Code != fengqiao.ECodeInvalid || len(fe.Fields) != 1 || fe.Fields[0].Field != tt.wantField {
					t.Fatalf("got %+v, %v; want a validation error naming %s", got, err, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Body.Code != tt.wantBody || got.Tier != tt.wantTier || got.Rule != tt.wantRule || got.Then != tt.wantThen {
				t.Fatalf("got %+v, want body %s tier %s rule %d then %q", got, tt.wantBody, tt.wantTier, tt.wantRule, tt.wantThen)
			}
			if got.RuleText != rules[tt.wantRule].String() {
				t.Errorf("rule text %q, want %q", got.RuleText, rules[tt.wantRule].String())
			}
			if tt.implicit && (got.Body.Type != fengqiao.BodyCommittee || got.Body.Node != tt.wantBody) {
				t.Errorf("implicit committee %+v, want the node's own", got.Body)
			}
		})
	}
}

func asError(err error, fe **fengqiao.Error) bool {
	e, ok := err.(*fengqiao.Error)
	*fe = e
	return ok
}

func TestLadderClimbsVillageCommitteeTownshipCommitteeCountyCentre(t *testing.T) {
	got := routing.Ladder(chain(city, county, gulou, xianqian, grid), all)
	want := []struct {
		code, name string
		typ        fengqiao.BodyType
	}{
		{city.Code, "宁波市人民调解委员会", fengqiao.BodyCommittee},
		{"hs-center", "海曙区社会矛盾纠纷调处化解中心", fengqiao.BodyCenter},
		{gulou.Code, "鼓楼街道人民调解委员会", fengqiao.BodyCommittee},
		{"xq-twh", "县前社区人民调解委员会", fengqiao.BodyCommittee},
	}
	for i, w := range want {
		b := got[i].Body
		if b == nil || b.Code != w.code || b.Name != w.name || b.Type != w.typ {
			t.Errorf("%s: ladder body %+v, want %s %s (%s)", got[i].Code, b, w.code, w.name, w.typ)
		}
	}
	if got[4].Body != nil {
		t.Errorf("a grid has no mediation power, got ladder body %+v", got[4].Body)
	}
}

func TestLadderCountyWithoutCentreMediatesAsItsCommittee(t *testing.T) {
	got := routing.Ladder(chain(city, county), nil)
	if b := got[1].Body; b == nil || b.Code != county.Code || b.Type != fengqiao.BodyCommittee || b.Name != "海曙区人民调解委员会" {
		t.Fatalf("county ladder body %+v, want its implicit committee", b)
	}
	explicit := fengqiao.Body{Code: "hs-twh", Name: "海曙区人民调解委员会", Type: fengqiao.BodyCommittee, Node: county.Code}
	got = routing.Ladder(chain(city, county), []fengqiao.Body{explicit, xfj})
	if b := got[1].Body; b == nil || b.Code != "hs-twh" {
		t.Fatalf("county ladder body %+v, want its explicit committee hs-twh", b)
	}
}
