package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"go.temporal.io/sdk/temporal"

	"fengqiao"
	"fengqiao/deadline"
	"fengqiao/secret"
	"fengqiao/store"
)

// SMSGateway sends a text message to a party.
type SMSGateway interface {
	Send(ctx context.Context, key, phone, text string) error
}

// Court receives judicial confirmation requests (PML 33). The dev implementation does nothing: the
// court officer acts in Fengqiao itself through the court-decision update.
type Court interface {
	Submit(ctx context.Context, req CourtRequest) error
}

// Activities holds the dependencies of the case workflow's side effects.
type Activities struct {
	DB     *store.DB
	Keys   *secret.Keyring
	SMS    SMSGateway // nil: the in-app inbox (InboxSMS)
	Court  Court      // nil: the court acts in Fengqiao itself
	Logger *slog.Logger
	// CalendarFile is a holiday calendar in the cn-holidays.yaml format; empty uses the built-in one.
	// Ignored when Calendars is set.
	CalendarFile string
	// Calendars, when set, is the calendar administrators keep (stored years over the built-in ones).
	Calendars *Calendars
}

func (a *Activities) log() *slog.Logger {
	if a.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Logger
}

// ResolveChain returns the location's chain of ancestors, root first, the location last.
func (a *Activities) ResolveChain(ctx context.Context, location string) ([]fengqiao.ChainNode, error) {
	chain, err := ResolveChain(ctx, a.DB, location)
	if errors.Is(err, store.ErrNotFound) {
		return nil, temporal.NewNonRetryableApplicationError("no such location "+location, string(fengqiao.ECodeInvalid), err)
	}
	return chain, err
}

// ResolveChain reads the location's chain of ancestors, root first, the location last: the workflow's
// activity, and the cases service when it opens a case.
func ResolveChain(ctx context.Context, db *store.DB, location string) ([]fengqiao.ChainNode, error) {
	nodes, err := db.Chain(ctx, location)
	if errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("resolve chain: %w", err)
	}
	chain := make([]fengqiao.ChainNode, len(nodes))
	for i, n := range nodes {
		chain[i] = fengqiao.ChainNode{Code: n.Code, Name: n.Name, Tier: n.Tier, Path: n.Path}
	}
	return chain, nil
}

// LoadCalendar loads the holiday calendar; years from..to that it does not cover are counted on the
// statutory holidays (provisional), and the log says so.
func (a *Activities) LoadCalendar(ctx context.Context, from, to int) (*deadline.Calendar, error) {
	cal, err := a.calendar()
	if err != nil {
		return nil, err
	}
	start := time.Date(from, 1, 1, 0, 0, 0, 0, deadline.China)
	end := time.Date(to, 12, 31, 0, 0, 0, 0, deadline.China)
	if missing := cal.MissingYears(start, end); len(missing) > 0 {
		a.log().Warn("holiday calendar does not cover these years: working days are counted on the statutory holidays (provisional)",
			"years", missing, "file", a.CalendarFile)
	}
	return cal, nil
}

// calendar returns the calendar administrators keep when Calendars is set, else reads the configured
// calendar file, else returns the built-in calendar.
func (a *Activities) calendar() (*deadline.Calendar, error) {
	if a.Calendars != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return a.Calendars.Get(ctx)
	}
	if a.CalendarFile == "" {
		return deadline.DefaultCalendar(), nil
	}
	data, err := os.ReadFile(a.CalendarFile)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	cal, err := deadline.ParseCalendar(data)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError("calendar "+a.CalendarFile+": "+err.Error(), "calendar_invalid", err)
	}
	return cal, nil
}

// SendToCourt hands a confirmation request to the court (idempotent for the court: keyed by case).
func (a *Activities) SendToCourt(ctx context.Context, req CourtRequest) error {
	if a.Court == nil {
		a.log().Info("judicial confirmation request awaits the court officer in Fengqiao", "case", req.CaseID, "court", req.Court)
		return nil
	}
	if err := a.Court.Submit(ctx, req); err != nil {
		return fmt.Errorf("send to court %s: %w", req.Court, err)
	}
	return nil
}
