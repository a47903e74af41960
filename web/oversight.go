package web

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// Bounds of the dashboard: it lists at most oversightMaxRows decisions, and draws the charts
// that need each decision's timeline from the first oversightSample of them.
const (
	oversightMaxRows = 1000
	oversightSample  = 200
	// oversightSoon is how many working days ahead a deadline counts as near.
	oversightSoon = 3
	// rateLimitWait bounds how long one read of the dashboard waits out the API's rate limit.
	rateLimitWait = 10 * time.Second
)

// oversightRoutes mounts the oversight dashboard of every decision of the year.
func (w *Web) oversightRoutes(g *echo.Group) {
	only := w.restrictTo(procedure.RoleHead, procedure.RoleAdmin, procedure.RoleAuditor)
	g.GET("/oversight", w.oversight, only)
	g.GET("/oversight.csv", w.oversightCSV, only)
}

// oversightFilter is what the dashboard shows: a year's decisions, by unit and stage, and an
// organ's catalog of that year; with Drill, the year's drills instead of its real decisions.
type oversightFilter struct {
	Year               int
	Unit, Stage, Organ string
	Drill              bool
}

func oversightFilterOf(c echo.Context) (oversightFilter, error) {
	f := oversightFilter{Year: time.Now().In(shanghai).Year(), Unit: strings.TrimSpace(c.QueryParam("unit")),
		Stage: c.QueryParam("stage"), Organ: strings.TrimSpace(c.QueryParam("organ"))}
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2999 {
			return f, echo.NewHTTPError(http.StatusBadRequest, "年度须为四位数年份 / the year must be a four-digit year")
		}
		f.Year = n
	}
	if d := c.QueryParam("drill"); d != "" {
		drill, err := strconv.ParseBool(d)
		if err != nil {
			return f, echo.NewHTTPError(http.StatusBadRequest, "drill 须为 true 或 false / drill must be true or false")
		}
		f.Drill = drill
	}
	return f, nil
}

// query is the filter as the page's links carry it.
func (f oversightFilter) query() url.Values {
	q := url.Values{"year": {strconv.Itoa(f.Year)}}
	for k, v := range map[string]string{"unit": f.Unit, "stage": f.Stage, "organ": f.Organ} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Drill {
		q.Set("drill", "true")
	}
	return q
}

// oversightRow is one decision on the dashboard with its running statutory clock.
type oversightRow struct {
	api.DecisionResponse
	// Due is the earliest due date of the decision's open tasks (YYYY-MM-DD); "" for none.
	Due string
	// DueAct is the act due then.
	DueAct Text
	// Today is the date the decision's clock reads, against which Due is reckoned: the real
	// date, or a drill's own date (see drillDate); "" when no due date is running.
	Today string
	// Clock is a drill's statutory clock, once read; ClockProblem says why it could not be,
	// and the row is then not reckoned.
	Clock        *procedure.DrillClock
	ClockProblem *problemError
	// DaysLeft counts calendar days from Today to Due; negative once overdue.
	DaysLeft int
	// Overdue marks a due date past; Soon one within oversightSoon working days.
	Overdue, Soon bool
}

// oversightTable is the year's decisions with their clocks, as the page and the CSV show it.
type oversightTable struct {
	Filter oversightFilter
	Rows   []oversightRow
	// Truncated is set when the year has more than oversightMaxRows decisions.
	Truncated bool
	// Today and SoonUntil bound the near deadlines: due on or before SoonUntil.
	Today, SoonUntil string
	// WorkingDays is false when no official calendar answers and SoonUntil counts calendar days.
	WorkingDays bool
}

