package api

import (
	"bytes"
	"net/http"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the archive stage.
var archiveActs = []act{
	{"archive-handover", workflows.UpdateArchive, []procedure.Role{procedure.RoleOfficial}, procedure.ArchiveHandover{}, false},
}

func (s *Server) archiveRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, archiveActs, decisionTarget)
	if s.ledger != nil {
		decision.GET("/dossier/supplement", s.dossierSupplement)
	}
}

// dossierSupplement answers the supplement to the decision's archive as a ZIP that verifies
// offline: what the ledger recorded of the decision since the dossier the archive received
// (see audit.Ledger.BuildSupplement).
func (s *Server) dossierSupplement(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	d, err := s.ledger.BuildSupplement(c.Request().Context(), s.store, number, s.history)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	sum, err := d.Write(&buf)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+number+`-dossier-supplement.zip"`)
	h.Set("Dossier-Manifest-SHA256", sum)
	return c.Blob(http.StatusOK, "application/zip", buf.Bytes())
}
