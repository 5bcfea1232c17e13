package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/deadline"
	"fengqiao/policy"
)

// Two pages about how deadlines are counted: the 计算说明 of a case (every running clock counted day
// by day, with the basis and the last day) and the holiday calendar an administrator keeps.

// explainData is the 计算说明 page of a case.
type explainData struct {
	ID, Number string
	Clocks     []explainClock
	Rule       string
}

// explainClock is one clock of the 计算说明 page.
type explainClock struct {
	Label, Basis, Start, Duration, End string
	Steps                              []explainStep
	Extension                          []explainStep
	// Provisional says which years are counted on the statutory stand-in; empty when none.
	Provisional string
	// Open shows the days unfolded (short periods).
	Open bool
}

// explainStep is one day of a count, with the reason in the page's language.
type explainStep struct {
	Date, Weekday, Reason, Note string
	N                           int
	Counted, Last               bool
}

// explainPage is GET /cases/{id}/deadlines: the case's running clocks explained day by day
// (cases.Service.ExplainDeadlines, an audited case read).
func (h *handler) explainPage(w http.ResponseWriter, r *http.Request) {
	e, err := h.Cases.ExplainDeadlines(r.Context(), sessionOf(r).user.Username, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "explain.title")
	d := explainData{ID: e.CaseID, Number: e.Number}
	for _, c := range e.Clocks {
		d.Rule = c.Rule
		ec := explainClock{Label: p.TOr("clock.kind."+c.Kind, c.Kind), Basis: c.Basis,
			Start: dateText(p, c.Counting.Start), Duration: durationText(p, c.Counting.Duration),
			End: lastDayText(p, c.DueAt)}
		if ys := c.Counting.ProvisionalYears; len(ys) > 0 {
			var names []string
			for _, y := range ys {
				names = append(names, strconv.Itoa(y))
			}
			ec.Provisional = p.T("explain.provisional", strings.Join(names, p.T("list.sep")))
		}
		ec.Steps = explainSteps(p, c.Counting.Steps)
		if c.Extension != nil {
			ec.Extension = explainSteps(p, c.Extension.Steps)
		}
		ec.Open = len(ec.Steps)+len(ec.Extension) <= 62
		d.Clocks = append(d.Clocks, ec)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "explain", p)
}

func explainSteps(p *page, steps []deadline.Step) []explainStep {
	out := make([]explainStep, 0, len(steps))
	for _, s := range steps {
		st := explainStep{Date: s.Date, N: s.N, Counted: s.Counted, Last: s.Reason == deadline.ReasonLastDay,
			Reason: p.T("reason." + s.Reason)}
		if t, err := time.ParseInLocation(time.DateOnly, s.Date, deadline.China); err == nil {
			st.Weekday = p.T(fmt.Sprintf("weekday.%d", int(t.Weekday())))
			if p.Lang != "en" {
				st.Date = fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
			}
		}
		var notes []string
		if s.Rest != "" && s.Rest != s.Reason {
			notes = append(notes, p.T("reason."+s.Rest))
		}
		if s.Festival != "" {
			notes = append(notes, s.Festival)
		}
		if s.Provisional {
			notes = append(notes, p.T("explain.provisional_day"))
		}
		st.Note = strings.Join(notes, p.T("list.sep"))
		out = append(out, st)
	}
	return out
}

