package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"
)

// Message is one notice as a channel sends it.
type Message struct {
	// Key is the notice's idempotency key; adapters pass it to their gateway.
	Key    string
	CaseID string
	Kind   string
	Urgent bool
	// Subject and Body are the notice's text, opened.
	Subject string
	Body    string
	// User, Role and Node are whom the workflow addressed: a user, or a role at a node.
	User string
	Role fengqiao.Role
	Node string
	// Users are the staff accounts the notice reaches: User, or every holder of Role covering Node.
	Users []string
	// Phone is the number to text (parties only; staff notices carry none).
	Phone string
}

// Text is the message as one line of text: subject, then body.
func (m Message) Text() string {
	if m.Body == "" {
		return m.Subject
	}
	return m.Subject + "：" + m.Body
}

// Channel delivers a message one way. Send returns nil for a message that is not for it (an SMS
// without a phone, a notice to one person for a group robot). A returned error makes the Worker try
// the notice again later through this channel and the ones after it (not the ones that took it); a
// worker that dies between a send and its record sends again, so adapters pass the key along.
type Channel interface {
	Send(ctx context.Context, m Message) error
}

// Directory names the staff accounts a notice reaches.
type Directory interface {
	Recipients(ctx context.Context, user string, role fengqiao.Role, node string) ([]string, error)
}

// Defaults of a Worker's zero fields.
const (
	DefaultLease    = time.Minute
	DefaultBatch    = 50
	DefaultInterval = 10 * time.Second
	// DefaultFirstRetry is the delay after the first failure; it doubles with each further failure
	// up to DefaultMaxRetry.
	DefaultFirstRetry = 30 * time.Second
	DefaultMaxRetry   = time.Hour
)

