package web

import "decisionflow/procedure"

// The forms of risk assessment.
var riskForms = map[string]formSpec{
	"risk_report": {
		Title: T("提交风险评估报告", "Risk report"),
		Intro: T("报告须列明至少一个风险点、防范措施和应对预案，并记录已听取有关部门意见（R-16）；风险等级按规则集（R-17）。", "The report lists at least one risk point, its prevention and a response plan, and records that the departments concerned were heard (R-16); graded on the rulebook's scale (R-17)."),
		Fields: map[string]fieldSpec{
			"points":             {Label: T("风险点", "Risk points"), Rule: "R-16"},
			"points.description": {Label: T("风险描述", "Description"), Long: true},
			"points.mitigation":  {Label: T("防范措施", "Prevention"), Long: true},
			"response_plan":      {Label: T("应对预案", "Response plan"), Rule: "R-16", Long: true},
			"departments_heard":  {Label: T("已听取意见的部门（每行一个）", "Departments heard (one per line)"), Rule: "R-16"},
			"grade":              {Label: T("风险等级", "Grade"), Rule: "R-17", Options: []option{{"low", T("低", "low")}, {"medium", T("中", "medium")}, {"high", T("高", "high")}}},
			"document":           {Label: T("评估报告", "Report document")},
		},
	},
	"risk_finding": {
		Title:  T("风险可控性认定", "Risk finding"),
		When:   []procedure.Stage{procedure.StageConsultation, procedure.StageLegalityReview, procedure.StageCollectiveDiscussion},
		Intro:  T("决策机关认定风险是否可控；不可控的须修改草案并重新评估（R-17，第二十四条）。", "The organ finds whether the risk is controllable; if not, the draft is revised and reassessed (R-17, Art. 24)."),
		Engine: []string{"round", "grade"},
		Fields: map[string]fieldSpec{
			"controllable": {Label: T("风险可控", "Controllable"), Rule: "R-17"},
			"basis":        {Label: T("认定依据", "Basis"), Rule: "R-17", Long: true},
		},
	},
}
