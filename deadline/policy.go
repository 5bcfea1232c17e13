package deadline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"fengqiao"
)

// Policy is the set of deadlines a case runs by (API.md "Policy"). A running case records the Version it
// started with and keeps that policy; a changed policy file applies to new cases.
type Policy struct {
	// Version is a short hash of the effective policy (Fingerprint), set by DefaultPolicy, ParsePolicy
	// and LoadPolicy. Code that edits a Policy should set it again with Fingerprint.
	Version string `json:"version" yaml:"-"`
	// Tiers is the tier clock: how long a case may stay at a tier before it escalates (DESIGN §3 rule
	// 2-4). Keys: village, township, county, city.
	Tiers map[fengqiao.Tier]Duration `json:"tiers" yaml:"tiers"`
	// AtRisk is the share of a deadline after which a case is at risk, in (0, 1).
	AtRisk float64 `json:"at_risk" yaml:"at_risk"`
	// Acknowledge is how long a supervisor has to acknowledge an escalated case before it is reported
	// to the next supervisor up (督办).
	Acknowledge Duration `json:"acknowledge" yaml:"acknowledge"`
	// Mediation is the time one mediation may take (NMR 27), extendable at both parties' request.
	Mediation Duration `json:"mediation" yaml:"mediation"`
	// Confirmation holds the judicial confirmation (司法确认) periods.
	Confirmation ConfirmationPolicy `json:"confirmation" yaml:"confirmation"`
	// Petition holds the petition (信访) periods.
	Petition PetitionPolicy `json:"petition" yaml:"petition"`
	// PerformanceCheck is when the performance of an agreement is checked (PML 31).
	PerformanceCheck Duration `json:"performance_check" yaml:"performance_check"`
	// Satisfaction is the window for the party's rating after closure (DESIGN §3 rule 8).
	Satisfaction Duration `json:"satisfaction" yaml:"satisfaction"`
	// Pauses are the only grounds on which a statutory clock may stand still, per track and clock, each
	// with the article that allows it (DESIGN §3 rule 4). nil (a policy recorded before the list
	// existed) means DefaultPauseGrounds.
	Pauses []PauseGround `json:"pauses,omitempty" yaml:"pauses"`
	// Risk holds the thresholds of the risk rules (DESIGN §3 rule 9); nil (a policy recorded before
	// them, or a file without `risk:`) means DefaultRiskPolicy. Risks reads it.
	Risk *RiskPolicy `json:"risk,omitempty" yaml:"-"`
	// Routing is the routing table (DESIGN.md §2, API.md "Policy" `routing:`); nil (a policy recorded
	// before it, or a file without `routing:`) means DefaultRouting. RoutingTable reads it.
	Routing []RouteRule `json:"routing,omitempty" yaml:"-"`
}

// PauseGround is one ground the law allows for stopping a statutory clock.
type PauseGround struct {
	// Track is the case kind it applies to: dispute or petition (court_referral counts as dispute).
	Track string `json:"track" yaml:"track"`
	// Clock is the statutory clock it stops: mediation, review_reply (复核 only, see Level), handle, route.
	Clock string `json:"clock" yaml:"clock"`
	// Level narrows a review_reply ground to 复查 or 复核; empty for both.
	Level string `json:"level,omitempty" yaml:"level"`
	// Ground is the ground's key, e.g. appraisal or hearing; a pause must name it.
	Ground string `json:"ground" yaml:"ground"`
	// Label is the ground as people read it (Chinese).
	Label string `json:"label" yaml:"label"`
	// Basis is the article, e.g. "信访工作条例 第三十六条第二款".
	Basis string `json:"basis" yaml:"basis"`
}

// DefaultPauseGrounds are the national grounds: appraisal time in mediation (人民法院在线调解规则 第二十六条
// "鉴定评估期限不计入调解期限") and hearing time in 复核 (信访工作条例 第三十六条第二款 "听证所需时间不计算在前款
// 规定的期限内"). Nothing else stops the statutory clock of a petition.
func DefaultPauseGrounds() []PauseGround {
	return []PauseGround{
		{Track: "dispute", Clock: "mediation", Ground: "appraisal", Label: "鉴定评估",
			Basis: "人民法院在线调解规则 第二十六条"},
		{Track: "petition", Clock: "review_reply", Level: "复核", Ground: "hearing", Label: "复核听证",
			Basis: "信访工作条例 第三十六条第二款"},
	}
}

