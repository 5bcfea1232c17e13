package cases

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/policy"
	"fengqiao/store"
	"fengqiao/workflows"
)

// ClockExplanation is one running clock of a case counted day by day (DESIGN §3 rule 4: "every deadline
// can be explained day by day").
type ClockExplanation struct {
	workflows.ClockDetail
	// LastDayText is the end as people read it: "2026年12月7日（24:00）".
	LastDayText string `json:"last_day_text"`
	// Counting is the period counted from its start: each day counted or skipped, with the reason.
	Counting deadline.Explanation `json:"counting"`
	// Extension, when the court extended its decision (SPC 2011 art. 5), counts the extension from the
	// original last day.
	Extension *deadline.Explanation `json:"extension,omitempty"`
	// Rule is the counting rule applied, with its articles.
	Rule string `json:"rule"`
}

// DeadlineExplanation is every running clock of a case, explained.
type DeadlineExplanation struct {
	CaseID string             `json:"case_id"`
	Number string             `json:"number"`
	Clocks []ClockExplanation `json:"clocks"`
}

// countingRule is how every period is counted (民法典 200-204, 民事诉讼法 85).
const countingRule = "开始的当日不计入，自下一日开始计算（民法典第二百零一条、民事诉讼法第八十五条）；按月计算的，到期月的对应日为最后一日，没有对应日的为月末日（民法典第二百零二条）；最后一日是法定休假日的，以休假日结束的次日为最后一日，截止时间为二十四时（民法典第二百零三条）；工作日按国务院节假日安排（含调休上班日）计算。"

// ExplainDeadlines explains every running clock of the case day by day, for user (a case read,
// audited). The days are counted on the service's calendar (the stored notices over the built-in years),
// the calendar the case follows once a calendar change has reached it.
func (s *Service) ExplainDeadlines(ctx context.Context, user, id string) (DeadlineExplanation, error) {
	v, err := s.Load(ctx, user, id, policy.ActionCaseRead)
	if err != nil {
		return DeadlineExplanation{}, err
	}
	s.audit(ctx, user, string(policy.ActionCaseRead), v.HandlingNode, "case/"+v.ID+"/deadlines", auditRead, "explained deadlines")
	return ExplainClocks(s.calendar(), v), nil
}

// ExplainClocks counts the running clocks of v on cal; a pure function of its inputs.
func ExplainClocks(cal *deadline.Calendar, v View) DeadlineExplanation {
	out := DeadlineExplanation{CaseID: v.ID, Number: v.Number, Clocks: []ClockExplanation{}}
	for _, c := range v.Deadlines.Running {
		d := c.Duration
		if c.ExtraDays > 0 && d.Days > 0 {
			d.Days += c.ExtraDays
		}
		e := ClockExplanation{ClockDetail: c, Counting: cal.Explain(c.Start, d, c.Pauses), Rule: countingRule}
		if !c.Extension.IsZero() {
			ext := cal.ExplainExtension(e.Counting.Due, c.Extension)
			e.Extension = &ext
		}
		if c.DueAt != nil && !c.DueAt.IsZero() {
			last := deadline.LastDate(*c.DueAt)
			e.LastDayText = fmt.Sprintf("%d年%d月%d日（24:00）", last.Year(), int(last.Month()), last.Day())
		}
		out.Clocks = append(out.Clocks, e)
	}
	return out
}

// CalendarInput is one year of the State Council's notice as an administrator enters it: the holidays
// and the weekend days worked instead (调休), each a date "YYYY-MM-DD" or an inclusive range
// "YYYY-MM-DD..YYYY-MM-DD", as the notice gives them. It is the body of PUT /api/v1/calendars/{year}.
type CalendarInput struct {
	Holidays []string `json:"holidays"`
	Workdays []string `json:"workdays"`
}

