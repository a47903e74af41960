package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"decisionflow/procedure"

	"github.com/getkin/kin-openapi/openapi3"
)

// tags group the published document's operations by stage of the procedure, then by the
// registers beside it; each route's tag is the first word of its path that names one.
var tags = openapi3.Tags{
	{Name: "decisions", Description: "决策事项的登记、查询与办理记录 / registering, listing and reading decisions"},
	{Name: "drafting", Description: "启动与起草 / start and drafting"},
	{Name: "participation", Description: "公众参与：征求意见、意见处理与听证 / public participation: notice, comments, dispositions, hearings"},
	{Name: "expert", Description: "专家论证 / expert argumentation"},
	{Name: "risk", Description: "风险评估 / risk assessment"},
	{Name: "legality", Description: "合法性审查 / legality review"},
	{Name: "meeting", Description: "集体讨论决定与向党委请示报告 / collective discussion and the report to the Party committee"},
	{Name: "publication", Description: "决策公布 / publication"},
	{Name: "archive", Description: "决策归档与卷宗 / archive and dossier"},
	{Name: "implementation", Description: "决策执行与评估 / implementation and evaluation"},
	{Name: "catalogs", Description: "决策事项目录 / decision catalogs"},
	{Name: "expert-pools", Description: "专家库 / expert pools"},
	{Name: "documents", Description: "文件上传与下载 / documents"},
	{Name: "keys", Description: "签名密钥 / signing keys"},
	{Name: "audit", Description: "防篡改账本与审计 / tamper-evident ledger and audit"},
	{Name: "calendar", Description: "法定期限计算 / statutory due dates"},
	{Name: "public", Description: "公众（无需令牌）/ the public, without a token"},
	{Name: "operations", Description: "运行状态与指标 / health, readiness, metrics and this document"},
}

// tagOf is the tag of a route: the first path word after /api/v1 (and after a decision's number)
// that names a tag, the act's own stage when the mount line gives it, else decisions.
func tagOf(path string) string {
	if !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json" {
		return "operations"
	}
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/") {
		if seg == "dossier" {
			return "archive"
		}
		for _, t := range tags {
			if t.Name == seg && seg != "decisions" {
				return seg
			}
		}
	}
	return "decisions"
}

// newDocument is the published document before any route: who serves it, how to sign in,
// its tags.
func newDocument() *openapi3.T {
	return &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "decisionflow", Version: "1",
			Description: "重大行政决策程序引擎 / major administrative decision procedure engine. " +
				"每个错误都是 application/problem+json，code 为稳定的错误码 / every error is application/problem+json whose code clients branch on.",
			Contact: &openapi3.Contact{Name: "decisionflow"}},
		// Relative: the document is served by the API it describes, wherever that is.
		Servers: openapi3.Servers{{URL: "/", Description: "提供本文档的服务器 / the server that serves this document"}},
		Paths:   openapi3.NewPaths(),
		Tags:    tags,
		Components: &openapi3.Components{
			Schemas:   openapi3.Schemas{},
			Responses: openapi3.ResponseBodies{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().
					WithDescription("decisionflow token --user ID 或单点登录签发的令牌 / a token from `decisionflow token --user ID` or the single sign-on")},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
}

// option adds to one operation of the published document.
type option func(sp *spec, op *openapi3.Operation)

// returns documents a JSON answer with status, its schema generated from v's type; a
// download(...) value documents a file instead.
func returns(status int, v any) option {
	return func(sp *spec, op *openapi3.Operation) {
		if d, ok := v.(download); ok {
			content := openapi3.Content{}
			for _, mt := range d {
				content[mt] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema().WithFormat("binary"))
			}
			op.AddResponse(status, openapi3.NewResponse().WithDescription(http.StatusText(status)).WithContent(content))
			return
		}
		op.AddResponse(status, openapi3.NewResponse().WithDescription(http.StatusText(status)).WithJSONSchemaRef(sp.schemas.of(v)))
	}
}

// download is a file answer, by its media types.
type download []string

