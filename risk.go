package fengqiao

import "time"

// RiskKind is what a risk flag on a case is about (DESIGN §3 rule 9: 除险保安, 风险预警).
type RiskKind string

// The kinds of risk the rules raise.
const (
	RiskGroup          RiskKind = "group"           // 群体性: many people on one matter
	RiskRepeat         RiskKind = "repeat"          // 重复访: repeated visits on one matter
	RiskSkipLevel      RiskKind = "skip_level"      // 越级: received above the level handling it, within its deadline (XGTL 19)
	RiskStale          RiskKind = "stale"           // 积案: open too long
	RiskSeveralMatters RiskKind = "several_matters" // 一人多事: the person has other open matters
	RiskViolence       RiskKind = "violence"        // 个人极端/暴力苗头, recorded by staff (PML 25)
)

// RiskKinds lists every kind, most severe first.
var RiskKinds = []RiskKind{RiskViolence, RiskGroup, RiskSkipLevel, RiskRepeat, RiskStale, RiskSeveralMatters}

// Valid reports whether k is a known kind.
func (k RiskKind) Valid() bool {
	for _, v := range RiskKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Severity is how serious a kind of risk is: 3 major (重大: reported up at once, XGTL 25), 2 high, 1
// ordinary. The risk board orders by it, then by age.
func (k RiskKind) Severity() int {
	switch k {
	case RiskViolence, RiskGroup:
		return 3
	case RiskSkipLevel, RiskRepeat:
		return 2
	}
	return 1
}

// Risk is one risk flag on a case and its closed loop (闭环管控): who owns it, the measures taken (稳控/化解),
// when it is next reviewed, and how it was closed (销号). It names no party: a flag never shows who
// complained (XGTL 30).
type Risk struct {
	Kind     RiskKind   `json:"kind"`
	Severity int        `json:"severity"`
	Since    time.Time  `json:"since"`
	Reason   string     `json:"reason,omitempty"`
	Owner    string     `json:"owner,omitempty"`
	Plan     []RiskStep `json:"plan,omitempty"`
	ReviewAt *time.Time `json:"review_at,omitempty"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	ClosedBy string     `json:"closed_by,omitempty"`
	Closing  string     `json:"closing_reason,omitempty"`
}

// Open reports whether the risk is still on the board.
func (r Risk) Open() bool { return r.ClosedAt == nil }

// RiskStep is one measure of a risk's plan (稳控/化解措施), as it is on the case's timeline.
type RiskStep struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Measure string    `json:"measure"`
}
