package web

// The forms of expert argumentation.
var expertForms = map[string]formSpec{
	"panel": {
		Title: T("组成专家组", "Form the expert panel"),
		Intro: T("遴选须记录专业性、代表性、中立性，以及是否邀请持不同意见的专家；有直接利害关系的专家不得参加（R-14、R-15）。", "The selection records expertise, representativeness, neutrality and whether experts of differing views were invited; no expert with a direct interest (R-14, R-15)."),
		Fields: map[string]fieldSpec{
			"experts":                  {Label: T("专家", "Experts"), Rule: "R-15"},
			"experts.id":               {Label: T("用户 ID", "User ID")},
			"experts.name":             {Label: T("姓名", "Name")},
			"experts.expertise":        {Label: T("专业领域", "Field")},
			"experts.institution":      {Label: T("专业机构", "An institution")},
			"experts.sector_official":  {Label: T("系统内人员", "A sector official")},
			"experts.conflict_checked": {Label: T("已做利益冲突审查", "Conflict checked"), Rule: "R-14"},
			"experts.direct_interest":  {Label: T("有直接利害关系", "Has a direct interest"), Rule: "R-14"},
			"expertise":                {Label: T("专业性说明", "Expertise"), Rule: "R-15", Long: true},
			"representativeness":       {Label: T("代表性说明", "Representativeness"), Rule: "R-15", Long: true},
			"neutrality":               {Label: T("中立性说明", "Neutrality"), Rule: "R-15", Long: true},
			"differing_views_invited":  {Label: T("已邀请持不同意见的专家", "Experts of differing views invited"), Rule: "R-15"},
		},
	},
	"expert_opinion": {
		Title:  T("提交专家论证意见", "Expert opinion"),
		Intro:  T("书面意见须本人签名（R-13）；每位专家每次论证只提交一份意见（R-36）。", "A written opinion is signed (R-13); one opinion per expert per argumentation (R-36)."),
		Engine: []string{"expert"},
		Fields: map[string]fieldSpec{"document": {Label: T("论证意见", "Opinion document"), Rule: "R-13"}},
	},
	"expert_report": {
		Title: T("提交专家论证报告", "Expert report"),
		Value: fieldSpec{Label: T("论证报告（文件引用）", "Report (document reference)")},
	},
}
