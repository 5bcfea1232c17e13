package web

import (
	"net/http"
	"strconv"
	"strings"

	"fengqiao"
	"fengqiao/api"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/workflows"
)

// publicData is the public query page. It shows progress only: never a party's name, ID number or
// phone (XGTL 30), nor the timeline (whose details may name people).
type publicData struct {
	Code, Last4          string
	Found                bool
	Number, Status, Tier string
	Kind, Handling       string
	Opened, Closed       string
	TierClock, StatClock clockView
	// Clocks are the statutory clocks running now (the application window, the court's clocks, a
	// review window...), each with its basis; the tier clock is the centre's own and not shown.
	Clocks         []clockView
	CanRate, Rated bool
	Score          int
	// Leader is the name of the leader who took the case (包案): the party may know who is in charge,
	// never what risk the staff see in the matter.
	Leader string
	// Schedule are the leaders' reception days to come (领导接访日).
	Schedule []receptionView
	// Guide are the progress steps, what the status means, what the party may do next and what a
	// rating does (public_steps.go).
	Guide publicGuide
}

// receptionView is a leader's reception day as the public page shows it.
type receptionView struct {
	Leader, Title, Place, Node, When string
}

// renderPublic shows the public page with d and the reception days to come; the schedule is
// information, so a failure to read it is logged and the page shown without it.
func (h *handler) renderPublic(w http.ResponseWriter, r *http.Request, status int, p *page, d publicData) {
	days, err := h.Accounts.Receptions(r.Context(), "", p.now)
	if err != nil {
		h.log.WarnContext(r.Context(), "public page: reception days", "error", err)
	}
	for _, day := range days {
		from, to := day.StartsAt.In(deadline.China), day.EndsAt.In(deadline.China)
		d.Schedule = append(d.Schedule, receptionView{Leader: day.LeaderName, Title: day.Title, Place: day.Place,
			Node: day.NodeName, When: p.T("schedule.when", from.Format("2006-01-02"), from.Format("15:04"), to.Format("15:04"))})
	}
	p.Data = d
	h.render(w, r, status, "public", p)
}

func (h *handler) publicPage(w http.ResponseWriter, r *http.Request) {
	r = h.ensureAnonCookie(w, r)
	p := h.newPage(r, "nav.public")
	p.Nav = "public"
	h.renderPublic(w, r, http.StatusOK, p, publicData{})
}

// publicView turns a case into what its party may see.
func (h *handler) publicView(r *http.Request, p *page, code, last4 string, v cases.View) publicData {
	names := h.names(r.Context())
	d := publicData{Code: code, Last4: last4, Found: true, Number: v.Number,
		Status: strings.TrimPrefix(statusKey(v.Kind, v.Status, v.Referral), "status."), Tier: string(v.Tier),
		Kind: string(v.Kind), Handling: names.label(v.HandlingNode), Opened: fmtTime(&v.OpenedAt), Closed: fmtTime(v.ClosedAt)}
	if v.Status.Open() {
		d.TierClock = p.clock(v.Deadlines.Tier.DueAt, v.Deadlines.Tier.AtRisk, v.Deadlines.Tier.Overdue, v.Deadlines.Tier.Paused)
		d.StatClock = p.clock(v.Deadlines.Statutory.DueAt, v.Deadlines.Statutory.AtRisk, v.Deadlines.Statutory.Overdue, v.Deadlines.Statutory.Paused)
		for _, c := range v.Deadlines.Running {
			if c.Kind == "tier" {
				continue
			}
			cv := p.clock(c.DueAt, c.AtRisk, c.Overdue, c.Paused)
			cv.Label, cv.Basis = p.TOr("clock.kind."+c.Kind, c.Kind), c.Basis
			d.Clocks = append(d.Clocks, cv)
		}
	}
	for _, a := range v.NextActions {
		if a == workflows.UpdateRating {
			d.CanRate = true
		}
	}
	if v.Satisfaction != nil {
		d.Rated, d.Score = true, *v.Satisfaction
	}
	if v.Leader != nil {
		d.Leader = h.displayName(r.Context(), v.Leader.User)
	}
	d.Guide = guide(p, v, h.reopened(r.Context(), v.ID))
	return d
}

// publicQuery looks a case up by query code and the last four digits of an applicant's phone.
func (h *handler) publicQuery(w http.ResponseWriter, r *http.Request) { h.public(w, r, false) }

// publicRate records the party's rating (rule 8).
func (h *handler) publicRate(w http.ResponseWriter, r *http.Request) { h.public(w, r, true) }

// public answers the query form, or with rate the rating form: both name the case by its query code
// and the phone digits, and both show the case's progress after.
func (h *handler) public(w http.ResponseWriter, r *http.Request, rate bool) {
	if !checkCSRF(r) {
		h.forbidCSRF(w, r)
		return
	}
	code := strings.ToUpper(trim(r.PostFormValue("code")))
	last4 := trim(r.PostFormValue("last4"))
	p := h.newPage(r, "nav.public")
	p.Nav = "public"
	var v cases.View
	var err error
	if rate {
		score, _ := strconv.Atoi(r.PostFormValue("score"))
		v, err = h.Cases.Rate(r.Context(), clientAddr(r), code, last4, workflows.RatingArgs{Score: score, Comment: trim(r.PostFormValue("comment"))})
		p.Flash = p.T("public.thanks")
	} else {
		v, err = h.Cases.Public(r.Context(), clientAddr(r), code, last4)
	}
	if err != nil {
		fe, status := api.Classify(h.log, w, r, err)
		p.Flash, p.Error = "", h.errorText(p, fe)
		if fe.Code == fengqiao.ECodeNotFound {
			p.Error = p.T("public.not_found")
		}
		h.renderPublic(w, r, status, p, publicData{Code: code, Last4: last4})
		return
	}
	h.renderPublic(w, r, http.StatusOK, p, h.publicView(r, p, code, last4, v))
}
