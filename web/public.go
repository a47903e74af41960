package web

import "github.com/labstack/echo/v4"

// publicRoutes mounts the public's consultation site: no account, no session.
func (w *Web) publicRoutes(g *echo.Group) {}
