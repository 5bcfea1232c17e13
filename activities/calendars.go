package activities

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fengqiao/deadline"
	"fengqiao/store"
)

// CalendarMaxAge is how long Calendars keeps what it read before it reads the stored years again: a
// process that did not save a year itself counts on it at most this long after it was saved.
const CalendarMaxAge = time.Minute

// Calendars is the holiday calendar as administrators keep it: the years stored in the database (one
// State Council notice each) over a base calendar (the built-in years), with the statutory stand-in
// (deadline.StatutoryYear, provisional) for every year neither lists. New cases start with it, the
// projection counts working hours on it, and the explain view counts on it.
//
// It reads the stored years at most once per MaxAge; Reload reads them at once (the process that saved
// a year calls it). Safe for concurrent use; the calendar it returns is shared and must not be changed.
type Calendars struct {
	// DB holds the stored years; nil means none.
	DB *store.DB
	// Base is the calendar stored years are merged over; nil is deadline.DefaultCalendar().
	Base *deadline.Calendar
	// MaxAge is how long a read stays fresh; zero is CalendarMaxAge.
	MaxAge time.Duration
	// Logger receives a failed refresh (the last calendar read stays in use).
	Logger *slog.Logger

	mu   sync.Mutex
	cal  *deadline.Calendar
	read time.Time
}

// Get returns the current calendar, reading the stored years again when the last read is older than
// MaxAge. When that read fails and an earlier one succeeded, the earlier calendar is returned and the
// failure logged; without an earlier one, the error is returned.
func (c *Calendars) Get(ctx context.Context) (*deadline.Calendar, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	maxAge := c.MaxAge
	if maxAge <= 0 {
		maxAge = CalendarMaxAge
	}
	if c.cal != nil && time.Since(c.read) < maxAge {
		return c.cal, nil
	}
	cal, err := c.load(ctx)
	if err != nil {
		if c.cal != nil {
			if c.Logger != nil {
				c.Logger.Warn("holiday calendar not refreshed: counting on the last one read", "error", err)
			}
			c.read = time.Now() // try again after MaxAge, not on every call
			return c.cal, nil
		}
		return nil, err
	}
	c.cal, c.read = cal, time.Now()
	return cal, nil
}

// Reload reads the stored years now and returns the calendar they make.
func (c *Calendars) Reload(ctx context.Context) (*deadline.Calendar, error) {
	cal, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cal, c.read = cal, time.Now()
	c.mu.Unlock()
	return cal, nil
}

// Stored returns the years saved in the database, in order, without the base calendar's.
func (c *Calendars) Stored(ctx context.Context) ([]deadline.CalendarYear, error) {
	if c == nil || c.DB == nil {
		return nil, nil
	}
	rows, err := c.DB.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	years := make([]deadline.CalendarYear, 0, len(rows))
	for _, r := range rows {
		years = append(years, deadline.CalendarYear{Year: r.Year, Holidays: r.Holidays, Workdays: r.Workdays})
	}
	return years, nil
}

// BaseCalendar is the calendar stored years are merged over.
func (c *Calendars) BaseCalendar() *deadline.Calendar {
	if c == nil || c.Base == nil {
		return deadline.DefaultCalendar()
	}
	return c.Base
}

func (c *Calendars) load(ctx context.Context) (*deadline.Calendar, error) {
	years, err := c.Stored(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	cal := c.BaseCalendar().Merge(&deadline.Calendar{Years: years})
	cal.Fallback = deadline.FallbackStatutory
	return cal, nil
}
