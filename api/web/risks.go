package web

import (
	"context"
	"net/http"

	"fengqiao"
	"fengqiao/cases"
	"fengqiao/workflows"
)

// addRiskMessages adds the messages of risks and leaders (DESIGN §3 rule 9) to the catalogue.
func addRiskMessages(c catalogue) {
	for key, m := range map[string][2]string{
		"act.risk-mark":        {"登记风险苗头", "Record a risk sign"},
		"act.risk-owner":       {"确定风险责任人", "Name the risk owner"},
		"act.risk-plan":        {"记录稳控化解措施", "Record a measure"},
		"act.risk-close":       {"风险销号", "Close a risk"},
		"act.take-case":        {"领导包案", "Take the case (包案)"},
		"act.leader-report":    {"包案进展报告", "Report progress"},
		"f.violence":           {"有暴力或个人极端苗头", "Signs of violence or extreme acts"},
		"f.group":              {"群体性事项", "Group matter"},
		"f.kind":               {"风险类别", "Risk kind"},
		"f.owner":              {"责任人", "Owner"},
		"f.measure":            {"稳控化解措施", "Measure"},
		"f.review_at":          {"下次研判时间", "Next review"},
		"f.received_by":        {"接访领导", "Received by (leader)"},
		"risk.all":             {"全部在管风险", "every open risk"},
		"risk.violence":        {"暴力倾向/极端行为", "violence or extreme acts"},
		"risk.group":           {"群体性", "group matter"},
		"risk.skip_level":      {"越级访", "skipping levels"},
		"risk.repeat":          {"重复访", "repeated visits"},
		"risk.stale":           {"积案", "backlog"},
		"risk.several_matters": {"一人多事", "several matters"},
		"ev.risk_raised":       {"风险预警", "risk raised"},
		"ev.risk_owner":        {"确定风险责任人", "risk owner"},
		"ev.risk_plan":         {"稳控化解措施", "risk measure"},
		"ev.risk_closed":       {"风险销号", "risk closed"},
		"ev.leader_took_case":  {"领导包案", "leader took the case"},
		"ev.leader_report":     {"包案进展", "leader's progress"},
		"ev.leader_report_due": {"包案进展报告到期", "progress report due"},
		"nav.risks":            {"风险管控", "Risks"},
		"risks.title":          {"风险管控台账", "Risk board"},
		"risks.leader":         {"包案领导：%s", "Leader in charge: %s"},
		"risks.leader_taken":   {"已有领导包案，负责协调化解。", "A leader has taken charge of your case."},
		"risks.none":           {"辖区内没有在管风险", "No open risk in your jurisdiction"},
		"risks.severity":       {"等级", "Severity"},
		"risks.severity.3":     {"重大", "major"},
		"risks.severity.2":     {"较大", "high"},
		"risks.severity.1":     {"一般", "ordinary"},
		"risks.kind":           {"风险类别", "Kind"},
		"risks.since":          {"发现时间", "Found"},
		"risks.age":            {"已持续（天）", "Age (days)"},
		"risks.owner":          {"责任人", "Owner"},
		"risks.review":         {"下次研判", "Next review"},
		"risks.case_risks":     {"风险预警", "Risks"},
		"risks.closed":         {"已销号 %s", "closed %s"},
		"stats.risks_raised":   {"发现风险", "Risks found"},
		"stats.risks_closed":   {"风险销号", "Risks closed"},
		"stats.risks_days":     {"平均销号用时（天）", "Mean days to close"},
		"stats.risks_open":     {"在管风险", "Open risks"},
		"stats.risks_age":      {"在管风险平均已持续（天）", "Mean age of open risks (days)"},
		"risks.bulk":           {"批量确定风险责任人", "Name the owner of the selected risks"},
		"risks.bulk_hint":      {"所选案件的该类在管风险（或全部在管风险）将由此人负责。", "The chosen open risks of the selected cases go to this owner."},
	} {
		c[key] = m
	}
}

