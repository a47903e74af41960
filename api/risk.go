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

// riskFindingActs: the decision organ finds the assessed risk controllable or not (Art. 24).
var riskFindingActs = []act{
	{"risk-finding", workflows.UpdateRiskFinding, []procedure.Role{procedure.RoleHead}, procedure.RiskFinding{}, false},
}

func (s *Server) riskRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcRisk, riskActs, procedure.Assessment{})
	s.mountActs(decision, decisionPrefix, riskFindingActs, decisionTarget, "risk", procedure.Decision{})
}
