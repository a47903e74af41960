package web

import "decisionflow/procedure"

// The forms of the collective discussion.
var meetingForms = map[string]formSpec{
	"schedule_meeting": {
		Title:  T("安排集体讨论", "Schedule the meeting"),
		When:   []procedure.Stage{procedure.StageCollectiveDiscussion},
		Intro:  T("须经政府常务会议或全体会议讨论，出席人数须达到法定人数（R-25）。", "Decided only at an executive or plenary meeting with its quorum present (R-25)."),
		Engine: []string{"minutes", "stated_risks"},
		Fields: map[string]fieldSpec{
			"kind":    {Label: T("会议类型", "Kind"), Rule: "R-25", Options: []option{{"executive", T("常务会议", "executive meeting")}, {"plenary", T("全体会议", "plenary meeting")}}},
			"date":    {Label: T("会议日期", "Date"), Rule: "R-25"},
			"head":    {Label: T("主持会议的行政首长（用户 ID）", "Head chairing (user ID)")},
			"members": {Label: T("组成人员（用户 ID，每行一个）", "Members (user IDs, one per line)"), Rule: "R-25"},
			"offices": {Label: T("职务（每行“用户 ID=职务”：head、deputy_head、secretary_general、department_head）", "Offices (one \"user ID=office\" a line: head, deputy_head, secretary_general, department_head)"), Rule: "R-25"},
		},
	},
	"minutes": {
		Title: T("提交会议记录", "Minutes"),
		When:  []procedure.Stage{procedure.StageCollectiveDiscussion},
		Intro: T("记录每位组成人员的意见，行政首长最后发表意见；首长的决定与多数意见不一致的须说明理由（R-26、R-27）。", "Every member's view, the head's last; a head departing from the majority states the reason (R-26, R-27)."),
		Fields: map[string]fieldSpec{
			"attended":                  {Label: T("出席人员（用户 ID，每行一个）", "Attended (user IDs, one per line)"), Rule: "R-25"},
			"views":                     {Label: T("组成人员意见（首长最后）", "Members' views (the head's last)"), Rule: "R-26"},
			"views.member":              {Label: T("组成人员（用户 ID）", "Member (user ID)")},
			"views.position":            {Label: T("意见", "Position"), Options: []option{{"approve", T("同意", "approve")}, {"reject", T("不同意", "reject")}, {"revise", T("修改", "revise")}}},
			"views.opinion":             {Label: T("发言要点", "Stated view"), Long: true},
			"decision":                  {Label: T("首长决定", "Head's decision"), Rule: "R-27", Options: []option{{"approve", T("通过", "approve")}, {"reject", T("不予通过", "reject")}, {"revise", T("修改后再议", "revise")}, {"defer", T("暂缓", "defer")}, {"rediscuss", T("再次讨论", "re-discuss")}}},
			"reason":                    {Label: T("与多数意见不一致的理由", "Reason for departing from the majority"), Rule: "R-26", Long: true},
			"legal_risks":               {Label: T("对合法性审查所提风险的考虑", "Legal risks considered")},
			"legal_risks.risks":         {Label: T("风险", "Risks"), Long: true},
			"legal_risks.consideration": {Label: T("考虑情况", "Consideration"), Long: true},
			"document":                  {Label: T("会议纪要", "Minutes document")},
		},
	},
	"approve_minutes": {
		Title: T("签批会议记录", "Approve the minutes"),
		When:  []procedure.Stage{procedure.StageCollectiveDiscussion},
		Intro: T("签批后记录不可更改，异议永久保存（R-28）。", "Once approved the minutes are fixed and dissent kept permanently (R-28)."),
	},
}
