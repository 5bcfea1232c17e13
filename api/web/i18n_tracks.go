package web

// addTrackMessages adds the words of the dispute track on bodies: joint mediation (联合调解), the
// hand-off at the county centre, court referral (委派调解) and the labour route to arbitration. The ev.*
// texts name each event; evt.* are the events written out from their arguments ({body_name},
// {court_name}, {reason}, ...) for the pages that render an event from its type and arguments.
func addTrackMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"act.co-body":      {"联合调解单位", "Joint mediation: co-body"},
		"act.co-mediator":  {"指定协办单位调解员", "Name a co-body's mediator"},
		"act.joint-part":   {"记录本单位调解情况", "Record my body's part"},
		"act.hand-off":     {"移交专业调解组织或行政机关", "Hand over to a professional committee or an agency"},
		"act.court-filing": {"法院登记立案", "Court files the case"},

		"f.op":                 {"操作", "Operation"},
		"f.body":               {"单位代码", "Body code"},
		"f.payment_obligation": {"协议内容为给付金钱或物品（可申请赋予强制执行效力公证）", "The terms are a payment obligation (may be notarised with enforcement effect)"},

		"cobody.add":                {"增加协办单位", "add a co-body"},
		"cobody.remove":             {"撤出协办单位", "remove a co-body"},
		"conseq.co-body.remove":     {"该单位退出联合调解，其调解员不再记录调解情况；已记录的内容保留在案。", "The body leaves the joint mediation; its mediator records no more parts. What it recorded stays on the case."},
		"route.withdrawal":          {"委派调解达成协议，申请撤回起诉", "Agreement in a court referral: withdraw the claim"},
		"close.returned_for_filing": {"退回法院立案", "returned to the court for filing"},
		"close.arbitration":         {"转劳动人事争议仲裁", "sent to labour arbitration"},
		"close.mediation_refused":   {"当事人拒绝调解", "a party refused mediation"},
		"kind.court_referral":       {"委派调解", "court referral"},

		"ev.co_body_added":         {"增加联合调解单位", "co-body added"},
		"ev.co_body_removed":       {"联合调解单位退出", "co-body removed"},
		"ev.co_mediator_assigned":  {"指定协办单位调解员", "co-body mediator named"},
		"ev.joint_part":            {"协办单位调解情况", "co-body's part"},
		"ev.handed_off":            {"移交办理", "handed over"},
		"ev.court_referral":        {"法院委派调解", "court referral"},
		"ev.referral_extended":     {"委派调解延期", "court referral extended"},
		"ev.referral_withdrawal":   {"达成协议申请撤诉", "claim withdrawn after agreement"},
		"ev.returned_to_court":     {"退回法院立案", "returned to the court for filing"},
		"ev.court_filed":           {"法院登记立案", "court filed the case"},
		"ev.handed_to_arbitration": {"转劳动人事争议仲裁", "sent to labour arbitration"},

		"evt.co_body_added":         {"{body_name}参加联合调解", "{body_name} joins the joint mediation"},
		"evt.co_body_removed":       {"{body_name}退出联合调解", "{body_name} leaves the joint mediation"},
		"evt.co_mediator_assigned":  {"{body_name}由{mediator}参加调解", "{mediator} mediates for {body_name}"},
		"evt.joint_part":            {"{body_name}记录调解情况", "{body_name} recorded its part"},
		"evt.handed_off":            {"案件移交{body_name}办理", "handed over to {body_name}"},
		"evt.court_referral":        {"{court_name}委派调解（{court_case_no}）", "entrusted by {court_name} ({court_case_no})"},
		"evt.referral_extended":     {"经双方当事人同意，委派调解期限延长{days}日", "court referral extended by {days} days on both parties' consent"},
		"evt.referral_withdrawal":   {"达成调解协议，向{court_name}申请撤回起诉", "agreement reached: the claim is withdrawn at {court_name}"},
		"evt.returned_to_court":     {"委派调解未达成协议，连同调解记录退回{court_name}立案", "no agreement: back to {court_name} for filing, with the mediation record"},
		"evt.court_filed":           {"{court_name}已登记立案（{case_no}）", "{court_name} filed the case ({case_no})"},
		"evt.handed_to_arbitration": {"调解不成，告知当事人向{body_name}申请仲裁", "mediation did not succeed: the parties are told to apply to {body_name}"},

		"reason.failed":     {"调解不成", "mediation failed"},
		"reason.refused":    {"当事人拒绝调解", "a party refused mediation"},
		"reason.terminated": {"调解终止", "mediation terminated"},
		"reason.expired":    {"调解期限届满", "the mediation period ran out"},

		"clock.kind.labour_mediation": {"劳动争议调解期限", "labour mediation period"},
		"clock.kind.court_referral":   {"委派调解期限", "court referral period"},
	} {
		if _, ok := c[k]; !ok {
			c[k] = v
		}
	}
}