// dateText is an instant's day and time in China time: "2026年11月30日 09:30".
func dateText(p *page, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	c := t.In(deadline.China)
	if p.Lang == "en" {
		return c.Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("%d年%d月%d日 %s", c.Year(), int(c.Month()), c.Day(), c.Format("15:04"))
}

// lastDayText is the end of a period as its last day: "2027年1月4日（24:00）".
func lastDayText(p *page, due *time.Time) string {
	if due == nil || due.IsZero() {
		return p.T("explain.no_end")
	}
	d := deadline.LastDate(*due)
	if p.Lang == "en" {
		return fmt.Sprintf("24:00 on %s", d.Format(time.DateOnly))
	}
	return fmt.Sprintf("%d年%d月%d日（24:00）", d.Year(), int(d.Month()), d.Day())
}

// durationText is a period as people read it: "30日", "15个工作日", "1个月".
func durationText(p *page, d deadline.Duration) string {
	switch {
	case d.Months > 0:
		return p.T("explain.months", d.Months)
	case d.WorkingDays > 0:
		return p.T("explain.working_days", d.WorkingDays)
	case d.Days > 0:
		return p.T("explain.days", d.Days)
	}
	return d.String()
}

// calendarData is the holiday calendar page.
type calendarData struct {
	Years   []cases.CalendarEntry
	CanEdit bool
	// Year, Holidays, Workdays and Text are the form as sent (kept when it is refused).
	Year                     int
	Holidays, Workdays, Text string
	// Saved reports the year just saved and how many open cases took it.
	Saved *cases.CalendarSaved
}

// calendarsPage is GET /admin/calendars: the years the calendar knows and, for an administrator who
// keeps it, the form to enter or import a year's notice.
func (h *handler) calendarsPage(w http.ResponseWriter, r *http.Request) {
	d := calendarData{Year: time.Now().In(deadline.China).Year() + 1}
	if y, err := strconv.Atoi(r.URL.Query().Get("saved")); err == nil {
		d.Year = y
	}
	h.showCalendars(w, r, http.StatusOK, d, nil)
}

func (h *handler) showCalendars(w http.ResponseWriter, r *http.Request, status int, d calendarData, actErr error) {
	user := sessionOf(r).user.Username
	years, err := h.Cases.ListCalendars(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Years = years
	if d.CanEdit, err = h.Policy.Can(user, policy.ActionAdminCalendar, policy.Global); err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "calendar.title")
	p.Nav = "admin"
	if _, ok := h.showError(w, r, p, actErr); !ok {
		return
	}
	if d.Saved != nil {
		p.Flash = p.T("calendar.saved", d.Saved.Year, d.Saved.Cases, d.Saved.Failed)
	}
	p.Data = d
	h.render(w, r, status, "calendar", p)
}

// saveCalendar is POST /admin/calendars: one year of a notice from the form's two date lists (one date
// or range a line, or separated by commas) or from a pasted YAML/CSV text (cases.ParseCalendarText),
// saved through cases.Service.PutCalendar. A refused notice shows the page again with each field error.
func (h *handler) saveCalendar(w http.ResponseWriter, r *http.Request) {
	d := calendarData{Holidays: r.PostFormValue("holidays"), Workdays: r.PostFormValue("workdays"), Text: r.PostFormValue("text")}
	year, err := strconv.Atoi(trim(r.PostFormValue("year")))
	if err != nil {
		h.showCalendars(w, r, http.StatusUnprocessableEntity, d, &fengqiao.Error{Code: fengqiao.ECodeInvalid,
			Message: "year", Fields: []fengqiao.FieldError{{Field: "year", Message: "年份无效 (not a year)"}}})
		return
	}
	d.Year = year
	in := cases.CalendarInput{Holidays: dateList(d.Holidays), Workdays: dateList(d.Workdays)}
	if strings.TrimSpace(d.Text) != "" {
		if in, err = cases.ParseCalendarText(year, d.Text); err != nil {
			h.showCalendars(w, r, http.StatusUnprocessableEntity, d, err)
			return
		}
	}
	saved, err := h.Cases.PutCalendar(r.Context(), sessionOf(r).user.Username, year, in)
	var fe *fengqiao.Error
	switch {
	case err == nil:
		d.Saved = &saved
		d.Holidays, d.Workdays, d.Text = "", "", ""
		h.showCalendars(w, r, http.StatusOK, d, nil)
	case errors.As(err, &fe) && fe.Code == fengqiao.ECodeInvalid:
		h.showCalendars(w, r, http.StatusUnprocessableEntity, d, err)
	default:
		h.fail(w, r, err)
	}
}

// dateList splits a form's list of dates or ranges: one a line, or separated by commas, 、 or spaces.
func dateList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == '，' || r == '、' || r == ' ' || r == '\t' || r == ';' || r == '；'
	})
}

