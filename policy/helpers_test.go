package policy

import "time"

func sleep10ms() { time.Sleep(10 * time.Millisecond) }

func n2Time() time.Time { return time.Now().UTC() }

// enforce asks Casbin's enforcer directly, past the decision cache, in any role.
func (a *Authorizer) enforce(username string, action Action, node string) (bool, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.st.enforcer.Enforce(username, node, string(action), "")
}

// forgetDecisions empties the decision cache and Casbin's compiled matcher, as a change of the
// policy version does.
func (a *Authorizer) forgetDecisions() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.st.invalidate()
}