// CalendarEntry is one year of the calendar as GET /api/v1/calendars lists it.
type CalendarEntry struct {
	Year int `json:"year"`
	// Source is where the year comes from: "notice" (saved by an administrator), "builtin" (shipped
	// with Fengqiao) or "statutory" (no notice: the statutory holidays stand in).
	Source string `json:"source"`
	// Provisional marks a year counted on the statutory stand-in: its deadlines move when its notice
	// is saved.
	Provisional bool     `json:"provisional"`
	Holidays    []string `json:"holidays"`
	Workdays    []string `json:"workdays"`
	// UpdatedBy and UpdatedAt say who saved a stored notice, and when.
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Calendar sources (CalendarEntry.Source).
const (
	CalendarSourceNotice    = "notice"
	CalendarSourceBuiltin   = "builtin"
	CalendarSourceStatutory = "statutory"
)

// CalendarSaved is the answer to saving a year: the year as stored and what became of the open cases.
type CalendarSaved struct {
	CalendarEntry
	// Cases counts the open cases that took the new year; Failed, those that refused it or could not be
	// reached (logged; saving the year again sends it again, and a case that has it ignores the repeat).
	Cases  int `json:"cases"`
	Failed int `json:"failed"`
}

// calendarBatch is how many open cases are read at a time when a year is sent to them, and
// calendarParallel how many updates are in flight at once.
const (
	calendarBatch    = 200
	calendarParallel = 8
)

// calendarSendTimeout bounds sending a saved year to the open cases; it goes on when the caller leaves.
const calendarSendTimeout = 10 * time.Minute

// ValidateCalendar checks one year of a notice and returns it with every day listed (ranges expanded)
// and sorted. Each problem is a field error naming the entry and the date: a bad date, a date outside
// the year, a date listed twice, a 调休 working day that is a weekday, a working day that is also a
// holiday, a year without holidays.
func ValidateCalendar(year int, in CalendarInput) (deadline.CalendarYear, error) {
	var v fengqiao.Validation
	if year < 1949 || year > 9999 {
		v.Add("year", "年份无效 (not a year): %d", year)
		return deadline.CalendarYear{}, v.Err()
	}
	expand := func(field string, list []string) map[string]string {
		at := map[string]string{} // date → the entry that listed it
		for i, s := range list {
			f := fmt.Sprintf("%s[%d]", field, i)
			days, err := expandDays(year, s)
			if err != nil {
				v.Add(f, "%v", err)
				continue
			}
			for _, d := range days {
				if first, ok := at[d]; ok {
					v.Add(f, "%s 重复列出，已见于 %s (listed twice)", d, first)
					continue
				}
				at[d] = f
			}
		}
		return at
	}
	holidays := expand("holidays", in.Holidays)
	workdays := expand("workdays", in.Workdays)
	v.Check(len(in.Holidays) > 0, "holidays", "至少列出一个节假日 (list at least one holiday)")
	for _, d := range sortedKeys(workdays) {
		t, _ := time.ParseInLocation(time.DateOnly, d, deadline.China)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			v.Add(workdays[d], "%s 是%s，调休上班日应为周六或周日 (is a %s: 调休 working days are Saturdays and Sundays)", d, weekdayZH[wd], wd)
		}
		if f, ok := holidays[d]; ok {
			v.Add(workdays[d], "%s 同时列为节假日（%s）(is also a holiday)", d, f)
		}
	}
	if err := v.Err(); err != nil {
		return deadline.CalendarYear{}, err
	}
	return deadline.CalendarYear{Year: year, Holidays: sortedKeys(holidays), Workdays: sortedKeys(workdays)}, nil
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// expandDays reads "a" or "a..b" (inclusive) and lists every date, all of which must lie in year.
func expandDays(year int, s string) ([]string, error) {
	from, to, isRange := strings.Cut(strings.TrimSpace(s), "..")
	parse := func(s string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), deadline.China)
		if err != nil {
			return t, fmt.Errorf("日期格式应为 YYYY-MM-DD (bad date %q)", s)
		}
		if t.Year() != year {
			return t, fmt.Errorf("%s 不在%d年内 (is not in %d)", t.Format(time.DateOnly), year, year)
		}
		return t, nil
	}
	a, err := parse(from)
	if err != nil {
		return nil, err
	}
	b := a
	if isRange {
		if b, err = parse(to); err != nil {
			return nil, err
		}
		if b.Before(a) {
			return nil, fmt.Errorf("区间结束早于开始 (range %q ends before it starts)", s)
		}
	}
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out, nil
}

