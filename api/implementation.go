package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the implementation stage.
var implementationActs = []act{
	{"execution-unit", workflows.UpdateExecutionUnit, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, ""},
	{"implementation-report", workflows.UpdateImplementationReport, []procedure.Role{procedure.RoleOfficial}, procedure.ImplementationReport{}},
	{"start-evaluation", workflows.UpdateStartEvaluation, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.EvaluationStart{}},
	{"evaluation-report", workflows.UpdateEvaluationReport, []procedure.Role{procedure.RoleOfficial}, ""},
	{"suspend", workflows.UpdateSuspend, []procedure.Role{procedure.RoleHead}, ""},
	{"adjustment", workflows.UpdateAdjustment, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.Adjustment{}},
}

func (s *Server) implementationRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcImplementation, implementationActs)
}
