package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the start and drafting stages, sent to the Decision workflow.
var draftingActs = []act{
	{"proposal", workflows.UpdateProposal, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.Proposal{}},
	{"start-decision", workflows.UpdateStartDecision, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.StartDecision{}},
	{"draft", workflows.UpdateDraft, []procedure.Role{procedure.RoleOfficial}, procedure.Draft{}},
	{"fair-competition-review", workflows.UpdateFairCompetition, []procedure.Role{procedure.RoleOfficial}, procedure.FairCompetitionReview{}},
	{"open-consultation", workflows.UpdateOpenConsultation, []procedure.Role{procedure.RoleOfficial}, nil},
}

func (s *Server) draftingRoutes(decision *echo.Group) {
	s.mountActs(decision, draftingActs, decisionTarget)
}