// alsoAs documents that the 200 answer may also come as a file of media type mt (e.g. CSV with
// ?format=csv).
func alsoAs(mt string) option {
	return func(_ *spec, op *openapi3.Operation) {
		if r := op.Responses.Status(http.StatusOK); r != nil && r.Value != nil {
			r.Value.Content[mt] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema().WithFormat("binary"))
		}
	}
}

// query documents an optional query parameter.
func query(name, description string, typ ...string) option {
	return func(_ *spec, op *openapi3.Operation) {
		s := openapi3.NewStringSchema()
		if len(typ) > 0 {
			s = &openapi3.Schema{Type: &openapi3.Types{typ[0]}}
		}
		op.AddParameter(openapi3.NewQueryParameter(name).WithDescription(description).WithSchema(s))
	}
}

// only documents the roles a read route admits (403 for others).
func only(roles ...procedure.Role) option {
	return func(_ *spec, op *openapi3.Operation) { op.Description = rolesLine(roles) }
}

// form documents a multipart/form-data body with its fields; binary fields are files.
func form(fields map[string]string, required ...string) option {
	return func(_ *spec, op *openapi3.Operation) {
		s := openapi3.NewObjectSchema()
		for name, format := range fields {
			p := openapi3.NewStringSchema()
			if format != "" {
				p.Format = format
			}
			s.WithProperty(name, p)
		}
		s.Required = required
		mt := openapi3.NewMediaType().WithSchema(s)
		if op.RequestBody == nil {
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithDescription("multipart/form-data").WithContent(openapi3.Content{})}
		}
		op.RequestBody.Value.Content["multipart/form-data"] = mt
	}
}

// named gives the operation its ID and summary from an act's Update name: submit_draft is
// submitDraft, "submit draft".
func named(update string) option {
	return func(_ *spec, op *openapi3.Operation) {
		op.OperationID = lowerCamel(update)
		if op.Summary == "" || op.Summary == update {
			op.Summary = strings.ReplaceAll(update, "_", " ")
		}
	}
}

func rolesLine(roles []procedure.Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, string(r))
	}
	return "角色 / Roles: " + strings.Join(names, ", ")
}

// operation starts the published operation of a route.
func (sp *spec) operation(method, echoPath, summary string, roles []procedure.Role, opts []option) *openapi3.Operation {
	op := openapi3.NewOperation()
	op.Summary = summary
	op.Tags = []string{tagOf(echoPath)}
	if isOpen(echoPath) {
		op.Security = openapi3.NewSecurityRequirements()
	}
	if len(roles) > 0 {
		op.Description = rolesLine(roles)
	}
	for _, m := range pathParam.FindAllStringSubmatch(echoPath, -1) {
		op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
	}
	for _, o := range opts {
		o(sp, op)
	}
	return op
}

// isOpen says whether a route takes no token: the public's, the probes, metrics and this
// document.
func isOpen(path string) bool {
	return strings.HasPrefix(path, "/api/v1/public/") || !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json"
}

// finishOperation adds the errors the route can answer and a unique operation ID, and puts it
// in the document.
func (sp *spec) finishOperation(method, echoPath string, op *openapi3.Operation) {
	path := openAPIPath(echoPath)
	if op.Responses.Len() == 0 {
		op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("OK"))
	}
	for _, status := range errorsOf(method, echoPath, op) {
		op.Responses.Set(strconv.Itoa(status), sp.problem(status))
	}
	id := op.OperationID
	if id == "" || (sp.ids[id] != "" && sp.ids[id] != method+" "+path) {
		id = pathOperationID(method, path)
	}
	sp.ids[id] = method + " " + path
	op.OperationID = id
	item := sp.doc.Paths.Value(path)
	if item == nil {
		item = &openapi3.PathItem{}
		sp.doc.Paths.Set(path, item)
	}
	item.SetOperation(method, op)
}

