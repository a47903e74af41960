package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/stretchr/testify/require"
)

// Decisions the dashboard's tests add to the fixture's, all opened in March 2026.
const (
	overdueNumber = "BD-2026-101"
	soonNumber    = "BD-2026-102"
	formulaNumber = "BD-2026-103"
	drillNumber   = "BD-2026-104"
)

// seedClock registers a decision opened in March 2026 whose start decision is due on due;
// with late set, a proposal made after its due date is on the record.
func seedClock(t *testing.T, st *store.Store, number, title string, due procedure.Date, late, drill bool) {
	t.Helper()
	ctx := context.Background()
	opened := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	d, err := procedure.NewDecision(number, title, opened)
	require.NoError(t, err)
	d.Rulebook, d.Drill = procedure.RulebookRef{ID: "national-2019"}, drill
	require.NoError(t, st.CreateDecision(ctx, d))
	task := []procedure.Task{{Act: "start_decision", Role: procedure.RoleHead, Due: &procedure.Deadline{Due: due, Explanation: "启动期限"}}}
	require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: number, Seq: 1, Tasks: task,
		Event: procedure.Event{At: opened, Kind: "created", Actor: "li", Stage: procedure.StageStart}}))
	if late {
		require.NoError(t, st.RecordAct(ctx, procedure.ActRecord{Decision: number, WorkflowID: number, Seq: 2, Tasks: task, Payload: "{}",
			Event: procedure.Event{At: opened.Add(72 * time.Hour), Kind: "proposal", Actor: "li", Stage: procedure.StageStart, Late: true}}))
	}
}

// drillSecondsPerDay is the speed of the fixture's drill: a statutory day an hour.
const drillSecondsPerDay = 3600

// newOversightSite is the desk's fixture with an overdue decision, one due soon, one whose
// title reads as a spreadsheet formula, and a drill whose clock reads noon of the day it
// returns, 20 days ahead, and whose start decision was due four days before that: overdue
// on its own clock, not yet on the real one.
func newOversightSite(t *testing.T) (*site, procedure.Date) {
	now := time.Now()
	today := procedure.DateOf(now)
	drillToday := today.AddDays(20)
	drill := procedure.Record{Drill: &procedure.Drill{SecondsPerDay: drillSecondsPerDay}, Decision: procedure.Decision{
		Number: drillNumber, Title: "演练事项", Drill: true, OpenedAt: drillOpening(drillToday, drillSecondsPerDay, now)}}
	s := newDeskSiteWith(t, 1e6, drill)
	seedClock(t, s.st, overdueNumber, "逾期未作启动决定的事项", today.AddDays(-10), true, false)
	seedClock(t, s.st, soonNumber, "即将到期的事项", today.AddDays(1), false, false)
	seedClock(t, s.st, formulaNumber, `=HYPERLINK("http://evil.example","点击")`, today.AddDays(30), false, false)
	seedClock(t, s.st, drillNumber, "演练事项", drillToday.AddDays(-4), false, true)
	return s, drillToday
}

// drillOpening is when a drill of spd real seconds a statutory day must have opened for its
// clock to read noon of day at real instant now. Its clock reads opened + (now − opened) × k,
// k = 86400/spd, so opened = now − (noon − now)/(k − 1). Reading the page moments later finds
// the clock still within day: half a statutory day either way is half an hour at 3600 s.
func drillOpening(day procedure.Date, spd int, now time.Time) time.Time {
	noon := day.Time().Add(12 * time.Hour)
	k := float64(24*time.Hour/time.Second) / float64(spd)
	return now.Add(-time.Duration(float64(noon.Sub(now)) / (k - 1)))
}

