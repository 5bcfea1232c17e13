package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// clockView is one deadline as a page shows it: its last day ("2026年12月7日（24:00）前", never 00:00 of
// the next day), a countdown and the badges; Label, Basis and Provisional for the list of running clocks.
type clockView struct {
	Label       string
	Basis       string
	Provisional bool
	Due         string
	Countdown   string
	AtRisk      bool
	Overdue     bool
	Paused      bool
	Set         bool
}

// clock renders a deadline due at due (nil: none) in the page's language.
func (p *page) clock(due *time.Time, atRisk, overdue, paused bool) clockView {
	if due == nil {
		return clockView{}
	}
	c := clockView{Set: true, Due: p.dueText(*due), AtRisk: atRisk, Paused: paused}
	left := due.Sub(p.now)
	if left <= 0 || overdue {
		c.Overdue = true
		c.AtRisk = false
		c.Countdown = p.T("clock.overdue_by", span(p, -left))
		return c
	}
	c.Countdown = p.T("clock.left", span(p, left))
	return c
}

// dueText shows when a period ends. A period of days ends at 24:00 of its last day, stored as 00:00 China
// time of the next day: it is shown as that last day (民法典 203). Any other instant (a period of exact
// time) is shown as it is.
func (p *page) dueText(due time.Time) string {
	t := due.In(deadline.China)
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
		return t.Format("2006-01-02 15:04")
	}
	d := deadline.LastDate(due)
	return p.T("clock.due_by", d.Year(), int(d.Month()), d.Day())
}

// runningClocks lists every clock that runs at the case's status (the application window, the court's
// clocks, the performance check, the review windows as well as the two clocks of rule 4).
func (p *page) runningClocks(v cases.View) []clockView {
	var out []clockView
	for _, c := range v.Deadlines.Running {
		cv := p.clock(c.DueAt, c.AtRisk, c.Overdue, c.Paused)
		cv.Label, cv.Basis, cv.Provisional = p.TOr("clock.kind."+c.Kind, c.Kind), c.Basis, c.Provisional
		out = append(out, cv)
	}
	return out
}

// span is a duration in days and hours ("3 天 4 小时", "3d 4h").
func span(p *page, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int(d / (24 * time.Hour))
	hours := int((d % (24 * time.Hour)) / time.Hour)
	if days == 0 && hours == 0 {
		return p.T("clock.minutes", int(d/time.Minute))
	}
	return p.T("clock.days_hours", days, hours)
}

// caseRowView is a case in a list.
type caseRowView struct {
	ID, Number, Summary, Kind, Category, Status, Tier, Handling, Assignee string
	TierClock, StatClock                                                  clockView
	NextClock                                                             clockView // the nearest other running clock
	Unacknowledged, Breach                                                bool
	// Risks are the kinds of the case's open risk flags, Leader the name of the leader who took it
	// (markRows fills them).
	Risks  []string
	Leader string
	due    time.Time
}

func (h *handler) rowView(p *page, names *nodeNames, r store.CaseRow) caseRowView {
	v := caseRowView{ID: r.ID, Number: r.Number, Summary: r.Summary, Kind: r.Kind, Category: r.Category,
		Status: strings.TrimPrefix(statusKey(fengqiao.Kind(r.Kind), fengqiao.Status(r.Status), nil), "status."), Tier: r.Tier, Handling: names.label(r.HandlingNode), Assignee: r.Assignee,
		Unacknowledged: r.Unacknowledged, Breach: r.OneVisitBreach}
	open := fengqiao.Status(r.Status).Open()
	if open {
		v.TierClock = p.clock(r.TierDueAt, r.AtRisk, r.Overdue, r.Paused)
		v.StatClock = p.clock(r.StatutoryDueAt, false, false, r.Paused)
		v.NextClock = p.clock(r.NextDueAt, false, false, false)
		v.NextClock.Label = p.TOr("clock.kind."+r.NextDueKind, r.NextDueKind)
	}
	v.due = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if r.TierDueAt != nil && open {
		v.due = *r.TierDueAt
	}
	return v
}

// section is one list of a workbench or board.
type section struct {
	Key  string // message key of its title
	Rows []caseRowView
}

