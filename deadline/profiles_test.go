package deadline_test

import (
	"reflect"
	"testing"

	"fengqiao/deadline"
)

// TestShippedProfilesLoad: the national profile is DefaultPolicy; the Zhejiang profile carries
// 浙江省信访条例 第二十条 (5 working days) and 第二十三条 (30 days, extension up to 60).
func TestShippedProfilesLoad(t *testing.T) {
	nat, err := deadline.LoadPolicy("profiles/national.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nat, deadline.DefaultPolicy()) {
		t.Fatalf("national profile %+v differs from DefaultPolicy", nat)
	}
	zj, err := deadline.LoadPolicy("profiles/zhejiang.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if zj.Petition.Route != deadline.WorkingDays(5) || zj.Petition.Handle != deadline.Days(30) || zj.Petition.ExtendMax != deadline.Days(60) {
		t.Fatalf("zhejiang petition periods %+v", zj.Petition)
	}
	if zj.Version == nat.Version || zj.Mediation != nat.Mediation {
		t.Fatalf("zhejiang %s vs national %s", zj.Version, nat.Version)
	}
}
