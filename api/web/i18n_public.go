package web

// addPublicMessages adds the public page's progress steps, the meaning of each status, what the party
// may do next and what a rating does (public_steps.go).
func addPublicMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"public.steps":    {"办理步骤", "Steps"},
		"public.meaning":  {"当前状态说明", "What this means"},
		"public.next":     {"您可以做什么", "What you can do"},
		"public.outcome":  {"办理结果", "Outcome"},
		"public.date":     {"%d年%d月%d日", "%d-%02d-%02d"},
		"public.reopened": {"因您此前的不满意评价，本案已在原案号下重新办理，督办人员已收到通知。", "After your unsatisfied rating the case reopened on the same number and the supervisors were told."},
		"public.choose":   {"请选择分数后提交，评价提交后不能修改。", "Choose a score before sending; a rating cannot be changed."},

		"public.step.register":      {"受理", "Registered"},
		"public.step.assign":        {"分派", "Assigned"},
		"public.step.mediate":       {"调解", "Mediation"},
		"public.step.agreement":     {"协议", "Agreement"},
		"public.step.confirmation":  {"司法确认", "Judicial confirmation"},
		"public.step.performance":   {"履行回访", "Performance check"},
		"public.step.closed":        {"办结", "Closed"},
		"public.step.accept":        {"受理决定", "Acceptance"},
		"public.step.handle":        {"办理", "Handling"},
		"public.step.answer":        {"书面答复", "Written answer"},
		"public.step.review":        {"复查复核", "Review"},
		"public.step.referred":      {"导入法定途径", "Referred to a lawful channel"},
		"public.step.state.done":    {"已完成", "done"},
		"public.step.state.current": {"进行中", "in progress"},
		"public.step.state.todo":    {"未开始", "to come"},

		"public.meaning.registered":               {"您反映的事项已登记，正在分派承办人员或等待承办人员接收。", "Your matter is registered and is being assigned to a handler."},
		"public.next.registered":                  {"请妥善保管受理回执和查询码，承办人员会与您联系。", "Keep your receipt and query code; the handler will contact you."},
		"public.meaning.mediating":                {"调解员正在组织各方调解。", "A mediator is mediating between the parties."},
		"public.next.mediating":                   {"请按通知参加调解。调解自愿，您可以随时表示不同意调解，改通过仲裁、行政、诉讼等途径解决。", "Attend the sessions you are called to. Mediation is voluntary: you may refuse it and use arbitration, administrative or court routes."},
		"public.meaning.suspended":                {"因法定事由（如鉴定、当事人申请）暂停计时，事由消除后恢复办理。", "The clock is paused for a lawful reason (an expert report, a party's request) and resumes when it ends."},
		"public.next.suspended":                   {"如有新情况，请联系承办单位。", "Tell the handling unit of anything new."},
		"public.meaning.agreement":                {"各方已达成调解协议。协议对各方具有法律约束力，应当按照约定履行（人民调解法第三十一条）。", "The parties reached an agreement. It binds them and must be performed (PML 31)."},
		"public.next.agreement":                   {"双方可于 %s 前共同向人民法院申请司法确认；确认后协议具有强制执行力。请按协议履行，承办单位将回访履行情况。", "Both parties may jointly apply to the court for judicial confirmation by %s; once confirmed the agreement is enforceable. Perform it; the unit will check."},
		"public.meaning.confirmation_pending":     {"已向人民法院申请司法确认，法院正在审查。", "The court is examining the application for judicial confirmation."},
		"public.next.confirmation_pending":        {"请留意法院通知，按要求补充材料。", "Watch for the court's notices and supply what it asks for."},
		"public.meaning.confirmed":                {"人民法院已裁定调解协议有效（已司法确认）。协议具有强制执行力。", "The court confirmed the agreement: it is enforceable."},
		"public.next.confirmed":                   {"对方拒绝履行或未全部履行的，您可以向作出确认裁定的人民法院申请强制执行。", "If the other party does not perform, or not fully, apply to the court that confirmed it for enforcement."},
		"public.meaning.rejected_by_court":        {"人民法院裁定不予确认，调解协议不具有强制执行力。", "The court refused to confirm: the agreement is not enforceable."},
		"public.next.rejected_by_court":           {"您可以通过调解变更原协议或达成新协议，也可以向人民法院提起诉讼。", "You may change the agreement or make a new one by mediation, or sue in court."},
		"public.meaning.answered":                 {"您的信访事项已书面答复。", "Your petition has been answered in writing."},
		"public.next.answered":                    {"对答复意见不服的，可于 %s 前向上一级机关申请%s。", "If you disagree with the answer you may request %[2]s from the next level up by %[1]s."},
		"public.meaning.under_review":             {"上一级机关正在复查（复核），将书面答复您。", "The next level up is reviewing the answer and will reply in writing."},
		"public.next.under_review":                {"请等待书面复查（复核）意见。", "Wait for the written review opinion."},
		"public.meaning.resolved":                 {"事项已化解。", "The matter is resolved."},
		"public.meaning.closed":                   {"事项已办结。", "The matter is closed."},
		"public.next.closed":                      {"您可以在评价期内对办理情况作出评价。", "You may rate how it was handled while rating is open."},
		"public.meaning.closed.mediation_refused": {"有一方当事人不同意调解。调解须双方自愿，不能强迫，案件已办结（人民调解法第十七条）。", "A party refused mediation. Mediation is voluntary, so the case is closed (PML 17)."},
		"public.next.closed.mediation_refused":    {"您可以向仲裁机构申请仲裁、向有关行政机关申请处理，或向人民法院提起诉讼。", "You may apply for arbitration, ask the administrative authority, or sue in court."},
		"public.meaning.closed.terminated":        {"调解未能达成协议，已终止调解，案件办结。", "Mediation did not reach an agreement and was ended; the case is closed."},
		"public.next.closed.terminated":           {"您可以向仲裁机构申请仲裁、向有关行政机关申请处理，或向人民法院提起诉讼。", "You may apply for arbitration, ask the administrative authority, or sue in court."},
		"public.meaning.closed.withdrawn":         {"申请人已撤回申请，案件办结。", "The applicant withdrew; the case is closed."},
		"public.next.closed.withdrawn":            {"如需再次申请调解，请重新登记。", "To apply again, register anew."},
		"public.meaning.final":                    {"复核意见为最终意见，同一事项不再受理（信访工作条例第三十六条）。", "The review opinion is final: the same matter is not accepted again."},
		"public.meaning.referred_out":             {"该事项依法应通过诉讼、仲裁、行政复议等法定途径解决，不作为信访事项受理。", "The matter belongs to a lawful channel (court, arbitration, administrative review) and is not handled as a petition."},
		"public.next.referred_out":                {"请按告知的途径向有关机关提出。", "Take it to the authority of the channel you were told."},

		"public.rate_note.dispute":           {"评价说明：3—5 星记为满意；1—2 星表示不满意，案件将在原案号下重新办理，并报告督办人员。", "About rating: 3-5 stars is satisfied; 1-2 stars reopens the case on the same number and tells the supervisors."},
		"public.rate_note.petition_answered": {"评价说明：1—2 星视为对答复不服，将由上一级机关启动复查（复核）（已无上一级机关的除外）；3—5 星只记录满意度。", "About rating: 1-2 stars counts as disagreeing with the answer and starts a review at the next level up (if there is one); 3-5 stars is only recorded."},
		"public.rate_note.petition_closed":   {"评价说明：评价只记录您对办理情况的满意度，不改变办理结果。", "About rating: a rating records your satisfaction only; it does not change the outcome."},
	} {
		c[k] = v
	}
}
