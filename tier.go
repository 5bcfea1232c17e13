package fengqiao

// Tier is the level of a node in the jurisdiction tree.
type Tier string

// The tiers, from the top of a city down to a grid; a court hangs under the county or city it serves.
const (
	TierCity     Tier = "city"     // 市
	TierCounty   Tier = "county"   // 县/区 (its 矛调中心)
	TierTownship Tier = "township" // 镇/街道
	TierVillage  Tier = "village"  // 村/社区
	TierGrid     Tier = "grid"     // 网格
	TierCourt    Tier = "court"    // 法院
)

// Tiers lists every tier in a stable order.
var Tiers = []Tier{TierCity, TierCounty, TierTownship, TierVillage, TierGrid, TierCourt}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool {
	for _, v := range Tiers {
		if v == t {
			return true
		}
	}
	return false
}

// Label is the tier's Chinese name.
func (t Tier) Label() string {
	switch t {
	case TierCity:
		return "市"
	case TierCounty:
		return "县（区）"
	case TierTownship:
		return "镇（街道）"
	case TierVillage:
		return "村（社区）"
	case TierGrid:
		return "网格"
	case TierCourt:
		return "法院"
	}
	return string(t)
}

// HasMediationPower reports whether a mediation committee works at this tier (PML 8: village and
// township committees; county and city centres take what rises to them). Grids make first contact only.
func (t Tier) HasMediationPower() bool {
	switch t {
	case TierVillage, TierTownship, TierCounty, TierCity:
		return true
	}
	return false
}

// ParentTiers lists the tiers a node of tier t may hang under. A city is a root.
func (t Tier) ParentTiers() []Tier {
	switch t {
	case TierCounty:
		return []Tier{TierCity}
	case TierTownship:
		return []Tier{TierCounty}
	case TierVillage:
		return []Tier{TierTownship}
	case TierGrid:
		return []Tier{TierVillage}
	case TierCourt:
		return []Tier{TierCounty, TierCity}
	}
	return nil
}

// CanHangUnder reports whether a node of tier t may have a parent of tier parent.
func (t Tier) CanHangUnder(parent Tier) bool {
	for _, p := range t.ParentTiers() {
		if p == parent {
			return true
		}
	}
	return false
}

// Node is a place in the jurisdiction tree. Code is the national administrative division code where one
// exists (12 digits at village level) or a local code for grids and courts. Path lists the codes from the
// root down to the node itself, joined and wrapped by "/" (e.g. "/330200/330203/"), so that a subtree is
// a prefix.
type Node struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Tier       Tier   `json:"tier"`
	ParentCode string `json:"parent_code,omitempty"`
	Path       string `json:"path"`
}
