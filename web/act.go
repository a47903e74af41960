package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// actRoute is one act the pages offer: the API route it is sent to and its form.
type actRoute struct {
	api.ActRoute
	// Proc is the procedure whose rounds take the act (e.g. legality); "" for the decision's
	// own acts.
	Proc string
	// Spec labels its form.
	Spec formSpec
	// Scope is what the act goes to: a decision, a catalog or an expert pool.
	Scope string
}

// The scopes of acts.
const (
	scopeDecision = "decision"
	scopeCatalog  = "catalog"
	scopePool     = "pool"
)

// actRoutes pairs the API's decision acts with their forms.
func actRoutes(acts []api.ActRoute) []actRoute {
	var out []actRoute
	for _, a := range acts {
		r := actRoute{ActRoute: a, Spec: forms[a.Update], Scope: scopeDecision}
		rest, ok := strings.CutPrefix(a.Route, "/api/v1/decisions/:number/")
		switch {
		case strings.HasPrefix(a.Route, "/api/v1/catalogs/:organ/:year/"):
			r.Scope = scopeCatalog
		case strings.HasPrefix(a.Route, "/api/v1/expert-pools/:organ/"):
			r.Scope = scopePool
		case !ok:
			continue
		}
		if proc, tail, ok := strings.Cut(rest, "/:round/"); ok {
			r.Proc = proc
			_ = tail
		}
		if r.Spec.Title.ZH == "" {
			r.Spec.Title = T(a.Update, a.Update)
		}
		out = append(out, r)
	}
	return out
}

// act finds the act an Update name names.
func (w *Web) act(update string) (actRoute, bool) {
	i := slices.IndexFunc(w.acts, func(a actRoute) bool { return a.Update == update })
	if i < 0 {
		return actRoute{}, false
	}
	return w.acts[i], true
}

// target names what an act goes to: a decision (and its round, and hearing for the lot), a
// catalog (organ and year) or an expert pool (organ).
type target struct {
	Number  string
	Round   int
	Hearing int
	Organ   string
	Year    int
}

// path is the act's API path for its target.
func (a actRoute) path(t target) string {
	p := strings.Replace(a.Route, ":number", url.PathEscape(t.Number), 1)
	p = strings.Replace(p, ":round", strconv.Itoa(t.Round), 1)
	p = strings.Replace(p, ":organ", url.PathEscape(t.Organ), 1)
	p = strings.Replace(p, ":year", strconv.Itoa(t.Year), 1)
	return strings.Replace(p, ":hearing", strconv.Itoa(t.Hearing), 1)
}

// allows reports whether a's roles let the actor send the act at all; the procedure then
// decides for the decision at hand.
func (a actRoute) allows(p procedure.Actor) bool {
	if len(a.Roles) == 0 {
		return !p.Has(procedure.RoleAuditor)
	}
	return slices.ContainsFunc(a.Roles, p.Has)
}

// actForm is one act's form as a page shows it.
type actForm struct {
	Act actRoute
	target
	Fields   []formField
	Key      string // the Idempotency-Key the form's submission carries
	Problem  *problemError
	Due      *procedure.Deadline
	Overdue  bool
	Docs     []procedure.Document
	Prefill  url.Values
	Expanded bool
}

// Action is where the form posts.
func (f actForm) Action() string {
	q := url.Values{}
	if f.Round > 0 {
		q.Set("round", strconv.Itoa(f.Round))
	}
	if f.Hearing > 0 {
		q.Set("hearing", strconv.Itoa(f.Hearing))
	}
	a := "/decisions/" + url.PathEscape(f.Number) + "/acts/" + url.PathEscape(f.Act.Update)
	switch f.Act.Scope {
	case scopeCatalog:
		a = "/catalogs/" + url.PathEscape(f.Organ) + "/" + strconv.Itoa(f.Year) + "/acts/" + url.PathEscape(f.Act.Update)
	case scopePool:
		a = "/expert-pools/" + url.PathEscape(f.Organ) + "/acts/" + url.PathEscape(f.Act.Update)
	}
	if len(q) > 0 {
		a += "?" + q.Encode()
	}
	return a
}

