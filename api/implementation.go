package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the implementation stage.
var implementationActs = []act{
	{"execution-unit", workflows.UpdateExecutionUnit, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, "", false},
	{"implementation-report", workflows.UpdateImplementationReport, []procedure.Role{procedure.RoleOfficial}, procedure.ImplementationReport{}, false},
	{"start-evaluation", workflows.UpdateStartEvaluation, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.EvaluationStart{}, false},
	{"evaluation-report", workflows.UpdateEvaluationReport, []procedure.Role{procedure.RoleOfficial}, "", false},
	{"problem-report", workflows.UpdateProblemReport, []procedure.Role{procedure.RoleOfficial}, procedure.ProblemReport{}, false},
	{"public-opinion", workflows.UpdatePublicOpinion, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.PublicOpinion{}, false},
	{"suspend", workflows.UpdateSuspend, []procedure.Role{procedure.RoleHead}, "", false},
	{"resume", workflows.UpdateResume, []procedure.Role{procedure.RoleHead}, "", false},
	{"adjustment", workflows.UpdateAdjustment, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.Adjustment{}, false},
}

func (s *Server) implementationRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcImplementation, implementationActs, implementationState)
}
