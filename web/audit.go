package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"decisionflow/api"
	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
	"golang.org/x/mod/sumdb/tlog"
)

// auditRoutes mounts the auditor's desk: read only, every route a GET, every read the API's.
func (w *Web) auditRoutes(g *echo.Group) {
	only := w.restrictTo(procedure.RoleAuditor)
	g.GET("/audit", w.deskSearch, only)
	g.GET("/audit/decisions/:number", w.deskRecord, only)
	g.GET("/audit/decisions/:number/ledger/:index", w.deskProof, only)
	g.GET("/audit/decisions/:number/timeline.csv", w.deskExport("/timeline?format=csv", ""), only)
	g.GET("/audit/decisions/:number/timeline.json", w.deskExport("/timeline", "-timeline.json"), only)
	g.GET("/audit/decisions/:number/dossier.zip", w.deskExport("/dossier", ""), only)
}

// restrictTo lets through only people holding one of roles; the others get a 403 page.
func (w *Web) restrictTo(roles ...procedure.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			me := w.actor(c)
			if slices.ContainsFunc(roles, me.Has) {
				return next(c)
			}
			names := make([]string, 0, len(roles))
			namesEN := make([]string, 0, len(roles))
			for _, r := range roles {
				names, namesEN = append(names, roleName(r).ZH), append(namesEN, roleName(r).EN)
			}
			return &problemError{api.Problem{Status: http.StatusForbidden, Title: http.StatusText(http.StatusForbidden), Code: "permission_denied",
				Detail:   "本页仅供" + strings.Join(names, "、") + "使用",
				DetailEN: "This page is for the " + strings.Join(namesEN, ", ") + " only"}}
		}
	}
}

// deskSearchView is the desk's search of decisions.
type deskSearchView struct {
	Items []api.DecisionResponse
	Query url.Values
	Page  int
	More  bool
}

const deskPageSize = 20

// deskSearch finds decisions by number or title, unit, year, stage, and drill or not.
func (w *Web) deskSearch(c echo.Context) error {
	q, page, items, more, err := w.findDecisions(c, deskPageSize)
	if err != nil {
		return err
	}
	v := deskSearchView{Items: items, Query: q, Page: page, More: more}
	return w.render(c, http.StatusOK, deskSearchPage(w.page(c, T("审计监督 · 查找决策事项", "Audit desk · find a decision")), v))
}

// deskView is a decision's whole record as the auditor reads it.
type deskView struct {
	Decision api.DecisionResponse
	// Record is the workflow's record, for the drafts; nil with RecordProblem when the
	// workflow cannot answer.
	Record        *procedure.Record
	RecordProblem *problemError
	Timeline      []api.TimelineEntry
	// Signed counts the signed entries, Verified those whose signature checks out now.
	Signed, Verified int
	Rounds           []deskRound
	Replay           *api.ReplayReport
	ReplayProblem    *problemError
	Ledger           deskLedger
}

// deskRound is one public participation round's comment figures.
type deskRound struct {
	Round   int
	Summary *procedure.AdoptionSummary
	Check   *store.CommentCheck
	Problem *problemError
}

// deskLedger is the ledger as the desk shows it: the signed checkpoint, the key it verifies
// with, and the decision's records.
type deskLedger struct {
	Key        string
	Checkpoint string
	Tree       tlog.Tree
	// CheckpointErr says why the checkpoint did not verify with the key; "" when it did.
	CheckpointErr string
	Indexes       []int64
	Problem       *problemError
}