// ParseCalendarText reads one year of a notice pasted as text, in either format:
//
//   - YAML as in cn-holidays.yaml: "holidays: [...]" and "workdays: [...]", optionally under the year
//     ("2028:"), which must then be year;
//   - CSV, one entry a line: "date-or-range,kind", kind being holiday (假, 休) or workday (班); a
//     header line "date,kind" and blank lines are skipped.
//
// The lists are returned as given; ValidateCalendar checks them.
func ParseCalendarText(year int, text string) (CalendarInput, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return CalendarInput{}, invalidField("text", "内容为空 (nothing pasted)")
	}
	first := strings.TrimSpace(strings.SplitN(text, "\n", 2)[0])
	if strings.Contains(first, ",") && !strings.Contains(first, ":") {
		return parseCalendarCSV(text)
	}
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return CalendarInput{}, invalidField("text", "不是有效的 YAML 或 CSV (neither YAML nor CSV): %v", err)
	}
	body := []byte(text)
	if len(doc) == 1 {
		for k, n := range doc {
			if k == "holidays" || k == "workdays" {
				break
			}
			if k != strconv.Itoa(year) {
				return CalendarInput{}, invalidField("text", "内容是 %s 年的，不是 %d 年 (the text is for %s, not %d)", k, year, k, year)
			}
			out, err := yaml.Marshal(&n)
			if err != nil {
				return CalendarInput{}, invalidField("text", "%v", err)
			}
			body = out
		}
	}
	var in CalendarInput
	dec := yaml.NewDecoder(strings.NewReader(string(body)))
	dec.KnownFields(true)
	if err := dec.Decode(&in); err != nil {
		return CalendarInput{}, invalidField("text", "应为 holidays 与 workdays 两个列表 (want holidays and workdays lists): %v", err)
	}
	return in, nil
}

func parseCalendarCSV(text string) (CalendarInput, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	records, err := r.ReadAll()
	if err != nil {
		return CalendarInput{}, invalidField("text", "CSV 无法读取 (bad CSV): %v", err)
	}
	var in CalendarInput
	for i, rec := range records {
		line := i + 1
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		if i == 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "date") {
			continue
		}
		if len(rec) != 2 {
			return CalendarInput{}, invalidField(fmt.Sprintf("text[line %d]", line), "每行应为“日期,类别” (want date,kind)")
		}
		date := strings.TrimSpace(rec[0])
		switch strings.ToLower(strings.TrimSpace(rec[1])) {
		case "holiday", "假", "休":
			in.Holidays = append(in.Holidays, date)
		case "workday", "班":
			in.Workdays = append(in.Workdays, date)
		default:
			return CalendarInput{}, invalidField(fmt.Sprintf("text[line %d]", line),
				"类别应为 holiday（假）或 workday（班） (kind must be holiday or workday): %q", rec[1])
		}
	}
	return in, nil
}

func invalidField(field, format string, args ...any) error {
	var v fengqiao.Validation
	v.Add(field, format, args...)
	return v.Err()
}

