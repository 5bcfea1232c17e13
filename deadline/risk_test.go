package deadline

import (
	"strings"
	"testing"
)

func TestRiskPolicy(t *testing.T) {
	t.Run("a policy without risk keeps its version and the default thresholds", func(t *testing.T) {
		p, err := ParsePolicy([]byte("tiers: {village: 7d}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != DefaultPolicy().Version || p.Risk != nil || p.Risks() != DefaultRiskPolicy() {
			t.Fatalf("version %s (default %s), risk %+v", p.Version, DefaultPolicy().Version, p.Risk)
		}
	})
	t.Run("the defaults written out keep the version", func(t *testing.T) {
		p, err := ParsePolicy([]byte("risk: {group_size: 5, repeat_visits: 3, stale: 90d}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != DefaultPolicy().Version {
			t.Fatalf("version %s, want %s", p.Version, DefaultPolicy().Version)
		}
	})
	t.Run("other thresholds apply and change the version", func(t *testing.T) {
		p, err := ParsePolicy([]byte("risk: {group_size: 10, stale: 2m}\n"))
		if err != nil {
			t.Fatal(err)
		}
		r := p.Risks()
		if r.GroupSize != 10 || r.RepeatVisits != 3 || r.Stale.String() != "2m0s" || p.Version == DefaultPolicy().Version {
			t.Fatalf("risk %+v version %s", r, p.Version)
		}
	})
	for _, bad := range []string{"risk: {group_size: x}", "risk: {size: 3}", "risk: {group_size: 1}", "risk: {stale: 0d}"} {
		t.Run("refused: "+bad, func(t *testing.T) {
			if _, err := ParsePolicy([]byte(bad)); err == nil || !strings.Contains(err.Error(), "risk.") {
				t.Fatalf("err = %v, want one naming risk.", err)
			}
		})
	}
}
