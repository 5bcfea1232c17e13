package web

import (
	"testing"
	"time"
)

func TestTimelineEventsRenderFromTheirFactsInTheReadersLanguage(t *testing.T) {
	msgs := newCatalogue() // the real catalogue: its evt.* sentences are what users read
	msgs["evt.test_moved"] = [2]string{"由{user}移交{body_name}（{tier}），{due}前办结", "moved by {user} to {body_name} ({tier}), due {due}"}
	people := map[string]string{"med": "王调解"}
	due := time.Date(2026, 3, 5, 16, 0, 0, 0, time.UTC).Format(time.RFC3339) // 24:00 of 5 March in China
	args := map[string]string{"user": "med", "body_name": "海曙区医疗纠纷人民调解委员会", "tier": "county", "due": due}
	for _, tc := range []struct {
		name, lang, typ string
		structured      bool
		args            map[string]string
		detail, want    string
	}{
		{"zh facts and the person's words", "zh", "test_moved", true, args, "双方同意",
			"由王调解移交海曙区医疗纠纷人民调解委员会（县（区）），2026年03月05日前办结：双方同意"},
		{"en facts", "en", "test_moved", true, args, "",
			"moved by 王调解 to 海曙区医疗纠纷人民调解委员会 (county), due 2026-03-05"},
		{"a missing fact is a dash, never a placeholder", "zh", "test_moved", true, map[string]string{}, "",
			"由—移交—（—），—前办结"},
		{"an event without a message shows only the person's words", "zh", "unknown_kind", true, nil, "备注", "备注"},
		{"a mediation session as the workflow records it", "zh", "session", true,
			map[string]string{"held_at": "2026-03-05T10:00:00+08:00", "session": "continue"}, "双方到场",
			"2026年03月05日调解，结果：继续调解：双方到场"},
		{"an event stored before facts keeps its detail", "zh", "routed", false, nil, "routed to village 1", "routed to village 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &page{Lang: tc.lang, msgs: msgs, people: people, nameOf: func(u string) string { return u }}
			if got := renderEvent(p, tc.typ, tc.structured, tc.args, tc.detail); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
