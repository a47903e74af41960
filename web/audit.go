package web

import "github.com/labstack/echo/v4"

// auditRoutes mounts the auditor's desk: read only.
func (w *Web) auditRoutes(g *echo.Group) {}