// PrepareAction is where the page asks for the exact body a signed act will send.
func (f actForm) PrepareAction() string {
	path, query, _ := strings.Cut(f.Action(), "?")
	if query != "" {
		return path + "/prepare?" + query
	}
	return path + "/prepare"
}

// APIPath is the API route the act goes to, which a signature covers.
func (f actForm) APIPath() string { return f.Act.path(f.target) }

func (w *Web) newForm(a actRoute, number string, round, hearing int, values url.Values) actForm {
	return w.formFor(a, target{Number: number, Round: round, Hearing: hearing}, values)
}

// formFor lays out an act's form for its target, holding values.
func (w *Web) formFor(a actRoute, t target, values url.Values) actForm {
	if values == nil {
		values = url.Values{}
	}
	return actForm{Act: a, target: t, Fields: buildFields(a.Spec, a.Payload, values), Key: newToken()[:32], Prefill: values}
}

// sendAct handles a form's submission: the fields become the act's JSON body (or, for a
// signed act, the page sends the exact body it signed), which goes to the API's route with
// the form's Idempotency-Key. A refused act re-renders the decision page with the rule's
// message beside its field and everything typed kept.
func (w *Web) sendAct(c echo.Context) error {
	number := c.Param("number")
	a, ok := w.act(c.Param("update"))
	if !ok {
		return echo.ErrNotFound
	}
	round, _ := strconv.Atoi(c.QueryParam("round"))
	hearing, _ := strconv.Atoi(c.QueryParam("hearing"))
	if (a.Proc != "") != (round > 0) || (strings.Contains(a.Route, ":hearing") && hearing < 1) {
		return echo.NewHTTPError(http.StatusBadRequest, "缺少或多余的轮次 / the round is missing or not expected")
	}
	form, ok := w.send(c, a, target{Number: number, Round: round, Hearing: hearing}, number)
	if !ok {
		return w.decisionPage(c, number, &form)
	}
	w.flash(c, T("已办理："+a.Spec.Title.ZH, "Done: "+a.Spec.Title.EN))
	return c.Redirect(http.StatusSeeOther, "/decisions/"+url.PathEscape(number)+"#timeline")
}

// send reads an act's form and sends the act to the API; it answers the form as submitted,
// with the refusal when the act was not taken. Files are filed for documentsOf, a decision.
func (w *Web) send(c echo.Context, a actRoute, t target, documentsOf string) (actForm, bool) {
	values, err := w.formValues(c, documentsOf)
	form := w.formFor(a, t, values)
	if k := values.Get("idempotency_key"); k != "" {
		form.Key = k
	}
	if err != nil {
		form.Problem = asProblem(err)
		return form, false
	}
	body := []byte(values.Get("body"))
	header := http.Header{"Idempotency-Key": {form.Key}}
	if a.Signed {
		if len(body) == 0 || values.Get("signature") == "" {
			form.Problem = &problemError{api.Problem{Status: http.StatusUnprocessableEntity, Code: procedure.EInvalid,
				Detail: "此办理行为须签名：请在浏览器中签名，或粘贴以其他密钥所作的 Signature 值", DetailEN: "this act must be signed: sign in the browser, or paste a Signature value made with another key"}}
			return form, false
		}
		header.Set("Signature", values.Get("signature"))
	} else if body, err = payloadJSON(a.Spec, a.Payload, values); err != nil {
		form.Problem = asProblem(err)
		return form, false
	}
	ans := w.callAPI(c, http.MethodPost, form.APIPath(), body, header)
	if !ans.OK() {
		form.Problem = ans.problem()
		if form.Problem.Status < 500 {
			// A refused act is settled: the corrected form is a new request. After a 503 the
			// same key again gets the outcome once the engine has settled it.
			form.Key = newToken()[:32]
		}
		return form, false
	}
	return form, true
}

