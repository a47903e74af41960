package api

import (
	"context"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the archive stage.
var archiveActs = []act{
	{"archive-handover", workflows.UpdateArchive, []procedure.Role{procedure.RoleOfficial}, procedure.ArchiveHandover{}, false},
}

func (s *Server) archiveRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, archiveActs, decisionTarget, "archive", procedure.Decision{})
	if s.ledger != nil {
		decision.GET("/dossier/supplement", s.dossierSupplement)
		s.spec.get(decisionPrefix+"/dossier/supplement", "卷宗补充件 / the dossier's supplement, a ZIP that verifies offline", download{"application/zip"})
	}
}

// dossierSupplement answers the supplement to the decision's archive as a ZIP that verifies
// offline: what the ledger recorded of the decision since the dossier the archive received
// (see audit.Ledger.BuildSupplement).
func (s *Server) dossierSupplement(c echo.Context) error {
	return s.sendDossier(c, "-dossier-supplement.zip", func(ctx context.Context, number string) (audit.Dossier, error) {
		return s.ledger.BuildSupplement(ctx, s.store, number, s.history)
	})
}