// deskRecord shows a decision's full record: timeline with every signature re-verified,
// drafts, comment figures, the legal replay, the ledger and the dossier.
func (w *Web) deskRecord(c echo.Context) error {
	number := c.Param("number")
	if procedure.ValidateNumber(number) != nil {
		return echo.ErrNotFound
	}
	base := "/api/v1/decisions/" + url.PathEscape(number)
	var v deskView
	if err := w.callAPI(c, http.MethodGet, base, nil, nil).decode(&v.Decision); err != nil {
		return err
	}
	if err := w.callAPI(c, http.MethodGet, base+"/timeline", nil, nil).decode(&v.Timeline); err != nil {
		return err
	}
	for _, e := range v.Timeline {
		if e.Signature != nil {
			v.Signed++
			if e.Verified != nil && *e.Verified {
				v.Verified++
			}
		}
	}
	var rec procedure.Record
	if err := w.callAPI(c, http.MethodGet, base+"/record", nil, nil).decode(&rec); err != nil {
		v.RecordProblem = asProblem(err)
	} else {
		v.Record = &rec
	}
	v.Rounds = w.deskRounds(c, number, v.Timeline)
	var rep api.ReplayReport
	if err := w.callAPI(c, http.MethodGet, base+"/replay", nil, nil).decode(&rep); err != nil {
		v.ReplayProblem = asProblem(err)
	} else {
		v.Replay = &rep
	}
	v.Ledger = w.deskLedger(c, number)
	p := w.page(c, T("审计监督 · "+v.Decision.Title, "Audit · "+v.Decision.Title))
	p.Drill = v.Decision.Drill
	return w.render(c, http.StatusOK, deskRecordPage(p, v))
}

// deskRounds reads the comment figures of each public participation round on the timeline.
func (w *Web) deskRounds(c echo.Context, number string, timeline []api.TimelineEntry) []deskRound {
	var rounds []int
	for _, e := range timeline {
		if proc, round := workflowRound(number, e.Workflow); proc == procedure.ProcParticipation && round > 0 && !slices.Contains(rounds, round) {
			rounds = append(rounds, round)
		}
	}
	slices.Sort(rounds)
	out := make([]deskRound, 0, len(rounds))
	for _, n := range rounds {
		base := "/api/v1/decisions/" + url.PathEscape(number) + "/participation/" + strconv.Itoa(n)
		r := deskRound{Round: n}
		var sum procedure.AdoptionSummary
		var check store.CommentCheck
		if err := w.callAPI(c, http.MethodGet, base+"/adoption-summary", nil, nil).decode(&sum); err != nil {
			r.Problem = asProblem(err)
		} else if err := w.callAPI(c, http.MethodGet, base+"/comments/verify", nil, nil).decode(&check); err != nil {
			r.Problem = asProblem(err)
		} else {
			r.Summary, r.Check = &sum, &check
		}
		out = append(out, r)
	}
	return out
}

// deskLedger reads the ledger's key and signed checkpoint, checks the one with the other,
// and lists the decision's records.
func (w *Web) deskLedger(c echo.Context, number string) deskLedger {
	var l deskLedger
	key := w.callAPI(c, http.MethodGet, "/api/v1/audit/key", nil, nil)
	if !key.OK() {
		l.Problem = key.problem()
		return l
	}
	cp := w.callAPI(c, http.MethodGet, "/api/v1/audit/checkpoint", nil, nil)
	if !cp.OK() {
		l.Problem = cp.problem()
		return l
	}
	l.Key, l.Checkpoint = strings.TrimSpace(string(key.Body())), string(cp.Body())
	tree, err := audit.OpenCheckpoint(cp.Body(), l.Key)
	if err != nil {
		l.CheckpointErr = err.Error()
	}
	l.Tree = tree
	if err := w.callAPI(c, http.MethodGet, "/api/v1/decisions/"+url.PathEscape(number)+"/ledger", nil, nil).decode(&l.Indexes); err != nil {
		l.Problem = asProblem(err)
	}
	return l
}

// deskProofView is one ledger record with its inclusion proof, checked against the checkpoint.
type deskProofView struct {
	Number string
	Ledger deskLedger
	Proof  audit.RecordProof
	// Data is the record, indented.
	Data string
	// CheckErr says why the proof failed; "" when it holds.
	CheckErr string
}