// zhDate writes a date as the Chinese pages do.
func zhDate(d procedure.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// row is the table row of the dashboard that links a decision.
func row(t *testing.T, body, number string) string {
	t.Helper()
	m := regexp.MustCompile(`<tr[^>]*>\s*<td><a href="/decisions/` + regexp.QuoteMeta(number) + `">(?s:.*?)</tr>`).FindString(body)
	require.NotEmpty(t, m, "the dashboard lists %s", number)
	return m
}

func TestOversight_Roles(t *testing.T) {
	s := newDeskSite(t)
	for _, tc := range []struct {
		who    string
		status int
	}{{"li", http.StatusForbidden}, {"head", http.StatusOK}, {"wu", http.StatusOK}, {"admin", http.StatusOK}} {
		t.Run(tc.who, func(t *testing.T) {
			b := newBrowser(t, s)
			b.signIn(tc.who, "/")
			for _, path := range []string{"/oversight?year=2026", "/oversight.csv?year=2026"} {
				a := b.get(path)
				require.Equal(t, tc.status, a.status, "%s %s", tc.who, path)
				if tc.status == http.StatusForbidden {
					require.Contains(t, pageText(a.body), "本页仅供行政首长、系统管理员、审计监督人员使用")
					require.NotContains(t, a.body, testTitle)
				}
			}
		})
	}
}

func TestOversight_Dashboard(t *testing.T) {
	s, drillToday := newOversightSite(t)
	b := newBrowser(t, s)
	b.signIn("head", "/")
	a := b.get("/oversight?year=2026&organ=baodi")
	require.Equal(t, http.StatusOK, a.status, a.body)

	t.Run("Clocks", func(t *testing.T) {
		require.Contains(t, pageText(row(t, a.body, testNumber)), testTitle)
		overdue := row(t, a.body, overdueNumber)
		require.Regexp(t, `^<tr class="overdue">`, overdue)
		require.Contains(t, pageText(overdue), "已逾期")
		require.Contains(t, pageText(overdue), "逾期 10 天")
		require.Contains(t, pageText(overdue), "启动决策", "the act due is named")
		soon := row(t, a.body, soonNumber)
		require.Regexp(t, `^<tr class="due-soon">`, soon)
		require.Contains(t, pageText(soon), "即将到期")
		require.NotRegexp(t, `class="[^"]*overdue`, row(t, a.body, formulaNumber))
		require.NotContains(t, a.body, drillNumber, "drills are never counted")
		require.Contains(t, pageText(a.body), "按官方工作日历计算")
		require.Less(t, strings.Index(a.body, overdueNumber), strings.Index(a.body, soonNumber), "the overdue come first")
	})

	t.Run("Charts", func(t *testing.T) {
		charts := section(t, a.body, "o-charts")
		require.Equal(t, 3, strings.Count(charts, "<figure"), "three charts")
		require.Equal(t, 3, strings.Count(charts, `class="chart-table"`), "each with its table")
		text := pageText(charts)
		for _, want := range []string{"各阶段决策事项数", "按月统计：按期与逾期的办理行为", "各阶段办理用时中位数（天）", "起草 1", "启动 3"} {
			require.Contains(t, text, want)
		}
		require.Contains(t, text, "3月 3 1", "three acts on time and one late in March")
		require.Contains(t, text, "最多读取 200 件")
	})

	t.Run("Catalog", func(t *testing.T) {
		catalog := pageText(section(t, a.body, "o-catalog"))
		require.Contains(t, catalog, "2026-01 老旧小区改造 区住建委 "+testNumber+" 起草")
		require.Contains(t, catalog, "2026-02 公共停车场建设 区交通局 尚未启动决策 年末未决，可能不当拖延")
		require.Contains(t, catalog, "年末标记为可能不当拖延（R-04）：1 项")
		missing := pageText(section(t, b.get("/oversight?year=2026&organ=nowhere").body, "o-catalog"))
		require.Contains(t, missing, "无法读取该机关本年度的目录")
	})

	t.Run("Filters", func(t *testing.T) {
		drafting := b.get("/oversight?year=2026&stage=drafting")
		require.Equal(t, http.StatusOK, drafting.status, drafting.body)
		require.Contains(t, drafting.body, testNumber)
		require.NotContains(t, drafting.body, overdueNumber)
		unit := b.get("/oversight?year=2026&unit=" + "区住建委")
		require.Contains(t, unit.body, testNumber)
		require.NotContains(t, unit.body, soonNumber)
		require.NotContains(t, b.get("/oversight?year=2025").body, testNumber)
	})

	// A drill is reckoned on its own clock: its "today" is drillToday, twenty days ahead of the
	// real one, and its task due four days before that is overdue though the real date is not there.
	t.Run("Drills", func(t *testing.T) {
		drills := b.get("/oversight?year=2026&drill=true")
		require.Equal(t, http.StatusOK, drills.status, drills.body)
		require.Contains(t, drills.body, `id="o-drill" name="drill" value="true" checked`, "the box stays ticked")
		require.NotContains(t, drills.body, testNumber, "only drills")
		require.NotContains(t, drills.body, overdueNumber)
		require.Contains(t, pageText(drills.body), "“演练当日”即其时钟所示日期")
		require.Contains(t, pageText(drills.body), "以各演练时钟的法定日计", "stages are measured in drill days")
		drill := row(t, drills.body, drillNumber)
		require.Regexp(t, `^<tr class="overdue">`, drill)
		text := pageText(drill)
		require.Contains(t, text, zhDate(drillToday), "the drill's today")
		require.Contains(t, text, zhDate(drillToday.AddDays(-4))+" "+zhDate(drillToday)+" 逾期 4 天 已逾期")
		require.Contains(t, drills.body, `href="/oversight.csv?drill=true&amp;year=2026"`, "the export keeps the filter")
		require.Equal(t, http.StatusBadRequest, b.get("/oversight?drill=maybe").status)
	})

	t.Run("English", func(t *testing.T) {
		en := newBrowser(t, s)
		en.header.Set("Accept-Language", "en")
		en.signIn("wu", "/")
		text := pageText(en.get("/oversight?year=2026").body)
		for _, want := range []string{"Decisions and their statutory clocks", "Decisions by stage", "overdue", "due soon"} {
			require.Contains(t, text, want)
		}
	})
}

// TestOversight_CalendarDays reads the dashboard where no official calendar is served: near
// deadlines are counted in calendar days, and the page says so.
func TestOversight_CalendarDays(t *testing.T) {
	s := newSite(t, demo, 0)
	b := newBrowser(t, s)
	b.signIn("head", "/")
	a := b.get("/oversight?year=2026")
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Contains(t, pageText(a.body), "本服务未配置官方工作日历，按日历日计算")
	require.Contains(t, pageText(a.body), "填写决策机关代码", "the catalog asks for an organ")
}

func TestOversight_CSV(t *testing.T) {
	s, drillToday := newOversightSite(t)
	b := newBrowser(t, s)
	b.signIn("wu", "/")
	a := b.get("/oversight.csv?year=2026")
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.True(t, strings.HasPrefix(a.body, "\uFEFF"), "UTF-8 with a byte-order mark")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.body, "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "编号 Number", rows[0][0])
	require.Len(t, rows, 5, "the header and the four real decisions")
	byNumber := map[string][]string{}
	for _, r := range rows[1:] {
		byNumber[r[0]] = r
		for _, cell := range r {
			require.False(t, cell != "" && strings.ContainsRune("=+-@", rune(cell[0])), "cell %q could run as a formula", cell)
		}
	}
	require.Equal(t, `'=HYPERLINK("http://evil.example","点击")`, byNumber[formulaNumber][1])
	require.Equal(t, "10", byNumber[overdueNumber][8], "days overdue")
	require.Equal(t, "0", byNumber[overdueNumber][7])
	require.Contains(t, byNumber[overdueNumber][9], "已逾期")
	require.NotContains(t, byNumber, drillNumber)
	require.Equal(t, procedure.DateOf(time.Now()).String(), byNumber[overdueNumber][10], "reckoned on the real date")

	drills, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.get("/oversight.csv?year=2026&drill=true").body, "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, drills, 2, "the header and the drill")
	require.Equal(t, []string{drillNumber, "4", drillToday.String()}, []string{drills[1][0], drills[1][8], drills[1][10]},
		"four days overdue on the drill's own date")
}

// TestOversight_RateLimit reads a dashboard that needs more of the API's answers than one
// person's burst allows: it waits for the limit rather than fail.
func TestOversight_RateLimit(t *testing.T) {
	s := newDeskSiteLimited(t, 20)
	today := procedure.DateOf(time.Now())
	for i := range 25 {
		seedClock(t, s.st, fmt.Sprintf("BD-2026-%03d", 200+i), fmt.Sprintf("第 %d 件事项", i+1), today.AddDays(i), false, false)
	}
	b := newBrowser(t, s)
	b.signIn("head", "/")
	a := b.get("/oversight?year=2026")
	require.Equal(t, http.StatusOK, a.status, a.body)
	require.Contains(t, pageText(a.body), "共 26 件")
	require.Contains(t, a.body, "BD-2026-224")
}
