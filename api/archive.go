package api

import (
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
}