// deskProof shows that one of the decision's ledger records is in the tree the signed
// checkpoint commits to, checking the inclusion proof here.
func (w *Web) deskProof(c echo.Context) error {
	number := c.Param("number")
	idx, err := strconv.ParseInt(c.Param("index"), 10, 64)
	if procedure.ValidateNumber(number) != nil || err != nil {
		return echo.ErrNotFound
	}
	v := deskProofView{Number: number, Ledger: w.deskLedger(c, number)}
	if v.Ledger.Problem != nil {
		return v.Ledger.Problem
	}
	if !slices.Contains(v.Ledger.Indexes, idx) {
		return echo.NewHTTPError(http.StatusNotFound, "该记录不属于本决策 / the record is not one of this decision's")
	}
	if v.Ledger.CheckpointErr == "" {
		path := "/api/v1/audit/records/" + strconv.FormatInt(idx, 10) + "?tree_size=" + strconv.FormatInt(v.Ledger.Tree.N, 10)
		if err := w.callAPI(c, http.MethodGet, path, nil, nil).decode(&v.Proof); err != nil {
			return err
		}
		if err := audit.CheckRecord(v.Proof, v.Ledger.Tree); err != nil {
			v.CheckErr = err.Error()
		}
		var out bytes.Buffer
		if json.Indent(&out, []byte(v.Proof.Data), "", "  ") == nil {
			v.Data = out.String()
		} else {
			v.Data = v.Proof.Data
		}
	}
	title := T("账本记录 #"+strconv.FormatInt(idx, 10)+" 的存在性证明", "Inclusion proof of ledger record #"+strconv.FormatInt(idx, 10))
	return w.render(c, http.StatusOK, deskProofPage(w.page(c, title), v))
}

// deskExport passes one of the API's downloads of a decision through with the session: the
// timeline as CSV or JSON, the dossier. name, when set, names the download (after the number).
func (w *Web) deskExport(suffix, name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		number := c.Param("number")
		if procedure.ValidateNumber(number) != nil {
			return echo.ErrNotFound
		}
		ans := w.callAPI(c, http.MethodGet, "/api/v1/decisions/"+url.PathEscape(number)+suffix, nil, nil)
		if !ans.OK() {
			return ans.problem()
		}
		h := c.Response().Header()
		for _, k := range []string{"Content-Type", "Content-Disposition", "Dossier-Manifest-SHA256"} {
			if v := ans.Header().Get(k); v != "" {
				h.Set(k, v)
			}
		}
		if name != "" {
			h.Set("Content-Disposition", `attachment; filename="`+number+name+`"`)
		}
		h.Set("Cache-Control", "no-store")
		return c.Blob(http.StatusOK, ans.Header().Get("Content-Type"), ans.Body())
	}
}

// verifyCommand is the command that checks a decision's dossier offline with the ledger's
// public key, kept apart from the dossier.
func verifyCommand(number, key string) string {
	cmd := "decisionflow dossier verify " + number + "-dossier.zip"
	if key != "" {
		cmd += " --key '" + key + "'"
	}
	return cmd
}

// verdictNames name the legal replay's outcomes.
var verdictNames = map[string]Text{
	procedure.VerdictSatisfied:     T("符合", "satisfied"),
	procedure.VerdictNotApplicable: T("不适用", "not applicable"),
	procedure.VerdictNotReached:    T("尚未到达", "not reached"),
	procedure.VerdictViolated:      T("违反", "violated"),
}

func verdictName(outcome string) Text {
	if t, ok := verdictNames[outcome]; ok {
		return t
	}
	return T(outcome, outcome)
}

// verdictCount counts the replay's rules of one outcome.
func verdictCount(rep *api.ReplayReport, outcome string) int {
	n := 0
	for _, v := range rep.Rules {
		if v.Outcome == outcome {
			n++
		}
	}
	return n
}

// draftDiffLink is the clause diff page of a draft version against the one before it.
func draftDiffLink(number string, version int) string {
	return "/decisions/" + url.PathEscape(number) + "/diff?from=" + strconv.Itoa(version-1) + "&to=" + strconv.Itoa(version)
}

// deskPath is a path of the decision's desk.
func deskPath(number, rest string) string { return "/audit/decisions/" + url.PathEscape(number) + rest }

// actRef is how the replay's evidence names an act: workflow#seq.
func actRef(e api.TimelineEntry) string { return e.Workflow + "#" + strconv.Itoa(e.Seq) }

// problemText is a refusal's detail in the page's language.
func problemText(ctx context.Context, p *problemError) string {
	if p == nil {
		return ""
	}
	return tr(ctx, T(p.Detail, p.DetailEN))
}

// int64List writes numbers as a list.
func int64List(ns []int64) string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, strconv.FormatInt(n, 10))
	}
	return strings.Join(out, "、")
}