// errorsOf lists the problem statuses a route can answer, from what it is: every /api/v1 route
// can be unavailable (503) or rate-limited (429); a route with a token can be refused one
// (401), and one that admits only some roles, or any act (auditors act on nothing), refuses the
// others (403); a path parameter names something that may not exist (404); a body or parameter
// can be malformed (400) or invalid (422); an act can come at the wrong time (409).
func errorsOf(method, echoPath string, op *openapi3.Operation) []int {
	if !strings.HasPrefix(echoPath, "/api/v1/") || echoPath == "/api/v1/openapi.json" {
		return nil
	}
	out := []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}
	if !isOpen(echoPath) {
		out = append(out, http.StatusUnauthorized)
		if method != http.MethodGet || op.Description != "" {
			out = append(out, http.StatusForbidden)
		}
	}
	if strings.Contains(echoPath, ":") {
		out = append(out, http.StatusNotFound)
	}
	if strings.Contains(echoPath, ":") || op.RequestBody != nil || len(op.Parameters) > 0 {
		out = append(out, http.StatusBadRequest, http.StatusUnprocessableEntity)
	}
	if method != http.MethodGet {
		out = append(out, http.StatusConflict)
	}
	return out
}

// problem is a reference to the shared response of one problem status, added on first use.
func (sp *spec) problem(status int) *openapi3.ResponseRef {
	name := strings.ReplaceAll(http.StatusText(status), " ", "")
	if _, ok := sp.doc.Components.Responses[name]; !ok {
		mt := openapi3.NewMediaType().WithSchemaRef(sp.schemas.of(Problem{}))
		sp.doc.Components.Responses[name] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription(problemText[status]).WithContent(openapi3.Content{"application/problem+json": mt})}
	}
	return &openapi3.ResponseRef{Ref: "#/components/responses/" + name}
}

// problemText says in the document what each problem status means here.
var problemText = map[int]string{
	http.StatusBadRequest:          "请求格式不正确或不符合接口定义 (code malformed) / the request is malformed or does not match this document",
	http.StatusUnauthorized:        "缺少或无效的令牌 (code unauthenticated) / no valid bearer token",
	http.StatusForbidden:           "角色或指派不允许此操作 (code permission_denied) / the caller's roles or assignment do not allow it",
	http.StatusNotFound:            "所指对象不存在 (code not_found) / no such decision, round or resource",
	http.StatusConflict:            "现阶段不能办理，或与已有记录冲突 (code failed_precondition, conflict) / not now in the procedure, or a conflict with the record",
	http.StatusUnprocessableEntity: "内容不符合程序规则，rule 指明规则 (code invalid) / the content breaks a rule of the procedure, named in rule",
	http.StatusTooManyRequests:     "请求过于频繁，按 Retry-After 重试 / too many requests; retry after Retry-After",
	http.StatusServiceUnavailable:  "暂不可用，按 Retry-After 以同一 Idempotency-Key 重试 (code unavailable) / unavailable for now; retry after Retry-After with the same Idempotency-Key",
}

// pathOperationID derives an operation ID from the method and path: the method, then each
// literal segment after /api/v1, then the trailing parameters: GET /api/v1/decisions/{number}
// is getDecisionsByNumber. It changes only when the route does.
func pathOperationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	segs := strings.Split(strings.Trim(strings.TrimPrefix(path, "/api/v1"), "/"), "/")
	last := len(segs)
	for last > 0 && strings.HasPrefix(segs[last-1], "{") {
		last--
	}
	for _, s := range segs[:last] {
		if !strings.HasPrefix(s, "{") {
			b.WriteString(upperCamel(s))
		}
	}
	for i, s := range segs[last:] {
		if i == 0 {
			b.WriteString("By")
		} else {
			b.WriteString("And")
		}
		b.WriteString(upperCamel(strings.Trim(s, "{}")))
	}
	return b.String()
}

// upperCamel joins the words of s (split at -, _ and .) capitalised: open-tasks is OpenTasks.
func upperCamel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

func lowerCamel(s string) string {
	u := []rune(upperCamel(s))
	if len(u) == 0 {
		return ""
	}
	u[0] = unicode.ToLower(u[0])
	return string(u)
}

// tagged puts the operation under tag instead of the one its path gives.
func tagged(tag string) option {
	return func(_ *spec, op *openapi3.Operation) { op.Tags = []string{tag} }
}

// answers documents an act's 200: its answer with the state of the workflow it went to, a
// value of state's type.
func answers(state any) option {
	return func(sp *spec, op *openapi3.Operation) {
		op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("OK").WithJSONSchemaRef(sp.schemas.answer(state)))
	}
}
