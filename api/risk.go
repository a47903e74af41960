package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of a risk assessment round.
var riskActs = []act{
	{"risk-report", workflows.UpdateRiskReport, []procedure.Role{procedure.RoleRiskAssessor}, procedure.RiskReport{}, true},
}

func (s *Server) riskRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcRisk, riskActs)
}
