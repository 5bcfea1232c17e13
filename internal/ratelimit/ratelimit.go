// Package ratelimit keeps token buckets by key (an address, a username, a query code): the one limiter
// behind every throttle of both front ends (login, public queries, wrong phone digits). It counts per
// process: behind a load balancer each serve process counts for itself, which bounds guessing all the
// same.
package ratelimit

import (
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"fengqiao"
)

// Keyed is a set of token buckets, one per key, each refilled one token every Every up to Burst. Keys
// idle long enough to have earned every token back are forgotten. Safe for concurrent use.
type Keyed struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a Keyed limiter of burst tokens per key, refilled one every every.
func New(every time.Duration, burst int) *Keyed {
	return &Keyed{every: every, burst: burst, buckets: map[string]*bucket{}}
}

func (l *Keyed) bucket(key string, now time.Time) *bucket {
	if l.calls++; l.calls%1024 == 0 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.every*time.Duration(l.burst) {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b
}

// Allow takes a token for key. When none is left it takes nothing and says how long to wait.
func (l *Keyed) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	r := l.bucket(key, now).lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Spent reports whether key has no token left, without taking one, and how long until it has.
func (l *Keyed) Spent(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	tokens := l.bucket(key, now).lim.TokensAt(now)
	if tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - tokens) * float64(l.every))
}

// Take spends a token of key if one is left (a wrong guess counted against it).
func (l *Keyed) Take(key string) {
	l.Allow(key)
}

// Error is the rate_limited error for a caller who must wait: the message names the wait, and the
// retry_after detail (whole seconds) becomes the Retry-After header of the API and the pages.
func Error(wait time.Duration, message string) *fengqiao.Error {
	secs := strconv.Itoa(int(wait.Seconds()) + 1)
	return &fengqiao.Error{Code: fengqiao.ECodeRateLimited, Message: message,
		Details: map[string]string{"retry_after": secs}}
}

// Untouched reports whether key has every token (it has not been limited lately: no wrong guess, say).
func (l *Keyed) Untouched(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	b, ok := l.buckets[key]
	return !ok || b.lim.TokensAt(now) >= float64(l.burst)
}
