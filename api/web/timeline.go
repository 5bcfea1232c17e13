package web

import (
	"strings"
	"time"

	"fengqiao/deadline"
)

// A timeline event is stored as its type and its facts (store.EventRow.Args); its sentence is the
// catalogue's "evt.<type>" message with {name} placeholders filled from the facts, in the reader's
// language. A fact whose value is a code (a tier, a category, a decision) is shown as the catalogue
// names it; a date as a date; a staff login as the person's name. What a person wrote (a reason, a
// note) follows the sentence. Events stored before facts existed keep their detail as it was written.

// argPrefixes maps an argument to the catalogue prefixes that name its values, the first that knows
// the value wins (a channel is a way of contact, or on a petition referred out the lawful channel).
var argPrefixes = map[string][]string{
	"tier": {"tier."}, "from_tier": {"tier."}, "to_tier": {"tier."}, "category": {"cat."}, "decision": {"decision."},
	"channel": {"channel.", "lawful."}, "kind": {"kind."}, "status": {"status."}, "role": {"role."}, "party": {"party."},
	"body_type": {"body."}, "outcome": {"close."}, "result": {"result."}, "route": {"route."}, "level": {"level."},
	"risk": {"risk."}, "session": {"outcome."}, "clock": {"clock.kind."}, "form": {"form."},
	"performed": {"performed."}, "ground": {"notaccept."}, "mode": {"mode."},
}

// personArgs are arguments holding a staff login ("system" for the workflow's own steps).
var personArgs = map[string]bool{"user": true, "mediator": true, "assignee": true, "leader": true, "by": true}

// nodeArgs are arguments holding the code of a node of the jurisdiction tree (a court, a level reported to).
var nodeArgs = map[string]bool{"court": true, "reported_to": true}

// dayLayout is a day as the petition track writes its facts ("2026-03-06", the last day of a period).
const dayLayout = "2006-01-02"

// eventKey is the catalogue key of an event's sentence: its variant's, when the catalogue has one.
func eventKey(p *page, typ string, args map[string]string) string {
	if v := args["variant"]; v != "" {
		if p.has("evt." + typ + "." + v) {
			return "evt." + typ + "." + v
		}
	}
	return "evt." + typ
}

// renderEvent is the sentence of one timeline event for the page's reader. structured says the event
// was stored with its facts (Args not empty, "{}" at least); an older event keeps its detail as written.
func renderEvent(p *page, typ string, structured bool, args map[string]string, detail string) string {
	if !structured {
		return eventDetail(p, typ, detail)
	}
	s := ""
	if key := eventKey(p, typ, args); p.has(key) {
		s = fillArgs(p, p.T(key), args)
	}
	if detail != "" {
		if s != "" {
			s += p.T("evt.sep")
		}
		s += detail
	}
	return s
}

// fillArgs replaces every {name} of s with the argument's value as the reader should see it.
func fillArgs(p *page, s string, args map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(argText(p, s[i+1:i+j], args[s[i+1:i+j]]))
		s = s[i+j+1:]
	}
}

// argText is one fact as the reader sees it.
func argText(p *page, name, v string) string {
	if v == "" {
		return "—"
	}
	for _, pre := range argPrefixes[name] {
		if p.has(pre + v) {
			return p.T(pre + v)
		}
	}
	switch {
	case personArgs[name]:
		return p.Name(v)
	case nodeArgs[name]:
		return p.NodeName(v)
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return p.Day(deadline.LastDate(t))
	}
	if t, err := time.Parse(dayLayout, v); err == nil {
		return p.Day(t)
	}
	return v
}