// PauseGrounds is p.Pauses, or DefaultPauseGrounds when the policy has none.
func (p Policy) PauseGrounds() []PauseGround {
	if p.Pauses == nil {
		return DefaultPauseGrounds()
	}
	return p.Pauses
}

// AllowedPause finds the ground that allows stopping clock (of track, at review level, "" outside
// review) for ground; false if the law gives none.
func (p Policy) AllowedPause(track, clock, level, ground string) (PauseGround, bool) {
	for _, g := range p.PauseGrounds() {
		if g.Track == track && g.Clock == clock && g.Ground == ground && (g.Level == "" || g.Level == level) {
			return g, true
		}
	}
	return PauseGround{}, false
}

// ConfirmationPolicy holds the judicial confirmation periods (PML 33, SPC 2011 arts 4-5).
type ConfirmationPolicy struct {
	// Apply is the window for the parties' joint application after the agreement takes effect.
	Apply Duration `json:"apply" yaml:"apply"`
	// Accept is the time the court has to decide whether to accept the application.
	Accept Duration `json:"accept" yaml:"accept"`
	// Decide is the time the court has to decide after accepting.
	Decide Duration `json:"decide" yaml:"decide"`
	// DecideExtension is the longest extension of Decide the court president may approve.
	DecideExtension Duration `json:"decide_extension" yaml:"decide_extension"`
}

// PetitionPolicy holds the petition periods (XGTL 22-23, 34-36).
type PetitionPolicy struct {
	// Route is the time to register and route a petition or tell the petitioner it was received.
	Route Duration `json:"route" yaml:"route"`
	// Handle is the time to handle an accepted petition and answer in writing.
	Handle Duration `json:"handle" yaml:"handle"`
	// ExtendMax is the longest approved extension of Handle.
	ExtendMax Duration `json:"extend_max" yaml:"extend_max"`
	// ReviewRequest is the window for requesting 复查 (and then 复核) after a written answer.
	ReviewRequest Duration `json:"review_request" yaml:"review_request"`
	// ReviewReply is the time the reviewing body has to answer a 复查 or 复核 request.
	ReviewReply Duration `json:"review_reply" yaml:"review_reply"`
}

// DefaultPolicy returns the legal defaults. The article behind each value is cited beside it; values
// with no statutory period are Fengqiao policy and say so. "日" in these texts is a calendar day (Nd);
// "工作日" is a working day (Nwd).
func DefaultPolicy() Policy {
	p := Policy{
		// Tier clocks: no statute sets them. They carry the Fengqiao principle 小事不出村、大事不出镇、矛盾不上交
		// (DESIGN §3 rule 2); NMR 27 (一般应当在一个月内调结) bounds the county and city clocks.
		Tiers: map[fengqiao.Tier]Duration{
			fengqiao.TierVillage:  Days(7),  // policy
			fengqiao.TierTownship: Days(15), // policy
			fengqiao.TierCounty:   Days(30), // policy, NMR 27 one month
			fengqiao.TierCity:     Days(30), // policy, NMR 27 one month
		},
		AtRisk:      0.8,            // policy (DESIGN §3 rule 4)
		Acknowledge: WorkingDays(2), // policy (督办; XGTL 40 requires timely 督办 but sets no period)
		// NMR 27: 人民调解委员会调解民间纠纷，一般应当在一个月内调结 — one month, counted per 民法典 202.
		Mediation: Months(1),
		Confirmation: ConfirmationPolicy{
			Apply:           Days(30), // PML 33: 自调解协议生效之日起三十日内共同向人民法院申请司法确认
			Accept:          Days(3),  // SPC 2011 art 4: 收到当事人司法确认申请，应当在三日内决定是否受理
			Decide:          Days(15), // SPC 2011 art 5: 自受理司法确认申请之日起十五日内作出是否确认的决定
			DecideExtension: Days(10), // SPC 2011 art 5: 经本院院长批准，可以延长十日
		},
		Petition: PetitionPolicy{
			Route:         Days(15), // XGTL 22 (信访部门 在15日内 登记转送) and 23 (自收到之日起15日内书面告知)
			Handle:        Days(60), // XGTL 34: 自受理之日起60日内办结
			ExtendMax:     Days(30), // XGTL 34: 延长期限不得超过30日，并告知信访人延期理由
			ReviewRequest: Days(30), // XGTL 35/36: 自收到书面答复之日起30日内请求复查 / 复核
			ReviewReply:   Days(30), // XGTL 35/36: 自收到复查(复核)请求之日起30日内提出意见
		},
		PerformanceCheck: Days(30), // policy: PML 31 (委员会应当对调解协议的履行情况进行监督) and NMR 25 set no period
		Satisfaction:     Days(15), // policy: XGTL 21 (方便信访人…评价) sets no window
		Pauses:           DefaultPauseGrounds(),
	}
	p.Version = p.Fingerprint()
	return p
}