// list runs a case query within the caller's read scope and renders its rows, most urgent first;
// closed cases are left out unless all.
func (h *handler) list(r *http.Request, p *page, names *nodeNames, f store.CaseFilter, all bool) ([]caseRowView, error) {
	if f.Limit == 0 {
		f.Limit = 200
	}
	rows, err := h.Cases.List(r.Context(), sessionOf(r).user.Username, f)
	if err != nil {
		return nil, err
	}
	out := make([]caseRowView, 0, len(rows))
	for _, row := range rows {
		if !all && !fengqiao.Status(row.Status).Open() {
			continue
		}
		out = append(out, h.rowView(p, names, row))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].due.Before(out[j].due) })
	h.markRows(r.Context(), out)
	return out, nil
}

func hasRole(grants []fengqiao.Grant, role fengqiao.Role) bool {
	for _, g := range grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// workbenchKeeps narrow a workbench list beyond its query: waiting for a mediator are the registered
// cases still without one; waiting for the court's filing are the referrals it has not filed yet.
var workbenchKeeps = map[string]func(caseRowView) bool{
	"wb.to_assign":    func(row caseRowView) bool { return row.Assignee == "" },
	"wb.court_filing": func(row caseRowView) bool { return row.Status != "court_filed" },
}

// workbench shows each role's lists: the cases assigned to me, received by me, located in my grid,
// waiting for a mediator or overdue in my subtree, waiting for my court, with both clocks.
func (h *handler) workbench(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "nav.workbench")
	p.Nav = "workbench"
	user := p.User.Username
	names := h.names(r.Context())
	var secs []section
	add := func(key string, f store.CaseFilter, all bool) bool {
		rows, err := h.list(r, p, names, f, all)
		if err != nil {
			h.fail(w, r, err)
			return false
		}
		if keep := workbenchKeeps[key]; keep != nil {
			kept := rows[:0]
			for _, row := range rows {
				if keep(row) {
					kept = append(kept, row)
				}
			}
			rows = kept
		}
		secs = append(secs, section{Key: key, Rows: rows})
		return true
	}
	yes := true
	if hasRole(p.Roles, fengqiao.RoleMediator) && !add("wb.assigned", store.CaseFilter{Assignee: user}, false) {
		return
	}
	if joint, err := h.jointRows(r, p, names); err != nil {
		h.fail(w, r, err)
		return
	} else if len(joint) > 0 {
		secs = append(secs, section{Key: "wb.joint", Rows: joint})
	}
	if hasRole(p.Roles, fengqiao.RoleSupervisor) {
		if !add("wb.to_assign", store.CaseFilter{Status: string(fengqiao.StatusRegistered)}, false) ||
			!add("wb.overdue", store.CaseFilter{Overdue: &yes}, false) {
			return
		}
	}
	if hasRole(p.Roles, fengqiao.RoleCourtOfficer) {
		if !add("wb.court", store.CaseFilter{Status: string(fengqiao.StatusConfirmationPending)}, false) ||
			!add("wb.court_filing", store.CaseFilter{Status: string(fengqiao.StatusReferredOut)}, true) {
			return
		}
		// the court's referrals still being mediated (委派调解中), from the cases the court may read
		rows, err := h.list(r, p, names, store.CaseFilter{OpenOnly: true}, false)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		var mediating []caseRowView
		for _, row := range rows {
			if row.Kind == string(fengqiao.KindCourtReferral) && row.Status != string(fengqiao.StatusConfirmationPending) {
				mediating = append(mediating, row)
			}
		}
		secs = append(secs, section{Key: "wb.referrals", Rows: mediating})
	}
	for _, g := range p.Roles { // 本网格案件: the cases located or handled in each grid the user works
		if g.Role != fengqiao.RoleGridWorker {
			continue
		}
		if path, ok := h.Policy.PathOf(g.Node); ok && !add("wb.grid", store.CaseFilter{Under: path}, true) {
			return
		}
	}
	if (hasRole(p.Roles, fengqiao.RoleClerk) || hasRole(p.Roles, fengqiao.RoleGridWorker)) &&
		!add("wb.received", store.CaseFilter{FirstContactUser: user}, true) {
		return
	}
	if hasRole(p.Roles, fengqiao.RoleAuditor) && !add("wb.recent", store.CaseFilter{Limit: 50}, true) {
		return
	}
	p.Data = secs
	h.render(w, r, http.StatusOK, "workbench", p)
}

