package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// The submission goes to the Decision workflow, which checks every prerequisite.
var legalitySubmissionActs = []act{
	{"legality-submission", workflows.UpdateLegalitySubmission, []procedure.Role{procedure.RoleOfficial}, procedure.LegalitySubmission{}, false},
}

// Acts of a legality review round.
var legalityActs = []act{
	{"request-materials", workflows.UpdateRequestMaterials, []procedure.Role{procedure.RoleLegalCounsel}, procedure.Return{}, false},
	{"provide-materials", workflows.UpdateProvideMaterials, []procedure.Role{procedure.RoleOfficial}, nil, false},
	{"return-submission", workflows.UpdateReturnSubmission, []procedure.Role{procedure.RoleLegalCounsel}, procedure.Return{}, false},
	{"adviser-opinion", workflows.UpdateAdviserOpinion, []procedure.Role{procedure.RoleLegalAdviser}, procedure.AdviserOpinion{}, true},
	{"countersign", workflows.UpdateCountersign, []procedure.Role{procedure.RoleOfficial, procedure.RoleLegalCounsel, procedure.RoleHead}, nil, false},
	{"legality-opinion", workflows.UpdateLegalityOpinion, []procedure.Role{procedure.RoleLegalCounsel}, procedure.LegalityOpinion{}, true},
}

func (s *Server) legalityRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, legalitySubmissionActs, decisionTarget, "legality", procedure.Decision{})
	s.mountRound(decision, workflows.ProcLegality, legalityActs, procedure.Legality{})
}
