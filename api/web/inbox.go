package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"fengqiao"
	"fengqiao/notify"
	"fengqiao/store"
)

// inboxRow is one notice as the inbox page shows it.
type inboxRow struct {
	notify.Entry
	At string
}

// inboxPage lists the user's notices, newest first, unread ones marked.
func (h *handler) inboxPage(w http.ResponseWriter, r *http.Request) {
	page, err := notify.ReadInbox(r.Context(), h.DB, h.Cases.Keys, sessionOf(r).user.Username, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "inbox.title")
	p.Nav = "inbox"
	rows := make([]inboxRow, 0, len(page.Entries))
	for _, e := range page.Entries {
		rows = append(rows, inboxRow{Entry: e, At: fmtTime(&e.CreatedAt)})
	}
	p.Data = rows
	h.render(w, r, http.StatusOK, "inbox", p)
}

// inboxRead marks a notice of the user's inbox read and returns to the inbox.
func (h *handler) inboxRead(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = h.DB.MarkInboxRead(r.Context(), sessionOf(r).user.Username, id, time.Now())
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || id == 0 {
			err = fengqiao.Errorf(fengqiao.ECodeNotFound, "no such entry in your inbox")
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/inbox")
}

func addInboxMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"nav.inbox":     {"消息", "Inbox"},
		"inbox.title":   {"我的消息", "My notices"},
		"inbox.unread":  {"%d 条未读", "%d unread"},
		"inbox.empty":   {"暂无消息。", "No notices."},
		"inbox.read":    {"标为已读", "Mark read"},
		"inbox.isread":  {"已读", "read"},
		"inbox.case":    {"查看案件", "Open the case"},
		"inbox.urgent":  {"紧急", "urgent"},
		"inbox.at":      {"时间", "When"},
		"inbox.subject": {"内容", "Notice"},
		"inbox.kind":    {"类型", "Kind"},
	} {
		c[k] = v
	}
	kinds := map[string][2]string{
		"assigned": {"指派", "assignment"}, "routed": {"分流", "routing"}, "escalated": {"上报", "escalation"},
		"at_risk": {"临期", "deadline near"}, "overdue": {"超期", "overdue"}, "reopened": {"重新办理", "reopened"},
		"review_requested": {"复查复核", "review requested"}, "one_visit_breach": {"督办：重复来访", "supervision: repeat visit"},
		"mediation_failed": {"调解未成", "mediation failed"}, "follow_up_task": {"回访任务", "follow-up task"},
		"risk": {"风险", "risk"}, "risk_major": {"重大风险", "major risk"}, "risk_owner": {"风险责任", "risk owner"},
		"leader_took_case": {"领导包案", "leader took the case"}, "leader_report_due": {"包案报告到期", "leader report due"},
		"court_decision": {"司法确认结果", "court decision"}, "confirmation_request": {"司法确认申请", "confirmation request"},
	}
	for k, v := range kinds {
		c["notice."+k] = v
	}
}
