package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/client"
)

// Readiness is the body of /readyz: the verdict and one line per dependency.
type Readiness struct {
	// Status is "ready" or "not_ready".
	Status string `json:"status"`
	// Checks maps each dependency (temporal, database, migrations) to "ok" or the problem.
	Checks map[string]string `json:"checks"`
}

// healthz answers while the process serves HTTP; it checks nothing else, so an orchestrator
// restarts the process only when it is truly stuck.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the workflow engine and the database answer and the database
// schema is current; otherwise 503 with the failing checks.
func (s *Server) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	r := Readiness{Status: "ready", Checks: map[string]string{
		"temporal":   s.check(ctx, s.checkTemporal),
		"database":   s.check(ctx, s.store.Ping),
		"migrations": s.check(ctx, s.checkMigrations),
	}}
	for _, v := range r.Checks {
		if v != "ok" {
			r.Status = "not_ready"
			return c.JSON(http.StatusServiceUnavailable, r)
		}
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) check(ctx context.Context, f func(context.Context) error) string {
	ctx, cancel := context.WithTimeout(ctx, s.checkTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		return err.Error()
	}
	return "ok"
}

func (s *Server) checkTemporal(ctx context.Context) error {
	_, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

func (s *Server) checkMigrations(ctx context.Context) error {
	st, err := s.store.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if !st.UpToDate() {
		return fmt.Errorf("pending: %s", strings.Join(st.Pending, ", "))
	}
	return nil
}
