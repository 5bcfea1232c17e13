package deadline

import (
	"slices"
	"sync"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// StatutoryYear is the stand-in for a year whose State Council notice is not (yet) in the calendar: the
// holidays of 全国年节及纪念日放假办法 (2024 revision) 第二条 — 元旦 1 January; 春节 4 days from 除夕; 清明
// 1 day (the day of the solar term); 劳动节 1-2 May; 端午 (lunar 5/5) 1 day; 中秋 (lunar 8/15) 1 day; 国庆
// 1-3 October — and, because 第六条 requires a holiday that falls on a Saturday or Sunday to be made up on
// a working day (补假), the first weekday after it that is not already a holiday. It lists no 调休
// working days: only the notice decides those. The year is marked Provisional.
//
// Lunar dates and the solar term come from github.com/6tail/lunar-go (pinned in go.mod), whose
// calendar gives the 2025 and 2026 notices' festival days exactly (TestStatutoryYearInsideTheNotices).
// The result depends only on year, so workflow code may call it.
func StatutoryYear(year int) CalendarYear { return sharedStatutoryYear(year).clone() }

// sharedStatutoryYear is the memoised StatutoryYear; callers must not change it.
func sharedStatutoryYear(year int) *CalendarYear {
	if v, ok := statutoryCache.Load(year); ok {
		return v.(*CalendarYear)
	}
	y := computeStatutoryYear(year)
	v, _ := statutoryCache.LoadOrStore(year, &y)
	return v.(*CalendarYear)
}

// statutoryCache memoises StatutoryYear, a pure function of the year: lunar dates are costly and
// IsWorkingDay asks for every day it counts.
var statutoryCache sync.Map

// Festival names, in the order of 放假办法 第二条.
const (
	FestivalNewYear      = "元旦"
	FestivalSpring       = "春节"
	FestivalQingming     = "清明节"
	FestivalLabour       = "劳动节"
	FestivalDragonBoat   = "端午节"
	FestivalMidAutumn    = "中秋节"
	FestivalNationalDay  = "国庆节"
	festivalMakeUpSuffix = "补假"
)

// statutoryDays lists the days of 放假办法 第二条 in year with the festival each belongs to (Spring
// Festival days from 除夕 may begin in the previous solar year and are then left out).
func statutoryDays(year int) []struct {
	date     time.Time
	festival string
} {
	var out []struct {
		date     time.Time
		festival string
	}
	add := func(t time.Time, f string) {
		if t.Year() == year {
			out = append(out, struct {
				date     time.Time
				festival string
			}{t, f})
		}
	}
	solar := func(s *calendar.Solar) time.Time {
		return time.Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay(), 0, 0, 0, 0, China)
	}
	add(time.Date(year, 1, 1, 0, 0, 0, 0, China), FestivalNewYear)
	// 除夕 is the day before lunar 1/1 (which falls between 21 January and 20 February).
	first := solar(calendar.NewLunarFromYmd(year, 1, 1).GetSolar())
	for i := -1; i < 3; i++ {
		add(first.AddDate(0, 0, i), FestivalSpring)
	}
	qm := calendar.NewLunarFromYmd(year, 1, 1).GetJieQiTable()["清明"]
	if qm != nil {
		add(solar(qm), FestivalQingming)
	}
	add(time.Date(year, 5, 1, 0, 0, 0, 0, China), FestivalLabour)
	add(time.Date(year, 5, 2, 0, 0, 0, 0, China), FestivalLabour)
	add(solar(calendar.NewLunarFromYmd(year, 5, 5).GetSolar()), FestivalDragonBoat)
	add(solar(calendar.NewLunarFromYmd(year, 8, 15).GetSolar()), FestivalMidAutumn)
	for d := 1; d <= 3; d++ {
		add(time.Date(year, 10, d, 0, 0, 0, 0, China), FestivalNationalDay)
	}
	return out
}

// statutoryFestivals maps each provisional holiday of year ("YYYY-MM-DD") to its festival, make-up
// days (补假) named "<festival>补假".
func statutoryFestivals(year int) map[string]string {
	days := statutoryDays(year)
	names := map[string]string{}
	for _, d := range days {
		names[d.date.Format(dateLayout)] = d.festival
	}
	// 第六条: a holiday on a Saturday or Sunday is made up on the next weekday that is no holiday.
	for _, d := range days {
		if wd := d.date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			continue
		}
		for t := d.date.AddDate(0, 0, 1); ; t = t.AddDate(0, 0, 1) {
			k := t.Format(dateLayout)
			if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			if _, taken := names[k]; taken {
				continue
			}
			if t.Year() == year {
				names[k] = d.festival + festivalMakeUpSuffix
			}
			break
		}
	}
	return names
}

func computeStatutoryYear(year int) CalendarYear {
	y := CalendarYear{Year: year, Provisional: true}
	for k := range statutoryFestivals(year) {
		y.Holidays = append(y.Holidays, k)
	}
	slices.Sort(y.Holidays)
	return y
}