// policyTiers are the tiers that have a tier clock, in the order of the policy file.
func policyTiers() []fengqiao.Tier {
	return []fengqiao.Tier{fengqiao.TierVillage, fengqiao.TierTownship, fengqiao.TierCounty, fengqiao.TierCity}
}

// durationField is one duration of a Policy under its dotted YAML key.
type durationField struct {
	key string
	get func() Duration
	set func(Duration)
}

// durations lists every duration of p in file order. Setters write into p.
func (p *Policy) durations() []durationField {
	ref := func(key string, d *Duration) durationField {
		return durationField{key: key, get: func() Duration { return *d }, set: func(v Duration) { *d = v }}
	}
	var fs []durationField
	for _, t := range policyTiers() {
		fs = append(fs, durationField{
			key: "tiers." + string(t),
			get: func() Duration { return p.Tiers[t] },
			set: func(v Duration) {
				if p.Tiers == nil {
					p.Tiers = map[fengqiao.Tier]Duration{}
				}
				p.Tiers[t] = v
			},
		})
	}
	return append(fs,
		ref("acknowledge", &p.Acknowledge),
		ref("mediation", &p.Mediation),
		ref("confirmation.apply", &p.Confirmation.Apply),
		ref("confirmation.accept", &p.Confirmation.Accept),
		ref("confirmation.decide", &p.Confirmation.Decide),
		ref("confirmation.decide_extension", &p.Confirmation.DecideExtension),
		ref("petition.route", &p.Petition.Route),
		ref("petition.handle", &p.Petition.Handle),
		ref("petition.extend_max", &p.Petition.ExtendMax),
		ref("petition.review_request", &p.Petition.ReviewRequest),
		ref("petition.review_reply", &p.Petition.ReviewReply),
		ref("performance_check", &p.PerformanceCheck),
		ref("satisfaction", &p.Satisfaction),
	)
}

// Fingerprint is a short hash (12 hex digits) of the effective policy: every duration and the at-risk
// share, in a fixed order. Two policies with the same deadlines have the same fingerprint; Version
// is not part of it.
func (p Policy) Fingerprint() string {
	h := sha256.New()
	for _, f := range p.durations() {
		fmt.Fprintf(h, "%s=%s\n", f.key, f.get())
	}
	fmt.Fprintf(h, "at_risk=%s\n", strconv.FormatFloat(p.AtRisk, 'g', -1, 64))
	for _, g := range p.PauseGrounds() {
		fmt.Fprintf(h, "pause=%s/%s/%s/%s\n", g.Track, g.Clock, g.Level, g.Ground)
	}
	fmt.Fprint(h, p.fingerprintRisk())
	fmt.Fprint(h, p.fingerprintRouting())
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// TierClock is the tier clock of tier t, and whether t has one (grids and courts do not).
func (p Policy) TierClock(t fengqiao.Tier) (Duration, bool) {
	d, ok := p.Tiers[t]
	return d, ok && !d.IsZero()
}

// Validate reports every problem of p, each naming its key: a duration missing, zero, negative or with
// several fields set; at_risk outside (0, 1); a tier clock for a tier that has none.
func (p Policy) Validate() error {
	var errs []error
	for _, f := range p.durations() {
		if err := f.get().Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.key, err))
		}
	}
	if !(p.AtRisk > 0 && p.AtRisk < 1) {
		errs = append(errs, fmt.Errorf("at_risk: %v is not between 0 and 1 (exclusive)", p.AtRisk))
	}
	var extra []string
	for t := range p.Tiers {
		if !slices.Contains(policyTiers(), t) {
			extra = append(extra, string(t))
		}
	}
	slices.Sort(extra)
	for _, t := range extra {
		errs = append(errs, fmt.Errorf("tiers.%s: no tier clock for this tier (want village, township, county, city)", t))
	}
	if p.Risk != nil {
		errs = append(errs, p.Risk.validate())
	}
	errs = append(errs, validateRouting(p.Routing))
	return errors.Join(errs...)
}

