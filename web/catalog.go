package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// The forms of the annual catalog of major decisions (R-03, R-04; Art. 3).
var catalogForms = map[string]formSpec{
	"catalog_item": {
		Title:  T("编入目录事项", "Add a catalog item"),
		Intro:  T("编入下一版目录；每次调整为新版本，须经党委同意后公布（R-03）。", "Goes into the next version; each adjustment is a new version, published with the Party committee's consent (R-03)."),
		Engine: []string{"decision", "withdrawal"},
		Fields: map[string]fieldSpec{
			"id":    {Label: T("事项编号", "Item ID")},
			"title": {Label: T("事项名称", "Title")},
			"unit":  {Label: T("承办单位", "Undertaking unit")},
		},
	},
	"publish_catalog": {
		Title: T("公布目录", "Publish the catalog"),
		Intro: T("目录经党委同意后公布（R-03）。", "Published only with the Party committee's consent (R-03)."),
		Fields: map[string]fieldSpec{
			"document":     {Label: T("党委同意文件（引用）", "Party consent (document reference)"), Rule: "R-03"},
			"consented_on": {Label: T("同意日期", "Consented on"), Rule: "R-03"},
		},
	},
	"withdraw_catalog_item": {
		Title: T("撤出目录事项", "Withdraw a catalog item"),
		Fields: map[string]fieldSpec{
			"item": {Label: T("事项编号", "Item ID")},
		},
	},
}

func (w *Web) catalogRoutes(g *echo.Group) {
	g.GET("/catalogs", w.catalogIndex)
	g.POST("/catalogs", w.openCatalog)
	g.GET("/catalogs/:organ/:year", w.showCatalog)
	g.POST("/catalogs/:organ/:year/acts/:update", w.catalogAct)
}

// catalogView is a catalog with the forms the person may send to it.
type catalogView struct {
	Organ   string
	Year    int
	Catalog *procedure.Catalog
	Forms   []actForm
	Problem *problemError
}

// catalogIndex asks which catalog to open: an organ and a year.
func (w *Web) catalogIndex(c echo.Context) error {
	organ, year := strings.TrimSpace(c.QueryParam("organ")), c.QueryParam("year")
	if organ != "" && year != "" {
		return c.Redirect(http.StatusSeeOther, "/catalogs/"+url.PathEscape(organ)+"/"+url.PathEscape(year))
	}
	return w.render(c, http.StatusOK, catalogIndexPage(w.page(c, T("年度决策事项目录", "Annual catalogs")), nil))
}

// openCatalog opens an organ's catalog for a year.
func (w *Web) openCatalog(c echo.Context) error {
	organ := strings.TrimSpace(c.FormValue("organ"))
	year, _ := strconv.Atoi(c.FormValue("year"))
	raw, _ := json.Marshal(map[string]any{"organ": organ, "year": year})
	ans := w.callAPI(c, http.MethodPost, "/api/v1/catalogs", raw, http.Header{"Idempotency-Key": {c.FormValue("idempotency_key")}})
	if !ans.OK() {
		return w.render(c, ans.Status, catalogIndexPage(w.page(c, T("年度决策事项目录", "Annual catalogs")), ans.problem()))
	}
	w.flash(c, T("已建立目录", "Catalog opened"))
	return c.Redirect(http.StatusSeeOther, "/catalogs/"+url.PathEscape(organ)+"/"+strconv.Itoa(year))
}

func (w *Web) showCatalog(c echo.Context) error { return w.catalogPage(c, nil) }

func (w *Web) catalogPage(c echo.Context, failed *actForm) error {
	organ := c.Param("organ")
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return echo.ErrNotFound
	}
	v := catalogView{Organ: organ, Year: year}
	ans := w.callAPI(c, http.MethodGet, "/api/v1/catalogs/"+url.PathEscape(organ)+"/"+strconv.Itoa(year), nil, nil)
	if ans.OK() {
		var cat procedure.Catalog
		if err := ans.decode(&cat); err != nil {
			return err
		}
		v.Catalog = &cat
	} else if ans.Status != http.StatusNotFound {
		return ans.problem()
	}
	if v.Catalog != nil {
		v.Forms = w.scopeForms(c, scopeCatalog, target{Organ: organ, Year: year}, failed)
	}
	status := failedStatus(failed)
	return w.render(c, status, catalogPage(w.page(c, T(organ+" "+strconv.Itoa(year)+" 年度重大行政决策事项目录", "Catalog of major decisions, "+organ+", "+strconv.Itoa(year))), v))
}

// catalogAct sends a catalog act from its form.
func (w *Web) catalogAct(c echo.Context) error {
	a, ok := w.act(c.Param("update"))
	year, err := strconv.Atoi(c.Param("year"))
	if !ok || a.Scope != scopeCatalog || err != nil {
		return echo.ErrNotFound
	}
	organ := c.Param("organ")
	form, ok := w.send(c, a, target{Organ: organ, Year: year}, "")
	if !ok {
		return w.catalogPage(c, &form)
	}
	w.flash(c, T("已办理："+a.Spec.Title.ZH, "Done: "+a.Spec.Title.EN))
	return c.Redirect(http.StatusSeeOther, "/catalogs/"+url.PathEscape(organ)+"/"+strconv.Itoa(year))
}

// scopeForms are the forms of a catalog's or a pool's acts the person's roles allow, the
// refused one (failed) open with its problem and what was typed.
func (w *Web) scopeForms(c echo.Context, scope string, t target, failed *actForm) []actForm {
	me := w.actor(c)
	var out []actForm
	for _, a := range w.acts {
		if a.Scope != scope || !a.allows(me) {
			continue
		}
		f := w.formFor(a, t, nil)
		if failed != nil && failed.Act.Update == a.Update {
			f = *failed
			f.Expanded = true
		}
		out = append(out, f)
	}
	return out
}

// failedStatus is the status of a page shown again after a refused act.
func failedStatus(failed *actForm) int {
	if failed != nil && failed.Problem != nil {
		return failed.Problem.Status
	}
	return http.StatusOK
}