// Worker delivers due notices from the outbox.
type Worker struct {
	DB   *store.DB
	Keys store.Sealer
	// Directory expands a notice's addressee into accounts.
	Directory Directory
	// Channels are tried in order.
	Channels []Channel
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Lease is how long a claim holds a notice; a notice whose worker died is due again after it.
	Lease time.Duration
	// Batch is how many notices one round picks at most.
	Batch int
	// FirstRetry and MaxRetry bound the delay before a failed notice is tried again.
	FirstRetry, MaxRetry time.Duration
	Logger               *slog.Logger
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (w *Worker) log() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Backoff is the delay before the next try of a notice that has failed attempts times (1 or more).
func (w *Worker) Backoff(attempts int) time.Duration {
	d, max := orDefault(w.FirstRetry, DefaultFirstRetry), orDefault(w.MaxRetry, DefaultMaxRetry)
	for i := 1; i < attempts && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// RunOnce delivers the notices due now and reports how many it delivered and how many failed. A
// notice another worker holds is left to it.
func (w *Worker) RunOnce(ctx context.Context) (delivered, failed int, err error) {
	batch := w.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	due, err := w.DB.DueNotices(ctx, w.now(), batch)
	if err != nil {
		return 0, 0, err
	}
	lease := orDefault(w.Lease, DefaultLease)
	for _, listed := range due {
		if ctx.Err() != nil {
			return delivered, failed, ctx.Err()
		}
		d, ok, err := w.DB.ClaimNotice(ctx, listed.ID, w.now(), lease)
		if err != nil {
			return delivered, failed, err
		}
		if !ok {
			continue
		}
		// a send that outlives the claim could overlap another worker's: stop it well before
		sendCtx, cancel := context.WithTimeout(ctx, lease/2)
		done, serr := w.deliver(sendCtx, d)
		cancel()
		if serr != nil {
			failed++
			next := w.now().Add(w.Backoff(d.Attempts + 1))
			w.log().Warn("notice not delivered", "key", d.IdemKey, "attempt", d.Attempts+1, "retry_at", next, "error", serr)
			if err := w.DB.MarkNoticeFailed(ctx, d.ID, next, serr.Error(), done); err != nil {
				return delivered, failed, err
			}
			continue
		}
		if err := w.DB.MarkNoticeDelivered(ctx, d.ID, w.now()); err != nil {
			return delivered, failed, err
		}
		delivered++
	}
	return delivered, failed, nil
}

// deliver sends one claimed notice through every channel that has not taken it yet, and returns the
// channels that have (comma-separated names).
func (w *Worker) deliver(ctx context.Context, d store.Delivery) (string, error) {
	done := d.ChannelsDone
	n := d.OutboxRow
	if err := n.Open(w.Keys); err != nil {
		return done, fmt.Errorf("open: %w", err)
	}
	m := Message{Key: n.IdemKey, CaseID: n.CaseID, Kind: n.Kind, Urgent: n.Urgent, Subject: n.Subject, Body: n.Body,
		User: n.RecipientUser, Role: fengqiao.Role(n.RecipientRole), Node: n.RecipientNode}
	if w.Directory != nil {
		users, err := w.Directory.Recipients(ctx, m.User, m.Role, m.Node)
		if err != nil {
			return done, fmt.Errorf("recipients: %w", err)
		}
		m.Users = users
	} else if m.User != "" {
		m.Users = []string{m.User}
	}
	for _, c := range w.Channels {
		name := channelName(c)
		if slices.Contains(strings.Split(done, ","), name) {
			continue
		}
		if err := c.Send(ctx, m); err != nil {
			return done, fmt.Errorf("%s: %w", name, err)
		}
		if done != "" {
			done += ","
		}
		done += name
	}
	return done, nil
}

// Named is a Channel with a stable name; the Worker records by it which channels took a notice.
type Named interface {
	Name() string
}

func channelName(c Channel) string {
	if n, ok := c.(Named); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", c)
}

// Run delivers due notices every interval (DefaultInterval when zero) until ctx ends, logging
// failures; the next round tries again.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	interval = orDefault(interval, DefaultInterval)
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
			w.log().Error("notice delivery failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// Grants is what Staff needs of the policy: the grants of a user and the path of a node
// (*policy.Authorizer).
type Grants interface {
	Grants(username string) []fengqiao.Grant
	PathOf(code string) (string, bool)
}

// Staff is the Directory over the accounts and the policy's grants: a notice to a user reaches that
// user; a notice to a role at a node reaches every enabled account holding that role at the node, at
// one of its ancestors or globally.
type Staff struct {
	DB     *store.DB
	Policy Grants
}

// Recipients implements Directory.
func (s *Staff) Recipients(ctx context.Context, user string, role fengqiao.Role, node string) ([]string, error) {
	if user != "" {
		return []string{user}, nil
	}
	if role == "" {
		return nil, nil
	}
	path, ok := s.Policy.PathOf(node)
	if !ok {
		return nil, nil
	}
	var out []string
	after := ""
	for {
		page, err := s.DB.Users(ctx, after, 500)
		if err != nil {
			return nil, err
		}
		for _, u := range page {
			if u.Disabled {
				continue
			}
			for _, g := range s.Policy.Grants(u.Username) {
				if g.Role == role && (g.Node == policy.Global || strings.Contains(path, "/"+g.Node+"/")) {
					out = append(out, u.Username)
					break
				}
			}
		}
		if len(page) < 500 {
			return out, nil
		}
		after = page[len(page)-1].Username
	}
}

// Inbox is the in-app channel: it puts a notice into the inbox of every account it reaches.
type Inbox struct {
	DB *store.DB
}

// Send implements Channel.
func (c *Inbox) Send(ctx context.Context, m Message) error {
	if len(m.Users) == 0 {
		return nil
	}
	n, err := c.DB.NoticeDelivery(ctx, m.Key)
	if err != nil {
		return err
	}
	return c.DB.AddToInbox(ctx, n.OutboxRow, m.Users)
}

// Name implements Named.
func (c *Inbox) Name() string { return "inbox" }