// nodeOption is a node of a select, indented by its depth.
type nodeOption struct {
	Code, Name, Label string
	Selected          bool
}

// intakeForm is the intake form's values (to show them again after a refusal).
type intakeForm struct {
	Kind, Channel, Category, Summary, Location            string
	AppName, AppID, AppPhone, RespName, RespID, RespPhone string
	OnSpot                                                bool
	OnSpotOutcome, OnSpotNote                             string
	// Address (纠纷发生地) and Request (申请人请求事项) of the case; App and Resp the rest of each side's
	// identity: a person's or an organisation's.
	Address, Request            string
	App, Resp                   partyExtra
	Kinds, Channels, Categories []cases.Option
	Locations                   []nodeOption
	// LocationName is the chosen location's name, shown in the type-ahead field.
	LocationName     string
	DupID, DupNumber string
	DupSkipLevel     bool
	DupVisitCSRF     string
	// Checked and Candidates: the applicant's open cases, looked up with the form's check button (search.go).
	Checked    bool
	Candidates []searchRow
	// Court and CourtCaseNo are a court referral's (委派调解): the entrusting court, chosen by name among
	// Courts (the officer's own), and its pre-filing number.
	Court, CourtCaseNo string
	Courts             []cases.Option
	// Opens says the user may open disputes and petitions; Refers that they may entrust court referrals;
	// Visits that they may record a visit on an open case (a court officer may not: no such buttons).
	Opens, Refers, Visits bool
}

// Referral reports whether the form opens a court referral.
func (f intakeForm) Referral() bool { return f.Kind == string(fengqiao.KindCourtReferral) }

// openable is the intake's location field without JavaScript (a select; with it, the type-ahead
// offers every place the user may open a case at, and the select stays the form's field): the user's
// own node — where they take cases in — and the upper tiers of its subtree that fit in 300 options
// (a county's townships and villages, not its thousands of grids), without courts; and the selected
// location when it lies elsewhere (chosen with the type-ahead, shown again after a refusal). A user
// taking cases in nowhere in particular is offered the upper tiers of the tree.
func (h *handler) openable(r *http.Request, user, selected string) ([]nodeOption, error) {
	return h.places(r, user, h.ownNode(user), selected, true)
}

// referable is the location field of a court referral without JavaScript: the places of the district
// of the officer's court (the upper tiers of its seat's subtree, as openable), wherever the dispute
// arose there; a referral may name any place (the type-ahead finds the others).
func (h *handler) referable(r *http.Request, courts []cases.Option, selected string) ([]nodeOption, error) {
	seat := ""
	if len(courts) > 0 {
		if b, err := h.DB.Body(r.Context(), courts[0].Value); err == nil {
			seat = b.Node
		} else if n, err := h.DB.Node(r.Context(), courts[0].Value); err == nil {
			seat = n.ParentCode
		}
	}
	return h.places(r, sessionOf(r).user.Username, seat, selected, false)
}

