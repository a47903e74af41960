package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of an expert argumentation round.
var expertActs = []act{
	{"panel", workflows.UpdatePanel, []procedure.Role{procedure.RoleOfficial}, procedure.Panel{}, false},
	{"expert-opinion", workflows.UpdateExpertOpinion, []procedure.Role{procedure.RoleExpert}, procedure.ExpertOpinion{}, true},
	{"expert-report", workflows.UpdateExpertReport, []procedure.Role{procedure.RoleOfficial}, "", false},
}

func (s *Server) expertRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcExpert, expertActs, procedure.Argumentation{})
}
