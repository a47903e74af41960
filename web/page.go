package web

import (
	"context"
	"decisionflow/procedure"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// pageData is what every page's frame shows.
type pageData struct {
	// Title is the page's title.
	Title Text
	// Actor is the signed-in person, if any.
	Actor procedure.Actor
	// CSRF is the session's token, which every form posts.
	CSRF string
	// Path is the page's path, to come back to after a language switch.
	Path string
	// Flash is a one-time message from the previous request.
	Flash Text
	// Drill marks a page about a drill (演练): a banner says so.
	Drill bool
}

func (w *Web) page(c echo.Context, title Text) pageData {
	tok := w.csrfToken(c)
	c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), csrfKey{}, tok)))
	return pageData{Title: title, Actor: w.actor(c), CSRF: tok, Path: c.Request().URL.RequestURI(), Flash: w.popFlash(c)}
}

// render writes a component as the page's HTML.
func (w *Web) render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// fragment renders a component for htmx, which swaps it into the page.
func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// roleNames are the roles as people call them.
var roleNames = map[procedure.Role]Text{
	procedure.RoleHead:             T("行政首长", "head"),
	procedure.RoleOfficial:         T("承办单位工作人员", "official"),
	procedure.RoleLegalCounsel:     T("合法性审查机构", "legal counsel"),
	procedure.RoleLegalAdviser:     T("法律顾问", "legal adviser"),
	procedure.RoleExpert:           T("专家", "expert"),
	procedure.RoleRiskAssessor:     T("风险评估人员", "risk assessor"),
	procedure.RoleMeetingSecretary: T("会议秘书", "meeting secretary"),
	procedure.RolePartyLiaison:     T("党委联络员", "Party liaison"),
	procedure.RoleAuditor:          T("审计监督人员", "auditor"),
	procedure.RoleAdmin:            T("系统管理员", "administrator"),
}

func roleName(r procedure.Role) Text {
	if t, ok := roleNames[r]; ok {
		return t
	}
	return T(string(r), string(r))
}
