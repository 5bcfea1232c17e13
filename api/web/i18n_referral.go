package web

// addReferralMessages adds the words of the court referral's and the joint mediation's pages (issue
// #17): the 委派调解 intake a court officer opens from the menu, the case page's bodies (the handling
// body, the co-bodies and their mediators, the entrusting and the confirming court), the status of a
// referral returned to its court, and the choices by name that replace typed codes.
func addReferralMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"nav.refer":                {"委派调解", "Court referral"},
		"refer.title":              {"委派调解登记", "Entrust a dispute to mediation"},
		"refer.hint":               {"人民法院在登记立案前，经当事人同意，将纠纷委派调解组织调解（委派调解）。调解达成协议的，由本院依法司法确认；调解不成的，连同调解记录退回本院登记立案。", "Before filing, the court entrusts the dispute to a mediation body with the parties' consent. An agreement comes back to this court for judicial confirmation; a failed mediation comes back to it for filing, with the mediation record."},
		"refer.court":              {"委派法院", "Entrusting court"},
		"refer.court_case_no":      {"诉前调解案号", "Pre-filing number"},
		"refer.court_case_no_hint": {"如（2026）浙0203民诉前调100号", "e.g. (2026)浙0203民诉前调100号"},
		"refer.submit":             {"委派调解并打印回执", "Entrust and print the receipt"},

		"status.returned_for_filing": {"退回委派法院立案", "returned to the entrusting court for filing"},
		"status.court_filed":         {"委派法院已立案", "filed by the entrusting court"},
		"wb.joint":                   {"联合调解（本单位参加）", "Joint mediations my body takes part in"},
		"wb.referrals":               {"本院委派调解（调解中）", "Our court referrals being mediated"},
		"wb.court_filing":            {"委派调解退回待立案", "Court referrals returned for filing"},
		"case.handling_body":         {"承办机构", "Handling body"},
		"case.referral_court":        {"委派法院", "Entrusting court"},
		"case.filed_as":              {"已立案：%s", "filed as %s"},
		"case.confirming_court":      {"司法确认法院", "Confirming court"},

		"joint.title":         {"联合调解单位", "Joint mediation: co-bodies"},
		"joint.removed":       {"已退出", "left"},
		"joint.mediator":      {"调解员：", "mediator: "},
		"joint.no_mediator":   {"尚未指定", "not named yet"},
		"joint.name_mediator": {"指定%s的调解员", "Name the mediator of %s"},
		"joint.no_mediators":  {"该单位暂无可指定的调解员，请联系管理员为其调解员授权。", "The body has no mediator who could be named: ask an administrator to grant one."},
		"joint.taking_part":   {"%s（参加联合调解中，可撤出）", "%s (taking part; may be removed)"},
		"ladder.up":           {"上一级：%s", "one tier up: %s"},

		// chosen by name now, no longer typed as codes
		"f.body": {"单位", "Body"},
		"f.to":   {"目标层级", "Target tier"},
	} {
		c[k] = v
	}
}
