package policy

import (
	"testing"

	"fengqiao"
	"fengqiao/store"
)

// TestXGTL30APetitionIsReadThroughItsHandlingNodeNeverItsLocation: a petition located in a grid of village A1
// and handled at township A (its petition office, then the township government) is read by the staff
// of the township and above, by the clerk of the window that received it, and by nobody of the village
// through the location alone — no village mediator, grid worker or village supervisor. A dispute located
// there stays readable to the village as before.
func TestXGTL30APetitionIsReadThroughItsHandlingNodeNeverItsLocation(t *testing.T) {
	grants := []grant{
		{"med.village", fengqiao.RoleMediator, nVillageA}, {"grid", fengqiao.RoleGridWorker, nGridA},
		{"sup.village", fengqiao.RoleSupervisor, nVillageA}, {"clerk.village", fengqiao.RoleClerk, nVillageA},
		{"handler.town", fengqiao.RoleHandler, nTownA}, {"clerk.county", fengqiao.RoleClerk, nCounty},
		{"med.townB", fengqiao.RoleMediator, nTownB},
	}
	onTree(t, grants, func(t *testing.T, db *store.DB, a *Authorizer) {
		petition := CaseRef{Location: nGridA, HandlingNode: nTownA, FirstContactUser: "someone", FirstContactNode: nCounty, Kind: "petition"}
		dispute := petition
		dispute.Kind = "dispute"
		for _, c := range []struct {
			user           string
			petition, disp bool
		}{
			{"med.village", false, true}, {"grid", false, true}, {"sup.village", false, true}, {"clerk.village", false, true},
			{"handler.town", true, true}, {"clerk.county", true, true}, {"med.townB", false, false},
		} {
			for _, k := range []struct {
				ref  CaseRef
				want bool
			}{{petition, c.petition}, {dispute, c.disp}} {
				d, err := a.CanOnCase(c.user, ActionCaseRead, k.ref)
				if err != nil || d.Visible != k.want {
					t.Errorf("%s reads a %s: visible=%t (%s), want %t", c.user, k.ref.Kind, d.Visible, d.Reason, k.want)
				}
			}
		}
		// the window that received the petition keeps following it (rule 1)
		received := petition
		received.FirstContactNode = nVillageA
		if d, _ := a.CanOnCase("clerk.village", ActionCaseRead, received); !d.Visible {
			t.Error("the receiving window's clerk must read the petition it received")
		}
		if d, _ := a.CanOnCase("med.village", ActionCaseRead, received); d.Visible {
			t.Error("a village mediator never reads a petition through the location or the receiving window")
		}
	})
}
