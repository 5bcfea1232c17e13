package web

// addSearchMessages adds the search box and its results (search.go), and the type-ahead fields
// (typeahead.go, static/typeahead.js).
func addSearchMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"search.title":      {"案件查询", "Find a case"},
		"search.label":      {"姓名、身份证号、手机号、案件编号或查询码", "Name, ID number, phone, case number or query code"},
		"search.hint":       {"姓名可输入其中任意两个字；“姓名 手机后四位”可区分同名；查询仅在您有权查阅的案件中进行，并记入审计日志。", "Any two characters of a name will do; \"name + last 4 digits of the phone\" tells namesakes apart; only cases you may read are searched, and the search is audited."},
		"search.kind":       {"查询方式", "Search by"},
		"search.kind.auto":  {"自动识别", "Tell by its shape"},
		"search.submit":     {"查询", "Search"},
		"search.results":    {"查询结果", "Results"},
		"search.parties":    {"当事人", "Parties"},
		"search.none":       {"在您有权查阅的案件中未找到。", "Nothing found among the cases you may read."},
		"search.scope_hint": {"姓名、证件号码、电话均已脱敏显示；打开案件即为查阅全案，将记入审计日志。", "Names and numbers are masked; opening a case is a full read and is audited."},

		"search.kind.name":        {"按姓名", "by name"},
		"search.kind.name_phone4": {"按姓名及手机后四位", "by name and the last 4 digits of the phone"},
		"search.kind.id_number":   {"按身份证号", "by ID number"},
		"search.kind.phone":       {"按电话", "by phone"},
		"search.kind.number":      {"按案件编号", "by case number"},
		"search.kind.query_code":  {"按查询码", "by query code"},

		"search.invalid.":            {"请输入查询内容。", "Type what to search for."},
		"search.invalid.name":        {"查询内容：姓名不能包含数字，也不能为空。", "Search: a name holds no digits and cannot be empty."},
		"search.invalid.name_phone4": {"查询内容：请输入姓名后接手机号后四位，如“张三 5678”。", "Search: type a name followed by the last 4 digits of the phone, e.g. 张三 5678."},
		"search.invalid.id_number":   {"查询内容：不是有效的18位公民身份号码（请核对校验位）。", "Search: not a valid 18-digit resident ID number (check the last character)."},
		"search.invalid.phone":       {"查询内容：请输入手机号或带区号的固定电话。", "Search: type a mobile number or a fixed line with its area code."},
		"search.invalid.number":      {"查询内容：请输入案件编号或其开头部分，如“330203-2026”。", "Search: type a case number or its beginning, e.g. 330203-2026."},
		"search.invalid.query_code":  {"查询内容：查询码为12位字母和数字。", "Search: a query code has 12 letters and digits."},
		"search.invalid.kind":        {"查询方式：请从列表中选择。", "Search by: choose one from the list."},

		"intake.candidates":           {"该申请人另有在办案件", "The applicant has other open cases"},
		"intake.candidates_hint_view": {"申请人另有在办案件，请核实是否为同一事项；如为同一事项，请与承办单位联系。", "The applicant has other open cases: check whether this is the same matter; if it is, contact the handling body."},
		"intake.candidates_hint":      {"如为同一事项，请在原案件上记录来访（最多跑一次）；如为新的事项，可继续登记。", "If it is the same matter, record the visit on that case (最多跑一次); if it is a new matter, go on with the intake."},
		"intake.candidates_none":      {"未找到该申请人在您有权查阅范围内的在办案件。", "No open case of the applicant among the cases you may read."},
		"intake.check":                {"查询申请人在办案件", "Look up the applicant's open cases"},
		"intake.candidate_record":     {"在此案记录来访", "Record the visit on this case"},

		"typeahead.refused":    {"无法按此查询，请换个写法。", "That cannot be looked up; try other words."},
		"typeahead.none":       {"在您可查看的范围内没有匹配项。", "Nothing matches where you may look."},
		"typeahead.disabled":   {"已停用", "disabled"},
		"typeahead.place_hint": {"输入地名或编码的一部分，如“鼓楼”", "Type part of a place's name or code, e.g. 鼓楼"},
		"typeahead.staff_hint": {"输入姓名或用户名的一部分", "Type part of a name or username"},
	} {
		c[k] = v
	}
}