// ListCalendars lists the years the calendar knows: the notices administrators saved, the built-in ones
// they do not replace, and, for the years from last year to two years ahead that neither covers, the
// statutory stand-in (provisional). Any logged-in user may read it: it is the State Council's notice.
func (s *Service) ListCalendars(ctx context.Context) ([]CalendarEntry, error) {
	var stored []store.CalendarRow
	if s.DB != nil {
		var err error
		if stored, err = s.DB.Calendars(ctx); err != nil {
			return nil, err
		}
	}
	byYear := map[int]CalendarEntry{}
	for _, y := range s.Calendars.BaseCalendar().Years {
		src := CalendarSourceBuiltin
		if y.Provisional {
			src = CalendarSourceStatutory
		}
		byYear[y.Year] = CalendarEntry{Year: y.Year, Source: src, Provisional: y.Provisional,
			Holidays: nonNil(y.Holidays), Workdays: nonNil(y.Workdays)}
	}
	for _, r := range stored {
		at := r.UpdatedAt
		byYear[r.Year] = CalendarEntry{Year: r.Year, Source: CalendarSourceNotice, Holidays: nonNil(r.Holidays),
			Workdays: nonNil(r.Workdays), UpdatedBy: r.UpdatedBy, UpdatedAt: &at}
	}
	this := time.Now().In(deadline.China).Year()
	for y := this - 1; y <= this+2; y++ {
		if _, ok := byYear[y]; !ok {
			sy := deadline.StatutoryYear(y)
			byYear[y] = CalendarEntry{Year: y, Source: CalendarSourceStatutory, Provisional: true,
				Holidays: nonNil(sy.Holidays), Workdays: nonNil(sy.Workdays)}
		}
	}
	out := make([]CalendarEntry, 0, len(byYear))
	for _, e := range byYear {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b CalendarEntry) int { return a.Year - b.Year })
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PutCalendar saves one year of the State Council's notice for user (admin.calendar city-wide:
// the calendar is national): it validates the year, stores it (replacing a stored one), makes it the
// calendar new cases start with, audits the change, and sends it to every open case (the workflow's
// calendar update), which recounts its deadlines and puts each moved one on its timeline.
//
// All open cases are sent the year, not only those whose current clocks reach into it: a case keeps its
// own copy of the calendar, and a clock it starts later (a review window, a performance check) may run
// into the year. A case whose deadlines do not move records no event. Each update's id is derived from
// the year and its days, so a retry (or saving the same notice again) does not apply twice; a case
// that refuses is logged and counted in Failed, and the save stands.
func (s *Service) PutCalendar(ctx context.Context, user string, year int, in CalendarInput) (CalendarSaved, error) {
	y, err := ValidateCalendar(year, in)
	if err != nil {
		return CalendarSaved{}, err
	}
	ok, err := s.Authz.Can(user, policy.ActionAdminCalendar, policy.Global)
	if err != nil {
		return CalendarSaved{}, err
	}
	if !ok {
		s.audit(ctx, user, string(policy.ActionAdminCalendar), "", fmt.Sprintf("calendar/%d", year), auditDenied, "")
		return CalendarSaved{}, fengqiao.Errorf(fengqiao.ECodeForbidden, "只有全市管理员可维护节假日安排 (only a city-wide administrator keeps the holiday calendar)")
	}
	row := store.CalendarRow{Year: year, Holidays: y.Holidays, Workdays: y.Workdays, UpdatedBy: user,
		UpdatedAt: time.Now().UTC().Truncate(time.Second)}
	if err := s.DB.PutCalendar(ctx, row); err != nil {
		return CalendarSaved{}, err
	}
	if s.Calendars != nil {
		if _, err := s.Calendars.Reload(ctx); err != nil {
			s.log().Error("holiday calendar saved but not reloaded: new cases take it within a minute", "year", year, "error", err)
		}
	}
	s.audit(ctx, user, string(policy.ActionAdminCalendar), policy.Global, fmt.Sprintf("calendar/%d", year), auditOK,
		fmt.Sprintf("saved %d holidays, %d workdays", len(y.Holidays), len(y.Workdays)))
	out := CalendarSaved{CalendarEntry: CalendarEntry{Year: year, Source: CalendarSourceNotice,
		Holidays: nonNil(y.Holidays), Workdays: nonNil(y.Workdays), UpdatedBy: user, UpdatedAt: &row.UpdatedAt}}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), calendarSendTimeout)
	defer cancel()
	out.Cases, out.Failed, err = s.sendCalendar(sendCtx, y)
	if err != nil {
		s.log().Error("holiday calendar saved but not sent to every open case: save it again to resend", "year", year,
			"sent", out.Cases, "failed", out.Failed, "error", err)
	}
	return out, nil
}

// CalendarUpdateID is the update id of sending y to a case: the same year with the same days gives the
// same id, so the workflow applies it once however often it is sent.
func CalendarUpdateID(y deadline.CalendarYear) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d|%s|%s", y.Year, strings.Join(y.Holidays, ","), strings.Join(y.Workdays, ","))
	return fmt.Sprintf("calendar-%d-%x", y.Year, h.Sum(nil)[:8])
}

// sendCalendar sends y to every open case, calendarBatch at a time with calendarParallel in flight; it
// counts the cases that took it and those that failed. The error is from listing the cases, not from a case.
func (s *Service) sendCalendar(ctx context.Context, y deadline.CalendarYear) (sent, failed int, err error) {
	id := CalendarUpdateID(y)
	system := Actor{Username: "system"}
	args := &workflows.CalendarArgs{Years: []deadline.CalendarYear{y}}
	after := ""
	for {
		ids, err := s.DB.OpenCaseIDs(ctx, after, calendarBatch)
		if err != nil {
			return sent, failed, err
		}
		if len(ids) == 0 {
			return sent, failed, nil
		}
		after = ids[len(ids)-1]
		var wg sync.WaitGroup
		var mu sync.Mutex
		sem := make(chan struct{}, calendarParallel)
		for _, caseID := range ids {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				_, err := s.ActOnce(ctx, system, caseID, workflows.UpdateCalendar, args, id)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failed++
					s.log().Warn("holiday calendar not applied to a case", "case", caseID, "year", y.Year, "error", err)
					return
				}
				sent++
			}()
		}
		wg.Wait()
	}
}
