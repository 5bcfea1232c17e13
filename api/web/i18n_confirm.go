package web

// addConfirmMessages adds the case page's explicit choices, the consequences of its consequential
// choices and the outcomes in words (confirm.go).
func addConfirmMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"choice.none":                {"请选择", "Choose"},
		"choice.agrees.true":         {"同意调解", "Agrees to mediation"},
		"choice.agrees.false":        {"拒绝调解", "Refuses mediation"},
		"choice.signed_by_all.true":  {"各方已签名（盖章或按指印）", "Signed by all parties"},
		"choice.signed_by_all.false": {"尚未全部签名", "Not yet signed by all parties"},
		"choice.performed.true":      {"已履行", "Performed"},
		"choice.performed.false":     {"未履行或未完全履行", "Not (fully) performed"},
		"choice.accept.true":         {"予以受理", "Accept"},
		"choice.accept.false":        {"不予受理，告知通过法定途径解决", "Do not accept: refer to a lawful channel"},

		"confirm.head":   {"以下选择会产生后果，提交前请确认：", "These choices have consequences; confirm before sending:"},
		"confirm.item":   {"选择「%s」：%s", "Choosing “%s”: %s"},
		"confirm.ack":    {"我已知晓上述后果，确认提交", "I understand the consequence and confirm"},
		"confirm.choose": {"请选择“%s”。", "Choose “%s”."},
		"confirm.tick":   {"如确认，请勾选“我已知晓上述后果”后再提交。", " To go ahead, tick “I understand the consequence” and send again."},

		"conseq.consent.false": {"纠纷案件一方拒绝调解的，不得强迫调解，案件即以“当事人拒绝调解”办结，不能撤销，并应告知当事人可通过仲裁、行政、司法等途径解决（人民调解法第十七条、第二十六条）；信访事项退回待受理。",
			"A party who refuses may not be made to mediate: a dispute is closed at once as refused, which cannot be undone, and the parties are told of arbitration, administrative and judicial routes (PML 17, 26); a petition goes back to registered."},
		"conseq.close.resolved": {"案件以“调解成功”办结，计时停止，不能撤销；当事人可在评价期内评价，纠纷案件评 1—2 星的将重新办理。",
			"The case closes as resolved and its clocks stop; this cannot be undone. The party may rate it; a dispute rated 1-2 stars reopens."},
		"conseq.close.terminated": {"调解终止，案件办结，不能撤销；应向当事人送达终止调解告知书，告知可通过仲裁、行政、司法等途径解决（人民调解法第二十六条）。",
			"Mediation ends and the case closes; this cannot be undone. Give the parties the termination notice naming arbitration, administrative and judicial routes (PML 26)."},
		"conseq.close.withdrawn": {"按申请人撤回办结，不能撤销；申请人如再次申请，须重新登记。",
			"The case closes as withdrawn by the applicant; this cannot be undone. A new application is a new registration."},
		"conseq.court-decision.rejected": {"记录法院裁定不予确认：调解协议不具有强制执行力，当事人可通过人民调解变更原协议或达成新协议，也可向人民法院提起诉讼。",
			"Records the court's refusal: the agreement is not enforceable; the parties may change it or make a new one by mediation, or sue."},
		"conseq.route-decision.false": {"信访事项不予受理，导入所选法定途径（诉讼、仲裁、行政复议等），案件即告结束，不能撤销；应书面告知信访人。",
			"The petition is not accepted and is referred to the chosen lawful channel; the case ends and this cannot be undone. Tell the petitioner in writing."},

		"conseq.detail.mediation_refused": {"当事人拒绝调解（人民调解法第十七条），已告知可通过仲裁、行政、司法等途径解决（第二十六条）",
			"a party refused mediation (PML 17); the parties were told of arbitration, administrative and judicial routes (PML 26)"},
		"conseq.detail.answered": {"书面答复后，申请复查期限届满未申请", "no review was requested within the window after the written answer"},

		"close.mediation_refused":  {"当事人拒绝调解", "refused mediation"},
		"close.resolved_on_spot":   {"当场化解", "resolved on the spot"},
		"close.referred_out":       {"导入法定途径", "referred to a lawful channel"},
		"close.final_after_review": {"复核终结", "final after review"},
		"close.answered":           {"已答复办结", "closed after the answer"},

		"ev.detail.consent":         {"同意调解", " agrees to mediation"},
		"ev.detail.consent_refused": {"拒绝调解（人民调解法第十七条）", " refuses mediation (PML 17)"},
	} {
		c[k] = v
	}
}