// LoadPolicy reads the policy file at path (FENGQIAO_POLICY); "" gives DefaultPolicy.
func LoadPolicy(path string) (Policy, error) {
	if path == "" {
		return DefaultPolicy(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fmt.Errorf("deadline: policy: %w", err)
	}
	p, err := ParsePolicy(data)
	if err != nil {
		return Policy{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePolicy reads a policy file (the YAML of API.md "Policy"). Keys left out keep their DefaultPolicy
// value; an empty file is the default policy. An unknown or repeated key, a bad duration, or at_risk
// outside (0, 1) is an error that names the key, e.g. "tiers.village: ...".
func ParsePolicy(data []byte) (Policy, error) {
	p := DefaultPolicy()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Policy{}, fmt.Errorf("deadline: policy: %w", err)
	}
	if root := documentRoot(&doc); root != nil {
		if err := p.apply(root, ""); err != nil {
			return Policy{}, fmt.Errorf("deadline: policy: %w", err)
		}
	}
	if err := p.Validate(); err != nil {
		return Policy{}, fmt.Errorf("deadline: policy: %w", err)
	}
	p.Version = p.Fingerprint()
	return p, nil
}

// policySections are the keys whose values are mappings.
func policySections() []string { return []string{"tiers", "confirmation", "petition"} }

func (p *Policy) apply(n *yaml.Node, prefix string) error {
	where := strings.TrimSuffix(prefix, ".")
	if where == "" {
		where = "policy"
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: line %d: want a mapping of keys to values", where, n.Line)
	}
	fields := p.durations()
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s: line %d: a key must be a plain name", where, n.Content[i].Line)
		}
		key := prefix + k.Value
		if seen[key] {
			return fmt.Errorf("%s: duplicate key", key)
		}
		seen[key] = true
		null := v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null")
		if key == "risk" {
			r, err := parseRisk(v)
			if err != nil {
				return err
			}
			p.Risk = r
			continue
		}
		if key == "routing" {
			rules, err := parseRouting(v)
			if err != nil {
				return err
			}
			p.Routing = rules
			continue
		}
		if key == "pauses" {
			var gs []PauseGround
			if !null {
				if err := v.Decode(&gs); err != nil {
					return fmt.Errorf("pauses: %w", err)
				}
			}
			for i, g := range gs {
				if g.Track == "" || g.Clock == "" || g.Ground == "" || g.Basis == "" {
					return fmt.Errorf("pauses[%d]: track, clock, ground and basis are required (a pause needs its article)", i)
				}
			}
			p.Pauses = append([]PauseGround{}, gs...)
			continue
		}
		if slices.Contains(policySections(), key) {
			if null {
				continue // every key of the section commented out
			}
			if err := p.apply(v, key+"."); err != nil {
				return err
			}
			continue
		}
		var set func(string) error
		if key == "at_risk" {
			set = func(s string) error {
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return fmt.Errorf("%q is not a number", s)
				}
				if !(f > 0 && f < 1) {
					return fmt.Errorf("%s is not between 0 and 1 (exclusive)", s)
				}
				p.AtRisk = f
				return nil
			}
		}
		for _, f := range fields {
			if f.key == key {
				set = func(s string) error {
					d, err := ParseDuration(s)
					if err != nil {
						return err
					}
					if err := d.Validate(); err != nil {
						return err
					}
					f.set(d)
					return nil
				}
			}
		}
		if set == nil {
			return fmt.Errorf("%s: unknown key (known here: %s)", key, strings.Join(knownKeys(fields, prefix), ", "))
		}
		if null || v.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s: line %d: want a value", key, k.Line)
		}
		if err := set(v.Value); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return nil
}

// knownKeys lists the keys directly under prefix, for error messages.
func knownKeys(fields []durationField, prefix string) []string {
	var out []string
	add := func(k string) {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			rest, _, _ = strings.Cut(rest, ".")
			if !slices.Contains(out, rest) {
				out = append(out, rest)
			}
		}
	}
	for _, f := range fields {
		add(f.key)
	}
	add("at_risk")
	add("pauses")
	add("risk")
	add("routing")
	for _, s := range policySections() {
		add(s)
	}
	return out
}