// addCalendarMessages adds the messages of the 计算说明 and calendar pages.
func addCalendarMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"explain.title":             {"时限计算说明", "How the deadlines are counted"},
		"explain.back":              {"返回案件", "Back to the case"},
		"explain.none":              {"当前没有正在计算的时限。", "No clock is running."},
		"explain.start":             {"起算", "Starts"},
		"explain.duration":          {"期间", "Period"},
		"explain.basis":             {"依据", "Basis"},
		"explain.end":               {"届满", "Ends"},
		"explain.rule":              {"计算规则", "Counting rule"},
		"explain.days_heading":      {"逐日计算", "Day by day"},
		"explain.extension":         {"延长期间", "Extension"},
		"explain.provisional":       {"%s年暂按法定节假日计算，国务院通知公布后可能调整", "%s counted on the statutory holidays until the State Council's notice"},
		"explain.provisional_day":   {"暂按法定节假日", "provisional"},
		"explain.no_end":            {"计时中止，恢复后重新计算", "paused: no end until the clock runs again"},
		"explain.days":              {"%d日", "%d days"},
		"explain.working_days":      {"%d个工作日", "%d working days"},
		"explain.months":            {"%d个月", "%d months"},
		"explain.col.date":          {"日期", "Date"},
		"explain.col.weekday":       {"星期", "Weekday"},
		"explain.col.n":             {"第几日", "Day"},
		"explain.col.reason":        {"说明", "Reason"},
		"reason.start":              {"起算日，不计入", "the starting day: not counted"},
		"reason.counted":            {"计入", "counted"},
		"reason.weekend":            {"周末，不计入", "weekend: not counted"},
		"reason.holiday":            {"法定节假日", "public holiday"},
		"reason.swap_workday":       {"调休上班日，计入", "weekend working day (调休): counted"},
		"reason.paused":             {"依法中止计时，不计入", "clock stopped as the law allows: not counted"},
		"reason.moved":              {"期间最后一日为休假日，顺延", "the last day was a rest day: the period runs on"},
		"reason.open_pause":         {"计时中止中", "paused now"},
		"reason.extension":          {"延长期间，计入", "extension: counted"},
		"reason.last_day":           {"期间最后一日，至24时届满", "the last day: the period ends at 24:00"},
		"weekday.0":                 {"日", "Sun"},
		"weekday.1":                 {"一", "Mon"},
		"weekday.2":                 {"二", "Tue"},
		"weekday.3":                 {"三", "Wed"},
		"weekday.4":                 {"四", "Thu"},
		"weekday.5":                 {"五", "Fri"},
		"weekday.6":                 {"六", "Sat"},
		"list.sep":                  {"；", "; "},
		"calendar.title":            {"节假日安排", "Holiday calendar"},
		"calendar.intro":            {"时限按国务院办公厅每年公布的节假日安排计算。尚未公布通知的年份暂按《全国年节及纪念日放假办法》规定的法定节假日计算（暂定），通知公布后请在此录入，在办案件的时限将随之重新计算。", "Deadlines are counted on the State Council's yearly holiday notice. A year without a notice is counted on the statutory holidays (provisional); enter the notice here once it is published, and running cases recount their deadlines."},
		"calendar.col.year":         {"年份", "Year"},
		"calendar.col.source":       {"来源", "Source"},
		"calendar.col.updated":      {"录入", "Saved"},
		"calendar.source.notice":    {"已录入通知", "notice (saved)"},
		"calendar.source.builtin":   {"系统内置通知", "notice (built in)"},
		"calendar.source.statutory": {"暂按法定节假日（暂定）", "statutory holidays (provisional)"},
		"calendar.edit":             {"录入或导入某年通知", "Enter or import a year's notice"},
		"calendar.year":             {"年份", "Year"},
		"calendar.holidays":         {"放假日期（每行一个日期或区间，如 2028-01-26..2028-02-01）", "Holidays (one date or range a line, e.g. 2028-01-26..2028-02-01)"},
		"calendar.workdays":         {"调休上班日（周六、周日）", "Weekend working days (Saturdays and Sundays)"},
		"calendar.text":             {"或粘贴 YAML / CSV（与 cn-holidays.yaml 格式相同，或“日期,holiday|workday”）", "Or paste YAML / CSV (the cn-holidays.yaml format, or \"date,holiday|workday\")"},
		"calendar.saved":            {"%d年节假日安排已保存：%d件在办案件已重新计算时限，%d件未成功（再次保存可重试）。", "The %d notice is saved: %d open cases recounted their deadlines, %d failed (save again to retry)."},
		"calendar.readonly":         {"只有全市管理员可以录入节假日安排。", "Only a city-wide administrator enters holiday notices."},
	} {
		c[k] = v
	}
}
