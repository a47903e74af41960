package procedure_test

import (
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/textsim"

	"github.com/stretchr/testify/require"
)

func TestCleanText(t *testing.T) {
	require.Equal(t, "第一行\n第二行\t完", procedure.CleanText(" \u200b第一行\r\n第二\u202e行\u0000\t完\u0007 "))
	require.Equal(t, "\uFFFD", procedure.CleanText("\xff"))
}

func TestCheckComment(t *testing.T) {
	require.NoError(t, procedure.CheckComment(procedure.Comment{Text: "意见"}))
	for _, c := range []procedure.Comment{{Text: " "}, {Text: strings.Repeat("长", procedure.MaxCommentRunes+1)}, {Text: "x", Clause: -1},
		{Text: "x", Contact: strings.Repeat("c", procedure.MaxContactRunes+1)}} {
		require.Equal(t, procedure.EInvalid, procedure.ErrorCode(procedure.CheckComment(c)))
	}
}

func TestConsultation_CheckOpen(t *testing.T) {
	n := procedure.Notice{Opens: date(t, "2026-03-02"), Closes: date(t, "2026-04-01")}
	c := procedure.NewConsultation("BD-2026-1", "BD-2026-1/participation/1", 1, 1, n)
	cst := procedure.China
	require.NoError(t, c.CheckOpen(time.Date(2026, 3, 2, 0, 0, 0, 0, cst)), "from the first moment of the first day")
	require.NoError(t, c.CheckOpen(time.Date(2026, 4, 1, 23, 59, 59, 0, cst)), "to the last moment of the last day, Beijing time")
	err := c.CheckOpen(time.Date(2026, 4, 2, 0, 0, 0, 0, cst))
	require.Equal(t, procedure.EFailedPrecondition, procedure.ErrorCode(err))
	var pe *procedure.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, map[string]string{"opens": "2026-03-02", "closes": "2026-04-01"}, pe.Fields)
	require.Contains(t, c.CheckOpen(time.Date(2026, 3, 1, 23, 0, 0, 0, cst)).Error(), "尚未开始")
	c.Sealed = true
	require.Error(t, c.CheckOpen(time.Date(2026, 3, 10, 0, 0, 0, 0, cst)), "a sealed round takes nothing")
	zh, en := n.DeadlineExplanation()
	require.Contains(t, zh, "期限 30 日", "counted as R-06 counts it")
	require.Contains(t, en, "30 days")
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	require.NoError(t, procedure.CheckR06Period(books["national-2019"], n), "the period the notice states is the one R-06 accepts")
	require.Contains(t, en, "2026-04-01")
}

func TestCheckDisposition(t *testing.T) {
	official := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	require.NoError(t, procedure.CheckDisposition(official, procedure.DispositionRequest{Comments: []int64{1}, Disposition: procedure.Adopted}))
	err := procedure.CheckDisposition(official, procedure.DispositionRequest{Comments: []int64{1}, Disposition: procedure.NotAdopted})
	require.ErrorContains(t, err, "R-10", "not adopted needs a reason")
	require.NoError(t, procedure.CheckDisposition(official, procedure.DispositionRequest{Undisposed: true, Disposition: procedure.NotAdopted, Reason: "理由"}))
	require.Error(t, procedure.CheckDisposition(official, procedure.DispositionRequest{Disposition: procedure.Adopted}), "a target is needed")
	require.Error(t, procedure.CheckDisposition(official, procedure.DispositionRequest{Comments: []int64{1}, Disposition: "maybe"}))
	expert := procedure.Actor{ID: "e", Roles: []procedure.Role{procedure.RoleExpert}}
	require.Equal(t, procedure.EPermissionDenied, procedure.ErrorCode(procedure.CheckDisposition(expert,
		procedure.DispositionRequest{Comments: []int64{1}, Disposition: procedure.Adopted})))
}

