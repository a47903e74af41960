package web

// The forms of public participation.
var participationForms = map[string]formSpec{
	"notice": {
		Title: T("发布征求意见公告", "Publish the consultation notice"),
		Intro: T("公告须包含草案、起草说明、意见提交方式和期限（R-07）；征求意见期限不少于规定天数，紧急情况须在公告中载明理由（R-06）。", "The notice holds the draft, its explanation, how to comment and the deadline (R-07); the period is at least the rulebook's minimum unless the published notice states an urgency (R-06)."),
		Fields: map[string]fieldSpec{
			"draft":           {Label: T("草案（文件引用）", "Draft (document reference)"), Rule: "R-07"},
			"explanation":     {Label: T("起草说明", "Explanation"), Rule: "R-07", Long: true},
			"how_to_comment":  {Label: T("意见提交方式", "How to comment"), Rule: "R-07", Long: true},
			"channels":        {Label: T("公告渠道（每行一个）", "Channels (one per line)"), Rule: "R-07"},
			"opens":           {Label: T("征求意见开始日期", "Opens"), Hint: T("留空则自公告发布之日起算", "Empty: from the day the notice is published")},
			"closes":          {Label: T("征求意见截止日期", "Closes"), Rule: "R-06", Hint: T("期限不少于规定的天数（R-06）；留空则取法定最短期限", "At least the rulebook's minimum period (R-06); empty takes the shortest lawful period")},
			"urgency_reason":  {Label: T("紧急情况说明", "Urgency reason"), Rule: "R-06", Long: true, Hint: T("期限短于规定时必填，并随公告发布", "Required for a shorter period; published with the notice")},
			"affected_groups": {Label: T("利益相关群体（每行一个）", "Affected groups (one per line)")},
		},
	},
	"extend_period": {
		Title: T("延长征求意见期限", "Extend the period"),
		Value: fieldSpec{Label: T("新的截止日期", "New closing date"), Rule: "R-06"},
	},
	"hearing": {
		Title: T("举行听证会", "Hold a hearing"),
		Intro: T("听证参加人的遴选办法和名单须事先公布，材料至少提前规定天数送达（R-08）。", "The selection method and participant list are published first; materials reach participants the rulebook's days ahead (R-08)."),
		// The engine records when the hearing was published and who has confirmed it.
		Engine: []string{"confirmed", "published_on", "declared"},
		Fields: map[string]fieldSpec{
			"date":                   {Label: T("听证日期", "Hearing date"), Rule: "R-08"},
			"selection_method":       {Label: T("参加人遴选办法", "Selection method"), Rule: "R-08", Long: true},
			"participants":           {Label: T("参加人（用户 ID，每行一个）", "Participants (user IDs, one per line)"), Rule: "R-08"},
			"published_on":           {Label: T("公布日期", "Published on"), Rule: "R-08"},
			"materials_delivered_on": {Label: T("材料送达日期", "Materials delivered on"), Rule: "R-08"},
			"delivery_evidence":      {Label: T("送达凭证", "Delivery evidence")},
			"declared":               {Label: T("送达日期为申报（尚无凭证）", "Delivery date declared (no evidence yet)")},
			"record":                 {Label: T("听证笔录（文件引用）", "Hearing record (document reference)")},
		},
	},
	"group_consultation": {
		Title:  T("听取群体意见", "Consult a group"),
		Engine: []string{"on"},
		Fields: map[string]fieldSpec{
			"group":    {Label: T("群体", "Group")},
			"method":   {Label: T("方式", "Method")},
			"opinions": {Label: T("意见", "Opinions"), Long: true},
		},
	},
	"hearing_materials": {
		Title: T("听证材料送达凭证", "Hearing materials delivered"),
		Fields: map[string]fieldSpec{
			"hearing": {Label: T("听证会序号", "Hearing number")},
		},
	},
	"confirm_hearing": {
		Title: T("确认听证笔录", "Confirm the hearing record"),
		Intro: T("每位参加人确认并签署笔录后听证方告结束（R-09）。", "A hearing closes once every participant has confirmed and signed the record (R-09)."),
		Fields: map[string]fieldSpec{
			"hearing": {Label: T("听证会序号", "Hearing number"), Rule: "R-09"},
		},
	},
	"dispositions": {
		Title: T("处理公众意见", "Dispose of comments"),
		Intro: T("每条意见须有处理结果；不予采纳须说明理由（R-10）。", "Every comment gets a disposition; not adopted needs a reason (R-10)."),
		Fields: map[string]fieldSpec{
			"comments":    {Label: T("意见编号（每行一个）", "Comment IDs (one per line)")},
			"clusters":    {Label: T("意见聚类编号（每行一个）", "Cluster IDs (one per line)")},
			"undisposed":  {Label: T("其余全部未处理意见", "All remaining undisposed comments")},
			"disposition": {Label: T("处理结果", "Disposition"), Rule: "R-10", Options: []option{{"adopted", T("采纳", "adopted")}, {"partly_adopted", T("部分采纳", "partly adopted")}, {"not_adopted", T("不予采纳", "not adopted")}}},
			"reason":      {Label: T("理由", "Reason"), Rule: "R-10", Long: true},
		},
	},
	"adoption_report": {
		Title: T("生成并提交意见采纳情况报告", "Adoption report"),
		Intro: T("根据处理结果生成采纳情况报告并提交（R-10）。", "Generates the adoption report from the dispositions and submits it (R-10)."),
	},
	"hearing_selection": {
		Title: T("抽签确定听证参加人", "Draw hearing participants"),
		Fields: map[string]fieldSpec{
			"seats": {Label: T("名额", "Seats")},
		},
	},
}
