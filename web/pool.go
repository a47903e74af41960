package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// The forms of a decision organ's expert pool (Arts. 21, 41).
var poolForms = map[string]formSpec{
	"admit_expert": {
		Title:  T("专家入库", "Admit an expert"),
		Intro:  T("入库专家须申明独立性；因虚假申明被移出的，不得再次入库（第四十一条）。", "An expert declares independence; one removed for a false declaration is not admitted again (Art. 41)."),
		Engine: []string{"admitted_on", "removal"},
		Fields: map[string]fieldSpec{
			"id":          {Label: T("用户 ID", "User ID")},
			"name":        {Label: T("姓名", "Name")},
			"field":       {Label: T("专业领域", "Field")},
			"declaration": {Label: T("独立性申明", "Declaration of independence"), Long: true},
		},
	},
	"remove_expert": {
		Title:  T("专家出库", "Remove an expert"),
		Engine: []string{"on"},
		Fields: map[string]fieldSpec{
			"expert":            {Label: T("专家（用户 ID）", "Expert (user ID)")},
			"false_declaration": {Label: T("因虚假申明", "For a false declaration")},
			"document":          {Label: T("依据文件（引用）", "Document (reference)")},
		},
	},
}

func (w *Web) poolRoutes(g *echo.Group) {
	g.GET("/expert-pools", w.poolIndex)
	g.POST("/expert-pools", w.openPool)
	g.GET("/expert-pools/:organ", w.showPool)
	g.POST("/expert-pools/:organ/acts/:update", w.poolAct)
}

// poolView is an expert pool with the forms the person may send to it.
type poolView struct {
	Organ   string
	Pool    *procedure.ExpertPool
	Forms   []actForm
	Problem *problemError
}

func (w *Web) poolIndex(c echo.Context) error {
	if organ := strings.TrimSpace(c.QueryParam("organ")); organ != "" {
		return c.Redirect(http.StatusSeeOther, "/expert-pools/"+url.PathEscape(organ))
	}
	return w.render(c, http.StatusOK, poolIndexPage(w.page(c, T("专家库", "Expert pools")), nil))
}

func (w *Web) openPool(c echo.Context) error {
	organ := strings.TrimSpace(c.FormValue("organ"))
	raw, _ := json.Marshal(map[string]any{"organ": organ})
	ans := w.callAPI(c, http.MethodPost, "/api/v1/expert-pools", raw, http.Header{"Idempotency-Key": {c.FormValue("idempotency_key")}})
	if !ans.OK() {
		return w.render(c, ans.Status, poolIndexPage(w.page(c, T("专家库", "Expert pools")), ans.problem()))
	}
	w.flash(c, T("已建立专家库", "Expert pool opened"))
	return c.Redirect(http.StatusSeeOther, "/expert-pools/"+url.PathEscape(organ))
}

func (w *Web) showPool(c echo.Context) error { return w.poolPage(c, nil) }

func (w *Web) poolPage(c echo.Context, failed *actForm) error {
	organ := c.Param("organ")
	v := poolView{Organ: organ}
	ans := w.callAPI(c, http.MethodGet, "/api/v1/expert-pools/"+url.PathEscape(organ), nil, nil)
	if ans.OK() {
		var p procedure.ExpertPool
		if err := ans.decode(&p); err != nil {
			return err
		}
		v.Pool = &p
	} else if ans.Status != http.StatusNotFound {
		return ans.problem()
	}
	if v.Pool != nil {
		v.Forms = w.scopeForms(c, scopePool, target{Organ: organ}, failed)
	}
	status := failedStatus(failed)
	return w.render(c, status, poolPage(w.page(c, T(organ+" 专家库", "Expert pool of "+organ)), v))
}

func (w *Web) poolAct(c echo.Context) error {
	a, ok := w.act(c.Param("update"))
	if !ok || a.Scope != scopePool {
		return echo.ErrNotFound
	}
	organ := c.Param("organ")
	form, ok := w.send(c, a, target{Organ: organ}, "")
	if !ok {
		return w.poolPage(c, &form)
	}
	w.flash(c, T("已办理："+a.Spec.Title.ZH, "Done: "+a.Spec.Title.EN))
	return c.Redirect(http.StatusSeeOther, "/expert-pools/"+url.PathEscape(organ))
}
