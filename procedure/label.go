package procedure

import "strings"

// actLabels name every human act, by its Update name, in Chinese and in English: the pages'
// forms and task lists and the API's inbox and open tasks show the same words.
var actLabels = map[string][2]string{
	// The catalog and the expert pool.
	"catalog_item":          {"编入目录事项", "Add a catalog item"},
	"publish_catalog":       {"公布目录", "Publish the catalog"},
	"withdraw_catalog_item": {"撤出目录事项", "Withdraw a catalog item"},
	"admit_expert":          {"专家入库", "Admit an expert"},
	"remove_expert":         {"专家出库", "Remove an expert"},

	// Start and drafting.
	"proposal":                {"决策事项建议", "Proposal"},
	"start_decision":          {"启动决策", "Start decision"},
	"assignment":              {"调整承办人员", "Assignment"},
	"draft":                   {"提交草案", "Submit a draft"},
	"department_consultation": {"征求有关部门意见", "Department consultation"},
	"open_consultation":       {"启动公众参与", "Open the consultation"},
	"fair_competition_review": {"公平竞争审查", "Fair-competition review"},

	// Public participation.
	"notice":             {"发布征求意见公告", "Publish the consultation notice"},
	"extend_period":      {"延长征求意见期限", "Extend the period"},
	"hearing":            {"举行听证会", "Hold a hearing"},
	"hearing_selection":  {"抽签确定听证参加人", "Draw hearing participants"},
	"hearing_materials":  {"听证材料送达凭证", "Hearing materials delivered"},
	"confirm_hearing":    {"确认听证笔录", "Confirm the hearing record"},
	"group_consultation": {"听取群体意见", "Consult a group"},
	"dispositions":       {"处理公众意见", "Dispose of comments"},
	"adoption_report":    {"生成并提交意见采纳情况报告", "Adoption report"},

	// Expert argumentation and risk assessment.
	"panel":          {"组成专家组", "Form the expert panel"},
	"expert_opinion": {"提交专家论证意见", "Expert opinion"},
	"expert_report":  {"提交专家论证报告", "Expert report"},
	"risk_report":    {"提交风险评估报告", "Risk report"},
	"risk_finding":   {"风险可控性认定", "Risk finding"},

	// The legality review.
	"legality_submission": {"送请合法性审查", "Submit for legality review"},
	"request_materials":   {"要求补充材料", "Request materials"},
	"provide_materials":   {"补充材料已送达", "Materials provided"},
	"return_submission":   {"退回送审材料", "Return the submission"},
	"adviser_opinion":     {"法律顾问意见", "Legal adviser's opinion"},
	"countersign":         {"会签", "Countersign"},
	"legality_opinion":    {"出具合法性审查意见", "Legality opinion"},

	// Collective discussion, the Party committee, publication and the archive.
	"schedule_meeting":   {"安排集体讨论", "Schedule the meeting"},
	"minutes":            {"提交会议记录", "Minutes"},
	"approve_minutes":    {"签批会议记录", "Approve the minutes"},
	"party_report":       {"向党委请示报告", "Report to the Party committee"},
	"party_answer":       {"记录党委答复", "Record the Party's answer"},
	"disclosure_finding": {"公开属性认定", "Disclosure finding"},
	"publication":        {"公布决策", "Publish the decision"},
	"archive_handover":   {"归档移交", "Archive handover"},

	// Implementation and evaluation.
	"execution_unit":        {"明确执行单位", "Name the execution unit"},
	"implementation_report": {"提交实施情况报告", "Implementation report"},
	"start_evaluation":      {"启动决策后评估", "Start the evaluation"},
	"evaluation_report":     {"提交后评估报告", "Evaluation report"},
	"problem_report":        {"报告执行中的问题", "Report a problem"},
	"public_opinion":        {"登记公众意见", "Record a public opinion"},
	"suspend":               {"紧急暂停执行", "Urgent suspension"},
	"resume":                {"恢复执行", "Resume"},
	"adjustment":            {"决策调整", "Adjustment"},
}

// ActLabel names an act in Chinese and in English. A task's act may carry an index after #
// (confirm_hearing#2, one task per hearing); the label is the act's. An act without a label
// is named by itself in both languages.
func ActLabel(act string) (zh, en string) {
	name, _, _ := strings.Cut(act, "#")
	if l, ok := actLabels[name]; ok {
		return l[0], l[1]
	}
	return act, act
}

// HasActLabel reports whether ActLabel knows act.
func HasActLabel(act string) bool {
	name, _, _ := strings.Cut(act, "#")
	_, ok := actLabels[name]
	return ok
}
