package web

import (
	"encoding/json"
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

func (w *Web) decisionRoutes(g *echo.Group) {
	g.GET("/decisions", w.decisionList)
	g.POST("/decisions", w.createDecision)
	g.GET("/decisions/:number", w.showDecision)
	g.POST("/decisions/:number/acts/:update", w.sendAct)
	g.POST("/decisions/:number/acts/:update/prepare", w.prepareAct)
	g.GET("/decisions/:number/diff", w.draftDiff)
	g.GET("/decisions/:number/timeline.csv", w.timelineCSV)
}

// decisionView is everything the decision page shows.
type decisionView struct {
	Record   procedure.Record
	Timeline []api.TimelineEntry
	Tasks    []taskView
	Docs     []procedure.Document
	// Mine are the acts the open tasks ask of the signed-in person, as forms.
	Mine []actForm
	// Other are the further acts their roles may send to the decision's running workflows;
	// the procedure decides when they are sent.
	Other  []actForm
	Stages []stageBox
	// Today is the day overdue tasks are reckoned against.
	Today string
}

// taskView is an open task as the page lists it.
type taskView struct {
	store.OpenTask
	Title   Text
	Proc    string
	Round   int
	Hearing int
	Mine    bool
	Overdue bool
}

// workflowRound reads a round's workflow ID: NUMBER/PROC/ROUND; the decision's own is NUMBER.
func workflowRound(number, workflow string) (proc string, round int) {
	rest, ok := strings.CutPrefix(workflow, number+"/")
	if !ok {
		return "", 0
	}
	proc, r, _ := strings.Cut(rest, "/")
	round, _ = strconv.Atoi(r)
	return proc, round
}

func (w *Web) showDecision(c echo.Context) error {
	return w.decisionPage(c, c.Param("number"), nil)
}

// decisionPage renders a decision; failed, when set, is the act form just refused, shown
// open with its problem and what was typed.
func (w *Web) decisionPage(c echo.Context, number string, failed *actForm) error {
	if err := procedure.ValidateNumber(number); err != nil {
		return echo.ErrNotFound
	}
	v, err := w.loadDecision(c, number, failed)
	if err != nil {
		return err
	}
	p := w.page(c, T(v.Record.Decision.Title, v.Record.Decision.Title))
	p.Drill = v.Record.Decision.Drill
	status := http.StatusOK
	if failed != nil && failed.Problem != nil {
		status = failed.Problem.Status
	}
	return w.render(c, status, decisionPage(p, v))
}

func (w *Web) loadDecision(c echo.Context, number string, failed *actForm) (decisionView, error) {
	base := "/api/v1/decisions/" + url.PathEscape(number)
	var v decisionView
	if err := w.callAPI(c, http.MethodGet, base+"/record", nil, nil).decode(&v.Record); err != nil {
		return v, err
	}
	if err := w.callAPI(c, http.MethodGet, base+"/timeline", nil, nil).decode(&v.Timeline); err != nil {
		return v, err
	}
	var open []store.OpenTask
	if err := w.callAPI(c, http.MethodGet, base+"/open-tasks", nil, nil).decode(&open); err != nil {
		return v, err
	}
	if err := w.callAPI(c, http.MethodGet, base+"/documents", nil, nil).decode(&v.Docs); err != nil {
		return v, err
	}
	me := w.actor(c)
	v.Today = time.Now().In(shanghai).Format("2006-01-02")
	taken := map[string]bool{}
	for _, t := range open {
		act, idx, _ := strings.Cut(t.Act, "#")
		tv := taskView{OpenTask: t, Title: T(act, act)}
		tv.Proc, tv.Round = workflowRound(number, t.Workflow)
		if i, err := strconv.Atoi(idx); err == nil {
			tv.Hearing = i
		}
		a, known := w.act(act)
		if known {
			tv.Title = a.Spec.Title
		}
		tv.Mine = known && a.allows(me) && (len(t.Assignees) > 0 && slices.Contains(t.Assignees, me.ID) ||
			len(t.Assignees) == 0 && (t.Role == "" || me.Has(procedure.Role(t.Role))))
		tv.Overdue = t.Due != "" && t.Due < v.Today
		v.Tasks = append(v.Tasks, tv)
		if !tv.Mine {
			continue
		}
		key := act + "@" + strconv.Itoa(tv.Round)
		if taken[key] {
			continue
		}
		taken[key] = true
		prefill := url.Values{}
		if strings.Contains(t.Act, "#") {
			prefill.Set("hearing", idx)
		}
		f := w.newForm(a, number, tv.Round, 0, prefill)
		if t.Due != "" {
			f.Due = &procedure.Deadline{Explanation: t.Explanation}
			f.Due.Due, _ = procedure.ParseDate(t.Due)
			f.Overdue = tv.Overdue
		}
		v.Mine = append(v.Mine, w.withFailed(f, failed))
	}
	rounds := runningRounds(number, v.Record, v.Timeline)
	for _, a := range w.acts {
		if a.Scope != scopeDecision || !a.allows(me) || strings.Contains(a.Route, ":hearing") {
			continue
		}
		round, running := rounds[a.Proc]
		if !running || taken[a.Update+"@"+strconv.Itoa(round)] ||
			(len(a.Spec.When) > 0 && !slices.Contains(a.Spec.When, v.Record.Decision.Stage)) {
			continue
		}
		v.Other = append(v.Other, w.withFailed(w.newForm(a, number, round, 0, nil), failed))
	}
	if failed != nil && !slices.ContainsFunc(append(slices.Clone(v.Mine), v.Other...), func(f actForm) bool { return f.Expanded }) {
		failed.Expanded = true
		failed.Docs = v.Docs
		v.Mine = append([]actForm{*failed}, v.Mine...)
	}
	for i := range v.Mine {
		v.Mine[i].Docs = v.Docs
	}
	for i := range v.Other {
		v.Other[i].Docs = v.Docs
	}
	v.Stages = stageMap(v.Record)
	return v, nil
}

// withFailed puts the refused submission in place of the empty form of the same act.
func (w *Web) withFailed(f actForm, failed *actForm) actForm {
	if failed == nil || failed.Act.Update != f.Act.Update || failed.Round != f.Round {
		return f
	}
	out := *failed
	out.Expanded = true
	out.Due, out.Overdue = f.Due, f.Overdue
	return out
}

// runningRounds finds the round each procedure runs now: "" (the decision itself) always,
// the procedures the record shows running, and implementation once the decision is in it.
func runningRounds(number string, r procedure.Record, timeline []api.TimelineEntry) map[string]int {
	out := map[string]int{"": 0}
	for proc, run := range map[string]procedure.Run{procedure.ProcParticipation: r.Participation, procedure.ProcExpert: r.Expert,
		procedure.ProcRisk: r.Risk, procedure.ProcLegality: r.Legality} {
		if run.Running {
			out[proc] = run.Round
		}
	}
	if r.Decision.Stage == procedure.StageImplementation {
		latest := 0
		for _, e := range timeline {
			if proc, round := workflowRound(number, e.Workflow); proc == "implementation" && round > latest {
				latest = round
			}
		}
		if latest > 0 {
			out["implementation"] = latest
		}
	}
	return out
}

// payloadDocument picks the document an act cites, if any, to show its hash in the timeline.
func payloadDocument(raw json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for _, k := range []string{"document", "draft", "dossier"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// eventNames name the engine's own entries and the acts recorded under a kind of their own.
var eventNames = map[string]Text{
	"created":                     T("登记决策事项", "Decision registered"),
	"stage":                       T("进入下一阶段", "Stage changed"),
	"reconsultation_required":     T("须重新征求意见（R-11）", "Re-consultation required (R-11)"),
	"consultation_closed":         T("征求意见与论证评估结束", "Consultation closed"),
	"consultation_notice":         T("发布征求意见公告", "Consultation notice published"),
	"comment_period_closed":       T("征求意见期届满", "Comment period closed"),
	"comment_period_extended":     T("延长征求意见期限", "Comment period extended"),
	"period_closed":               T("征求意见期届满", "Comment period closed"),
	"expert_panel":                T("组成专家组", "Expert panel formed"),
	"expert_adoption_report":      T("提交专家论证报告", "Expert report"),
	"hearing_scheduled":           T("举行听证会", "Hearing scheduled"),
	"hearing_materials_delivered": T("听证材料已送达", "Hearing materials delivered"),
	"hearing_record_confirmed":    T("确认听证笔录", "Hearing record confirmed"),
	"materials_requested":         T("要求补充材料", "Materials requested"),
	"materials_provided":          T("补充材料已送达", "Materials provided"),
	"meeting_scheduled":           T("安排集体讨论", "Meeting scheduled"),
	"minutes_approved":            T("签批会议记录", "Minutes approved"),
	"evaluation_started":          T("启动决策后评估", "Evaluation started"),
	"expert_admitted":             T("专家入库", "Expert admitted"),
	"expert_removed":              T("专家出库", "Expert removed"),
	"circulated":                  T("材料已分送", "Materials circulated"),
	"delay":                       T("办理延迟", "Delay"),
	"escalation":                  T("逾期督办", "Escalation"),
	"reminder":                    T("到期提醒", "Reminder"),
	"undue_delay_flagged":         T("年末未决，标记为可能不当拖延（R-04）", "Flagged for undue delay at year end (R-04)"),
	"dossier":                     T("生成决策案卷", "Dossier prepared"),
	"change":                      T("决策变更", "Change"),
	"overdue":                     T("逾期提醒", "Overdue"),
}

// procNames name the procedures whose rounds open and complete on the timeline.
var procNames = map[string]Text{
	"participation":    T("公众参与", "public participation"),
	"expert":           T("专家论证", "expert argumentation"),
	"risk":             T("风险评估", "risk assessment"),
	"legality":         T("合法性审查", "legality review"),
	"fair_competition": T("公平竞争审查", "fair-competition review"),
	"implementation":   T("决策实施", "implementation"),
	"adjustment":       T("决策调整", "adjustment"),
}

// createDecision registers a decision from the list page's form.
func (w *Web) createDecision(c echo.Context) error {
	body := map[string]any{"number": strings.TrimSpace(c.FormValue("number")), "title": strings.TrimSpace(c.FormValue("title"))}
	if organ := strings.TrimSpace(c.FormValue("organ")); organ != "" {
		body["organ"] = organ
	}
	if c.FormValue("drill") == "on" {
		// A drill's statutory day lasts this many real seconds; an hour a day by default, so
		// that people walking through it are not overtaken by its clock.
		spd, err := strconv.Atoi(c.FormValue("seconds_per_day"))
		if err != nil || spd <= 0 {
			spd = 3600
		}
		body["drill"] = map[string]any{"seconds_per_day": spd}
	}
	raw, _ := json.Marshal(body)
	ans := w.callAPI(c, http.MethodPost, "/api/v1/decisions", raw, http.Header{"Idempotency-Key": {c.FormValue("idempotency_key")}})
	if !ans.OK() {
		return w.renderDecisionList(c, ans.problem())
	}
	w.flash(c, T("已登记决策事项", "Decision registered"))
	return c.Redirect(http.StatusSeeOther, "/decisions/"+url.PathEscape(body["number"].(string)))
}

func (w *Web) decisionList(c echo.Context) error { return w.renderDecisionList(c, nil) }

// decisionListView is the list of decisions with its filters.
type decisionListView struct {
	Items    []api.DecisionResponse
	Query    url.Values
	Page     int
	More     bool
	Problem  *problemError
	Form     url.Values
	Key      string
	CanStart bool
}

func (w *Web) renderDecisionList(c echo.Context, problem *problemError) error {
	q, page, items, more, err := w.findDecisions(c, 20)
	if err != nil {
		return err
	}
	me := w.actor(c)
	v := decisionListView{Items: items, Query: q, Page: page, More: more, Problem: problem, Key: newToken()[:32],
		CanStart: me.Has(procedure.RoleOfficial) || me.Has(procedure.RoleHead)}
	status := http.StatusOK
	if problem != nil {
		_ = c.Request().ParseForm()
		v.Form = c.Request().PostForm
		status = problem.Status
	}
	return w.render(c, status, decisionListPage(w.page(c, T("决策事项", "Decisions")), v))
}

// timelineCSV downloads the decision's timeline as the API writes it, for the person signed in.
func (w *Web) timelineCSV(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return echo.ErrNotFound
	}
	ans := w.callAPI(c, http.MethodGet, "/api/v1/decisions/"+url.PathEscape(number)+"/timeline?format=csv", nil, nil)
	if !ans.OK() {
		return ans.problem()
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, ans.Header().Get(echo.HeaderContentDisposition))
	return c.Blob(http.StatusOK, ans.Header().Get(echo.HeaderContentType), ans.Body())
}

// findDecisions lists decisions a page at a time under the request's filters (number or title,
// stage, unit, year, drill), through the API: the decision list and the audit desk's search.
func (w *Web) findDecisions(c echo.Context, size int) (q url.Values, page int, items []api.DecisionResponse, more bool, err error) {
	q = url.Values{}
	for _, k := range []string{"q", "unit", "year", "stage", "drill", "page"} {
		if v := strings.TrimSpace(c.QueryParam(k)); v != "" {
			q.Set(k, v)
		}
	}
	page, _ = strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	apiQ := url.Values{"page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(size)}}
	for _, k := range []string{"q", "unit", "year", "stage", "drill"} {
		if v := q.Get(k); v != "" {
			apiQ.Set(k, v)
		}
	}
	var list api.ListResponse[api.DecisionResponse]
	if err := w.callAPI(c, http.MethodGet, "/api/v1/decisions?"+apiQ.Encode(), nil, nil).decode(&list); err != nil {
		return nil, 0, nil, false, err
	}
	return q, page, list.Items, len(list.Items) == size, nil
}
