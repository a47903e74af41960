package web

import "decisionflow/procedure"

// The forms of the legality review.
var legalityForms = map[string]formSpec{
	"legality_submission": {
		Title: T("送请合法性审查", "Submit for legality review"),
		When:  []procedure.Stage{procedure.StageConsultation, procedure.StageLegalityReview},
		Intro: T("送审材料包括草案、法律依据、各程序履行情况说明；须给审查机构留出不少于规定的工作日（R-18、R-20）。", "The submission holds the draft, its legal basis and how each procedure was performed, and leaves the reviewer the rulebook's working days (R-18, R-20)."),
		Fields: map[string]fieldSpec{
			"draft_version":       {Label: T("草案版本", "Draft version"), Rule: "R-18"},
			"legal_basis":         {Label: T("法律依据", "Legal basis"), Rule: "R-18", Long: true},
			"procedure_statement": {Label: T("程序履行情况说明", "How each procedure was performed"), Rule: "R-18", Long: true, Hint: T("留空则由系统根据记录生成", "Leave empty to have it generated from the record")},
			"unit_opinion":        {Label: T("承办单位意见", "Unit's opinion"), Long: true},
			"submitted_on":        {Label: T("送审日期", "Submitted on"), Rule: "R-20"},
			"adoption_report":     {Label: T("意见采纳情况报告（文件引用）", "Adoption report (document reference)")},
		},
	},
	"request_materials": {
		Title:  T("要求补充材料", "Request materials"),
		Intro:  T("审查机构可要求补充材料；等待材料的时间不计入审查期限（R-19）。", "The reviewer may request materials; waiting does not count against the review period (R-19)."),
		Engine: []string{"on"},
		Fields: map[string]fieldSpec{"reason": {Label: T("需补充的材料及理由", "Materials needed and why"), Rule: "R-19", Long: true}},
	},
	"provide_materials": {Title: T("补充材料已送达", "Materials provided")},
	"return_submission": {
		Title:  T("退回送审材料", "Return the submission"),
		Engine: []string{"on"},
		Fields: map[string]fieldSpec{"reason": {Label: T("退回理由", "Reason"), Rule: "R-19", Long: true}},
	},
	"adviser_opinion": {
		Title:  T("法律顾问意见", "Legal adviser's opinion"),
		Intro:  T("审查结束前须有至少一份法律顾问或公职律师意见（R-21）。", "At least one legal adviser's or public lawyer's opinion before the review closes (R-21)."),
		Fields: map[string]fieldSpec{"document": {Label: T("意见书", "Opinion document"), Rule: "R-21"}},
	},
	"countersign": {
		Title: T("会签", "Countersign"),
		Intro: T("会签或征求意见不能代替合法性审查（R-23）。", "Countersigning never substitutes for the review (R-23)."),
	},
	"legality_opinion": {
		Title: T("出具合法性审查意见", "Legality opinion"),
		Intro: T("审查意见：合法、修改、不合法或探索性（R-22）；起草人不得审查本人起草的事项（R-36）。", "The opinion: lawful, revise, unlawful or exploratory (R-22); the drafter never reviews their own decision (R-36)."),
		Fields: map[string]fieldSpec{
			"outcome": {Label: T("审查结论", "Outcome"), Rule: "R-22", Options: []option{
				{"lawful", T("合法", "lawful")}, {"revise", T("修改后可提交", "revise")}, {"unlawful", T("不合法", "unlawful")}, {"exploratory", T("探索性事项", "exploratory")}}},
			"reasons":     {Label: T("理由", "Reasons"), Rule: "R-22", Long: true},
			"legal_risks": {Label: T("法律风险", "Legal risks"), Long: true},
			"document":    {Label: T("审查意见书", "Opinion document")},
		},
	},
}
