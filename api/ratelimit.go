package api

import (
	"strconv"
	"sync"
	"time"

	"fengqiao"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// limiter is a set of token buckets by key (an address, a username, a query code). It is per process:
// behind a load balancer each serve process counts for itself, which bounds guessing all the same.
type limiter struct {
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

func newLimiter(every time.Duration, burst int) *limiter {
	return &limiter{every: every, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key; false means the caller must wait (and how long).
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.calls++; l.calls%1024 == 0 { // forget idle keys now and then
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*l.every*time.Duration(l.burst) {
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
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limits are the server's rate limits.
type limits struct {
	loginAddr  *limiter // login attempts per client address
	loginUser  *limiter // login attempts per username
	publicAddr *limiter // public queries per client address
}

func newLimits() *limits {
	return &limits{
		loginAddr:  newLimiter(2*time.Second, 20), // 30 a minute after a burst of 20
		loginUser:  newLimiter(12*time.Second, 5), // 5 a minute per account
		publicAddr: newLimiter(time.Second, 30),   // 60 a minute after a burst of 30
	}
}

// limited answers 429 with Retry-After when key has no token left, and reports whether it did.
func (s *Server) limited(c *gin.Context, l *limiter, key string) bool {
	ok, wait := l.allow(key)
	if ok {
		return false
	}
	c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	s.fail(c, fengqiao.Errorf(fengqiao.ECodeRateLimited, "too many attempts; try again in %d seconds", int(wait.Seconds())+1))
	return true
}
