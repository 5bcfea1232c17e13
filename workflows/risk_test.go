package workflows_test

import (
	"fmt"
	"testing"
	"time"

	"fengqiao"
	"fengqiao/activities"
	"fengqiao/workflows"
)

func openRisk(v view, k fengqiao.RiskKind) *fengqiao.Risk {
	for i := range v.Risks {
		if v.Risks[i].Kind == k && v.Risks[i].Open() {
			return &v.Risks[i]
		}
	}
	return nil
}

func TestRule9ThirtyApplicantsRaiseAGroupRiskOnIntake(t *testing.T) {
	h := newHarness(t)
	in := dispute()
	in.Category = "labour"
	in.Parties = nil
	for i := 0; i < 30; i++ {
		p := testApplicant
		p.Name = fmt.Sprintf("工人%d", i)
		in.Parties = append(in.Parties, p)
	}
	in.Parties = append(in.Parties, testRespond)
	h.at(time.Minute, h.check(func(v view) {
		r := openRisk(v, fengqiao.RiskGroup)
		if r == nil || r.Severity != 3 {
			t.Fatalf("risks = %+v, want an open group risk of severity 3", v.Risks)
		}
	}))
	h.run(in, time.Hour)
	if !h.noticed("risk_major", func(r activities.Recipient) bool { return r.Role == fengqiao.RoleSupervisor && r.Node == township }) {
		t.Error("a group risk is major: it is reported one level up at once (XGTL 25)")
	}
	if !h.projected(func(p activities.Projection) bool { return p.Risks != nil && len(p.Risks.Risks) == 1 }) {
		t.Error("the projection did not carry the risk")
	}
}

func TestRule9TwoApplicantsRaiseNoRisk(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute, h.check(func(v view) {
		if len(v.Risks) != 0 {
			t.Errorf("risks = %+v, want none", v.Risks)
		}
	}))
	h.run(dispute(), time.Hour)
}

func TestRule9AFourthVisitRaisesRepeat(t *testing.T) {
	h := newHarness(t)
	visit := workflows.VisitArgs{Channel: fengqiao.ChannelVisit, Note: "again"}
	h.at(time.Minute,
		h.ok(workflows.UpdateVisit, countyClerk, visit),
		h.ok(workflows.UpdateVisit, countyClerk, visit),
		h.check(func(v view) {
			if openRisk(v, fengqiao.RiskRepeat) != nil {
				t.Errorf("three visits: %+v, want no repeat risk yet", v.Risks)
			}
		}),
		h.ok(workflows.UpdateVisit, countyClerk, visit),
		h.check(func(v view) {
			if v.Visits != 4 || openRisk(v, fengqiao.RiskRepeat) == nil {
				t.Errorf("visits %d, risks %+v: want a repeat risk on the fourth visit", v.Visits, v.Risks)
			}
		}))
	h.run(dispute(), time.Hour)
}

func TestRule9AVisitAboveTheHandlingLevelWithinItsDeadlineIsSkipLevel(t *testing.T) {
	h := newHarness(t)
	cityClerk := workflows.Actor{Username: "clerk.nb", Role: fengqiao.RoleClerk, Node: city}
	h.at(time.Minute,
		h.ok(workflows.UpdateVisit, cityClerk, workflows.VisitArgs{Channel: fengqiao.ChannelVisit}),
		h.check(func(v view) {
			if openRisk(v, fengqiao.RiskSkipLevel) == nil || v.HandlingNode != village {
				t.Errorf("risks %+v, handling %s: want 越级 and the case left at %s (XGTL 19)", v.Risks, v.HandlingNode, village)
			}
		}))
	h.run(dispute(), time.Hour)
}

