package web

// addEventMessages adds the sentences of the timeline (see timeline.go): "evt.<type>" is an event written
// out from its facts, "evt.<type>.<variant>" the sentence of one variant of it (the fact "variant"), zh-CN
// first as a county 矛调中心 or 信访局 writes them — the law cited by its title and article —, then en.
func addEventMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"evt.sep": {"：", ": "},

		// intake, routing and moves between tiers
		"evt.routed":            {"分流至{body_name}，{tier}层级", "routed to {body_name}, {tier} tier"},
		"evt.registered":        {"{kind}{number}由{user}登记受理（首问负责）", "{kind} {number} registered by {user} (first contact is responsible)"},
		"evt.assigned":          {"调解员：{mediator}", "mediator: {mediator}"},
		"evt.acknowledged":      {"已签收上报案件", "escalation acknowledged"},
		"evt.mediation_started": {"{user}接收案件，开始调解", "{user} accepted the case and began mediation"},
		"evt.session":           {"{held_at}调解，结果：{session}", "session on {held_at}: {session}"},
		"evt.visit":             {"当事人再次来访（{channel}）", "the party came again ({channel})"},
		"evt.escalated":         {"由{from_body_name}上报{body_name}", "escalated from {from_body_name} to {body_name}"},
		"evt.escalated.tier_overdue": {"本层级办理期限已于{due}届满，由{from_body_name}自动上报{body_name}（分级负责、逐级上报）",
			"the tier deadline ended on {due}: escalated from {from_body_name} to {body_name}"},
		"evt.returned":             {"由{from_body_name}交办{body_name}", "sent down from {from_body_name} to {body_name}"},
		"evt.supervision_reported": {"{at_name}逾期未签收上报案件，已报{reported_to}督办（《信访工作条例》第四十条）", "the escalation was not acknowledged at {at_name}: reported to {reported_to} (XGTL 40)"},
		"evt.one_visit_breach":     {"当事人就同一事项第二次到场来访，“最多跑一次”未达成", "a second visit in person on the same matter (最多跑一次 not met)"},

		// clocks
		"evt.tier_at_risk":      {"本层级办理期限{due}届满，即将到期", "the tier deadline ends on {due}"},
		"evt.tier_overdue":      {"本层级办理期限已届满，已是最高层级", "the tier deadline passed at the top tier"},
		"evt.statutory_at_risk": {"{clock}{due}届满，即将到期", "{clock} ends on {due}"},
		"evt.statutory_overdue": {"{clock}已于{due}届满", "{clock} ended on {due}"},
		"evt.deadline_recomputed": {"因{years}年节假日安排调整，{clock}由{was}届满改为{due}届满",
			"the holidays of {years} changed: {clock} now ends on {due} instead of {was}"},
		"evt.suspended":           {"中止计时，期限顺延", "the clocks are paused"},
		"evt.suspended.tier_only": {"中止本层级办理期限计时；该事由不是法定扣除事由，法定期限继续计算", "the tier clock is paused; the statutory clock runs on (not a lawful ground)"},
		"evt.resumed":             {"恢复计时（自{paused_at}起中止{paused_days}日）", "the clocks run again (paused {paused_days} days from {paused_at})"},
		"evt.extended":            {"经双方当事人申请，调解期限延长{days}日（《宁波市人民调解条例》第二十七条）", "mediation extended by {days} days on both parties' request (NMR 27)"},
		"evt.extended.petition":   {"经批准，信访事项办理期限延长{days}日（《信访工作条例》第三十四条）", "handling extended by {days} days with approval (XGTL 34)"},
		"evt.policy_migrated":     {"时限规定由{was}版改为适用{version}版", "deadline policy {was} replaced by {version}"},

		// mediation
		"evt.consent":              {"{party}同意调解", "the {party} consents to mediation"},
		"evt.consent_refused":      {"{party}拒绝调解（《人民调解法》第十七条）", "the {party} refuses mediation (PML 17)"},
		"evt.mediation_failed":     {"{body_name}调解未成", "mediation failed at {body_name}"},
		"evt.mediation_resumed":    {"人民法院裁定不予确认，重新调解（《最高人民法院关于人民调解协议司法确认程序的若干规定》第七条）", "back to mediation after the court's rejection (SPC 2011 art. 7)"},
		"evt.mediation_terminated": {"终止调解，已告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（《人民调解法》第二十六条、《宁波市人民调解条例》第二十三条）", "mediation terminated; the parties are told of the other routes (PML 26, NMR 23)"},
		"evt.agreement": {"在{body_name}达成{form}，当事人可于{apply_by}前共同申请司法确认（《人民调解法》第三十三条）",
			"{form} agreement reached at {body_name}; the parties may apply for judicial confirmation until {apply_by} (PML 33)"},
		"evt.performance":           {"回访调解协议履行情况：{performed}（《人民调解法》第三十一条）", "performance of the agreement checked: {performed} (PML 31)"},
		"evt.performance_check_due": {"调解协议履行回访已到期（{due}）（《人民调解法》第三十一条）", "the performance check is due ({due}) (PML 31)"},
		"evt.alternative":           {"调解协议申请{route}", "the agreement goes to {route}"},
		"evt.alternative.body":      {"调解协议向{body_name}申请{route}", "the agreement goes to {body_name} for {route}"},

		// judicial confirmation (SPC 2011 = 最高人民法院关于人民调解协议司法确认程序的若干规定)
		"evt.confirmation_applied": {"双方当事人共同向{court}申请司法确认（《人民调解法》第三十三条）", "the parties jointly applied to {court} for judicial confirmation (PML 33)"},
		"evt.court_accepted":       {"{court}受理司法确认申请，案号{case_no}（《最高人民法院关于人民调解协议司法确认程序的若干规定》第四条）", "{court} accepted the application, case no. {case_no} (SPC 2011 art. 4)"},
		"evt.court_extended":       {"经院长批准，{court}延长审查期限至{due}（《最高人民法院关于人民调解协议司法确认程序的若干规定》第五条）", "{court} extended its decision period to {due} with the president's approval (SPC 2011 art. 5)"},
		"evt.court_confirmed":      {"{court}裁定调解协议有效（{ruling_no}），一方拒绝履行的，对方可以申请强制执行（《最高人民法院关于人民调解协议司法确认程序的若干规定》第八条、第九条）", "{court} confirmed the agreement, ruling {ruling_no}: enforceable (SPC 2011 arts. 8-9)"},
		"evt.court_rejected":       {"{court}裁定不予确认调解协议（{ruling_no}）（《最高人民法院关于人民调解协议司法确认程序的若干规定》第七条）", "{court} did not confirm the agreement, ruling {ruling_no} (SPC 2011 art. 7)"},
		"evt.court_overdue":        {"法院未在规定期限内处理（《最高人民法院关于人民调解协议司法确认程序的若干规定》第四条、第五条）", "the court did not act within its time limit (SPC 2011 arts. 4-5)"},

		// closure, follow-up, rating
		"evt.closed":                   {"案件办结：{outcome}", "closed: {outcome}"},
		"evt.closed.resolved_on_spot":  {"当场化解，案件办结", "resolved on the spot"},
		"evt.closed.written":           {"案件办结", "closed"},
		"evt.closed.mediation_refused": {"当事人拒绝调解，案件办结；已告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（《人民调解法》第十七条、第二十六条）", "a party refused mediation: closed; the parties are told of arbitration, administrative and judicial routes (PML 17, 26)"},
		"evt.closed.answered":          {"信访人在规定期限内未请求复查，按答复意见办结（《信访工作条例》第三十五条）", "no review was requested within the time limit: closed on the answer (XGTL 35)"},
		"evt.follow_up":                {"回访当事人", "the parties were visited after closure"},
		"evt.reopened":                 {"当事人不满意，案件以原案号{number}重新办理", "the rating was unsatisfied: the case reopens as {number}"},
		"evt.rated":                    {"群众评价：{score}星", "rated {score} of 5"},

		// petitions (XGTL = 信访工作条例)
		"evt.petition_registered":       {"{office_name}登记信访事项，应于{route_by}前转送、交办或告知（《信访工作条例》第二十二条）", "{office_name} registered the petition; it routes it by {route_by} (XGTL 22)"},
		"evt.petition_forwarded":        {"转送{organ_name}办理（《信访工作条例》第二十二条）", "forwarded to {organ_name} (XGTL 22)"},
		"evt.petition_assigned":         {"交办{organ_name}办理，应于{report_by}前反馈办理结果（《信访工作条例》第二十二条）", "assigned to {organ_name}, to report back by {report_by} (XGTL 22)"},
		"evt.petition_objection":        {"{organ_name}对转送提出异议（《信访工作条例》第二十三条）", "{organ_name} objected to the routing (XGTL 23)"},
		"evt.petition_organ_decided":    {"共同上级确定由{organ_name}受理（《信访工作条例》第二十四条）", "the common superior decided that {organ_name} accepts (XGTL 24)"},
		"evt.petition_accepted":         {"{organ_name}受理信访事项（《信访工作条例》第二十三条）", "{organ_name} accepted the petition (XGTL 23)"},
		"evt.petition_not_accepted":     {"不予受理：{ground}", "not accepted: {ground}"},
		"evt.petition_supervised":       {"信访督办（第{count}次）（《信访工作条例》第四十条）", "supervised, time {count} (XGTL 40)"},
		"evt.petition_overdue_reported": {"{clock}已于{due}届满，报{reported_to}督办（《信访工作条例》第四十条）", "{clock} ended on {due}: reported to {reported_to} (XGTL 40)"},
		"evt.report_back_overdue":       {"交办事项逾期未反馈（反馈期限{report_by}）", "the assigned organ did not report back by {report_by}"},
		"evt.referred_out":              {"不属于信访事项受理范围，导入{channel}途径办理（《信访工作条例》第三十一条）", "not a petition: referred to {channel} (XGTL 31)"},
		"evt.answered":                  {"出具信访处理意见书：{decision}；信访人可于{request_by}前请求复查（《信访工作条例》第三十二条、第三十五条）", "written answer: {decision}; a review may be requested until {request_by} (XGTL 32, 35)"},
		"evt.review_requested":          {"信访人向{organ_name}请求{level}（《信访工作条例》第三十五条）", "{level} requested of {organ_name} (XGTL 35)"},
		"evt.review_replied":            {"{level}意见：{decision}；信访人可于{request_by}前请求复核（《信访工作条例》第三十五条）", "{level} opinion: {decision}; 复核 may be requested until {request_by} (XGTL 35)"},
		"evt.review_replied.final":      {"{level}意见：{decision}；信访事项终结，同一事实和理由不再受理（《信访工作条例》第三十六条）", "{level} opinion: {decision}; the matter is final (XGTL 36)"},

		// risks (rule 9)
		"evt.risk_raised":                {"{risk}风险预警", "{risk} risk raised"},
		"evt.risk_raised.group":          {"{risk}风险预警：{people}人反映同一事项（达到{group_size}人）", "{risk} risk: {people} people raise the same matter ({group_size} or more)"},
		"evt.risk_raised.earlier_visits": {"{risk}风险预警：同一事项此前已来访{count}次", "{risk} risk: {count} earlier visits on the same matter"},
		"evt.risk_raised.other_matters":  {"{risk}风险预警：另有{count}件在办事项", "{risk} risk: {count} other open matters"},
		"evt.risk_raised.visits":         {"{risk}风险预警：第{count}次来访", "{risk} risk: visit number {count}"},
		"evt.risk_raised.skip_level":     {"{risk}风险预警：在{at_name}反映，{body_name}正在办理且未超期，仍由{body_name}办理（《信访工作条例》第十九条）", "{risk} risk: raised at {at_name} while {body_name} handles it within its deadline; it stays there (XGTL 19)"},
		"evt.risk_raised.stale":          {"{risk}风险预警：自{opened_at}立案，超过积案期限仍未办结", "{risk} risk: open since {opened_at}, past the backlog limit"},
		"evt.risk_owner":                 {"{risk}风险责任人：{user}", "{risk} risk owner: {user}"},
		"evt.risk_plan":                  {"{risk}风险稳控化解措施", "{risk} risk measure"},
		"evt.risk_closed":                {"{risk}风险销号", "{risk} risk closed"},
		"evt.leader_took_case":           {"{leader}包案，负责协调化解", "{leader} took the case (包案)"},
		"evt.leader_report":              {"包案领导{leader}报告化解进展", "{leader} reported progress"},
		"evt.leader_report_due":          {"包案领导{leader}的进展报告已到期", "{leader}'s progress report is due"},

		// the names of facts' values the catalogue has no other place for
		"performed.true":         {"已履行", "performed"},
		"performed.false":        {"未履行或未完全履行", "not (fully) performed"},
		"ev.deadline_recomputed": {"时限重算", "deadline recomputed"},
		"f.code":                 {"编码", "Code"},
		"f.name":                 {"名称", "Name"},
		"f.score":                {"评分", "Score"},
		"actor.system":           {"系统", "system"},
	} {
		c[k] = v
	}
}
