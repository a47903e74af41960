package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the start and drafting stages, sent to the Decision workflow.
var draftingActs = []act{
	{"proposal", workflows.UpdateProposal, []procedure.Role{procedure.RoleOfficial, procedure.RoleHead}, procedure.Proposal{}, false},
	{"start-decision", workflows.UpdateStartDecision, []procedure.Role{procedure.RoleHead, procedure.RoleOfficial}, procedure.StartDecision{}, false},
	{"draft", workflows.UpdateDraft, []procedure.Role{procedure.RoleOfficial}, procedure.Draft{}, false},
	{"fair-competition-review", workflows.UpdateFairCompetition, []procedure.Role{procedure.RoleOfficial}, procedure.FairCompetitionReview{}, false},
	{"open-consultation", workflows.UpdateOpenConsultation, []procedure.Role{procedure.RoleOfficial}, nil, false},
}

func (s *Server) draftingRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, draftingActs, decisionTarget)
}
