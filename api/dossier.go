package api

import (
	"bytes"
	"context"
	"net/http"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// dossier answers the decision's archive as a ZIP that verifies offline (see audit.Dossier).
func (s *Server) dossier(c echo.Context) error {
	return s.sendDossier(c, "-dossier.zip", s.buildDossier)
}

// sendDossier answers the dossier build makes of the :number decision as a ZIP download named
// with suffix, with its manifest's hash in a header.
func (s *Server) sendDossier(c echo.Context, suffix string, build func(context.Context, string) (audit.Dossier, error)) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	d, err := build(c.Request().Context(), number)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	sum, err := d.Write(&buf)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+number+suffix+`"`)
	h.Set("Dossier-Manifest-SHA256", sum)
	return c.Blob(http.StatusOK, "application/zip", buf.Bytes())
}

func (s *Server) buildDossier(ctx context.Context, number string) (audit.Dossier, error) {
	return s.ledger.Build(ctx, s.store, number, s.history)
}

// history returns a workflow's event history as JSON.
func (s *Server) history(ctx context.Context, workflowID string) ([]byte, error) {
	return workflows.HistoryJSON(ctx, s.temporal, workflowID)
}
