package web

import "github.com/labstack/echo/v4"

// oversightRoutes mounts the oversight dashboard of every decision of the year.
func (w *Web) oversightRoutes(g *echo.Group) {}
