package api

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

// methods knows, for a path no route of the request's method serves, which methods do: the
// router answers such a request as not found, because a group's middleware catches every path
// below it, and the caller deserves 405 with Allow instead.
type methods struct {
	once   sync.Once
	routes []routePattern
}

type routePattern struct {
	method string
	path   *regexp.Regexp
}

// allowed returns the methods whose routes serve path, sorted.
func (m *methods) allowed(e *echo.Echo, path string) []string {
	m.once.Do(func() {
		param := regexp.MustCompile(`:[^/]+`)
		for _, r := range e.Routes() {
			if strings.HasSuffix(r.Path, "*") || r.Method == echo.RouteNotFound || r.Method == "echo_route_not_found" {
				continue
			}
			expr := "^" + param.ReplaceAllString(regexp.QuoteMeta(r.Path), `[^/]+`) + "$"
			m.routes = append(m.routes, routePattern{r.Method, regexp.MustCompile(strings.ReplaceAll(expr, `\:`, `:`))})
		}
	})
	var out []string
	for _, r := range m.routes {
		if r.path.MatchString(path) && !slices.Contains(out, r.method) {
			out = append(out, r.method)
		}
	}
	slices.Sort(out)
	return out
}

// wrongMethod turns the router's not found into 405 with Allow when another method serves the
// path (a GET sent to an act, which takes POST).
func (s *Server) wrongMethod(err error, c echo.Context) error {
	var he *echo.HTTPError
	if !errors.As(err, &he) || he.Code != http.StatusNotFound || c.Path() != "" && !strings.HasSuffix(c.Path(), "*") {
		return err
	}
	allow := s.methods.allowed(c.Echo(), c.Request().URL.Path)
	if len(allow) == 0 || slices.Contains(allow, c.Request().Method) {
		return err
	}
	c.Response().Header().Set("Allow", strings.Join(allow, ", "))
	return &procedure.Error{Code: procedure.EMalformed, Message: "该资源不支持 " + c.Request().Method + " 请求，请使用 " + strings.Join(allow, "、"),
		MessageEN: "this resource does not take " + c.Request().Method + "; use " + strings.Join(allow, ", ")}
}
