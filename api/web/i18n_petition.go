package web

// addPetitionMessages adds the petition track on organs (XGTL 22-36): its actions, form fields, choices,
// consequences, clocks and timeline events, zh-CN first as a county 信访局 writes them, then en.
func addPetitionMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"act.forward":         {"转送交办", "Forward or assign"},
		"act.decide-organ":    {"共同上级确定受理机关", "Decide the accepting organ"},
		"act.refer-out":       {"导入法定途径", "Refer to a lawful channel"},
		"act.not-accept":      {"不予受理", "Do not accept"},
		"act.object":          {"提出转送异议", "Object to the routing"},
		"act.accept-petition": {"受理并告知", "Accept and notify"},
		"act.supervise":       {"督办", "Supervise (督办)"},

		"f.agency":         {"有权处理机关", "Competent organ"},
		"f.mode":           {"方式", "Mode"},
		"f.report_by":      {"反馈期限（交办）", "Report back by (assignment)"},
		"f.village_cadres": {"反映村（社区）干部", "Names village (community) cadres"},
		"f.ground":         {"不予受理情形", "Ground"},
		"f.request":        {"信访人投诉请求", "The petitioner's request"},
		"f.facts":          {"事实", "Facts"},
		"f.reasons":        {"理由", "Reasons"},
		"f.basis":          {"法律法规依据", "Legal basis"},
		"f.served_on":      {"送达日期", "Day served"},

		"mode.forward": {"转送", "Forward (转送)"},
		"mode.assign":  {"交办（限期反馈）", "Assign (交办, report back by a day)"},

		"notaccept.handling":  {"同一事项已受理或正在办理期限内", "The same matter is accepted or being handled"},
		"notaccept.concluded": {"信访事项已处理终结（复核终结）", "The matter was concluded (after 复核)"},
		"notaccept.unclear":   {"信访人姓名（名称）、住址不清，无法告知", "The petitioner's name or address is unclear"},
		"notaccept.other":     {"其他依法不予受理情形", "Another lawful ground"},

		"lawful.discipline": {"纪检监察机关（检举控告）", "discipline inspection (accusations)"},

		"conseq.refer-out.litigation":            {"该事项导入诉讼程序，信访事项即告结束，不能撤销；应书面告知信访人向人民法院提出（信访工作条例第二十二条、第三十一条）。", "The matter goes to the courts and the petition ends; this cannot be undone. Tell the petitioner in writing (XGTL 22, 31)."},
		"conseq.refer-out.arbitration":           {"该事项导入仲裁程序，信访事项即告结束，不能撤销；应书面告知信访人。", "The matter goes to arbitration and the petition ends; this cannot be undone. Tell the petitioner in writing."},
		"conseq.refer-out.administrative_review": {"该事项导入行政复议等行政程序，信访事项即告结束，不能撤销；应书面告知信访人。", "The matter goes to administrative review and the petition ends; this cannot be undone. Tell the petitioner in writing."},
		"conseq.refer-out.party_appeal":          {"该事项导入党员申诉、申请复审程序，信访事项即告结束，不能撤销。", "The matter goes to a party appeal and the petition ends; this cannot be undone."},
		"conseq.refer-out.discipline":            {"检举控告类事项按管理权限转纪检监察机关处理，信访事项即告结束，不能撤销；不得透露给被检举人（信访工作条例第二十二条、第三十条）。", "The accusation goes to the discipline organs and the petition ends; this cannot be undone. Never disclose it to the person accused (XGTL 22, 30)."},
		"conseq.refer-out.other":                 {"该事项导入其他法定途径，信访事项即告结束，不能撤销；应书面告知信访人。", "The matter goes to another lawful channel and the petition ends; this cannot be undone. Tell the petitioner in writing."},
		"conseq.not-accept.handling":             {"信访事项不予受理并办结，不能撤销；应出具不予受理告知书，说明该事项正在办理。", "The petition is not accepted and ends; this cannot be undone. Give the written notice."},
		"conseq.not-accept.concluded":            {"信访事项不予受理并办结，不能撤销；应出具不予受理告知书，说明该事项已处理终结（信访工作条例第三十六条）。", "The petition is not accepted and ends; this cannot be undone. Give the written notice (XGTL 36)."},
		"conseq.not-accept.unclear":              {"信访事项不予受理并办结，不能撤销。", "The petition is not accepted and ends; this cannot be undone."},
		"conseq.not-accept.other":                {"信访事项不予受理并办结，不能撤销；应出具不予受理告知书并写明理由。", "The petition is not accepted and ends; this cannot be undone. Give the written notice with the reason."},
		"conseq.review-reply.support":            {"如为复核意见，信访事项即告终结，同一事实和理由不再受理（信访工作条例第三十六条）；复查意见送达后30日内可请求复核。", "A 复核 opinion makes the matter final (XGTL 36); after a 复查 opinion 复核 may be requested within 30 days of service."},
		"conseq.review-reply.explain":            {"如为复核意见，信访事项即告终结，同一事实和理由不再受理（信访工作条例第三十六条）；复查意见送达后30日内可请求复核。", "A 复核 opinion makes the matter final (XGTL 36); after a 复查 opinion 复核 may be requested within 30 days of service."},
		"conseq.review-reply.not_support":        {"如为复核意见，信访事项即告终结，同一事实和理由不再受理（信访工作条例第三十六条）；复查意见送达后30日内可请求复核。", "A 复核 opinion makes the matter final (XGTL 36); after a 复查 opinion 复核 may be requested within 30 days of service."},

		"clock.kind.accept_notice": {"受理告知期限", "Notice of acceptance"},
		"clock.kind.objection":     {"转送异议期限", "Objection to the routing"},
		"clock.kind.report_back":   {"交办反馈期限", "Report back (assignment)"},

		"ev.petition_registered":       {"信访事项登记", "petition registered"},
		"ev.petition_forwarded":        {"转送有权处理机关", "forwarded to the competent organ"},
		"ev.petition_assigned":         {"交办有权处理机关", "assigned to the competent organ"},
		"ev.petition_objection":        {"承办机关提出异议", "the organ objected"},
		"ev.petition_organ_decided":    {"共同上级确定受理机关", "the common superior decided the organ"},
		"ev.petition_not_accepted":     {"不予受理", "not accepted"},
		"ev.petition_supervised":       {"信访督办", "supervised (督办)"},
		"ev.petition_overdue_reported": {"超期报上级督办", "overdue: reported up"},
		"ev.report_back_overdue":       {"交办逾期未反馈", "report-back day passed"},

		"close.not_accepted": {"不予受理", "not accepted"},
	} {
		c[k] = v
	}
}
