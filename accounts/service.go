package accounts

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fengqiao"
	"fengqiao/internal/ratelimit"
	"fengqiao/policy"
	"fengqiao/store"
)

// Service holds the account use cases. Build it with New, once per process, and give the same Service
// to both front ends.
type Service struct {
	db       *store.DB
	policy   *policy.Authorizer
	log      *slog.Logger
	tokenTTL time.Duration

	loginAddr *ratelimit.Keyed // login attempts per client address
	loginUser *ratelimit.Keyed // login attempts per username

	// dummyHash is compared against when a login names an unknown user; made on first need.
	dummyHash     []byte
	dummyHashOnce sync.Once
}

// Options are a Service's optional settings.
type Options struct {
	// Logger receives the service's logs; nil discards them.
	Logger *slog.Logger
	// TokenTTL is how long a login stays valid, as an API token or a web session (default 12 h).
	TokenTTL time.Duration
}

// DefaultTokenTTL is how long a login stays valid when Options.TokenTTL is zero.
const DefaultTokenTTL = 12 * time.Hour

// The login throttle: per client address 30 a minute after a burst of 20, per username 5 a minute.
const (
	loginAddrEvery, loginAddrBurst = 2 * time.Second, 20
	loginUserEvery, loginUserBurst = 12 * time.Second, 5
)

// New returns the Service over the database and the authorizer.
func New(db *store.DB, pol *policy.Authorizer, opts Options) *Service {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = DefaultTokenTTL
	}
	return &Service{db: db, policy: pol, log: opts.Logger, tokenTTL: opts.TokenTTL,
		loginAddr: ratelimit.New(loginAddrEvery, loginAddrBurst),
		loginUser: ratelimit.New(loginUserEvery, loginUserBurst)}
}

// Audit outcomes.
const (
	auditOK     = "ok"
	auditDenied = "denied"
)

var errForbidden = fengqiao.Errorf(fengqiao.ECodeForbidden, "your roles do not allow this")

// audit appends to the hash-chained audit log (PIPL 51): every change and every denial. detail must
// hold no personal data. The entry is written even if the client has gone; a failure is logged, not
// returned, since the action it records has already happened (or been refused).
func (s *Service) audit(ctx context.Context, actor string, action policy.Action, node, object, outcome, detail string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := s.db.Audit(ctx, store.AuditEntry{
		Actor: actor, Node: node, Action: string(action), Object: object, Outcome: outcome, Detail: detail,
	})
	if err != nil {
		s.log.Error("audit entry not written", "action", action, "object", object, "error", err)
	}
}

// authorize returns nil when actor may do action at node; otherwise it audits the denial of object
// and returns a forbidden error. An enforcer failure is returned as it is (a 500).
func (s *Service) authorize(ctx context.Context, actor string, action policy.Action, node, object string) error {
	ok, err := s.policy.Can(actor, action, node)
	if err != nil {
		return err
	}
	if !ok {
		s.audit(ctx, actor, action, node, object, auditDenied, "")
		return errForbidden
	}
	return nil
}

// Page is one page of a list: its items and the cursor of the next page, nil on the last page.
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next_cursor"`
}

// MaxPage is the largest page a list returns.
const MaxPage = 500

// checkLimit refuses a page size outside 1..MaxPage.
func checkLimit(limit int) error {
	var v fengqiao.Validation
	v.Check(limit >= 1 && limit <= MaxPage, "limit", "must be a whole number from 1 to %d", MaxPage)
	return v.Err()
}

// cut makes a Page of rows fetched with limit+1: at most limit items, and the key of the last one as
// the cursor when there were more.
func cut[T any](rows []T, limit int, key func(T) string) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	next := key(rows[limit-1])
	return Page[T]{Items: rows, Next: &next}
}
