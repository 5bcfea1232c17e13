package policy

import "time"

func sleep10ms() { time.Sleep(10 * time.Millisecond) }

func n2Time() time.Time { return time.Now().UTC() }

// enforce asks Casbin itself (the model's matcher, with the same role manager). It is the reference
// the fast path is tested against; too slow (one matcher evaluation per p rule) for every request.
func (a *Authorizer) enforce(username string, action Action, node string) (bool, error) {
	a.mu.Lock() // Enforce is not documented as safe beside concurrent policy changes
	defer a.mu.Unlock()
	return a.st.enforcer.Enforce(username, node, string(action))
}