func TestRule9AViolenceMarkReportsToThePoliceInTheSameStep(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateRiskMark, countyClerk, workflows.RiskMarkArgs{Violence: true}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateRiskMark, countyClerk, workflows.RiskMarkArgs{Violence: true, Reason: "扬言报复"}),
		h.check(func(v view) {
			if openRisk(v, fengqiao.RiskViolence) == nil {
				t.Errorf("risks = %+v", v.Risks)
			}
		}))
	h.run(dispute(), time.Hour)
	var step int64 = -1
	for _, p := range h.proj {
		for _, n := range p.Notices {
			if n.Kind == workflows.NoticePoliceReport && n.To.Role == workflows.RolePolice && n.To.Node == township && n.Urgent {
				step = p.Case.UpdatedSeq
				for _, m := range p.Notices {
					if m.Kind == "risk_major" && m.To.Role == fengqiao.RoleSupervisor && m.To.Node == village {
						step = -2
					}
				}
			}
		}
	}
	if step != -2 {
		t.Error("the police report (派出所 at the township) and the supervisor's notice must go out in the violence mark's own step (PML 25)")
	}
}

func TestRule9ARiskIsClosedOnlyWithAReason(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.ok(workflows.UpdateRiskMark, villageMed, workflows.RiskMarkArgs{Violence: true, Reason: "情绪激动"}),
		h.refused(workflows.UpdateRiskOwner, villageMed, workflows.RiskOwnerArgs{Owner: "med.village"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateRiskOwner, villageSup, workflows.RiskOwnerArgs{Owner: villageMed.Username}),
		h.ok(workflows.UpdateRiskPlan, villageMed, workflows.RiskPlanArgs{Kind: fengqiao.RiskViolence, Measure: "每日见面稳控"}),
		h.refused(workflows.UpdateRiskClose, villageSup, workflows.RiskCloseArgs{Kind: fengqiao.RiskViolence}, fengqiao.ECodeInvalid),
		h.ok(workflows.UpdateRiskClose, villageMed, workflows.RiskCloseArgs{Kind: fengqiao.RiskViolence, Reason: "矛盾已化解"}),
		h.check(func(v view) {
			if len(v.Risks) != 1 || v.Risks[0].Open() || v.Risks[0].Owner != villageMed.Username ||
				len(v.Risks[0].Plan) != 1 || v.Risks[0].Closing != "矛盾已化解" {
				t.Errorf("risks = %+v", v.Risks)
			}
		}))
	h.run(dispute(), time.Hour)
}

func TestRule9ACaseOpenLongerThanStaleIsABacklogCase(t *testing.T) {
	h := newHarness(t)
	h.at(89*24*time.Hour, h.check(func(v view) {
		if openRisk(v, fengqiao.RiskStale) != nil {
			t.Error("stale before 90 days")
		}
	}))
	h.at(92*24*time.Hour, h.check(func(v view) {
		if openRisk(v, fengqiao.RiskStale) == nil {
			t.Errorf("risks = %+v, want 积案 after 90 days", v.Risks)
		}
	}))
	h.run(dispute(), 93*24*time.Hour)
}

func TestRule9ALeaderTakesTheCaseAndReportsProgress(t *testing.T) {
	h := newHarness(t)
	h.at(time.Minute,
		h.refused(workflows.UpdateTakeCase, villageMed, workflows.TakeCaseArgs{Reason: "x"}, fengqiao.ECodeForbidden),
		h.ok(workflows.UpdateRiskMark, villageMed, workflows.RiskMarkArgs{Group: true, Reason: "三十人欠薪"}),
		h.ok(workflows.UpdateTakeCase, countySup, workflows.TakeCaseArgs{Reason: "群体性欠薪"}),
		h.check(func(v view) {
			if v.Leader == nil || v.Leader.User != countySup.Username || v.Risks[0].Owner != countySup.Username {
				t.Errorf("leader %+v risks %+v", v.Leader, v.Risks)
			}
		}))
	h.at(16*24*time.Hour, h.check(func(v view) {
		if !v.Leader.Reminded {
			t.Error("the progress report is overdue: the leader must be reminded")
		}
	}), h.ok(workflows.UpdateLeaderReport, countySup, workflows.LeaderReportArgs{Note: "已协调支付一半"}),
		h.check(func(v view) {
			if v.Leader.Reminded || v.Leader.Reported == nil {
				t.Errorf("leader %+v", v.Leader)
			}
		}))
	h.run(dispute(), 17*24*time.Hour)
}
