package fengqiao

import (
	"strings"
	"time"
)

// PartyKind says whether a party is a natural person (自然人) or an organisation (法人或者非法人组织).
type PartyKind string

// Party kinds. The empty kind is a person (parties recorded before organisations existed).
const (
	PartyPerson       PartyKind = "person"       // 自然人
	PartyOrganization PartyKind = "organization" // 法人或者非法人组织
)

// Valid reports whether k is a known kind ("" counts as a person).
func (k PartyKind) Valid() bool { return k == "" || k == PartyPerson || k == PartyOrganization }

// Party is a party of a case as the intake gives it, in plaintext. It travels in the workflow's
// (encrypted) payloads; the projection seals every identifying field (ID number, phone, gender,
// ethnicity, birth date, address, credit code, representative) and shows the ID number and phone masked.
//
// A person carries 姓名 (Name), 性别, 民族, 出生日期 (optional), 公民身份号码, 住址 and 电话, as the
// 人民调解协议书 of the Ministry of Justice and the 司法确认申请书 of the Supreme People's Court list a
// party. An organisation carries 名称 (Name), 统一社会信用代码 (GB 32100-2015), 法定代表人 or 主要负责人
// with their 职务, 住所 (Address) and 电话.
type Party struct {
	Role     PartyRole `json:"role"`
	Kind     PartyKind `json:"kind,omitempty"`
	Name     string    `json:"name"`
	IDNumber string    `json:"id_number,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	// Gender is "male" or "female" (性别); empty when not given.
	Gender Gender `json:"gender,omitempty"`
	// Ethnicity is one of the 56 ethnic groups as written in Chinese, e.g. "汉族" (民族).
	Ethnicity string `json:"ethnicity,omitempty"`
	// BirthDate is "YYYY-MM-DD" (出生日期), optional.
	BirthDate string `json:"birth_date,omitempty"`
	// Address is a person's 住址 or an organisation's 住所.
	Address string `json:"address,omitempty"`
	// CreditCode is an organisation's 统一社会信用代码.
	CreditCode string `json:"credit_code,omitempty"`
	// Representative is an organisation's 法定代表人 or 主要负责人, RepresentativeTitle their 职务.
	Representative      string `json:"representative,omitempty"`
	RepresentativeTitle string `json:"representative_title,omitempty"`
}

// Organization reports whether the party is an organisation.
func (p Party) Organization() bool { return p.Kind == PartyOrganization }

// Gender is a person's 性别.
type Gender string

// Genders.
const (
	GenderMale   Gender = "male"   // 男
	GenderFemale Gender = "female" // 女
)

// Valid reports whether g is male, female or empty.
func (g Gender) Valid() bool { return g == "" || g == GenderMale || g == GenderFemale }

// GenderOfIDNumber is the gender an 18-digit ID number records (its 17th digit: odd for men); empty
// for a number that is not well formed.
func GenderOfIDNumber(id string) Gender {
	if !ValidIDNumber(NormalizeIDNumber(id)) {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return GenderMale
	}
	return GenderFemale
}

// BirthDateOfIDNumber is the birth date an 18-digit ID number records, "YYYY-MM-DD"; empty for a number
// that is not well formed.
func BirthDateOfIDNumber(id string) string {
	if !ValidIDNumber(NormalizeIDNumber(id)) {
		return ""
	}
	return id[6:10] + "-" + id[10:12] + "-" + id[12:14]
}

// ValidBirthDate reports whether s is a date "YYYY-MM-DD" not after today and not before 1900.
func ValidBirthDate(s string, today time.Time) bool {
	t, err := time.Parse("2006-01-02", s)
	return err == nil && t.Year() >= 1900 && !t.After(today)
}

// Ethnicities are the 56 ethnic groups of China as GB/T 3304 names them.
var Ethnicities = []string{"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
	"满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族",
	"拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
	"毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
	"保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族"}

// NormalizeEthnicity writes an ethnic group the way GB/T 3304 does ("汉" → "汉族") and reports whether
// it is one of the 56.
func NormalizeEthnicity(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, e := range Ethnicities {
		if s == e || s+"族" == e {
			return e, true
		}
	}
	return s, false
}

// creditCodeChars are the 31 characters of a unified social credit code (no I, O, S, V, Z), each
// worth its index.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidCreditCode reports whether s is a well-formed 18-character unified social credit code
// (统一社会信用代码, GB 32100-2015): registration authority and organisation type, a 6-digit division
// code, a 9-character organisation code, and the check character: 31 - (Σ value×weight mod 31), with
// 31 written as 0.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, s[i])
		if v < 0 {
			return false
		}
		sum += v * weights[i]
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	check := 31 - sum%31
	if check == 31 {
		check = 0
	}
	return s[17] == creditCodeChars[check]
}

// NormalizeCreditCode upper-cases a credit code and drops the spaces people type in it.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ChainNode is one node of a location's chain of ancestors (root first): where a case may be handled.
type ChainNode struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Tier Tier   `json:"tier"`
	Path string `json:"path"`
	// Body is the body that mediates at this node on the dispute ladder (its committee, the county
	// centre); nil on a chain resolved before bodies existed (the node then acts as its own committee).
	Body *BodyRef `json:"body,omitempty"`
}

// Case is a case as it is projected and listed: the one record the workflow publishes after each step,
// the database keeps (store.CaseRow), and lists and boards read. The workflow's own state and the full
// view a case page shows (workflows.CaseView) are richer; this is what every reader outside the
// workflow shares.
type Case struct {
	ID         string `json:"id"`
	Number     string `json:"number"`
	QueryCode  string `json:"query_code"`
	WorkflowID string `json:"workflow_id"`
	Kind       string `json:"kind"`
	Category   string `json:"category"`
	Channel    string `json:"channel"`
	Summary    string `json:"summary"`
	// Address is where the dispute arose (纠纷发生地), as the clerk wrote it; Request is what the
	// applicant asks for (申请人请求事项/诉求). Both are sealed at rest like the summary.
	Address      string `json:"address,omitempty"`
	Request      string `json:"request,omitempty"`
	Status       string `json:"status"`
	Tier         string `json:"tier"`
	HandlingNode string `json:"handling_node"`
	HandlingPath string `json:"handling_path"`
	// HandlingBody is the code of the body that handles the case (its name and type beside it); empty
	// on a case opened before bodies, which its handling node handles as its own committee.
	HandlingBody     string `json:"handling_body"`
	HandlingBodyName string `json:"handling_body_name"`
	HandlingBodyType string `json:"handling_body_type"`
	// CoBodies are the co-handling bodies of a joint mediation, comma-wrapped (",a,b,").
	CoBodies         string     `json:"co_bodies"`
	Location         string     `json:"location"`
	LocationPath     string     `json:"location_path"`
	Assignee         string     `json:"assignee"`
	FirstContactUser string     `json:"first_contact_user"`
	FirstContactNode string     `json:"first_contact_node"`
	Court            string     `json:"court"`
	TierDueAt        *time.Time `json:"tier_due_at"`
	StatutoryDueAt   *time.Time `json:"statutory_due_at"`
	// NextDueAt is the nearest other running clock — the parties' window to apply to the court, the
	// court's acceptance or decision, the performance check, a review window — of kind NextDueKind.
	NextDueAt      *time.Time `json:"next_due_at,omitempty"`
	NextDueKind    string     `json:"next_due_kind,omitempty"`
	AtRisk         bool       `json:"at_risk"`
	Overdue        bool       `json:"overdue"`
	Paused         bool       `json:"paused"`
	Unacknowledged bool       `json:"unacknowledged"`
	EscalatedAt    *time.Time `json:"escalated_at"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	OneVisitBreach bool       `json:"one_visit_breach"`
	Visits         int        `json:"visits"`
	OpenedAt       time.Time  `json:"opened_at"`
	ClosedAt       *time.Time `json:"closed_at"`
	ResolvedTier   string     `json:"resolved_tier"`
	Outcome        string     `json:"outcome"`
	// OutcomeCode is the kind of outcome in clear, what statistics count by (the outcome is free text,
	// kept sealed): resolved (an agreement was reached), resolved_on_spot, terminated, withdrawn,
	// mediation_refused, answered, final_after_review, referred_out, other; "" while open.
	OutcomeCode   string `json:"outcome_code"`
	Satisfaction  *int   `json:"satisfaction"`
	Final         bool   `json:"final"`
	PolicyVersion string `json:"policy_version"`
	UpdatedSeq    int64  `json:"updated_seq"`
}
