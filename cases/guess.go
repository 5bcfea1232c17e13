package cases

import (
	"strings"
	"sync"
	"time"

	"fengqiao"

	"golang.org/x/time/rate"
)

// GuessLimit is how many wrong phone digits a query code may take before it is locked: five, and one
// more every 12 minutes. Four digits are 10,000 guesses, so a code cannot be opened by trying, whether
// the guesses come through the API or the public web page. The count is per process.
const GuessLimit = 5

// guesses counts wrong answers per query code.
type guesses struct {
	mu    sync.Mutex
	codes map[string]*rate.Limiter
}

func (g *guesses) limiter(code string) *rate.Limiter {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.codes == nil {
		g.codes = map[string]*rate.Limiter{}
	}
	if len(g.codes) > 100_000 { // forget codes that have earned their tokens back
		for k, l := range g.codes {
			if l.Tokens() >= GuessLimit {
				delete(g.codes, k)
			}
		}
	}
	l, ok := g.codes[code]
	if !ok {
		l = rate.NewLimiter(rate.Every(12*time.Minute), GuessLimit)
		g.codes[code] = l
	}
	return l
}

var errLocked = fengqiao.Errorf(fengqiao.ECodeRateLimited, "too many wrong attempts for this query code; try again later")

// locked reports whether the code has no wrong guesses left.
func (g *guesses) locked(code string) bool {
	return g.limiter(strings.ToUpper(code)).Tokens() < 1
}

// miss spends one wrong guess of the code.
func (g *guesses) miss(code string) {
	g.limiter(strings.ToUpper(code)).Allow()
}
