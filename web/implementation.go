package web

// The forms of implementation, evaluation and adjustment.
var implementationForms = map[string]formSpec{
	"execution_unit": {
		Title: T("明确执行单位", "Name the execution unit"),
		Value: fieldSpec{Label: T("执行单位", "Execution unit"), Rule: "R-32"},
	},
	"implementation_report": {
		Title: T("提交实施情况报告", "Implementation report"),
		Fields: map[string]fieldSpec{
			"period":   {Label: T("报告期", "Period"), Rule: "R-32"},
			"document": {Label: T("实施情况报告", "Report document")},
		},
	},
	"start_evaluation": {
		Title:  T("启动决策后评估", "Start the evaluation"),
		Intro:  T("评估机构不得是参与决策前论证、评估的单位或人员（R-33）。", "The evaluator did not argue or assess before the decision (R-33)."),
		Engine: []string{"opinions"},
		Fields: map[string]fieldSpec{
			"trigger":    {Label: T("启动情形", "Trigger"), Rule: "R-33", Options: []option{{"effect_not_achieved", T("未达到预期效果", "effect not achieved")}, {"public_opinion", T("公众意见较多", "many public opinions")}, {"organ_decision", T("决策机关认为有必要", "the organ deems it necessary")}}},
			"evaluator":  {Label: T("评估单位", "Evaluator"), Rule: "R-33"},
			"evaluators": {Label: T("评估人员（用户 ID，每行一个）", "Evaluators (user IDs, one per line)"), Rule: "R-33"},
		},
	},
	"evaluation_report": {
		Title: T("提交后评估报告", "Evaluation report"),
		Value: fieldSpec{Label: T("评估报告（文件引用）", "Report (document reference)")},
	},
	"problem_report": {
		Title: T("报告执行中的问题", "Report a problem"),
		Fields: map[string]fieldSpec{
			"kind":        {Label: T("问题类型", "Kind"), Options: []option{{"problem", T("决策本身存在问题", "a problem in the decision")}, {"changed_circumstances", T("客观情况发生重大变化", "changed circumstances")}, {"force_majeure", T("不可抗力", "force majeure")}}},
			"description": {Label: T("情况说明", "Description"), Long: true},
		},
	},
	"public_opinion": {
		Title: T("登记公众意见", "Record a public opinion"),
		Fields: map[string]fieldSpec{
			"channel":     {Label: T("来源渠道", "Channel")},
			"received_on": {Label: T("收到日期", "Received on")},
		},
	},
	"suspend": {
		Title: T("紧急暂停执行", "Urgent suspension"),
		Intro: T("仅行政首长可紧急暂停，并记录理由（R-34）。", "Only the head may suspend urgently, with the reason logged (R-34)."),
		Value: fieldSpec{Label: T("理由", "Reason"), Rule: "R-34", Long: true},
	},
	"resume": {
		Title: T("恢复执行", "Resume"),
		Value: fieldSpec{Label: T("理由", "Reason"), Long: true},
	},
	"adjustment": {
		Title: T("决策调整", "Adjustment"),
		Intro: T("变更或停止执行须重新履行法定程序（R-34）。", "A change or stop runs through the statutory steps again (R-34)."),
		Fields: map[string]fieldSpec{
			"kind":   {Label: T("调整类型", "Kind"), Rule: "R-34", Options: []option{{"change", T("变更", "change")}, {"stop", T("停止执行", "stop")}}},
			"reason": {Label: T("理由", "Reason"), Rule: "R-34", Long: true},
		},
	},
}