func TestSearchTerms(t *testing.T) {
	require.Equal(t, []string{"免费", "费停", "停车", "p", "r", "路", "bike", "2026"}, procedure.SearchTerms("免费停车，P+R 路；Bike 2026"))
	require.Empty(t, procedure.SearchTerms("，。！"))
}

func TestNearDuplicates(t *testing.T) {
	a := "我们坚决反对在幸福小区东门设置收费停车场，请政府重新考虑居民的出行需求。"
	sim := func(b string) float64 { return textsim.Similarity(a, b) }
	require.GreaterOrEqual(t, sim("我们坚决反对在幸福小区西门设置收费停车场，请政府重新考虑居民的出行需求。"), procedure.NearDuplicate)
	require.GreaterOrEqual(t, sim(a+"谢谢！"), procedure.NearDuplicate)
	require.Less(t, sim("我们坚决支持在幸福小区东门设置收费停车场，缓解停车难问题。"), procedure.NearDuplicate, "the opposite view is not a duplicate")
	require.Less(t, sim("建议夜间免费停车。"), 0.1)
	require.Equal(t, procedure.TextHash("Hello, 世界！"), procedure.TextHash("hello 世界"), "exact duplicates ignore case and punctuation")
}

func TestBatchDigest(t *testing.T) {
	c := procedure.Comment{Receipt: "YJ-1", WorkflowID: "BD-2026-1/participation/1", Text: "意见", ReceivedAt: time.Unix(100, 0)}
	d := procedure.BatchDigest([][32]byte{procedure.CommentLeaf(c)})
	c.Text = "意见。"
	require.NotEqual(t, d, procedure.BatchDigest([][32]byte{procedure.CommentLeaf(c)}), "any change to a comment changes its batch digest")
}

const draftV1 = `停车管理办法
第一章 总则
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本区城市道路。
第二章 收费
第三条 夜间停车收费标准由区发展改革委制定。
第四条 本办法自发布之日起施行。`

const draftV2 = `停车管理办法
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本区城市道路和公共停车场。
第三条 本办法自发布之日起施行。
第四条 居民小区停车参照执行。`

func TestSplitClauses(t *testing.T) {
	cl := procedure.SplitClauses(draftV1)
	require.Len(t, cl, 4, "chapter headings and the title belong to no clause")
	require.Equal(t, "第三条", cl[2].Heading)
	require.Equal(t, "第三条 夜间停车收费标准由区发展改革委制定。", cl[2].Text)
	require.Len(t, procedure.SplitClauses("一、加强管理。\n\n二、落实责任。"), 2, "without articles, paragraphs are the clauses")
}

func TestDiffClauses(t *testing.T) {
	v1 := procedure.SplitClauses(draftV1)
	v2 := procedure.SplitClauses(draftV2)
	d := procedure.DiffClauses(v1, v2, textsim.Similarity)
	require.Equal(t, []procedure.ClauseLink{
		{From: 1, To: 1, Status: procedure.ClauseUnchanged},
		{From: 2, To: 2, Status: procedure.ClauseChanged},
		{From: 3, Status: procedure.ClauseRemoved},
		{From: 4, To: 3, Status: procedure.ClauseUnchanged},
	}, d.Links, "a renumbered clause with the same text is unchanged")
	require.Equal(t, 1, d.Added)
	require.InDelta(t, 0.75, d.ChangedShare, 1e-9, "changed, removed and added: 3 of 4")
	require.Zero(t, procedure.DiffClauses(v1, v1, textsim.Similarity).ChangedShare)
	rewritten := procedure.SplitClauses(strings.Replace(draftV1, "夜间停车收费标准由区发展改革委制定。", "夜间停车一律免费。", 1))
	d = procedure.DiffClauses(v1, rewritten, textsim.Similarity)
	require.Equal(t, procedure.ClauseLink{From: 3, To: 3, Status: procedure.ClauseChanged}, d.Links[2], "a rewritten article keeps its number")
	require.InDelta(t, 0.25, d.ChangedShare, 1e-9)

	v3 := procedure.SplitClauses("第一条 为了规范停车管理，制定本办法。")
	composed := procedure.ComposeLinks(d.Links, procedure.DiffClauses(v2, v3, textsim.Similarity).Links)
	require.Equal(t, procedure.ClauseLink{From: 1, To: 1, Status: procedure.ClauseUnchanged}, composed[0])
	require.Equal(t, procedure.ClauseRemoved, composed[1].Status)
}

