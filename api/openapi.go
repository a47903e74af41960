package api

import (
	"encoding"
	"net/http"
	"reflect"
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

// spec is the OpenAPI 3 document of the API, built from the same route tables that mount
// the routes, with request schemas generated from the payload types.
type spec struct {
	doc *openapi3.T
	gen *openapi3gen.Generator
}

var textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()

func newSpec() *spec {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "decisionflow", Version: "1",
			Description: "重大行政决策程序引擎 / major administrative decision procedure engine"},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme()},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	// Types that write themselves as text (dates, YYYY-MM-DD or empty when unset) are strings.
	gen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(func(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
		if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
			*s = *openapi3.NewStringSchema() // a date, YYYY-MM-DD; empty when unset
		}
		return nil
	}))
	return &spec{doc: doc, gen: gen}
}

var pathParam = regexp.MustCompile(`:([a-z0-9_]+)`)

// add documents one route and returns it for request validation; body is a value of the
// request body's type, or nil.
func (sp *spec) add(method, echoPath, summary string, body any, roles []procedure.Role) *routers.Route {
	path := pathParam.ReplaceAllString(echoPath, "{$1}")
	op := openapi3.NewOperation()
	op.Summary = summary
	if strings.HasPrefix(echoPath, "/api/v1/public/") {
		op.Security = openapi3.NewSecurityRequirements() // no token: the public's routes
	}
	if len(roles) > 0 {
		names := make([]string, 0, len(roles))
		for _, r := range roles {
			names = append(names, string(r))
		}
		op.Description = "Roles: " + strings.Join(names, ", ")
	}
	for _, m := range pathParam.FindAllStringSubmatch(echoPath, -1) {
		op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
	}
	if body != nil {
		ref, err := sp.gen.NewSchemaRefForValue(body, sp.doc.Components.Schemas)
		if err == nil {
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref)}
		}
	}
	op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("OK"))
	op.AddResponse(0, openapi3.NewResponse().WithDescription("RFC 7807 problem (application/problem+json)"))
	item := sp.doc.Paths.Value(path)
	if item == nil {
		item = &openapi3.PathItem{}
		sp.doc.Paths.Set(path, item)
	}
	item.SetOperation(method, op)
	return &routers.Route{Spec: sp.doc, Path: path, PathItem: item, Method: method, Operation: op}
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

// openapi serves the document.
func (sp *spec) serve(c echo.Context) error {
	return c.JSON(http.StatusOK, sp.doc)
}

// addRemaining documents every /api/v1 route not documented while mounting (reads and bodiless
// acts), so the document covers every route.
func (sp *spec) addRemaining(e *echo.Echo) {
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1") || r.Method == echo.RouteNotFound {
			continue
		}
		path := pathParam.ReplaceAllString(r.Path, "{$1}")
		if item := sp.doc.Paths.Value(path); item != nil && item.GetOperation(r.Method) != nil {
			continue
		}
		sp.add(r.Method, r.Path, r.Method+" "+path, nil, nil)
	}
}
