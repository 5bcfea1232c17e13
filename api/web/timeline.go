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

// argPrefixes maps an argument to the catalogue prefix that names its values.
var argPrefixes = map[string]string{
	"tier": "tier.", "from_tier": "tier.", "to_tier": "tier.", "category": "cat.", "decision": "decision.",
	"channel": "channel.", "kind": "kind.", "status": "status.", "role": "role.", "party": "party.",
	"body_type": "body.", "outcome": "close.", "result": "result.", "route": "route.", "level": "level.",
	"risk": "risk.kind.", "session": "outcome.", "clock": "clock.kind.",
}

// personArgs are arguments holding a staff login.
var personArgs = map[string]bool{"user": true, "mediator": true, "assignee": true, "leader": true, "by": true}

// renderEvent is the sentence of one timeline event for the page's reader. structured says the event
// was stored with its facts (Args not empty, "{}" at least); an older event keeps its detail as written.
func renderEvent(p *page, typ string, structured bool, args map[string]string, detail string) string {
	if !structured {
		return eventDetail(p, typ, detail)
	}
	s := ""
	if _, ok := p.msgs["evt."+typ]; ok {
		s = fillArgs(p, p.T("evt."+typ), args)
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
	if pre, ok := argPrefixes[name]; ok {
		return p.TOr(pre+v, v)
	}
	if personArgs[name] {
		return p.Name(v)
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		if p.Lang == "en" {
			return deadline.LastDate(t).Format("2006-01-02")
		}
		return deadline.LastDate(t).Format("2006年01月02日")
	}
	return v
}

// bodyTypeMessages are the sentences of the events about bodies (the body types' names are "body.<type>",
// see addRoutingMessages).
func bodyTypeMessages(c catalogue) {
	c["evt.sep"] = [2]string{"：", ": "}
	c["evt.routed"] = [2]string{"分流至{body_name}，{tier}层级", "routed to {body_name}, {tier} tier"}
	c["evt.registered"] = [2]string{"{kind}{number}由{user}登记受理（首问负责）", "{kind} {number} registered by {user} (first contact is responsible)"}
	c["evt.assigned"] = [2]string{"调解员：{mediator}", "mediator: {mediator}"}
	c["evt.acknowledged"] = [2]string{"已签收上报案件", "escalation acknowledged"}
	c["evt.mediation_started"] = [2]string{"{user}接收案件，开始调解", "{user} accepted the case and began mediation"}
	c["evt.session"] = [2]string{"{held_at}调解，结果：{session}", "session on {held_at}: {session}"}
	c["evt.visit"] = [2]string{"当事人再次来访（{channel}）", "the party came again ({channel})"}
	c["evt.tier_at_risk"] = [2]string{"本层级办理期限{due}届满，即将到期", "the tier deadline ends on {due}"}
	c["evt.tier_overdue"] = [2]string{"本层级办理期限已届满，已是最高层级", "the tier deadline passed at the top tier"}
	c["evt.statutory_at_risk"] = [2]string{"{clock}{due}届满，即将到期", "{clock} ends on {due}"}
	c["evt.statutory_overdue"] = [2]string{"{clock}已于{due}届满", "{clock} ended on {due}"}
	c["evt.court_overdue"] = [2]string{"法院未在规定期限内处理（最高人民法院关于人民调解协议司法确认程序的若干规定第四、五条）", "the court did not act within its time limit (SPC 2011 arts. 4-5)"}
	c["evt.escalated"] = [2]string{"由{from_body_name}上报{body_name}", "escalated from {from_body_name} to {body_name}"}
	c["evt.returned"] = [2]string{"由{from_body_name}交办{body_name}", "sent down from {from_body_name} to {body_name}"}
}
