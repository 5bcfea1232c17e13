package deadline_test

import (
	"reflect"
	"strings"
	"testing"

	"fengqiao"
	"fengqiao/deadline"
)

// apiRouting is the `routing:` block of API.md "Policy", as written there.
const apiRouting = `routing:               # first matching rule wins; ` + "`to.tier: lowest`" + ` = lowest tier with such a body
  - {match: {kind: dispute, category: medical}, to: {type: professional, field: medical, tier: lowest}}
  - {match: {kind: dispute, category: traffic}, to: {type: professional, field: traffic, tier: lowest}}
  - {match: {kind: dispute, category: labour},  to: {type: committee, tier: township}, then: {type: arbitration}}
  - {match: {kind: dispute},                    to: {type: committee, tier: lowest}}
  - {match: {kind: court_referral},             to: {type: committee, tier: lowest}}
  - {match: {kind: petition},                   to: {type: petition_office, tier: receiving}}
`

func TestRoutingTableLeftOutKeepsTheBuiltInTableAndTheVersion(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte("tiers:\n  village: 7d\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Routing != nil || !reflect.DeepEqual(p.RoutingTable(), deadline.DefaultRouting()) {
		t.Fatalf("routing = %+v, want the built-in table", p.Routing)
	}
	if p.Version != deadline.DefaultPolicy().Version {
		t.Fatalf("version %s changed without a routing table (default %s)", p.Version, deadline.DefaultPolicy().Version)
	}
}

func TestRoutingTableOfAPIMdParsesRuleByRule(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte(apiRouting))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routing) != 6 {
		t.Fatalf("%d rules, want 6", len(p.Routing))
	}
	want := []string{
		"{match: {kind: dispute, category: medical}, to: {type: professional, field: medical, tier: lowest}}",
		"{match: {kind: dispute, category: traffic}, to: {type: professional, field: traffic, tier: lowest}}",
		"{match: {kind: dispute, category: labour}, to: {type: committee, tier: township}, then: {type: arbitration}}",
		"{match: {kind: dispute}, to: {type: committee, tier: lowest}}",
		"{match: {kind: court_referral}, to: {type: committee, tier: lowest}}",
		"{match: {kind: petition}, to: {type: petition_office, tier: receiving}}",
	}
	for i, r := range p.Routing {
		if r.String() != want[i] {
			t.Errorf("rule %d = %s, want %s", i, r, want[i])
		}
	}
	if p.Version == deadline.DefaultPolicy().Version || p.Version != p.Fingerprint() {
		t.Errorf("a written routing table must give its own version (%s)", p.Version)
	}
}

func TestRoutingBuiltInTableCountsWageArrearsAsLabour(t *testing.T) {
	for _, cat := range []string{"labour", "wage_arrears"} {
		var got *deadline.RouteRule
		for _, r := range deadline.DefaultRouting() {
			if r.Match.Matches(fengqiao.KindDispute, cat, fengqiao.ChannelVisit, 2) {
				got = &r
				break
			}
		}
		if got == nil || got.To.Type != fengqiao.BodyCommittee || got.To.Tier != "township" || got.Then == nil || got.Then.Type != fengqiao.BodyArbitration {
			t.Errorf("%s: first rule %+v, want the township committee then arbitration", cat, got)
		}
	}
}

func TestRoutingMatchOnChannelAndPartiesAndCategoryList(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte("routing:\n  - match: {kind: dispute, category: [labour, wage_arrears], channel: referral, parties: 5}\n    to: {type: center, tier: county}\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := p.Routing[0].Match
	for _, c := range []struct {
		cat     string
		channel fengqiao.Channel
		parties int
		want    bool
	}{
		{"wage_arrears", fengqiao.ChannelReferral, 5, true},
		{"labour", fengqiao.ChannelReferral, 9, true},
		{"labour", fengqiao.ChannelVisit, 9, false},
		{"labour", fengqiao.ChannelReferral, 4, false},
		{"neighbour", fengqiao.ChannelReferral, 9, false},
	} {
		if got := m.Matches(fengqiao.KindDispute, c.cat, c.channel, c.parties); got != c.want {
			t.Errorf("%s/%s/%d: %v, want %v", c.cat, c.channel, c.parties, got, c.want)
		}
	}
}

func TestRoutingErrorsNameTheField(t *testing.T) {
	rule := func(s string) string {
		return "routing:\n  - {match: {kind: dispute}, to: {type: committee, tier: lowest}}\n  - " + s + "\n"
	}
	for _, c := range []struct{ in, want string }{
		{rule("{match: {kind: dispute}, to: {type: bureau, tier: lowest}}"), "routing[1].to.type"},
		{rule("{match: {kind: dispute}, to: {tier: lowest}}"), "routing[1].to.type: is required"},
		{rule("{match: {kind: dispute}, to: {type: committee, tier: province}}"), "routing[1].to.tier"},
		{rule("{match: {kind: dispute}, to: {type: committee}}"), "routing[1].to.tier: is required"},
		{rule("{match: {kind: quarrel}, to: {type: committee, tier: lowest}}"), "routing[1].match.kind"},
		{rule("{match: {category: [medical, gossip]}, to: {type: committee, tier: lowest}}"), "routing[1].match.category[1]"},
		{rule("{match: {channel: pigeon}, to: {type: committee, tier: lowest}}"), "routing[1].match.channel"},
		{rule("{match: {parties: two}, to: {type: committee, tier: lowest}}"), "routing[1].match.parties"},
		{rule("{match: {parties: -1}, to: {type: committee, tier: lowest}}"), "routing[1].match.parties"},
		{rule("{match: {}, to: {type: professional, field: dentistry, tier: lowest}}"), "routing[1].to.field"},
		{rule("{match: {}, to: {type: committee, tier: lowest}, then: {type: heaven}}"), "routing[1].then.type"},
		{rule("{match: {}, to: {type: committee, tier: lowest}, else: {type: court}}"), "routing[1].else: unknown key"},
		{rule("{match: {size: 3}, to: {type: committee, tier: lowest}}"), "routing[1].match.size: unknown key"},
		{rule("{match: {kind: dispute, kind: petition}, to: {type: committee, tier: lowest}}"), "routing[1].match.kind: duplicate key"},
		{"routing: []\n", "routing: an empty table"},
		{"routing: {kind: dispute}\n", "routing: line 1: want a list of rules"},
	} {
		_, err := deadline.ParsePolicy([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to name %q", c.in, err, c.want)
		}
	}
}

func TestRoutingNullKeepsTheBuiltInTable(t *testing.T) {
	p, err := deadline.ParsePolicy([]byte("routing:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Routing != nil {
		t.Fatalf("routing = %+v, want nil (the built-in table)", p.Routing)
	}
}
