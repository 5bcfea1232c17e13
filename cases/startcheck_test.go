package cases_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/internal/wanterr"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// A storm benchmark whose intake overran its instant opened cases with a tier clock that had already
// ended (a negative duration). The workflow cannot read such a start, so it failed before registering
// its updates and the intake answered "unknown update view. KnownUpdates=[]", leaving a case row and a
// reserved matter behind. The intake must say why instead, and leave nothing.
func TestIntakeThatCannotOpenSaysWhyAndLeavesNoHalfMadeCase(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	ctx := context.Background()
	for _, c := range []struct {
		name string
		edit func(p *deadline.Policy)
		want string
	}{
		{"tier clock already over", func(p *deadline.Policy) {
			p.Tiers[fengqiao.TierVillage] = deadline.Fixed(-1500 * time.Millisecond)
		}, "tiers.village"},
		{"at-risk share outside (0, 1)", func(p *deadline.Policy) { p.AtRisk = 0 }, "at_risk"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := deadline.DefaultPolicy()
			p.Tiers = maps.Clone(p.Tiers)
			c.edit(&p)
			p.Version = p.Fingerprint()
			e.svc.Policy = p
			in := disputeIntake()
			_, created, err := e.svc.Open(ctx, countyClerk, in)
			fe := wanterr.Code(t, err, fengqiao.ECodeInternal)
			if created || !strings.Contains(fe.Message, "deadline policy") || !strings.Contains(fe.Message, c.want) {
				t.Fatalf("the error must name the reason (%s): created %t, %v", c.want, created, err)
			}
			var n int64
			if err := e.db.WithContext(ctx).Model(&store.CaseRow{}).Count(&n).Error; err != nil || n != 0 {
				t.Errorf("%d case rows left (%v), want none", n, err)
			}
			for _, k := range e.svc.MatterKeys(in) {
				if m, err := e.db.Matter(ctx, k); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("matter left reserved: %+v %v", m, err)
				}
			}
		})
	}
	// and the same intake opens once the policy is usable again
	e.svc.Policy = deadline.DefaultPolicy()
	if _, created, err := e.svc.Open(ctx, countyClerk, disputeIntake()); err != nil || !created {
		t.Fatalf("a good policy: created %t, %v", created, err)
	}
}