// loadOversight reads the year's decisions from the API and each one's open tasks.
func (w *Web) loadOversight(c echo.Context, f oversightFilter) (oversightTable, error) {
	t := oversightTable{Filter: f, Today: procedure.DateOf(time.Now()).String()}
	t.SoonUntil, t.WorkingDays = w.soonUntil(c, t.Today)
	q := url.Values{"year": {strconv.Itoa(f.Year)}, "page_size": {strconv.Itoa(oversightSample)}}
	if f.Drill {
		q.Set("drill", "true")
	}
	if f.Unit != "" {
		q.Set("unit", f.Unit)
	}
	if f.Stage != "" {
		q.Set("stage", f.Stage)
	}
	for page := 1; len(t.Rows) < oversightMaxRows; page++ {
		q.Set("page", strconv.Itoa(page))
		var list api.ListResponse[api.DecisionResponse]
		if err := w.readAPI(c, "/api/v1/decisions?"+q.Encode(), &list); err != nil {
			return t, err
		}
		for _, d := range list.Items {
			row, err := w.oversightRow(c, d, t)
			if err != nil {
				return t, err
			}
			t.Rows = append(t.Rows, row)
		}
		if len(list.Items) < oversightSample {
			break
		}
	}
	if len(t.Rows) > oversightMaxRows {
		t.Rows, t.Truncated = t.Rows[:oversightMaxRows], true
	} else if len(t.Rows) == oversightMaxRows {
		t.Truncated = true
	}
	// Overdue first, then the nearest deadline; decisions with no running clock last.
	slices.SortStableFunc(t.Rows, func(a, b oversightRow) int {
		switch {
		case a.Due == b.Due:
			return 0
		case a.Due == "":
			return 1
		case b.Due == "":
			return -1
		}
		return strings.Compare(a.Due, b.Due)
	})
	return t, nil
}

// oversightRow reads a decision's open tasks and finds the earliest due date among them.
func (w *Web) oversightRow(c echo.Context, d api.DecisionResponse, t oversightTable) (oversightRow, error) {
	row := oversightRow{DecisionResponse: d}
	var open []store.OpenTask
	if err := w.readAPI(c, "/api/v1/decisions/"+url.PathEscape(d.Number)+"/open-tasks", &open); err != nil {
		return row, err
	}
	for _, task := range open {
		if task.Due == "" || (row.Due != "" && task.Due >= row.Due) {
			continue
		}
		act, _, _ := strings.Cut(task.Act, "#")
		row.Due, row.DueAct = task.Due, T(act, act)
		if a, ok := w.act(act); ok {
			row.DueAct = a.Spec.Title
		}
	}
	if row.Due == "" {
		return row, nil
	}
	row.Today = t.Today
	soonUntil := t.SoonUntil
	if d.Drill {
		clk, err := w.drillClock(c, d.Number)
		if err != nil {
			row.Today, row.ClockProblem = "", asProblem(err)
			return row, nil
		}
		row.Clock, row.Today = clk, drillDate(clk, time.Now()).String()
		soonUntil, _ = w.soonUntil(c, row.Today)
	}
	row.DaysLeft = int(isoDate(row.Due).Sub(isoDate(row.Today)).Round(24*time.Hour) / (24 * time.Hour))
	row.Overdue = row.Due < row.Today
	row.Soon = !row.Overdue && row.Due <= soonUntil
	return row, nil
}

// drillClock reads a drill's statutory clock from its record: its opening and its speed; nil
// when the record names no drill.
func (w *Web) drillClock(c echo.Context, number string) (*procedure.DrillClock, error) {
	var rec struct {
		Decision struct {
			OpenedAt time.Time `json:"opened_at"`
		} `json:"decision"`
		Drill *procedure.Drill `json:"drill"`
	}
	if err := w.readAPI(c, "/api/v1/decisions/"+url.PathEscape(number)+"/record", &rec); err != nil {
		return nil, err
	}
	if rec.Drill == nil || rec.Drill.SecondsPerDay <= 0 {
		return nil, nil
	}
	return &procedure.DrillClock{Origin: rec.Decision.OpenedAt, SecondsPerDay: rec.Drill.SecondsPerDay}, nil
}

// drillDate is the date, in China, that a drill's clock shows at real instant now: its
// statutory time runs from its opening one day every SecondsPerDay real seconds, as the
// workflows' clock runs it, so it reads opened + (now − opened) × 86400 / SecondsPerDay.
// Without a drill's clock (nil) it is now's date.
func drillDate(clk *procedure.DrillClock, now time.Time) procedure.Date {
	if clk == nil {
		return procedure.DateOf(now)
	}
	// Whole days are added as a date, the rest as a duration: at one second a day a drill's
	// time passes what a time.Duration holds (292 years) after some 30 real hours.
	days := statutoryDays(clk, now.Sub(clk.Origin))
	whole := math.Floor(days)
	rest := time.Duration((days - whole) * float64(24*time.Hour))
	return procedure.DateOf(clk.Origin.UTC().AddDate(0, 0, int(whole)).Add(rest))
}

