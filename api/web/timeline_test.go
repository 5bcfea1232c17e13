package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
		{"a variant picks its own sentence", "zh", "closed", true, map[string]string{"outcome": "mediation_refused", "variant": "mediation_refused"}, "",
			"当事人拒绝调解，案件办结；已告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（《人民调解法》第十七条、第二十六条）"},
		{"an unknown variant falls back to the type's sentence", "zh", "closed", true, map[string]string{"outcome": "resolved", "variant": "resolved"}, "已履行完毕",
			"案件办结：调解成功：已履行完毕"},
		{"a timed escalation names the day its deadline ended and the system as actor", "zh", "escalated", true,
			map[string]string{"variant": "tier_overdue", "due": due, "from_body_name": "鼓楼街道人民调解委员会", "body_name": "海曙区矛调中心"}, "",
			"本层级办理期限已于2026年03月05日届满，由鼓楼街道人民调解委员会自动上报海曙区矛调中心（分级负责、逐级上报）"},
		{"a petition's day fact reads as a day", "zh", "report_back_overdue", true, map[string]string{"report_by": "2026-03-06"}, "",
			"交办事项逾期未反馈（反馈期限2026年03月06日）"},
		{"a lawful channel is named as a channel", "zh", "referred_out", true, map[string]string{"channel": "litigation"}, "",
			"不属于信访事项受理范围，导入诉讼途径办理（《信访工作条例》第三十一条）"},
		{"the system reads as 系统", "zh", "leader_report_due", true, map[string]string{"leader": "system"}, "", "包案领导系统的进展报告已到期"},
		{"a court is named by its node", "zh", "court_accepted", true, map[string]string{"court": "c1", "case_no": "（2026）浙0203民特1号"}, "",
			"海曙区人民法院受理司法确认申请，案号（2026）浙0203民特1号（《最高人民法院关于人民调解协议司法确认程序的若干规定》第四条）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &page{Lang: tc.lang, msgs: msgs, people: people, nameOf: func(u string) string { return u },
				nodeOf: func(code string) string { return map[string]string{"c1": "海曙区人民法院"}[code] }}
			if got := renderEvent(p, tc.typ, tc.structured, tc.args, tc.detail); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestEveryEventTheWorkflowWritesHasASentenceInBothLanguages reads the workflow's source: every event type
// it records (eventWith with a literal type, and the types it passes on: moves, forwards) has its
// label (ev.*) and its sentence (evt.*) in zh and en, so that no timeline line is left as a bare code.
func TestEveryEventTheWorkflowWritesHasASentenceInBothLanguages(t *testing.T) {
	msgs := newCatalogue()
	files, err := filepath.Glob("../../workflows/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflow source: %v", err)
	}
	types := map[string]bool{"escalated": true, "returned": true, "petition_forwarded": true,
		"petition_assigned": true, "petition_organ_decided": true}
	lit := regexp.MustCompile(`eventWith\(now, "([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			types[m[1]] = true
		}
	}
	for typ := range types {
		for _, key := range []string{"ev." + typ, "evt." + typ} {
			m, ok := msgs[key]
			if !ok || m[0] == "" || m[1] == "" {
				t.Errorf("%s: no message in zh and en", key)
				continue
			}
			if w := latinWordOf(dropPlaceholders(m[0])); w != "" {
				t.Errorf("%s: the Chinese sentence holds the Latin word %q: %s", key, w, m[0])
			}
		}
	}
}

// dropPlaceholders removes the {fact} placeholders of a sentence.
func dropPlaceholders(s string) string {
	return regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(s, "")
}

// latinWordOf is the first word in Latin letters of a Chinese text outside codes and numbers ("" when
// none), as the documents' test (latinIn) finds it.
func latinWordOf(text string) string {
	code := regexp.MustCompile(`[0-9A-Za-z-]*[0-9][0-9A-Za-z-]*|\b[A-Z]{8,}\b`)
	return regexp.MustCompile(`[A-Za-z]{2,}`).FindString(code.ReplaceAllString(text, " "))
}