// riskRow is one risk on the board page.
type riskRow struct {
	cases.RiskItem
	Handling, Leader, Since, Review string
	// OwnerName is the risk owner as people know them (their name), never their login.
	OwnerName string
}

// risksData is the risk board page.
type risksData struct {
	Node    string
	Nodes   []nodeOption
	Rows    []riskRow
	Kinds   []cases.Option
	Results []bulkResult
}

// risksPage is the risk board (风险管控台账): the open risks of the caller's subtree (or of ?node= in
// it), most severe first, then the oldest, with a bulk form naming their owner.
func (h *handler) risksPage(w http.ResponseWriter, r *http.Request) {
	h.showRisks(w, r, http.StatusOK, r.URL.Query().Get("node"), nil)
}

func (h *handler) showRisks(w http.ResponseWriter, r *http.Request, status int, node string, results []bulkResult) {
	user := sessionOf(r).user.Username
	items, err := h.Cases.Risks(r.Context(), user, node, false, 500)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "risks.title")
	p.Nav = "risks"
	d := risksData{Node: node, Results: results, Kinds: cases.FormOf(workflows.UpdateRiskOwner)[0].Options}
	if d.Nodes, err = h.supervisableNodes(r, user, node); err != nil {
		h.fail(w, r, err)
		return
	}
	names := h.names(r.Context())
	for _, it := range items {
		row := riskRow{RiskItem: it, Handling: names.label(it.HandlingNode), Since: fmtTime(&it.Since), Review: fmtTime(it.ReviewAt)}
		if it.Leader != "" {
			row.Leader = h.displayName(r.Context(), it.Leader)
		}
		if it.Owner != "" {
			row.OwnerName = h.displayName(r.Context(), it.Owner)
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	h.render(w, r, status, "risks", p)
}

// risksBulk names the owner of the chosen cases' risks (the bulk action risk-owner, through
// cases.Service.Bulk: each case authorized on its own) and shows the board with a result per case.
func (h *handler) risksBulk(w http.ResponseWriter, r *http.Request) {
	user := sessionOf(r).user.Username
	outcomes, err := h.Cases.Bulk(r.Context(), user, r.PostForm["case_ids"], workflows.UpdateRiskOwner, formArgs(r.PostForm), r.PostFormValue("idem"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "risks.title")
	results := h.bulkResults(p, outcomes, workflows.UpdateRiskOwner)
	h.showRisks(w, r, http.StatusOK, r.PostFormValue("node"), results)
}

// displayName is a user's display name, or the username when the user has none or is unknown.
func (h *handler) displayName(ctx context.Context, username string) string {
	u, err := h.DB.User(ctx, username)
	if err != nil || u.DisplayName == "" {
		return username
	}
	return u.DisplayName
}

// markRows adds to case list rows the kinds of their open risks and the name of their leader (包案).
// Marks are a help to the eye: a failure to read them leaves the rows without and is logged.
func (h *handler) markRows(ctx context.Context, rows []caseRowView) {
	if len(rows) == 0 {
		return
	}
	ids := make([]string, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	marks, err := h.DB.Marks(ctx, ids)
	if err != nil {
		h.log.Error("risk marks not read", "error", err)
		return
	}
	leaders := map[string]string{}
	for i := range rows {
		m := marks[rows[i].ID]
		rows[i].Risks = m.Risks
		if m.Filed && rows[i].Kind == string(fengqiao.KindCourtReferral) && rows[i].Status == "returned_for_filing" {
			rows[i].Status = "court_filed" // as the case page reads it (statusKey)
		}
		if m.Leader != "" {
			if _, ok := leaders[m.Leader]; !ok {
				leaders[m.Leader] = h.displayName(ctx, m.Leader)
			}
			rows[i].Leader = leaders[m.Leader]
		}
	}
}
