package web

// addBodyMessages adds the 机构管理 page (the body types are routing's "body.<type>").
func addBodyMessages(c catalogue) {
	for k, v := range map[string][2]string{
		"bodies.title":         {"机构管理", "Bodies"},
		"bodies.link":          {"机构管理（调委会、矛调中心、信访局、职能部门、法院等）", "Bodies (committees, centres, petition offices, agencies, courts…)"},
		"bodies.back":          {"← 返回管理", "← Back to administration"},
		"bodies.code":          {"机构编码", "Code"},
		"bodies.name":          {"机构名称", "Name"},
		"bodies.type":          {"机构类型", "Type"},
		"bodies.seat":          {"所在辖区", "Seat"},
		"bodies.fields":        {"受理领域", "Fields"},
		"bodies.field":         {"受理领域", "Field"},
		"bodies.fields_hint":   {"专业性调解组织、职能部门勾选其受理的纠纷类别；不勾选表示不限。", "For a professional committee or an agency, tick the categories it takes; none means any."},
		"bodies.superior":      {"上级机关", "Superior organ"},
		"bodies.no_superior":   {"（无）", "(none)"},
		"bodies.superior_hint": {"仅行政机关填写，复查、复核按此逐级进行（《信访工作条例》第三十五条、第三十六条）。", "Agencies only: 复查 and 复核 go up this line (XGTL 35-36)."},
		"bodies.all":           {"全部", "All"},
		"bodies.filter":        {"筛选", "Filter"},
		"bodies.none":          {"暂无机构。", "No bodies yet."},
		"bodies.more":          {"仅显示前 500 个，请按类型或领域筛选。", "Only the first 500 are shown; filter by type or field."},
		"bodies.new":           {"新增机构", "New body"},
		"bodies.import":        {"导入 CSV（code,name,type,node,fields,superior）", "Import CSV (code,name,type,node,fields,superior)"},
		"bodies.import_hint":   {"须有表头；受理领域之间用“|”分隔，如 labour|wage_arrears；上级机关可在同一文件后面的行中定义。任何一行有误则全部不导入。", "A header is required; separate fields with “|”, e.g. labour|wage_arrears; a superior may be defined further down the file. Any bad row imports nothing."},
		"bodies.created":       {"已新增机构 %s。", "Body %s created."},
		"bodies.imported":      {"已导入 %s 个机构。", "%s bodies imported."},
	} {
		c[k] = v
	}
}