// statutoryDays is how many statutory days real time elapsed stands for on a drill's clock,
// or in calendar days without one (nil).
func statutoryDays(clk *procedure.DrillClock, elapsed time.Duration) float64 {
	if clk == nil || clk.SecondsPerDay <= 0 {
		return elapsed.Hours() / 24
	}
	return elapsed.Seconds() / float64(clk.SecondsPerDay)
}

// soonUntil is the last day of the next oversightSoon working days on the official calendar,
// or, when no calendar answers, of the next oversightSoon calendar days.
func (w *Web) soonUntil(c echo.Context, today string) (string, bool) {
	q := url.Values{"from": {today}, "working_days": {strconv.Itoa(oversightSoon)}}
	var dl procedure.Deadline
	if err := w.readAPI(c, "/api/v1/calendar/due?"+q.Encode(), &dl); err == nil && !dl.Due.IsZero() {
		return dl.Due.String(), true
	}
	d, _ := procedure.ParseDate(today)
	return d.AddDays(oversightSoon).String(), false
}

// readAPI reads a GET answer of the API into v, waiting out the API's rate limit: the
// dashboard reads one answer per decision, more than one person's burst of requests allows,
// and waits for the tokens to come back rather than fail, for at most rateLimitWait.
func (w *Web) readAPI(c echo.Context, path string, v any) error {
	deadline := time.Now().Add(rateLimitWait)
	wait := 10 * time.Millisecond
	for {
		ans := w.callAPI(c, http.MethodGet, path, nil, nil)
		if ans.Status != http.StatusTooManyRequests || time.Now().After(deadline) {
			return ans.decode(v)
		}
		select {
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// oversightView is the dashboard: the table, the charts and the catalog.
type oversightView struct {
	oversightTable
	Query     url.Values
	ByStage   chart
	Deadlines chart
	Durations chart
	// Curves are the running consultations' comments per day.
	Curves []commentCurve
	// Sampled counts the decisions whose timelines the two timeline charts read.
	Sampled int
	Catalog *oversightCatalog
	// CatalogProblem says why the organ's catalog could not be read.
	CatalogProblem *problemError
}

// oversight renders the dashboard.
func (w *Web) oversight(c echo.Context) error {
	f, err := oversightFilterOf(c)
	if err != nil {
		return err
	}
	t, err := w.loadOversight(c, f)
	if err != nil {
		return err
	}
	v := oversightView{oversightTable: t, Query: f.query(), ByStage: stageChart(t.Rows)}
	timelines, err := w.sampleTimelines(c, t.Rows)
	if err != nil {
		return err
	}
	v.Sampled = len(timelines)
	v.Deadlines = deadlineChart(timelines, f.Year)
	v.Durations = durationChart(timelines)
	v.Curves = w.commentCurves(c, t.Rows)
	if f.Organ != "" {
		v.Catalog, v.CatalogProblem = w.oversightCatalog(c, f, t.Rows)
	}
	title := T(strconv.Itoa(f.Year)+" 年度重大行政决策督办", "Oversight of "+strconv.Itoa(f.Year)+"'s major decisions")
	if f.Drill {
		title = T(strconv.Itoa(f.Year)+" 年度演练督办", "Oversight of "+strconv.Itoa(f.Year)+"'s drills")
	}
	return w.render(c, http.StatusOK, oversightPage(w.page(c, title), v))
}

// sampledTimeline is a decision's timeline as the charts read it, with a drill's clock to
// measure its stages in statutory days.
type sampledTimeline struct {
	Entries []api.TimelineEntry
	Clock   *procedure.DrillClock
	// Unclocked marks a drill whose clock could not be read: its stages are not measured.
	Unclocked bool
}

// sampleTimelines reads the timelines of the first oversightSample decisions listed, and the
// clocks of the drills among them.
func (w *Web) sampleTimelines(c echo.Context, rows []oversightRow) ([]sampledTimeline, error) {
	n := min(len(rows), oversightSample)
	out := make([]sampledTimeline, 0, n)
	for _, r := range rows[:n] {
		s := sampledTimeline{Clock: r.Clock}
		if err := w.readAPI(c, "/api/v1/decisions/"+url.PathEscape(r.Number)+"/timeline", &s.Entries); err != nil {
			return nil, err
		}
		if r.Drill && s.Clock == nil {
			clk, err := w.drillClock(c, r.Number)
			s.Clock, s.Unclocked = clk, err != nil || clk == nil
		}
		out = append(out, s)
	}
	return out, nil
}

// oversightCatalog is an organ's catalog of the year with each item's progress.
type oversightCatalog struct {
	Organ string
	Year  int
	Items []catalogProgress
}

// catalogProgress is one catalog item with the stage of its decision, if decided or started.
type catalogProgress struct {
	procedure.CatalogItem
	// Stage is the stage of the item's decision; "" when no decision is linked yet.
	Stage procedure.Stage
}

// oversightCatalog reads the organ's catalog for the year and the stage of each item's decision.
func (w *Web) oversightCatalog(c echo.Context, f oversightFilter, rows []oversightRow) (*oversightCatalog, *problemError) {
	var cat procedure.Catalog
	path := "/api/v1/catalogs/" + url.PathEscape(f.Organ) + "/" + strconv.Itoa(f.Year)
	if err := w.readAPI(c, path, &cat); err != nil {
		return nil, asProblem(err)
	}
	out := &oversightCatalog{Organ: f.Organ, Year: f.Year}
	for _, it := range cat.Items {
		p := catalogProgress{CatalogItem: it}
		if it.Decision != "" {
			if i := slices.IndexFunc(rows, func(r oversightRow) bool { return r.Number == it.Decision }); i >= 0 {
				p.Stage = rows[i].Stage
			} else {
				var d api.DecisionResponse
				if w.readAPI(c, "/api/v1/decisions/"+url.PathEscape(it.Decision), &d) == nil {
					p.Stage = d.Stage
				}
			}
		}
		out.Items = append(out.Items, p)
	}
	return out, nil
}

// oversightCSV exports the dashboard's table as CSV: UTF-8 with a byte-order mark for
// spreadsheet programs, every text cell kept from being read as a formula.
func (w *Web) oversightCSV(c echo.Context) error {
	f, err := oversightFilterOf(c)
	if err != nil {
		return err
	}
	t, err := w.loadOversight(c, f)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="oversight-`+strconv.Itoa(f.Year)+`.csv"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write([]byte("\uFEFF"))
	cw := csv.NewWriter(c.Response())
	_ = cw.Write([]string{"编号 Number", "名称 Title", "阶段 Stage", "决策机关 Organ", "登记日期 Registered", "待办事项 Open act",
		"最早期限 Earliest due", "剩余天数 Days left", "逾期天数 Days overdue", "状态 Status", "计算日 Reckoned on"})
	for _, r := range t.Rows {
		opened := ""
		if r.OpenedAt != nil {
			opened = procedure.DateOf(*r.OpenedAt).String()
		}
		left, over := "", ""
		if r.Due != "" {
			left, over = strconv.Itoa(max(r.DaysLeft, 0)), strconv.Itoa(max(-r.DaysLeft, 0))
		}
		_ = cw.Write(formulaSafe(r.Number, r.Title, bothLanguages(stageName(r.Stage)), r.Organ, opened, bothLanguages(r.DueAct), r.Due, left, over,
			bothLanguages(rowStatus(r)), r.Today))
	}
	cw.Flush()
	return cw.Error()
}

// formulaSafe keeps cells from being run as formulas when the export is opened in a
// spreadsheet: a cell starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, which spreadsheets show as text.
func formulaSafe(cells ...string) []string {
	for i, s := range cells {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			cells[i] = "'" + s
		}
	}
	return cells
}

// rowStatus names the state of a decision's clock.
func rowStatus(r oversightRow) Text {
	switch {
	case r.ClockProblem != nil:
		return T("演练时钟暂无法读取", "the drill's clock cannot be read now")
	case r.Overdue:
		return T("已逾期", "overdue")
	case r.Soon:
		return T("即将到期", "due soon")
	case r.Due == "":
		return T("无进行中的法定期限", "no statutory clock running")
	}
	return T("期限内", "on time")
}

// overdueCount, soonCount and flaggedCount count the rows the page marks.
func overdueCount(rows []oversightRow) int {
	return countFunc(rows, func(r oversightRow) bool { return r.Overdue })
}

func soonCount(rows []oversightRow) int {
	return countFunc(rows, func(r oversightRow) bool { return r.Soon })
}

func flaggedCount(items []catalogProgress) int {
	return countFunc(items, func(it catalogProgress) bool { return it.Flagged })
}

func countFunc[T any](xs []T, keep func(T) bool) int {
	n := 0
	for _, x := range xs {
		if keep(x) {
			n++
		}
	}
	return n
}

// bothLanguages writes a label in Chinese and English, for exports read in either.
func bothLanguages(t Text) string {
	if t.EN == "" || t.EN == t.ZH {
		return t.ZH
	}
	return t.ZH + " / " + t.EN
}

// chart is a horizontal bar chart drawn on the server as SVG, its figures also given as a
// table for screen readers and for anyone who wants the numbers.
type chart struct {
	// ID prefixes the chart's element IDs.
	ID    string
	Title Text
	// Category heads the table's first column; Series name the bars of each group.
	Category Text
	Series   []Text
	// Colors fill each series' bars.
	Colors []string
	Groups []chartGroup
	// Decimals is how many decimals the figures are written with.
	Decimals int
	// NoteHead, if set, heads a last table column with each group's Note.
	NoteHead Text
}

// chartGroup is one row of a chart: a label and a value per series.
type chartGroup struct {
	Label  Text
	Values []float64
	Note   string
}

// chartBar is one bar placed on the chart, in SVG units.
type chartBar struct {
	X, Y, W, H int
	Fill       string
	Value      string
}

// Chart geometry, in SVG units.
const (
	chartLabelW = 170
	chartBarMax = 380
	chartBarH   = 16
	chartGap    = 10
)

func (ch chart) groupHeight() int { return len(ch.Series)*chartBarH + chartGap }

// Width and Height size the SVG.
func (ch chart) Width() int  { return chartLabelW + chartBarMax + 70 }
func (ch chart) Height() int { return max(len(ch.Groups), 1)*ch.groupHeight() + chartGap }

// LabelY places a group's label beside its bars.
func (ch chart) LabelY(i int) int {
	return chartGap + i*ch.groupHeight() + len(ch.Series)*chartBarH/2 + 5
}

// Bars lays out every bar, the longest reaching chartBarMax.
func (ch chart) Bars() []chartBar {
	// Bars are drawn to the figures as written, so that a figure written 0.0 has no bar.
	top := 0.0
	for _, g := range ch.Groups {
		for _, v := range g.Values {
			top = max(top, ch.rounded(v))
		}
	}
	var out []chartBar
	for i, g := range ch.Groups {
		for s, v := range g.Values {
			b := chartBar{X: chartLabelW, Y: chartGap + i*ch.groupHeight() + s*chartBarH, H: chartBarH - 2, Value: ch.Format(v)}
			if top > 0 {
				b.W = int(ch.rounded(v) / top * chartBarMax)
			}
			if s < len(ch.Colors) {
				b.Fill = ch.Colors[s]
			}
			out = append(out, b)
		}
	}
	return out
}

// Format writes a figure of the chart.
func (ch chart) Format(v float64) string { return strconv.FormatFloat(v, 'f', ch.Decimals, 64) }

// rounded is a figure rounded as Format writes it.
func (ch chart) rounded(v float64) float64 {
	scale := math.Pow10(ch.Decimals)
	return math.Round(v*scale) / scale
}

// Colours of the charts' series.
const (
	colorCount  = "#0b4f8a"
	colorMet    = "#1b7f3b"
	colorMissed = "#a4161a"
)

// stageChart counts the decisions in each stage.
func stageChart(rows []oversightRow) chart {
	ch := chart{ID: "by-stage", Title: T("各阶段决策事项数", "Decisions by stage"), Category: T("阶段", "Stage"),
		Series: []Text{T("决策事项数", "Decisions")}, Colors: []string{colorCount}}
	for _, s := range allStages {
		n := 0
		for _, r := range rows {
			if r.Stage == s {
				n++
			}
		}
		ch.Groups = append(ch.Groups, chartGroup{Label: stageName(s), Values: []float64{float64(n)}})
	}
	return ch
}

// deadlineChart counts, month by month of the year, the acts people took on time and those
// the record marks late.
func deadlineChart(timelines []sampledTimeline, year int) chart {
	ch := chart{ID: "deadlines", Title: T("按月统计：按期与逾期的办理行为", "Acts on time and late, by month"), Category: T("月份", "Month"),
		Series: []Text{T("按期", "On time"), T("逾期", "Late")}, Colors: []string{colorMet, colorMissed}}
	var met, missed [12]float64
	for _, tl := range timelines {
		for _, e := range tl.Entries {
			at := e.At.In(shanghai)
			if e.Actor == "" || at.Year() != year {
				continue
			}
			if e.Late {
				missed[at.Month()-1]++
			} else {
				met[at.Month()-1]++
			}
		}
	}
	for m := range 12 {
		label := T(strconv.Itoa(m+1)+"月", time.Month(m + 1).String()[:3])
		ch.Groups = append(ch.Groups, chartGroup{Label: label, Values: []float64{met[m], missed[m]}})
	}
	return ch
}

// durationChart gives the median number of days decisions spent in each stage they have left,
// from the stage each timeline entry records: calendar days, or a drill's statutory days.
func durationChart(timelines []sampledTimeline) chart {
	ch := chart{ID: "durations", Title: T("各阶段办理用时中位数（天）", "Median days spent in each stage"), Category: T("阶段", "Stage"),
		Series: []Text{T("中位天数", "Median days")}, Colors: []string{colorCount}, Decimals: 1, NoteHead: T("已完成该阶段的决策数", "Decisions past the stage")}
	spent := map[procedure.Stage][]float64{}
	for _, tl := range timelines {
		if tl.Unclocked {
			continue
		}
		for stage, days := range stageDays(tl.Entries, tl.Clock) {
			spent[stage] = append(spent[stage], days...)
		}
	}
	for _, s := range allStages {
		if d := spent[s]; len(d) > 0 {
			ch.Groups = append(ch.Groups, chartGroup{Label: stageName(s), Values: []float64{median(d)}, Note: strconv.Itoa(len(d))})
		}
	}
	return ch
}

// stageDays walks a timeline in time order and measures, in days, each stage the decision
// entered and then left: calendar days, or statutory days on a drill's clock.
func stageDays(tl []api.TimelineEntry, clk *procedure.DrillClock) map[procedure.Stage][]float64 {
	entries := slices.Clone(tl)
	slices.SortStableFunc(entries, func(a, b api.TimelineEntry) int { return a.At.Compare(b.At) })
	out := map[procedure.Stage][]float64{}
	var cur procedure.Stage
	var since time.Time
	for _, e := range entries {
		if e.Stage == "" || e.Stage == cur {
			continue
		}
		if cur != "" {
			out[cur] = append(out[cur], statutoryDays(clk, e.At.Sub(since)))
		}
		cur, since = e.Stage, e.At
	}
	return out
}

// median is the middle of the figures (the mean of the two middle ones for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// oversightCurves bounds the running consultations whose comments per day the page draws.
const oversightCurves = 3

// commentCurve is a running consultation's comments per day, drawn as a line with its table.
type commentCurve struct {
	Number, Title string
	Days          []store.DayCount
}

// commentCurves reads the comments per day of the first running consultations listed.
func (w *Web) commentCurves(c echo.Context, rows []oversightRow) []commentCurve {
	var out []commentCurve
	for _, r := range rows {
		if len(out) == oversightCurves || r.Stage != procedure.StageConsultation {
			continue
		}
		var rec procedure.Record
		if w.readAPI(c, "/api/v1/decisions/"+url.PathEscape(r.Number)+"/record", &rec) != nil || !rec.Participation.Running {
			continue
		}
		var days []store.DayCount
		path := fmt.Sprintf("/api/v1/decisions/%s/participation/%d/comments/per-day", url.PathEscape(r.Number), rec.Participation.Round)
		if w.readAPI(c, path, &days) != nil {
			continue
		}
		out = append(out, commentCurve{Number: r.Number, Title: r.Title, Days: days})
	}
	return out
}

// Curve sizes in SVG units.
const curveW, curveH, curvePad = 560, 160, 24

// Points places the days on the line: one step a day, the busiest day at the top.
func (cc commentCurve) Points() string {
	top := int64(1)
	for _, d := range cc.Days {
		top = max(top, d.Comments)
	}
	step := float64(curveW-2*curvePad) / float64(max(len(cc.Days)-1, 1))
	var b strings.Builder
	for i, d := range cc.Days {
		x := float64(curvePad) + float64(i)*step
		y := float64(curveH-curvePad) - float64(d.Comments)/float64(top)*float64(curveH-2*curvePad)
		fmt.Fprintf(&b, "%.1f,%.1f ", x, y)
	}
	return strings.TrimSpace(b.String())
}
