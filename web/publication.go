package web

import "decisionflow/procedure"

// The forms of the Party report and publication.
var publicationForms = map[string]formSpec{
	"party_report": {
		Title:  T("向党委请示报告", "Report to the Party committee"),
		When:   []procedure.Stage{procedure.StagePartyReport},
		Intro:  T("请示报告记录前不得发布（R-29）。", "Nothing is issued before the report is recorded (R-29)."),
		Engine: []string{"answer"},
		Fields: map[string]fieldSpec{
			"reported_on": {Label: T("报告日期", "Reported on"), Rule: "R-29"},
			"document":    {Label: T("请示报告", "Report document"), Rule: "R-29"},
			"response":    {Label: T("党委答复摘要", "Committee's response"), Long: true},
		},
	},
	"party_answer": {
		Title: T("记录党委答复", "Record the Party's answer"),
		When:  []procedure.Stage{procedure.StagePartyReport, procedure.StagePublication},
		Fields: map[string]fieldSpec{
			"outcome":  {Label: T("答复", "Outcome"), Rule: "R-29", Options: []option{{"agreed", T("同意", "agreed")}, {"agreed_with_changes", T("修改后同意", "agreed with changes")}, {"not_agreed", T("不同意", "not agreed")}}},
			"document": {Label: T("答复文件", "Answer document")},
		},
	},
	"disclosure_finding": {
		Title: T("公开属性认定", "Disclosure finding"),
		When:  []procedure.Stage{procedure.StageDrafting, procedure.StageConsultation, procedure.StageLegalityReview, procedure.StageCollectiveDiscussion, procedure.StagePartyReport, procedure.StagePublication},
		Intro: T("依法不予公开的须写明法律依据（R-05、R-30）。", "Not disclosable only with its legal basis (R-05, R-30)."),
		Fields: map[string]fieldSpec{
			"not_disclosable": {Label: T("依法不予公开", "Not disclosable by law"), Rule: "R-30"},
			"legal_basis":     {Label: T("法律依据", "Legal basis"), Rule: "R-30", Long: true},
		},
	},
	"publication": {
		Title: T("公布决策", "Publish the decision"),
		When:  []procedure.Stage{procedure.StagePublication},
		Intro: T("通过政府公报、网站等公布；社会关注度高或专业性强的须说明公众和专家意见采纳情况（R-30）。", "Published in the gazette and on the website; widely watched or technical decisions explain how opinions were adopted (R-30)."),
		Fields: map[string]fieldSpec{
			"channels":              {Label: T("公布渠道（每行一个）", "Channels (one per line)"), Rule: "R-30"},
			"published_on":          {Label: T("公布日期", "Published on"), Rule: "R-30"},
			"document":              {Label: T("公布文本", "Published text")},
			"opinions_explanation":  {Label: T("意见采纳情况说明", "How opinions were adopted"), Rule: "R-30", Long: true},
			"not_disclosable_basis": {Label: T("不予公开的依据", "Basis for not disclosing"), Long: true},
			"party_changes":         {Label: T("根据党委意见所作修改", "Changes after the Party's answer"), Long: true},
		},
	},
}
