package web

import "decisionflow/procedure"

// The forms of the start and drafting stages (Arts. 10–13).
var draftingForms = map[string]formSpec{
	"proposal": {
		Title: T("决策事项建议", "Proposal"),
		When:  []procedure.Stage{procedure.StageStart},
		Intro: T("部门或下级政府提出决策事项建议，须写明拟解决的问题、依据、初步方案、必要性和可行性（R-02，第十条）。", "A department's or lower government's proposal states the problem, basis, preliminary solution, necessity and feasibility (R-02, Art. 10)."),
		Fields: map[string]fieldSpec{
			"source": {Label: T("来源", "Source"), Rule: "R-02", Options: []option{
				{"catalog", T("年度决策事项目录", "annual catalog")}, {"department", T("政府部门", "a department")},
				{"lower_government", T("下级人民政府", "a lower government")}, {"organ", T("决策机关自行提出", "the organ itself")}}},
			"catalog":      {Label: T("目录（机关/年度）", "Catalog (organ/year)"), Hint: T("来源为目录时填写，如 区人民政府/2026", "When from a catalog, e.g. 区人民政府/2026")},
			"catalog_item": {Label: T("目录事项编号", "Catalog item ID")},
			"problem":      {Label: T("拟解决的主要问题", "Problem to solve"), Rule: "R-02", Long: true},
			"basis":        {Label: T("法律政策依据", "Legal and policy basis"), Rule: "R-02", Long: true},
			"solution":     {Label: T("初步方案", "Preliminary solution"), Rule: "R-02", Long: true},
			"necessity":    {Label: T("必要性", "Necessity"), Rule: "R-02", Long: true},
			"feasibility":  {Label: T("可行性", "Feasibility"), Rule: "R-02", Long: true},
		},
	},
	"start_decision": {
		Title: T("启动决策", "Start decision"),
		When:  []procedure.Stage{procedure.StageStart},
		Intro: T("决策机关决定启动决策程序，明确承办单位（多个时须且仅有一个牵头），并就公众参与、专家论证、风险评估、公平竞争审查是否适用作出认定（R-01，第十一条）。", "The organ starts the procedure, names the undertaking units (exactly one lead if several) and finds whether participation, expert argumentation, risk assessment and fair-competition review apply (R-01, Art. 11)."),
		Fields: map[string]fieldSpec{
			"units":                                {Label: T("承办单位", "Undertaking units"), Rule: "R-01"},
			"units.name":                           {Label: T("单位名称", "Unit name"), Rule: "R-01"},
			"units.lead":                           {Label: T("牵头单位", "Lead unit"), Rule: "R-01"},
			"officials":                            {Label: T("承办人员（用户 ID，每行一个）", "Officials (user IDs, one per line)")},
			"assessors":                            {Label: T("风险评估人员（用户 ID，每行一个）", "Risk assessors (user IDs, one per line)")},
			"reviewers":                            {Label: T("合法性审查人员（用户 ID，每行一个）", "Legality reviewers (user IDs, one per line)")},
			"secretaries":                          {Label: T("会议秘书（用户 ID，每行一个）", "Meeting secretaries (user IDs, one per line)")},
			"decided_on":                           {Label: T("决定日期", "Decided on")},
			"document":                             {Label: T("启动决定文件", "Start decision document")},
			"applicability":                        {Label: T("程序适用认定", "Which procedures apply")},
			"applicability.participation":          {Label: T("公众参与（R-05）", "Public participation (R-05)"), Rule: "R-05"},
			"applicability.expert":                 {Label: T("专家论证（R-12）", "Expert argumentation (R-12)"), Rule: "R-12"},
			"applicability.risk":                   {Label: T("风险评估（R-16）", "Risk assessment (R-16)"), Rule: "R-16"},
			"applicability.fair_competition":       {Label: T("公平竞争审查", "Fair-competition review")},
			"applicability.participation.required": {Label: T("适用", "Applies")},
			"applicability.expert.required":        {Label: T("适用", "Applies")},
			"applicability.risk.required":          {Label: T("适用", "Applies")},
			"applicability.fair_competition.required": {Label: T("适用", "Applies")},
			"finding":            {Label: T("不适用的认定理由", "Finding when it does not apply"), Long: true},
			"legal_basis":        {Label: T("法律依据", "Legal basis")},
			"earlier_assessment": {Label: T("已有评估（引用）", "Earlier assessment (reference)")},
			"affected_groups":    {Label: T("利益相关群体（每行一个）", "Affected groups (one per line)")},
		},
	},
	"assignment": {
		Title: T("调整承办人员", "Assignment"),
		When:  []procedure.Stage{procedure.StageStart, procedure.StageDrafting, procedure.StageConsultation, procedure.StageLegalityReview, procedure.StageCollectiveDiscussion},
		Intro: T("行政首长调整代表承办单位办理本事项的人员（第十一条）。", "The head changes who acts for the undertaking unit (Art. 11)."),
		Fields: map[string]fieldSpec{
			"assessors":   {Label: T("风险评估人员（每行一个）", "Risk assessors (one per line)")},
			"reviewers":   {Label: T("合法性审查人员（每行一个）", "Legality reviewers (one per line)")},
			"secretaries": {Label: T("会议秘书（每行一个）", "Meeting secretaries (one per line)")},
		},
	},
	"fair_competition_review": {
		Title: T("公平竞争审查", "Fair-competition review"),
		When:  []procedure.Stage{procedure.StageDrafting, procedure.StageConsultation},
		Fields: map[string]fieldSpec{
			"conclusion": {Label: T("审查结论", "Conclusion"), Long: true},
		},
	},
	"department_consultation": {
		Title:  T("征求有关部门意见", "Department consultation"),
		When:   []procedure.Stage{procedure.StageDrafting, procedure.StageConsultation},
		Intro:  T("承办单位征求有关部门意见；有分歧的须协商一致或报请决策机关协调（第十三条）。", "The unit consults the departments concerned; disagreements are settled by agreement or referred to the organ (Art. 13)."),
		Engine: []string{"opinions.draft_version"},
		Fields: map[string]fieldSpec{
			"opinions":                {Label: T("部门意见", "Departments' opinions")},
			"opinions.department":     {Label: T("部门", "Department")},
			"opinions.disagrees":      {Label: T("有分歧", "Disagrees")},
			"opinions.settlement":     {Label: T("分歧处理", "Settlement")},
			"opinions.settlement.how": {Label: T("处理方式", "How"), Options: []option{{"agreed", T("协商一致", "agreed")}, {"referred", T("报请决策机关协调", "referred to the organ")}}},
		},
	},
	"open_consultation": {
		Title: T("启动公众参与", "Open the consultation"),
		When:  []procedure.Stage{procedure.StageDrafting, procedure.StageConsultation},
		Intro: T("开启公众参与轮次；随后发布征求意见公告（R-05）。", "Opens a round of public participation; its notice follows (R-05)."),
	},
	"draft": {
		Title: T("提交草案", "Submit a draft"),
		When:  []procedure.Stage{procedure.StageDrafting, procedure.StageConsultation, procedure.StageLegalityReview, procedure.StageCollectiveDiscussion},
		Intro: T("提交决策草案的新版本（每一版本均保留）；纯文本草案按“第…条”拆分条款，修改比例由系统测算（R-11）。", "Submits a new draft version (every version is kept); a plain-text draft is split into clauses and its changed share measured (R-11)."),
		Fields: map[string]fieldSpec{
			"document":     {Label: T("草案文件", "Draft document"), Hint: T("纯文本（.txt）草案可按条款比对", "A plain-text (.txt) draft gets clause-level comparison")},
			"explanation":  {Label: T("起草说明", "Drafting explanation"), Long: true},
			"alternatives": {Label: T("备选方案（文件引用，每行一个）", "Alternative drafts (document references, one per line)")},
		},
	},
}
