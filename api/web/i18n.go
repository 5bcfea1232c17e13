package web

import (
	"fmt"
	"strings"

	"fengqiao"
)

// catalogue holds every message of the pages: key → {zh, en}. It is built once per handler and only
// read afterwards.
type catalogue map[string][2]string

// get returns the message in lang ("zh" or "en"), formatted with args; an unknown key is returned as it is.
func (c catalogue) get(lang, key string, args ...any) string {
	m, ok := c[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == "en" && m[1] != "" {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func newCatalogue() catalogue {
	c := catalogue{
		"app":             {"枫桥 · 矛盾纠纷多元化解", "Fengqiao · dispute resolution"},
		"nav.login":       {"登录", "Log in"},
		"nav.logout":      {"退出", "Log out"},
		"nav.workbench":   {"工作台", "Workbench"},
		"nav.intake":      {"受理登记", "Intake"},
		"nav.case":        {"案件详情", "Case"},
		"nav.supervision": {"督办", "Supervision"},
		"nav.stats":       {"统计", "Statistics"},
		"nav.public":      {"群众查询", "Track my case"},
		"nav.admin":       {"管理", "Administration"},
		"nav.skip":        {"跳到正文", "Skip to content"},
		"lang.other":      {"English", "中文"},
		"error":           {"出错了", "Something went wrong"},
		"back":            {"返回", "Back"},
		"print":           {"打印", "Print"},
		"submit":          {"提交", "Submit"},
		"none":            {"无", "none"},
		"yes":             {"是", "yes"},
		"no":              {"否", "no"},

		"login.title":    {"工作人员登录", "Staff log in"},
		"login.username": {"用户名", "Username"},
		"login.password": {"密码", "Password"},
		"login.submit":   {"登录", "Log in"},
		"login.bad":      {"用户名或密码错误", "Wrong username or password"},
		"login.public":   {"群众请点此查询案件进度", "Citizens: track your case here"},

		"wb.assigned":    {"分派给我的案件", "Cases assigned to me"},
		"wb.to_assign":   {"待分派（辖区内）", "Waiting for a mediator (my area)"},
		"wb.overdue":     {"辖区内已超期", "Overdue in my area"},
		"wb.court":       {"待司法确认", "Awaiting judicial confirmation"},
		"wb.received":    {"我受理的案件（首问负责）", "Cases I received (first contact)"},
		"wb.grid":        {"本网格案件", "Cases in my grid"},
		"wb.recent":      {"辖区内案件", "Cases in my area"},
		"wb.empty":       {"暂无案件", "No cases"},
		"wb.roles":       {"我的角色", "My roles"},
		"col.number":     {"案号", "Case no."},
		"col.summary":    {"事由", "Summary"},
		"col.status":     {"状态", "Status"},
		"col.tier":       {"层级", "Tier"},
		"col.handling":   {"承办单位", "Handling unit"},
		"col.assignee":   {"调解员", "Mediator"},
		"col.tier_clock": {"层级时限", "Tier deadline"},
		"col.stat_clock": {"法定时限", "Statutory deadline"},
		"col.pick":       {"选择", "Select"},

		"clock.left":                    {"剩余 %s", "%s left"},
		"clock.overdue_by":              {"已超期 %s", "overdue by %s"},
		"clock.days_hours":              {"%d 天 %d 小时", "%dd %dh"},
		"clock.minutes":                 {"%d 分钟", "%d min"},
		"clock.due_by":                  {"%d年%d月%d日（24:00）前", "by 24:00 on %d-%02d-%02d"},
		"clock.provisional":             {"暂按法定节假日计算，国务院通知公布后可能调整", "provisional: counted on the statutory holidays until the State Council's notice"},
		"clock.running":                 {"各项时限", "Running clocks"},
		"clock.explain":                 {"计算说明", "How it is counted"},
		"clock.kind.tier":               {"层级办理期限", "Tier deadline"},
		"clock.kind.mediation":          {"调解期限", "Mediation"},
		"clock.kind.route":              {"登记转送期限", "Registration and routing"},
		"clock.kind.handle":             {"办理期限", "Handling"},
		"clock.kind.review_reply":       {"复查（复核）答复期限", "Review reply"},
		"clock.kind.confirmation_apply": {"司法确认申请期限", "Application for judicial confirmation"},
		"clock.kind.court_accept":       {"法院受理期限", "Court acceptance"},
		"clock.kind.court_decide":       {"法院确认决定期限", "Court decision"},
		"clock.kind.performance_check":  {"履行回访期限", "Performance check"},
		"clock.kind.review_request":     {"申请复查（复核）期限", "Window for requesting review"},
		"badge.at_risk":                 {"即将超期", "At risk"},
		"badge.overdue":                 {"已超期", "Overdue"},
		"badge.paused":                  {"已中止计时", "Paused"},
		"badge.unack":                   {"未签收", "Unacknowledged"},
		"badge.breach":                  {"重复跑", "Repeat visit"},

		"intake.title":            {"受理登记", "Register a matter"},
		"intake.matter":           {"事项", "The matter"},
		"intake.kind":             {"类型", "Kind"},
		"intake.channel":          {"来源渠道", "Channel"},
		"intake.category":         {"纠纷类别", "Category"},
		"intake.summary":          {"事由摘要", "Summary"},
		"intake.location":         {"发生地 / 属地", "Location"},
		"intake.applicant":        {"申请人（信访人）", "Applicant"},
		"intake.respondent":       {"被申请人（被反映人）", "Respondent"},
		"intake.name":             {"姓名", "Name"},
		"intake.name_or_org":      {"姓名 / 名称", "Name (person or organisation)"},
		"intake.party_kind":       {"当事人类型", "Party type"},
		"party.kind.person":       {"自然人", "Person"},
		"party.kind.organization": {"法人或非法人组织", "Organisation"},
		"intake.gender":           {"性别", "Gender"},
		"intake.gender_from_id":   {"按身份号码", "From the ID number"},
		"gender.male":             {"男", "Male"},
		"gender.female":           {"女", "Female"},
		"intake.ethnicity":        {"民族", "Ethnic group"},
		"intake.birth":            {"出生日期", "Date of birth"},
		"intake.credit":           {"统一社会信用代码", "Unified social credit code"},
		"intake.rep":              {"法定代表人 / 主要负责人", "Legal representative / person in charge"},
		"intake.rep_title":        {"职务", "Title"},
		"intake.party_address":    {"住址 / 住所", "Address (home or registered seat)"},
		"intake.address":          {"纠纷发生地（详细地址）", "Where the dispute arose (address)"},
		"intake.request":          {"申请人请求事项（诉求）", "What the applicant asks for"},
		"intake.id":               {"公民身份号码", "Resident ID number"},
		"intake.phone":            {"联系电话", "Phone"},
		"intake.on_spot":          {"当场化解（即问即办）", "Resolved on the spot"},
		"intake.on_spot_hint":     {"简单事项当场化解的，登记后即办结。", "A simple matter settled on the spot is registered and closed at once."},
		"intake.outcome":          {"化解结果", "Outcome"},
		"intake.note":             {"说明", "Note"},
		"intake.submit":           {"登记并打印回执", "Register and print the receipt"},
		"intake.id_bad":           {"身份号码校验位不符", "The ID number's check digit is wrong"},
		"intake.phone_bad":        {"电话号码格式不正确", "Not a valid phone number"},
		"intake.dup":              {"该当事人就同一事项已有在办案件 %s。按“最多跑一次”，请在原案件上登记本次来访，而不是另立新案。", "This person already has an open case %s on the same matter. Record this visit on it instead of opening a second case (one visit at most)."},
		"intake.dup_record":       {"在原案件上登记来访", "Record the visit on that case"},
		"intake.dup_skip_level":   {"该事项正由原办理单位在期限内办理（案件 %s），本级不再重复受理；请在原案件上登记本次来访，系统将按越级访标记（《信访工作条例》第十九条）。", "This matter is being handled within its deadline by the level in charge (case %s); it is not taken in again here. Record this visit on that case: it is marked as a visit that skipped a level (XGTL art. 19)."},
		"intake.dup_open":         {"查看原案件", "Open that case"},

		"case.title":           {"案件 %s", "Case %s"},
		"case.query_code":      {"查询码", "Query code"},
		"case.kind":            {"类型", "Kind"},
		"case.category":        {"类别", "Category"},
		"case.channel":         {"渠道", "Channel"},
		"case.status":          {"状态", "Status"},
		"case.tier":            {"当前层级", "Tier"},
		"case.location":        {"属地", "Location"},
		"case.handling":        {"承办单位", "Handling unit"},
		"case.first_contact":   {"首问责任人", "First-contact owner"},
		"case.assignee":        {"调解员", "Mediator"},
		"case.visits":          {"来访次数", "Visits"},
		"case.opened":          {"受理时间", "Opened"},
		"case.closed":          {"办结时间", "Closed"},
		"case.outcome":         {"结果", "Outcome"},
		"case.summary":         {"事由", "Summary"},
		"case.parties":         {"当事人", "Parties"},
		"case.deadlines":       {"时限", "Deadlines"},
		"case.tier_clock":      {"层级时限（换层级重新计算）", "Tier clock (restarts at each tier)"},
		"case.stat_clock":      {"法定时限（不重新计算）", "Statutory clock (never restarts)"},
		"case.actions":         {"可办理事项", "What you can do now"},
		"case.no_actions":      {"当前没有您可以办理的事项。", "Nothing for you to do on this case now."},
		"case.timeline":        {"办理过程", "Timeline"},
		"case.documents":       {"文书", "Documents"},
		"case.receipt":         {"受理回执", "Intake receipt"},
		"case.agreement":       {"协议内容", "Agreement"},
		"party.applicant":      {"申请人", "Applicant"},
		"party.respondent":     {"被申请人", "Respondent"},
		"party.representative": {"代表人", "Representative"},
		"flash.done":           {"已办理：%s", "Done: %s"},

		"doc.receipt":                        {"受理回执", "Intake receipt"},
		"doc.doc_agreement":                  {"人民调解协议书", "Mediation agreement"},
		"doc.doc_confirmation":               {"司法确认申请书", "Application for judicial confirmation"},
		"doc.doc_termination":                {"终止调解告知书", "Notice of termination of mediation"},
		"doc.doc_court_result":               {"司法确认结果通知", "Notice of the result of judicial confirmation"},
		"doc.doc_petition_accepted":          {"信访事项受理告知书", "Notice of acceptance of a petition"},
		"doc.doc_petition_refused":           {"信访事项不予受理告知书", "Notice of non-acceptance of a petition"},
		"doc.court_result":                   {"司法确认结果通知", "Notice of the result of judicial confirmation"},
		"doc.petition_accepted":              {"信访事项受理告知书", "Notice of acceptance of a petition"},
		"doc.petition_refused":               {"信访事项不予受理告知书", "Notice of non-acceptance of a petition"},
		"doc.committee_of":                   {"%s人民调解委员会", "the People's Mediation Committee of %s"},
		"doc.referral.litigation":            {"诉讼程序", "litigation"},
		"doc.referral.arbitration":           {"仲裁程序", "arbitration"},
		"doc.referral.administrative_review": {"行政复议程序", "administrative review"},
		"doc.referral.other":                 {"其他法定途径", "another lawful channel"},
		"doc.referral.":                      {"法定途径", "the lawful channel"},
		"doc.agreement":                      {"人民调解协议书", "Mediation agreement"},
		"doc.confirmation":                   {"司法确认申请书", "Application for judicial confirmation"},
		"doc.termination":                    {"终止调解告知书", "Notice of termination of mediation"},

		"board.title":          {"督办", "Supervision board"},
		"board.overdue":        {"已超期", "Overdue"},
		"board.at_risk":        {"即将超期", "At risk"},
		"board.unacknowledged": {"升级后未签收", "Escalated, not acknowledged"},
		"board.filter":         {"按单位筛选", "Filter by unit"},
		"board.all":            {"全部辖区", "My whole area"},
		"board.bulk":           {"批量督办", "Bulk action"},
		"board.bulk_action":    {"操作", "Action"},
		"board.results":        {"办理结果", "Results"},
		"board.apply":          {"对所选案件执行", "Apply to the selected cases"},

		"public.title":          {"群众查询", "Track my case"},
		"schedule.title":        {"领导接访日", "Leaders' reception days"},
		"schedule.intro":        {"以下领导将在规定时间、地点接待群众来访，反映问题请携带身份证件。", "These leaders receive the public at the times and places below; please bring your ID."},
		"schedule.when":         {"%s %s—%s", "%s %s–%s"},
		"schedule.day":          {"接访日期", "Date"},
		"field.title":           {"现场记录与附件", "Field notes and files"},
		"field.note":            {"现场情况记录", "Note from the field"},
		"field.lat":             {"纬度（可选，手机定位）", "Latitude (optional)"},
		"field.lng":             {"经度（可选）", "Longitude (optional)"},
		"field.position":        {"位置", "at"},
		"field.add_note":        {"添加记录", "Add the note"},
		"field.file":            {"照片或文件（JPG、PNG、PDF，10 MB 以内）", "Photo or document (JPG, PNG, PDF, up to 10 MB)"},
		"field.file_hint":       {"证据材料仅对有权查阅本案的工作人员可见。", "Only staff who may read the case can see the files."},
		"field.upload":          {"上传", "Upload"},
		"schedule.node":         {"辖区（区划代码）", "Jurisdiction (code)"},
		"schedule.leader":       {"接访领导", "Leader"},
		"schedule.leader_login": {"接访领导（登录名，须在该辖区担任督办职务）", "Leader (username; must supervise the jurisdiction)"},
		"schedule.leader_title": {"职务", "Title"},
		"schedule.place":        {"接访地点", "Place"},
		"schedule.from":         {"开始时间", "From"},
		"schedule.to":           {"结束时间", "To"},
		"schedule.add":          {"新增接访安排", "Add a reception day"},
		"schedule.remove":       {"删除", "Remove"},
		"schedule.none":         {"暂无接访安排。", "No reception days scheduled."},
		"public.intro":          {"请输入受理回执上的查询码和申请人手机号后四位。", "Enter the query code on your receipt and the last four digits of the applicant's phone."},
		"public.code":           {"查询码", "Query code"},
		"public.last4":          {"手机号后四位", "Last four digits of the phone"},
		"public.submit":         {"查询", "Look up"},
		"public.not_found":      {"没有找到对应的案件，请核对查询码和手机号后四位。", "No case matches this query code and phone."},
		"public.progress":       {"办理进度", "Progress"},
		"public.rate":           {"评价办理情况", "Rate how your case was handled"},
		"public.score":          {"满意度（1-5 分）", "Satisfaction (1-5)"},
		"public.comment":        {"意见建议", "Comments"},
		"public.rated":          {"您已评价：%d 分", "You rated it %d"},
		"public.thanks":         {"感谢您的评价！", "Thank you for your rating!"},
		"public.privacy":        {"为保护当事人隐私，本页不显示任何当事人身份信息。", "To protect the parties, this page shows no one's identity."},

		"admin.title":         {"管理", "Administration"},
		"admin.tree":          {"辖区（行政区划）", "Jurisdictions"},
		"admin.import":        {"导入 CSV（code,name,tier,parent_code）", "Import CSV (code,name,tier,parent_code)"},
		"admin.import_file":   {"CSV 文件", "CSV file"},
		"admin.import_text":   {"或粘贴 CSV 内容", "or paste the CSV"},
		"admin.import_failed": {"导入失败，未导入任何行：", "Nothing was imported:"},
		"admin.users":         {"人员与角色", "Staff and roles"},
		"admin.new_user":      {"新增人员", "New staff account"},
		"admin.display_name":  {"姓名", "Display name"},
		"admin.grant":         {"授予 / 撤销角色", "Grant or revoke a role"},
		"admin.role":          {"角色", "Role"},
		"admin.jurisdiction":  {"辖区代码或机构编码", "Jurisdiction or body code"},
		"admin.op":            {"操作", "Operation"},
		"admin.op_grant":      {"授予", "Grant"},
		"admin.op_revoke":     {"撤销", "Revoke"},
		"admin.calendar":      {"节假日日历", "Holiday calendar"},
		"admin.holidays":      {"法定节假日", "Public holidays"},
		"admin.workdays":      {"调休上班", "Weekend working days"},
		"admin.policy":        {"时限策略", "Deadline policy"},
		"admin.disabled":      {"已停用", "disabled"},

		"err.validation_failed":    {"填写有误", "Some fields are not valid"},
		"err.malformed_request":    {"请求格式错误", "Malformed request"},
		"err.request_too_large":    {"内容过大", "Too large"},
		"err.unauthenticated":      {"请先登录", "Please log in"},
		"err.forbidden":            {"无权办理", "Not allowed"},
		"err.not_found":            {"未找到", "Not found"},
		"err.conflict":             {"与现有记录冲突", "Conflict"},
		"err.duplicate_open_case":  {"同一事项已有在办案件", "The matter already has an open case"},
		"err.not_allowed_in_state": {"当前状态下不能办理", "Not allowed in the case's state"},
		"err.tier_skip_refused":    {"不得越级", "Skipping a tier is refused"},
		"err.final_after_review":   {"已复核终结，不再受理", "Final after review: not accepted again"},
		"err.rate_limited":         {"操作过于频繁", "Too many requests"},
		"err.unavailable":          {"服务暂不可用", "Service unavailable"},
		"err.internal_error":       {"系统内部错误，已记录", "Internal error; it has been logged"},
	}
	add := func(prefix string, pairs ...string) {
		for i := 0; i+2 < len(pairs)+1; i += 3 {
			c[prefix+pairs[i]] = [2]string{pairs[i+1], pairs[i+2]}
		}
	}
	add("kind.", "dispute", "矛盾纠纷", "dispute", "petition", "信访", "petition")
	add("channel.", "visit", "来访", "visit", "letter", "来信", "letter", "phone", "来电", "phone", "online", "网上", "online",
		"patrol", "网格巡查", "grid patrol", "referral", "移送", "referral")
	add("status.", "registered", "已登记", "registered", "mediating", "调解中", "mediating", "suspended", "中止", "suspended",
		"agreement", "已达成协议", "agreement", "confirmation_pending", "司法确认中", "confirmation pending",
		"confirmed", "已司法确认", "confirmed", "rejected_by_court", "法院未予确认", "rejected by the court",
		"answered", "已答复", "answered", "under_review", "复查复核中", "under review", "resolved", "已化解", "resolved",
		"closed", "已办结", "closed", "final", "终结", "final", "referred_out", "已导入法定途径", "referred out")
	for _, t := range fengqiao.Tiers {
		c["tier."+string(t)] = [2]string{t.Label(), string(t)}
	}
	for _, r := range fengqiao.Roles {
		c["role."+string(r)] = [2]string{r.Label(), strings.ReplaceAll(string(r), "_", " ")}
	}
	add("act.", "assign", "分派调解员", "Assign a mediator", "accept", "接收案件", "Accept", "consent", "记录调解意愿", "Record consent",
		"sessions", "记录调解", "Record a session", "agreement", "记录调解协议", "Record the agreement",
		"escalate", "上报上一级", "Escalate", "return", "交办下级", "Send down", "acknowledge", "签收", "Acknowledge",
		"suspend", "中止计时", "Suspend", "resume", "恢复计时", "Resume", "extend", "延期", "Extend",
		"visits", "登记来访", "Record a visit", "confirmation", "申请司法确认", "Apply for judicial confirmation",
		"court-accept", "法院立案", "Court accepts", "court-decision", "法院裁定", "Court decision",
		"alternative", "公证或仲裁确认", "Notarisation or arbitration", "performance", "履行回访", "Performance check",
		"close", "办结", "Close", "route-decision", "受理决定", "Route decision", "answer", "书面答复", "Written answer",
		"review", "复查复核申请", "Review request", "review-reply", "复查复核意见", "Review reply",
		"follow-up", "回访", "Follow-up visit", "rating", "评价", "Rating",
		"migrate-policy", "适用现行时限规定", "Move to the deadline policy in force")
	add("f.", "mediator", "调解员", "Mediator", "party", "当事人", "Party", "agrees", "同意调解", "Agrees",
		"note", "说明", "Note", "held_at", "调解时间", "Held at", "outcome", "结果", "Outcome", "notes", "调解记录", "Notes",
		"terms", "协议条款", "Terms", "form", "形式", "Form", "signed_by_all", "各方已签字", "Signed by all parties",
		"reason", "理由", "Reason", "to", "目标单位代码", "Target node code", "days", "天数", "Days",
		"both_parties_requested", "双方当事人申请", "Both parties requested", "channel", "渠道", "Channel",
		"court", "法院", "Court", "joint", "双方共同申请", "Joint application", "case_no", "法院案号", "Court case no.",
		"result", "结果", "Result", "ruling_no", "裁定书号", "Ruling no.", "route", "途径", "Route",
		"performed", "已履行", "Performed", "accept", "予以受理", "Accept", "decision", "答复意见", "Decision",
		"text", "答复内容", "Text", "level", "级别", "Level")
	add("ev.", "registered", "登记受理", "registered", "routed", "属地分流", "routed", "assigned", "分派调解员", "assigned",
		"mediation_started", "开始调解", "mediation started", "session", "调解", "session", "consent", "同意调解", "consent",
		"consent_refused", "拒绝调解", "consent refused", "agreement", "达成协议", "agreement", "mediation_failed", "调解不成", "mediation failed",
		"mediation_terminated", "终止调解", "mediation terminated", "mediation_resumed", "恢复调解", "mediation resumed",
		"escalated", "上报上一级", "escalated", "returned", "交办下级", "sent down", "acknowledged", "签收", "acknowledged",
		"suspended", "中止计时", "suspended", "resumed", "恢复计时", "resumed", "extended", "延期", "extended", "visit", "来访", "visit",
		"one_visit_breach", "重复来访", "repeat visit", "confirmation_applied", "申请司法确认", "confirmation applied",
		"court_accepted", "法院立案", "court accepted", "court_confirmed", "法院确认有效", "court confirmed",
		"court_rejected", "法院不予确认", "court rejected", "court_extended", "法院延长期限", "court extended", "court_overdue", "法院逾期", "court overdue",
		"alternative", "公证或仲裁确认", "alternative route", "performance", "履行回访", "performance", "performance_check_due", "履行回访到期", "performance check due",
		"closed", "办结", "closed", "reopened", "重新办理", "reopened", "rated", "群众评价", "rated", "follow_up", "回访", "follow-up",
		"petition_accepted", "信访受理", "petition accepted", "referred_out", "导入法定途径", "referred out", "answered", "书面答复", "answered",
		"review_requested", "申请复查复核", "review requested", "review_replied", "复查复核意见", "review replied",
		"tier_at_risk", "层级时限即将到期", "tier deadline near", "tier_overdue", "层级时限已到", "tier deadline passed",
		"statutory_at_risk", "法定时限即将到期", "statutory deadline near", "statutory_overdue", "法定时限已到", "statutory deadline passed",
		"supervision_reported", "报上级督办", "reported up", "policy_migrated", "时限策略变更", "policy migrated")
	addRiskMessages(c)
	addCalendarMessages(c)
	addConfirmMessages(c)
	addPetitionMessages(c)
	addTrackMessages(c)
	addReferralMessages(c)
	addPublicMessages(c)
	addSearchMessages(c)
	addInboxMessages(c)
	addEventMessages(c)
	addRoutingMessages(c)
	addBodyMessages(c)
	addStatsMessages(c)
	addAdminMessages(c)
	add("outcome.", "continue", "继续调解", "continue", "agreement", "达成协议", "agreement", "failed", "调解不成", "failed")
	add("form.", "written", "书面协议", "written", "oral", "口头协议", "oral")
	add("result.", "confirmed", "确认有效", "confirmed", "rejected", "不予确认", "rejected", "extended", "延长审查期限", "extended")
	add("route.", "notarisation", "赋予强制执行效力公证", "notarisation", "arbitration", "仲裁确认", "arbitration")
	add("close.", "resolved", "调解成功", "resolved by mediation", "terminated", "终止调解", "mediation ended",
		"withdrawn", "申请人撤回", "withdrawn by the applicant")
	add("lawful.", "none", "（予以受理时不选）", "(none when accepted)", "litigation", "诉讼", "litigation", "arbitration", "仲裁", "arbitration",
		"administrative_review", "行政复议", "administrative review", "party_appeal", "党员申诉", "party appeal", "other", "其他", "other")
	add("decision.", "support", "支持", "support", "explain", "解释说明", "explain", "not_support", "不支持", "not supported")
	add("level.", "复查", "复查", "review (复查)", "复核", "复核", "re-review (复核)")
	cats := map[string][2]string{
		"neighbour": {"邻里纠纷", "neighbours"}, "family": {"家庭纠纷", "family"}, "marriage": {"婚姻纠纷", "marriage"},
		"inheritance": {"继承纠纷", "inheritance"}, "labour": {"劳动争议", "labour"}, "wage_arrears": {"欠薪纠纷", "wage arrears"},
		"land": {"土地纠纷", "land"}, "homestead": {"宅基地纠纷", "homestead"}, "land_requisition": {"征地纠纷", "land requisition"},
		"demolition": {"拆迁纠纷", "demolition"}, "property_management": {"物业纠纷", "property management"},
		"construction": {"建设工程纠纷", "construction"}, "contract": {"合同纠纷", "contract"}, "debt": {"债务纠纷", "debt"},
		"medical": {"医疗纠纷", "medical"}, "traffic": {"交通事故纠纷", "traffic"}, "consumer": {"消费纠纷", "consumer"},
		"environment": {"环境纠纷", "environment"}, "school": {"校园纠纷", "school"}, "tourism": {"旅游纠纷", "tourism"},
		"insurance": {"保险纠纷", "insurance"}, "finance": {"金融纠纷", "finance"}, "rental": {"租赁纠纷", "rental"},
		"damage_compensation": {"损害赔偿纠纷", "damage compensation"}, "village_affairs": {"村务纠纷", "village affairs"},
		"enterprise_restructuring": {"企业改制纠纷", "enterprise restructuring"}, "internet": {"网络纠纷", "internet"},
		"other": {"其他", "other"},
	}
	for k, v := range cats {
		c["cat."+k] = v
	}
	return c
}
