package notify_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"fengqiao/activities"
	"fengqiao/deadline"
	"fengqiao/notify"
	"fengqiao/secret"
	"fengqiao/store"
	"fengqiao/store/storetest"
)

// fakeGateway speaks the SMS gateway's protocol: it verifies the signature, answers fail statuses
// first, then counts each idempotency key it accepted.
type fakeGateway struct {
	key  []byte
	mu   sync.Mutex
	fail int
	got  map[string]int
	bad  int
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	defer g.mu.Unlock()
	want := notify.SignSMS(g.key, r.Header.Get(notify.HeaderTimestamp), body)
	if !hmac.Equal([]byte(want), []byte(r.Header.Get(notify.HeaderSignature))) {
		g.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if g.fail > 0 {
		g.fail--
		http.Error(w, "down", http.StatusInternalServerError)
		return
	}
	var req notify.SMSRequest
	if err := json.Unmarshal(body, &req); err != nil || req.To == "" || req.IdempotencyKey == "" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	g.got[req.IdempotencyKey]++
}

// fakeRobot speaks DingTalk's robot protocol: timestamp and sign in the query, a text message body.
type fakeRobot struct {
	secret string
	mu     sync.Mutex
	fail   int
	got    []string
	bad    int
}

func (f *fakeRobot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		MsgType string                   `json:"msgtype"`
		Text    struct{ Content string } `json:"text"`
	}
	err := json.NewDecoder(r.Body).Decode(&msg)
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	if err != nil || msg.MsgType != "text" || q.Get("access_token") != "tok" ||
		q.Get("sign") != notify.SignDingTalk(f.secret, q.Get("timestamp")) {
		f.bad++
		fmt.Fprint(w, `{"errcode":310000,"errmsg":"sign not match"}`)
		return
	}
	if f.fail > 0 {
		f.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	f.got = append(f.got, msg.Text.Content)
	fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func keyring(t *testing.T) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// queue stores a sealed notice as the projection does.
func queue(t *testing.T, db *store.DB, keys *secret.Keyring, o store.OutboxRow) {
	t.Helper()
	if o.CreatedAt.IsZero() {
		o.CreatedAt = o.SendAfter
	}
	if err := o.Seal(keys); err != nil {
		t.Fatal(err)
	}
	if err := db.WithContext(context.Background()).Create(&o).Error; err != nil {
		t.Fatal(err)
	}
}

// phoneChannel texts every staff notice to a fixed number, standing in for staff phones, so that the
// worker's retries are seen at the SMS gateway.
type phoneChannel struct{ sms *notify.SMS }

func (p phoneChannel) Send(ctx context.Context, m notify.Message) error {
	m.Phone = "13800000000"
	return p.sms.Send(ctx, m)
}

func TestDeliveryWorkerSignsRetriesAndNeverSendsTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := keyring(t)
		gw := &fakeGateway{key: []byte("sms-key"), got: map[string]int{}, fail: 3}
		gws := httptest.NewServer(gw)
		defer gws.Close()
		robot := &fakeRobot{secret: "SECrobot", fail: 1}
		robots := httptest.NewServer(robot)
		defer robots.Close()

		clk := &clock{t: time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)} // Tuesday 10:00 China time
		for i := 0; i < 5; i++ {
			queue(t, db, keys, store.OutboxRow{IdemKey: fmt.Sprintf("c1/%d/1", i), CaseID: "c1", Kind: "assigned",
				RecipientUser: "li", Subject: "新案件", Body: fmt.Sprintf("第%d件", i), SendAfter: clk.Now().Add(-time.Minute)})
		}
		queue(t, db, keys, store.OutboxRow{IdemKey: "c1/9/1", CaseID: "c1", Kind: "routed", RecipientRole: "supervisor",
			RecipientNode: "330203", Subject: "案件已分流", SendAfter: clk.Now()})
		// a text to a party: the projection sends it, the worker leaves it
		queue(t, db, keys, store.OutboxRow{IdemKey: "c1/0/2", CaseID: "c1", Kind: "receipt", RecipientPhoneMasked: "138****0000",
			Subject: "受理回执", SendAfter: clk.Now()})

		newWorker := func() *notify.Worker {
			return &notify.Worker{DB: db, Keys: keys, Now: clk.Now, Channels: []notify.Channel{
				phoneChannel{&notify.SMS{URL: gws.URL, Key: []byte("sms-key"), Now: clk.Now}},
				&notify.DingTalk{Webhook: robots.URL + "/robot/send?access_token=tok", Secret: "SECrobot", Now: clk.Now},
			}}
		}
		w1, w2 := newWorker(), newWorker()
		for round := 0; round < 12; round++ {
			var wg sync.WaitGroup
			for _, w := range []*notify.Worker{w1, w2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := w.RunOnce(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			clk.Add(10 * time.Minute) // past every backoff so far
		}

		gw.mu.Lock()
		defer gw.mu.Unlock()
		if gw.bad != 0 || robot.bad != 0 {
			t.Fatalf("bad signatures: sms %d, robot %d", gw.bad, robot.bad)
		}
		if len(gw.got) != 6 {
			t.Fatalf("gateway got %d keys, want 6 (the party's text is the projection's): %v", len(gw.got), gw.got)
		}
		for k, n := range gw.got {
			if n != 1 {
				t.Errorf("%s texted %d times", k, n)
			}
		}
		if len(robot.got) != 1 || robot.got[0] != "案件已分流" {
			t.Errorf("robot got %q, want the one notice to supervisors", robot.got)
		}
		for i := 0; i < 5; i++ {
			d, err := db.NoticeDelivery(ctx, fmt.Sprintf("c1/%d/1", i))
			if err != nil {
				t.Fatal(err)
			}
			if d.DeliveredAt == nil || d.ClaimedUntil != nil {
				t.Errorf("%s: delivered %v, claimed until %v", d.IdemKey, d.DeliveredAt, d.ClaimedUntil)
			}
		}
		party, err := db.NoticeDelivery(ctx, "c1/0/2")
		if err != nil {
			t.Fatal(err)
		}
		if party.DeliveredAt != nil || party.Attempts != 0 {
			t.Errorf("party notice touched by the worker: %+v", party)
		}
	})
}

func TestDeliveryWorkerBacksOffAfterFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := keyring(t)
		gw := &fakeGateway{key: []byte("k"), got: map[string]int{}, fail: 2}
		gws := httptest.NewServer(gw)
		defer gws.Close()
		clk := &clock{t: time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)}
		queue(t, db, keys, store.OutboxRow{IdemKey: "c2/1/1", CaseID: "c2", Kind: "overdue", RecipientUser: "li",
			Urgent: true, Subject: "超期", SendAfter: clk.Now()})
		w := &notify.Worker{DB: db, Keys: keys, Now: clk.Now, FirstRetry: time.Minute,
			Channels: []notify.Channel{phoneChannel{&notify.SMS{URL: gws.URL, Key: []byte("k")}}}}

		steps := []struct {
			after         time.Duration
			delivered     int
			failed        int
			attempts      int
			nextAttemptIn time.Duration
		}{
			{0, 0, 1, 1, time.Minute},                     // 500: retry in 1 minute
			{30 * time.Second, 0, 0, 1, 30 * time.Second}, // not due yet
			{30 * time.Second, 0, 1, 2, 2 * time.Minute},  // 500 again: the delay doubles
			{2 * time.Minute, 1, 0, 2, 0},                 // delivered
			{time.Hour, 0, 0, 2, 0},                       // and never again
		}
		for i, s := range steps {
			clk.Add(s.after)
			delivered, failed, err := w.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			d, err := db.NoticeDelivery(ctx, "c2/1/1")
			if err != nil {
				t.Fatal(err)
			}
			if delivered != s.delivered || failed != s.failed || d.Attempts != s.attempts {
				t.Fatalf("step %d: delivered %d failed %d attempts %d, want %d %d %d", i, delivered, failed, d.Attempts,
					s.delivered, s.failed, s.attempts)
			}
			if s.nextAttemptIn > 0 && (d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(clk.Now().Add(s.nextAttemptIn))) {
				t.Fatalf("step %d: next attempt %v, want %v", i, d.NextAttemptAt, clk.Now().Add(s.nextAttemptIn))
			}
			if i == 3 && (d.DeliveredAt == nil || d.LastError != "") {
				t.Fatalf("step %d: %+v", i, d)
			}
			if i == 2 && d.LastError == "" {
				t.Fatalf("step %d: the failure is not recorded", i)
			}
		}
		if gw.got["c2/1/1"] != 1 {
			t.Errorf("texted %d times", gw.got["c2/1/1"])
		}
	})
}

func TestDeliveryWorkerHoldsNonUrgentNoticesToWorkingHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keys := keyring(t)
		cal := deadline.DefaultCalendar()
		early := time.Date(2026, 3, 3, 7, 0, 0, 0, deadline.China) // a Tuesday, before 08:30
		queue(t, db, keys, store.OutboxRow{IdemKey: "c3/1/1", CaseID: "c3", Kind: "assigned", RecipientUser: "li",
			Subject: "新案件", CreatedAt: early.UTC(), SendAfter: activities.WorkingHours(cal, early).UTC()})
		queue(t, db, keys, store.OutboxRow{IdemKey: "c3/1/2", CaseID: "c3", Kind: "escalated", RecipientUser: "wang",
			Urgent: true, Subject: "层级变更", CreatedAt: early.UTC(), SendAfter: early.UTC()})
		clk := &clock{t: early.Add(time.Hour)} // 08:00
		w := &notify.Worker{DB: db, Keys: keys, Now: clk.Now, Channels: []notify.Channel{&notify.Inbox{DB: db}}}

		if d, _, err := w.RunOnce(ctx); err != nil || d != 1 {
			t.Fatalf("at 08:00 delivered %d (%v), want the urgent one only", d, err)
		}
		if n, _ := db.UnreadCount(ctx, "li"); n != 0 {
			t.Fatalf("li has %d unread before 08:30", n)
		}
		if n, _ := db.UnreadCount(ctx, "wang"); n != 1 {
			t.Fatalf("wang has %d unread, want the urgent notice", n)
		}
		clk.Set(time.Date(2026, 3, 3, 8, 30, 0, 0, deadline.China))
		if d, _, err := w.RunOnce(ctx); err != nil || d != 1 {
			t.Fatalf("at 08:30 delivered %d (%v), want 1", d, err)
		}
		items, err := db.Inbox(ctx, "li", 10)
		if err != nil || len(items) != 1 {
			t.Fatalf("li's inbox: %v %v", items, err)
		}
		n := items[0].Notice
		if err := n.Open(keys); err != nil || n.Subject != "新案件" {
			t.Fatalf("notice %q: %v", n.Subject, err)
		}
		if err := db.MarkInboxRead(ctx, "wang", items[0].ID, clk.Now()); err != store.ErrNotFound {
			t.Fatalf("wang marked li's entry: %v", err)
		}
		if err := db.MarkInboxRead(ctx, "li", items[0].ID, clk.Now()); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.UnreadCount(ctx, "li"); n != 0 {
			t.Fatalf("li has %d unread after reading", n)
		}
	})
}
