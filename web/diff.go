package web

import (
	"net/http"
	"net/url"
	"strconv"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/textsim"

	"github.com/labstack/echo/v4"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// clauseChange is one clause compared between two draft versions.
type clauseChange struct {
	Status string // unchanged, changed, removed or added
	From   *procedure.Clause
	To     *procedure.Clause
	// Diffs mark the text changed within a changed clause.
	Diffs []diffmatchpatch.Diff
}

// diffView compares two draft versions clause by clause.
type diffView struct {
	Number   string
	From, To int
	Changes  []clauseChange
	Share    float64
	NoText   bool
}

// draftDiff compares two versions of a plain-text draft clause by clause, as the engine carries
// comments from one to the next: unchanged, changed (with the words changed), removed
// and added clauses.
func (w *Web) draftDiff(c echo.Context) error {
	number := c.Param("number")
	from, err1 := strconv.Atoi(c.QueryParam("from"))
	to, err2 := strconv.Atoi(c.QueryParam("to"))
	if err1 != nil || err2 != nil || from < 1 || to < 1 {
		return echo.NewHTTPError(http.StatusBadRequest, "须指明要比较的两个版本 / give the two versions to compare")
	}
	var old, cur api.ClausesResponse
	base := "/api/v1/decisions/" + url.PathEscape(number) + "/drafts/"
	if err := w.callAPI(c, http.MethodGet, base+strconv.Itoa(from)+"/clauses", nil, nil).decode(&old); err != nil {
		return err
	}
	if err := w.callAPI(c, http.MethodGet, base+strconv.Itoa(to)+"/clauses", nil, nil).decode(&cur); err != nil {
		return err
	}
	v := diffView{Number: number, From: from, To: to, NoText: len(old.Clauses) == 0 || len(cur.Clauses) == 0}
	if !v.NoText {
		v.Changes, v.Share = compareClauses(old.Clauses, cur.Clauses)
	}
	title := T("第 "+strconv.Itoa(from)+" 版与第 "+strconv.Itoa(to)+" 版比较", "Version "+strconv.Itoa(from)+" against "+strconv.Itoa(to))
	return w.render(c, http.StatusOK, diffPage(w.page(c, title), v))
}

// compareClauses lists the new version's clauses in order, each with the old clause it
// continues, then the old clauses removed.
func compareClauses(old, cur []procedure.Clause) ([]clauseChange, float64) {
	d := procedure.DiffClauses(old, cur, textsim.Similarity)
	byNumber := func(cs []procedure.Clause, n int) *procedure.Clause {
		for i := range cs {
			if cs[i].Number == n {
				return &cs[i]
			}
		}
		return nil
	}
	continued := map[int]procedure.ClauseLink{}
	var out []clauseChange
	for _, l := range d.Links {
		if l.To > 0 {
			continued[l.To] = l
		}
	}
	dmp := diffmatchpatch.New()
	for i := range cur {
		to := &cur[i]
		l, ok := continued[to.Number]
		if !ok {
			out = append(out, clauseChange{Status: "added", To: to})
			continue
		}
		ch := clauseChange{Status: l.Status, From: byNumber(old, l.From), To: to}
		if l.Status == procedure.ClauseChanged && ch.From != nil {
			ch.Diffs = dmp.DiffCleanupSemantic(dmp.DiffMain(ch.From.Text, to.Text, false))
		}
		out = append(out, ch)
	}
	for _, l := range d.Links {
		if l.Status == procedure.ClauseRemoved {
			out = append(out, clauseChange{Status: "removed", From: byNumber(old, l.From)})
		}
	}
	return out, d.ChangedShare
}