func TestAdoptionSummary(t *testing.T) {
	s := procedure.AdoptionSummary{Decision: "BD-2026-1", Title: "停车管理办法", Round: 1, DraftVersion: 1}
	s.Totals.Add(procedure.Adopted, false, 3)
	s.Totals.Add(procedure.NotAdopted, true, 2)
	require.NoError(t, s.CheckComplete())
	require.Equal(t, procedure.AdoptionReport{Document: "sha", Comments: 5, Adopted: 3, NotAdopted: 2}, s.Report("sha"))
	s.Totals.Add("", false, 1)
	require.ErrorContains(t, s.CheckComplete(), "1 条意见未处理")
	s.Clusters = []procedure.Cluster{{Size: 2, Text: "不公开的意见", Publish: false}, {Size: 1, Text: "可公开|的意见", Publish: true}}
	md := s.Markdown()
	require.Contains(t, md, "共收到意见 6 条")
	require.NotContains(t, md, "不公开的意见", "texts are published only with their authors' consent")
	require.Contains(t, md, "可公开｜的意见")
}

func date(t *testing.T, s string) procedure.Date {
	d, err := procedure.ParseDate(s)
	require.NoError(t, err)
	return d
}

func TestSelectByLot(t *testing.T) {
	receipts := []string{"TZ-A", "TZ-B", "TZ-C", "TZ-D", "TZ-E"}
	sel := procedure.SelectByLot(receipts, 3)
	require.Len(t, sel.Selected, 3)
	require.Equal(t, 5, sel.Registrations)
	shuffled := []string{"TZ-E", "TZ-C", "TZ-A", "TZ-D", "TZ-B"}
	require.Equal(t, sel, procedure.SelectByLot(shuffled, 3), "the draw depends on the list, not its order")
	require.NotEqual(t, sel.Seed, procedure.SelectByLot(append(receipts, "TZ-F"), 3).Seed, "one more registration changes the seed")
	require.Len(t, procedure.SelectByLot(receipts, 9).Selected, 5)
	require.NoError(t, procedure.CheckHearingRegistration(procedure.HearingRegistration{Name: "张三", Contact: "138"}))
	require.Error(t, procedure.CheckHearingRegistration(procedure.HearingRegistration{Name: "张三"}))
}

// TestConsultation_Drill: in a drill the public intake follows the drill's clock: a 30-day
// period published at the drill's opening closes 30 drill days, not 30 calendar days, later.
func TestConsultation_Drill(t *testing.T) {
	origin := time.Date(2026, 3, 2, 12, 0, 0, 0, procedure.China)
	n := procedure.Notice{Opens: date(t, "2026-03-02"), Closes: date(t, "2026-04-01"),
		Clock: &procedure.DrillClock{Origin: origin, SecondsPerDay: 10}}
	c := procedure.NewConsultation("BD-2026-1", "BD-2026-1/participation/1", 1, 1, n)
	require.NoError(t, c.CheckOpen(origin.Add(time.Second)))
	require.NoError(t, c.CheckOpen(origin.Add(295*time.Second)), "day 30 of the drill, about five minutes in")
	require.Error(t, c.CheckOpen(origin.Add(310*time.Second)), "past the end of drill day 30")
	require.True(t, c.OpensAt.Before(origin), "the first day began before the drill's noon opening")
	var none *procedure.DrillClock
	require.Equal(t, origin, none.Real(origin), "outside a drill real time is statutory time")
}
