package api

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"decisionflow/procedure"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"
)

// spec is the OpenAPI 3 document of the API, built from the same route tables that mount the
// routes: each mount line names its request and response types, and the schemas are generated
// from those Go types, so the document cannot say something the code does not do.
//
// It keeps two documents. check is what requests are validated against, with every schema
// inline and no enumerations: an unknown value (a disposition of "maybe") is the procedure's to
// refuse, with its rule and a 422, not the validator's. doc is the published document, with
// named component schemas, enumerations, response schemas, errors and operation IDs, from which
// the typed client in apiclient is generated.
type spec struct {
	check    *openapi3.T
	checkGen *openapi3gen.Generator
	doc      *openapi3.T
	schemas  *schemas
	// ids are the operation IDs given so far, each to one method and path.
	ids map[string]string
}

func newSpec(grades []string) *spec {
	check := &openapi3.T{
		OpenAPI: "3.0.3",
		Info:    &openapi3.Info{Title: "decisionflow", Version: "1"},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{Schemas: openapi3.Schemas{}, SecuritySchemes: openapi3.SecuritySchemes{
			"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme()},
		}},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	return &spec{check: check, checkGen: openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(textAsString)),
		doc: newDocument(), schemas: newSchemas(grades), ids: map[string]string{}}
}

var pathParam = regexp.MustCompile(`:([a-z0-9_]+)`)

// openAPIPath is an echo path in OpenAPI's form: /decisions/{number}.
func openAPIPath(echoPath string) string { return pathParam.ReplaceAllString(echoPath, "{$1}") }

// add documents one route that takes a body (body is a value of its type, or nil) and
// returns it for request validation; the options say what it answers.
func (sp *spec) add(method, echoPath, summary string, body any, roles []procedure.Role, opts ...option) *routers.Route {
	route := sp.addCheck(method, echoPath, body)
	op := sp.operation(method, echoPath, summary, roles, opts)
	if body != nil {
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithDescription("JSON").WithJSONSchemaRef(sp.schemas.of(body))}
	}
	sp.finishOperation(method, echoPath, op)
	return route
}

// get documents one read route; resp is a value of the type its 200 answers as JSON, or
// download(...) for a file.
func (sp *spec) get(echoPath, summary string, resp any, opts ...option) {
	opts = append([]option{returns(http.StatusOK, resp)}, opts...)
	op := sp.operation(http.MethodGet, echoPath, summary, nil, opts)
	sp.finishOperation(http.MethodGet, echoPath, op)
}

// addCheck adds the route to the validation document, as the validator has always seen it.
func (sp *spec) addCheck(method, echoPath string, body any) *routers.Route {
	path := openAPIPath(echoPath)
	op := openapi3.NewOperation()
	if strings.HasPrefix(echoPath, "/api/v1/public/") {
		op.Security = openapi3.NewSecurityRequirements()
	}
	for _, m := range pathParam.FindAllStringSubmatch(echoPath, -1) {
		op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
	}
	if body != nil {
		ref, err := sp.checkGen.NewSchemaRefForValue(body, sp.check.Components.Schemas)
		if err == nil {
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref)}
		}
	}
	op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("OK"))
	item := sp.check.Paths.Value(path)
	if item == nil {
		item = &openapi3.PathItem{}
		sp.check.Paths.Set(path, item)
	}
	item.SetOperation(method, op)
	return &routers.Route{Spec: sp.check, Path: path, PathItem: item, Method: method, Operation: op}
}

// validate checks a request's parameters and JSON body against its route in the document;
// a mismatch is malformed input (400).
func validate(route *routers.Route) echo.MiddlewareFunc {
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: false}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			params := map[string]string{}
			for i, name := range c.ParamNames() {
				params[name] = c.ParamValues()[i]
			}
			req := c.Request()
			if req.ContentLength == 0 && route.Operation.RequestBody != nil && !slices.Contains([]string{"", "application/json"}, req.Header.Get(echo.HeaderContentType)) {
				return next(c)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
				return procedure.Errorf(procedure.EMalformed, "请求不符合接口定义：%s", "the request does not match the API definition: %s", shortError(err))
			}
			return next(c)
		}
	}
}

func shortError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// serve serves the published document.
func (sp *spec) serve(c echo.Context) error {
	return c.JSON(http.StatusOK, sp.doc)
}

// finish completes the published document once every route is mounted: a route no mount line
// documented still appears, with its summary only (TestOpenAPI_Routes fails on it), and the
// schemas are gathered into the components.
func (sp *spec) finish(e *echo.Echo) {
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound || strings.HasSuffix(r.Path, "*") {
			continue
		}
		if item := sp.doc.Paths.Value(openAPIPath(r.Path)); item != nil && item.GetOperation(r.Method) != nil {
			continue
		}
		op := sp.operation(r.Method, r.Path, r.Method+" "+openAPIPath(r.Path), nil, nil)
		sp.finishOperation(r.Method, r.Path, op)
	}
	sp.schemas.gather(sp.doc)
}
