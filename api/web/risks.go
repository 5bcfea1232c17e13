package web

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
		"f.owner":              {"责任人（用户名）", "Owner (username)"},
		"f.measure":            {"稳控化解措施", "Measure"},
		"f.review_at":          {"下次研判时间", "Next review"},
		"f.received_by":        {"接访领导（用户名）", "Received by leader (username)"},
		"risk.all":             {"全部在管风险", "every open risk"},
		"risk.violence":        {"暴力/极端苗头", "violence"},
		"risk.group":           {"群体性", "group matter"},
		"risk.skip_level":      {"越级", "skipping levels"},
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
		"risks.none":           {"辖区内没有在管风险", "No open risk in your jurisdiction"},
		"risks.severity":       {"等级", "Severity"},
		"risks.age":            {"已持续（天）", "Age (days)"},
	} {
		c[key] = m
	}
}
