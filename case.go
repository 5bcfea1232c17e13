package fengqiao

// Kind is the track a case follows.
type Kind string

// The kinds of DESIGN.md §2.
const (
	KindDispute  Kind = "dispute"  // 矛盾纠纷: people's mediation (PML, NMR)
	KindPetition Kind = "petition" // 信访 (XGTL)
	// KindCourtReferral is 诉调对接: a court entrusts a dispute to mediation before filing (委派调解).
	KindCourtReferral Kind = "court_referral"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindDispute || k == KindPetition || k == KindCourtReferral }

// Mediates reports whether the kind follows the mediation track (a dispute, or a dispute a court
// entrusted to mediation): consent, mediation, agreement or failure, confirmation.
func (k Kind) Mediates() bool { return k == KindDispute || k == KindCourtReferral }

// Channel is how a matter came in.
type Channel string

// The channels of DESIGN.md §2.
const (
	ChannelVisit    Channel = "visit"    // 来访 (in person: counts toward the one-visit rule)
	ChannelLetter   Channel = "letter"   // 来信
	ChannelPhone    Channel = "phone"    // 来电
	ChannelOnline   Channel = "online"   // 网上
	ChannelPatrol   Channel = "patrol"   // 网格巡查
	ChannelReferral Channel = "referral" // 法院/公安/机关移送
)

// Channels lists every channel.
var Channels = []Channel{ChannelVisit, ChannelLetter, ChannelPhone, ChannelOnline, ChannelPatrol, ChannelReferral}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, v := range Channels {
		if v == c {
			return true
		}
	}
	return false
}

// InPerson reports whether the contact brought the citizen to a window.
func (c Channel) InPerson() bool { return c == ChannelVisit }

// Categories are the dispute categories used in Ningbo's statistics.
var Categories = []string{
	"neighbour", "family", "marriage", "inheritance", "labour", "wage_arrears", "land", "homestead",
	"land_requisition", "demolition", "property_management", "construction", "contract", "debt",
	"medical", "traffic", "consumer", "environment", "school", "tourism", "insurance", "finance",
	"rental", "damage_compensation", "village_affairs", "enterprise_restructuring", "internet", "other",
}

// ValidCategory reports whether c is a known category.
func ValidCategory(c string) bool {
	for _, v := range Categories {
		if v == c {
			return true
		}
	}
	return false
}

// Status is where a case stands (API.md).
type Status string

// The statuses of API.md.
const (
	StatusRegistered          Status = "registered"
	StatusMediating           Status = "mediating"
	StatusSuspended           Status = "suspended"
	StatusAgreement           Status = "agreement"
	StatusConfirmationPending Status = "confirmation_pending"
	StatusConfirmed           Status = "confirmed"
	StatusRejectedByCourt     Status = "rejected_by_court"
	StatusAnswered            Status = "answered"
	StatusUnderReview         Status = "under_review"
	StatusResolved            Status = "resolved"
	StatusClosed              Status = "closed"
	StatusFinal               Status = "final"
	StatusReferredOut         Status = "referred_out"
)

// Statuses lists every status.
var Statuses = []Status{StatusRegistered, StatusMediating, StatusSuspended, StatusAgreement,
	StatusConfirmationPending, StatusConfirmed, StatusRejectedByCourt, StatusAnswered, StatusUnderReview,
	StatusResolved, StatusClosed, StatusFinal, StatusReferredOut}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Open reports whether a case in this status is still being handled (a new intake of the same matter
// joins it instead of opening another case).
func (s Status) Open() bool {
	switch s {
	case StatusClosed, StatusFinal, StatusReferredOut, StatusResolved:
		return false
	}
	return true
}

// PartyRole is a party's side in a case.
type PartyRole string

// Party roles.
const (
	PartyApplicant      PartyRole = "applicant"      // 申请人 / 信访人
	PartyRespondent     PartyRole = "respondent"     // 被申请人 / 被反映人
	PartyRepresentative PartyRole = "representative" // 代表 (≤5 for a group, XGTL 31)
)

// Valid reports whether r is a known party role.
func (r PartyRole) Valid() bool {
	return r == PartyApplicant || r == PartyRespondent || r == PartyRepresentative
}