// prepareAct answers the exact body a signed act will send, its API route and nonce: the page
// signs the RFC 8785 form of {"v":2,"act":…,"nonce":…,"body":…} and sends body and signature.
func (w *Web) prepareAct(c echo.Context) error {
	number := c.Param("number")
	a, ok := w.act(c.Param("update"))
	if !ok {
		return echo.ErrNotFound
	}
	if !a.allows(w.actor(c)) {
		return c.JSON(http.StatusForbidden, api.Problem{Status: http.StatusForbidden, Code: procedure.EPermissionDenied,
			Detail: "当前角色无权执行此操作", DetailEN: "your roles do not allow this"})
	}
	round, _ := strconv.Atoi(c.QueryParam("round"))
	hearing, _ := strconv.Atoi(c.QueryParam("hearing"))
	values, err := w.formValues(c, number)
	if err != nil {
		p := asProblem(err)
		return c.JSON(p.Status, p.Problem)
	}
	body, err := payloadJSON(a.Spec, a.Payload, values)
	if err != nil {
		p := asProblem(err)
		return c.JSON(p.Status, p.Problem)
	}
	key := values.Get("idempotency_key")
	if key == "" {
		key = newToken()[:32]
	}
	return c.JSON(http.StatusOK, map[string]string{"act": a.path(target{Number: number, Round: round, Hearing: hearing}), "nonce": key, "body": string(body)})
}

// formValues reads the submitted form; each file chosen for a document field is filed for the
// decision first (through the API), and the field then cites it as sha256:….
func (w *Web) formValues(c echo.Context, number string) (url.Values, error) {
	mf, err := c.MultipartForm()
	if err != nil {
		if err := c.Request().ParseForm(); err != nil {
			return nil, &fieldError{"", T("表单格式不正确", "malformed form")}
		}
		return c.Request().PostForm, nil
	}
	values := url.Values{}
	for k, v := range mf.Value {
		values[k] = v
	}
	for name, files := range mf.File {
		field, ok := strings.CutSuffix(name, ".file")
		if !ok || len(files) == 0 || files[0].Size == 0 || number == "" {
			continue
		}
		fh := files[0]
		doc, err := w.upload(c, number, fh.Filename, func() (multipartFile, error) { return fh.Open() }, values.Get(field+".kind"))
		if err != nil {
			return values, err
		}
		values.Set(field, "sha256:"+doc.SHA256)
	}
	return values, nil
}

// upload files one document for a decision through the API.
func (w *Web) upload(c echo.Context, number, filename string, open func() (multipartFile, error), kind string) (procedure.Document, error) {
	f, err := open()
	if err != nil {
		return procedure.Document{}, err
	}
	defer f.Close()
	var buf bytes.Buffer
	mw := newMultipart(&buf)
	if err := mw.file("file", filename, f); err != nil {
		return procedure.Document{}, err
	}
	if kind != "" {
		_ = mw.field("kind", kind)
	}
	if err := mw.close(); err != nil {
		return procedure.Document{}, err
	}
	ans := w.callAPI(c, http.MethodPost, "/api/v1/decisions/"+url.PathEscape(number)+"/documents", buf.Bytes(),
		http.Header{"Content-Type": {mw.contentType()}, "Idempotency-Key": {newToken()[:32]}})
	var d procedure.Document
	if err := ans.decode(&d); err != nil {
		return procedure.Document{}, err
	}
	return d, nil
}

type multipartFile interface {
	io.Reader
	io.Closer
}

// asProblem turns a check made in the page into the problem the form shows.
func asProblem(err error) *problemError {
	switch e := err.(type) {
	case *problemError:
		return e
	case *fieldError:
		return &problemError{api.Problem{Status: http.StatusBadRequest, Code: procedure.EMalformed, Detail: e.Text.ZH, DetailEN: e.Text.EN,
			Fields: map[string]string{"field": e.Field}}}
	}
	return &problemError{api.Problem{Status: http.StatusInternalServerError, Code: procedure.EInternal, Detail: "服务器内部错误", DetailEN: "internal server error"}}
}

// fieldOf picks the field a refusal concerns: the one the page itself found, else the one
// whose rule the API names.
func fieldOf(p *problemError, fields []formField) string {
	if p == nil {
		return ""
	}
	if f := p.Fields["field"]; f != "" {
		return f
	}
	if p.Rule == "" {
		return ""
	}
	var found string
	var walk func([]formField)
	walk = func(fs []formField) {
		for _, f := range fs {
			if found != "" {
				return
			}
			if f.Spec.Rule == p.Rule {
				found = f.Name
			}
			walk(f.Children)
			for _, row := range f.Rows {
				walk(row)
			}
		}
	}
	walk(fields)
	return found
}