// places lists the upper tiers of the subtree of top ("": the whole tree) that fit in 300 options,
// without courts, and the selected place; open keeps only those user may open a case at.
func (h *handler) places(r *http.Request, user, topCode, selected string, open bool) ([]nodeOption, error) {
	ctx := r.Context()
	top := "/"
	if topCode != "" {
		n, err := h.DB.Node(ctx, topCode)
		if err != nil {
			return nil, err
		}
		top = n.Path
	}
	nodes, err := h.DB.NodesUnder(ctx, top, 300)
	if err != nil {
		return nil, err
	}
	if selected != "" && !slices.ContainsFunc(nodes, func(n fengqiao.Node) bool { return n.Code == selected }) {
		if n, err := h.DB.Node(ctx, selected); err == nil {
			nodes = append([]fengqiao.Node{n}, nodes...)
		}
	}
	base := max(len(store.PathCodes(top)), 1)
	var out []nodeOption
	for _, n := range nodes {
		if n.Tier == fengqiao.TierCourt {
			continue
		}
		if open {
			ok, err := h.Policy.Can(user, policy.ActionCaseOpen, n.Code)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		indent := max(len(store.PathCodes(n.Path))-base, 0)
		out = append(out, nodeOption{Code: n.Code, Name: n.Name, Label: strings.Repeat("\u3000", indent) + n.Name + "（" + n.Tier.Label() + "）",
			Selected: n.Code == selected})
	}
	return out, nil
}

func (h *handler) intakeData(r *http.Request, f intakeForm) (intakeForm, error) {
	user := sessionOf(r).user.Username
	f.Opens, f.Refers = h.Policy.HasAnywhere(user, policy.ActionCaseOpen), h.Policy.HasAnywhere(user, policy.ActionCaseRefer)
	f.Visits = h.Policy.HasAnywhere(user, policy.ActionCaseVisit)
	if f.Refers && (!f.Opens || f.Referral()) { // the referral's form is its own (menu 委派调解)
		f.Kind = string(fengqiao.KindCourtReferral)
	}
	f.Kinds = []cases.Option{{Value: "dispute", Label: "kind.dispute"}, {Value: "petition", Label: "kind.petition"}}
	f.Channels = cases.ChannelOptions()
	f.Categories = make([]cases.Option, len(fengqiao.Categories))
	for i, c := range fengqiao.Categories {
		f.Categories[i] = cases.Option{Value: c, Label: "cat." + c}
	}
	var err error
	if f.Refers {
		courts, err := h.Cases.ReferralCourts(r.Context(), user)
		if err != nil {
			return f, err
		}
		for _, c := range courts {
			f.Courts = append(f.Courts, cases.Option{Value: c.Code, Label: c.Name})
		}
	}
	if f.Referral() {
		f.Channel = string(fengqiao.ChannelReferral)
		f.Locations, err = h.referable(r, f.Courts, f.Location)
	} else {
		f.Locations, err = h.openable(r, user, f.Location)
	}
	for _, l := range f.Locations {
		if l.Selected {
			f.LocationName = l.Name
		}
	}
	return f, err
}

// ownNode is where a clerk or grid worker takes cases in: the node of their first such grant, so that a
// neighbour dispute taken in at a township is not filed at the city by default.
func (h *handler) ownNode(user string) string {
	for _, g := range h.Policy.Grants(user) {
		if (g.Role == fengqiao.RoleGridWorker || g.Role == fengqiao.RoleClerk) && g.Node != policy.Global {
			return g.Node
		}
	}
	return ""
}

func (h *handler) intakePage(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	opens, refers := h.Policy.HasAnywhere(user, policy.ActionCaseOpen), h.Policy.HasAnywhere(user, policy.ActionCaseRefer)
	if !opens && !refers {
		h.fail(w, r, fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow intake"))
		return
	}
	kind := "dispute"
	if k := r.URL.Query().Get("kind"); k == string(fengqiao.KindCourtReferral) && refers || !opens {
		kind = string(fengqiao.KindCourtReferral)
	}
	f, err := h.intakeData(r, intakeForm{Kind: kind, Channel: "visit", Category: "neighbour", Location: h.ownNode(user)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderIntake(w, r, http.StatusOK, h.newPage(r, ""), f)
}

// renderIntake shows the intake form f on p: the court referral's (委派调解) under its own menu entry.
func (h *handler) renderIntake(w http.ResponseWriter, r *http.Request, status int, p *page, f intakeForm) {
	p.Title, p.Nav = "nav.intake", "intake"
	if f.Referral() {
		p.Title, p.Nav = "nav.refer", "refer"
	}
	p.Data = f
	h.render(w, r, status, "intake", p)
}

// partyExtra is the identity of one side of the intake form beyond name, ID number and phone: the kind
// (person or organization), a person's 性别/民族/出生日期/住址, an organisation's 统一社会信用代码,
// 法定代表人 and 职务, 住所 (Address).
type partyExtra struct {
	Kind, Gender, Ethnicity, Birth, Address, Credit, Rep, RepTitle string
}

// partyExtraOf reads the fields of the side whose inputs are named prefix_… .
func partyExtraOf(r *http.Request, prefix string) partyExtra {
	f := func(n string) string { return trim(r.PostFormValue(prefix + "_" + n)) }
	return partyExtra{Kind: f("kind"), Gender: f("gender"), Ethnicity: f("ethnicity"), Birth: f("birth"),
		Address: f("address"), Credit: f("credit"), Rep: f("rep"), RepTitle: f("rep_title")}
}

// input is the party of the intake with this side's name, ID number and phone. An organisation's ID
// field is not read (its credit code is), and a person's organisation fields are not.
func (e partyExtra) input(role fengqiao.PartyRole, name, id, phone string) cases.PartyInput {
	in := cases.PartyInput{Party: fengqiao.Party{Role: role, Kind: fengqiao.PartyKind(e.Kind), Name: name, Phone: phone, Address: e.Address}}
	if in.Kind == fengqiao.PartyOrganization {
		in.CreditCode, in.Representative, in.RepresentativeTitle = e.Credit, e.Rep, e.RepTitle
		return in
	}
	in.IDNumber, in.Gender, in.Ethnicity, in.BirthDate = id, fengqiao.Gender(e.Gender), e.Ethnicity, e.Birth
	return in
}

// intake opens a case from the form (cases.Service.Intake) and shows the receipt.
func (h *handler) intake(w http.ResponseWriter, r *http.Request) {
	form := intakeForm{Kind: r.PostFormValue("kind"), Channel: r.PostFormValue("channel"), Category: r.PostFormValue("category"),
		Summary: r.PostFormValue("summary"), Location: r.PostFormValue("location"),
		AppName: trim(r.PostFormValue("app_name")), AppID: trim(r.PostFormValue("app_id")), AppPhone: trim(r.PostFormValue("app_phone")),
		RespName: trim(r.PostFormValue("resp_name")), RespID: trim(r.PostFormValue("resp_id")), RespPhone: trim(r.PostFormValue("resp_phone")),
		OnSpot: r.PostFormValue("on_spot") != "", OnSpotOutcome: trim(r.PostFormValue("on_spot_outcome")), OnSpotNote: trim(r.PostFormValue("on_spot_note")),
		Address: trim(r.PostFormValue("address")), Request: trim(r.PostFormValue("request")),
		App: partyExtraOf(r, "app"), Resp: partyExtraOf(r, "resp"),
		Court: trim(r.PostFormValue("court")), CourtCaseNo: trim(r.PostFormValue("court_case_no"))}
	req := cases.OpenRequest{Kind: fengqiao.Kind(form.Kind), Channel: fengqiao.Channel(form.Channel), Category: form.Category,
		Summary: form.Summary, Address: form.Address, Request: form.Request, Location: form.Location,
		Parties: []cases.PartyInput{form.App.input(fengqiao.PartyApplicant, form.AppName, form.AppID, form.AppPhone)}}
	if form.Referral() {
		req.Channel, req.Court, req.CourtCaseNo, form.OnSpot = fengqiao.ChannelReferral, form.Court, form.CourtCaseNo, false
	}
	if form.RespName != "" {
		req.Parties = append(req.Parties, form.Resp.input(fengqiao.PartyRespondent, form.RespName, form.RespID, form.RespPhone))
	}
	if form.OnSpot {
		req.ResolvedOnSpot = &workflows.OnSpot{Outcome: form.OnSpotOutcome, Note: form.OnSpotNote}
	}
	again := func(status int, err error) {
		f, derr := h.intakeData(r, form)
		if derr != nil {
			h.fail(w, r, derr)
			return
		}
		p := h.newPage(r, "nav.intake")
		if fe, ok := h.showError(w, r, p, err); !ok {
			return
		} else if fe != nil && fe.Code == fengqiao.ECodeDuplicateCase {
			f.DupID, f.DupSkipLevel = fe.Details["existing_case_id"], fe.Details["skip_level"] == "true"
			if row, err := h.DB.Case(r.Context(), f.DupID); err == nil {
				f.DupNumber = row.Number
			}
		}
		h.renderIntake(w, r, status, p, f)
	}
	if r.PostFormValue("check") != "" {
		h.intakeCandidates(w, r, form, req)
		return
	}
	v, _, err := h.Cases.Intake(r.Context(), sessionOf(r).user.Username, req)
	var fe *fengqiao.Error
	switch {
	case errors.As(err, &fe) && fe.Code != fengqiao.ECodeForbidden:
		again(api.StatusOf(fe.Code), err)
	case err != nil:
		h.fail(w, r, err)
	default:
		redirect(w, r, "/cases/"+v.ID+"/receipt")
	}
}

// partyView is a party as staff see it: the name, identifiers only masked (rule 7).
type partyView struct {
	Role, Name, IDMasked, PhoneMasked string
}

func masked(v cases.View) []partyView {
	out := make([]partyView, len(v.Parties))
	for i, p := range v.Parties {
		out[i] = partyView{Role: string(p.Role), Name: p.Name}
		if p.IDNumber != "" {
			out[i].IDMasked = fengqiao.MaskIDNumber(p.IDNumber)
		}
		if p.Phone != "" {
			out[i].PhoneMasked = fengqiao.MaskPhone(p.Phone)
		}
	}
	return out
}

// actionView is one action form of the case page.
type actionView struct {
	Name   string
	Fields []formField
	// Consequences explain the form's consequential choices above its "我已知晓" box (confirm.go).
	Consequences []string
}

// eventView is one timeline line.
type eventView struct {
	Seq                           int64
	At, Type, Actor, Node, Detail string
}

// caseData is what the case page and the printed documents show.
type caseData struct {
	V                    cases.View
	Parties              []partyView
	Location, Handling   string
	FirstContactNode     string
	TierClock, StatClock clockView
	Clocks               []clockView // every running clock, with its basis
	ApplyLastDay         string      // the last day of the window for judicial confirmation (PML 33), printed
	PerformLastDay       string      // the last day of the performance check (PML 31), printed
	Actions              []actionView
	Events               []eventView
	Docs                 []string
	CourtName            string
	Printed              string
	// LeaderName is the name of the leader who took the case (包案), if one did.
	LeaderName string
	// Outcome is the closed case's outcome in words (never its code).
	Outcome string
	// Field are the notes and files staff added from the field (网格员 photos, positions).
	Field fieldRecord
	// StatusKey is the message key of the status as the page names it (statusKey).
	StatusKey string
	// Bodies are the handling body, the co-bodies and the courts of the case (joint.go).
	Bodies bodiesView
}

// caseData builds the case page for the caller (the caller may read the case: loadCase said so).
func (h *handler) caseData(r *http.Request, p *page, v cases.View) (caseData, error) {
	names := h.names(r.Context())
	user := sessionOf(r).user.Username
	d := caseData{V: v, Parties: masked(v), Location: names.label(v.Location), Handling: names.label(v.HandlingNode),
		FirstContactNode: names.label(v.FirstContact.Node), Printed: p.now.In(deadline.China).Format("2006年01月02日"),
		Outcome: outcomeText(p, v.Outcome), StatusKey: statusKey(v.Kind, v.Status, v.Referral)}
	if v.Status.Open() {
		d.TierClock = p.clock(v.Deadlines.Tier.DueAt, v.Deadlines.Tier.AtRisk, v.Deadlines.Tier.Overdue, v.Deadlines.Tier.Paused)
		d.StatClock = p.clock(v.Deadlines.Statutory.DueAt, v.Deadlines.Statutory.AtRisk, v.Deadlines.Statutory.Overdue, v.Deadlines.Statutory.Paused)
		d.Clocks = p.runningClocks(v)
	}
	if a := v.Agreement; a != nil {
		d.ApplyLastDay = deadline.LastDate(a.ApplyBy).Format("2006年01月02日")
		d.PerformLastDay = deadline.LastDate(a.PerformBy).Format("2006年01月02日")
	}
	if v.Confirmation != nil {
		d.CourtName = names.label(v.Confirmation.Court)
	}
	if v.Leader != nil {
		d.LeaderName = h.displayName(r.Context(), v.Leader.User)
	}
	allowed, err := h.Cases.AllowedActions(user, v)
	if err != nil {
		return d, err
	}
	if d.Bodies, err = h.bodies(r, p, names, v, slices.Contains(allowed, workflows.UpdateCoMediator)); err != nil {
		return d, err
	}
	for _, a := range allowed {
		if a == workflows.UpdateCoMediator {
			continue // each co-body's own form, in the list of co-bodies
		}
		fields := cases.FormOf(a)
		typeahead := make([]string, len(fields))
		for i := range fields {
			switch {
			case a == workflows.UpdateAssign && fields[i].Name == "mediator":
				fields[i].Options, err = h.mediatorOptions(r, v)
				typeahead[i] = "/typeahead/staff?role=mediator&enabled=1&case=" + url.QueryEscape(v.ID)
			case fields[i].Type == "text" && (fields[i].Name == "owner" || fields[i].Name == "received_by"):
				typeahead[i] = "/typeahead/staff" // a person, found by name; the field keeps the login
			case (a == workflows.UpdateEscalate || a == workflows.UpdateReturn) && fields[i].Name == "to":
				fields[i].Type, fields[i].Options = "select", h.ladderChoices(p, names, v, a == workflows.UpdateEscalate)
			case a == workflows.UpdateCoBody && fields[i].Name == "body":
				fields[i].Type = "select"
				fields[i].Options, err = h.coBodyChoices(r, p, v)
			case a == workflows.UpdateHandOff && fields[i].Name == "body":
				fields[i].Type = "select"
				fields[i].Options, err = h.chainBodies(r, p, v, nil, fengqiao.BodyProfessional, fengqiao.BodyAgency)
				fields[i].Options = append([]cases.Option{{Value: "", Label: "choice.none"}}, fields[i].Options...)
			case a == workflows.UpdateAlternative && fields[i].Name == "body":
				fields[i].Type = "select"
				fields[i].Options, err = h.chainBodies(r, p, v, nil, fengqiao.BodyNotary, fengqiao.BodyArbitration)
				fields[i].Options = append([]cases.Option{{Value: "", Label: "choice.none"}}, fields[i].Options...)
			case a == workflows.UpdateJointPart && fields[i].Name == "body":
				fields[i].Type, fields[i].Options = "select", partBodies(v, user)
				if len(fields[i].Options) == 1 {
					fields[i].Type, fields[i].Value = "hidden", fields[i].Options[0].Value
				}
			case a == workflows.UpdateConfirmation && fields[i].Name == "court":
				fields[i].Options, err = h.courtOptions(r, v)
			case fields[i].Name == "agency":
				fields[i].Options, err = h.agencyOptions(r, v)
			case fields[i].Type == "datetime":
				fields[i].Value = p.now.In(deadline.China).Format("2006-01-02T15:04")
			}
			if err != nil {
				return d, err
			}
		}
		view := make([]formField, len(fields))
		for i, f := range fields {
			view[i] = formField{Field: f, Typeahead: typeahead[i]}
		}
		d.Actions = append(d.Actions, actionView{Name: a, Fields: view, Consequences: consequences(p, a, fields)})
	}
	events, err := h.Cases.Timeline(r.Context(), v.ID)
	if err != nil {
		return d, err
	}
	for _, e := range events {
		d.Events = append(d.Events, eventView{Seq: e.Seq, At: e.OccurredAt.In(deadline.China).Format("2006-01-02 15:04"),
			Type: e.Type, Actor: e.Actor, Node: names.label(e.Node), Detail: renderEvent(p, e.Type, e.Args != "", e.ArgMap(), e.Detail)})
	}
	types := make([]string, len(events))
	for i, e := range events {
		types[i] = e.Type
	}
	d.Docs = docsOf(v, types)
	return d, nil
}

// mediatorOptions lists the users who may be assigned the case (a mediator role covering its
// handling node or body: those granted on its handling chain, policy.Authorizer.Holders, never a page
// of the user table), the nearest first — the first is the select's default: a village case's is the
// village's mediator, not the county's. With JavaScript the staff type-ahead (?case=) finds the same
// people by name.
func (h *handler) mediatorOptions(r *http.Request, v cases.View) ([]cases.Option, error) {
	ref := cases.Ref(v)
	path := v.HandlingPath
	if path == "" {
		path, _ = h.Policy.PathOf(v.HandlingNode)
	}
	codes := store.PathCodes(path)
	if ref.HandlingBody != "" {
		codes = append(codes, ref.HandlingBody)
	}
	var names []string
	for _, u := range h.Policy.Holders(fengqiao.RoleMediator, codes...) {
		if h.Policy.CanBeAssigned(u, ref) {
			names = append(names, u)
		}
	}
	names, err := h.typeahead.ByNearness(r.Context(), ref, names)
	if err != nil {
		return nil, err
	}
	return h.staffOptions(r, names)
}

// courtOptions lists the courts competent to confirm the case's agreement (民事诉讼法 art. 205).
func (h *handler) courtOptions(r *http.Request, v cases.View) ([]cases.Option, error) {
	courts, err := h.Cases.CompetentCourts(r.Context(), v)
	if err != nil {
		return nil, err
	}
	var out []cases.Option
	for _, c := range courts {
		out = append(out, cases.Option{Value: c.Code, Label: c.Name})
	}
	return out, nil
}

// agencyOptions lists the agencies (行政机关) seated on the case location's chain, the organs a petition
// may be forwarded to (属地管理、分级负责, XGTL 22).
func (h *handler) agencyOptions(r *http.Request, v cases.View) ([]cases.Option, error) {
	bodies, err := h.DB.Bodies(r.Context(), fengqiao.BodyFilter{Type: fengqiao.BodyAgency})
	if err != nil {
		return nil, err
	}
	out := []cases.Option{{Value: "", Label: "choice.none"}}
	for _, b := range bodies {
		if b.NodePath != "" && strings.HasPrefix(v.LocationPath, b.NodePath) {
			out = append(out, cases.Option{Value: b.Code, Label: b.Name})
		}
	}
	return out, nil
}

// casePage shows a case; the read is audited (PIPL 51).
func (h *handler) casePage(w http.ResponseWriter, r *http.Request) {
	v, err := h.Cases.Read(r.Context(), sessionOf(r).user.Username, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showCase(w, r, http.StatusOK, v, nil)
}

func (h *handler) showCase(w http.ResponseWriter, r *http.Request, status int, v cases.View, actErr error) {
	p := h.newPage(r, "nav.case")
	d, err := h.caseData(r, p, v)
	if err == nil {
		d.Field, err = h.fieldRecords(r, v.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if done := r.URL.Query().Get("done"); done != "" && actErr == nil {
		p.Flash = p.T("flash.done", p.T("act."+done))
	}
	if _, ok := h.showError(w, r, p, actErr); !ok {
		return
	}
	p.Data = d
	h.render(w, r, status, "case", p)
}

// showError puts a refusal (a *fengqiao.Error) on the page being shown again and returns it; any other
// error is the error page, and ok is false. A nil err shows nothing.
func (h *handler) showError(w http.ResponseWriter, r *http.Request, p *page, err error) (fe *fengqiao.Error, ok bool) {
	if err == nil {
		return nil, true
	}
	if !errors.As(err, &fe) {
		h.fail(w, r, err)
		return nil, false
	}
	p.Error, p.Fields = h.errorText(p, fe), p.fieldTexts(fe.Fields)
	return fe, true
}

// caseAction performs one action from its form (cases.Service.Perform). The form's one-time key makes a
// double submit act once. A refusal shows the case again with the reason.
func (h *handler) caseAction(w http.ResponseWriter, r *http.Request) {
	user, id, name := sessionOf(r).user.Username, r.PathValue("id"), r.PathValue("action")
	after, err := cases.View{}, checkChoices(&page{Lang: h.lang(r), msgs: h.msgs}, name, r.PostForm)
	if err == nil {
		after, err = h.Cases.Perform(r.Context(), user, id, name, formArgs(r.PostForm), r.PostFormValue("idem"))
	}
	var fe *fengqiao.Error
	switch {
	case err == nil:
		redirect(w, r, "/cases/"+after.ID+"?done="+name)
	case errors.As(err, &fe) && fe.Code != fengqiao.ECodeNotFound && fe.Code != fengqiao.ECodeForbidden:
		v, rerr := h.Cases.Read(r.Context(), user, id)
		if rerr != nil {
			h.fail(w, r, rerr)
			return
		}
		h.showCase(w, r, api.StatusOf(fe.Code), v, err)
	default:
		h.fail(w, r, err)
	}
}

// formArgs decodes an action's arguments from a form.
func formArgs(form url.Values) func(any) error {
	return func(args any) error { return decodeForm(form, args) }
}

// receipt prints the 受理回执 with the query code, for the first-contact owner to hand over.
func (h *handler) receipt(w http.ResponseWriter, r *http.Request) {
	h.printable(w, r, "receipt")
}

// fmtTime formats an instant in China time.
func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(deadline.China).Format("2006-01-02 15:04")
}
