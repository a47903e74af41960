package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of the Party-committee report, the committee's answer and publication.
var publicationActs = []act{
	{"party-report", workflows.UpdatePartyReport, []procedure.Role{procedure.RolePartyLiaison}, procedure.PartyReport{}, false},
	{"party-answer", workflows.UpdatePartyAnswer, []procedure.Role{procedure.RolePartyLiaison}, procedure.PartyAnswer{}, false},
	// Whether the decision is not disclosable by law is the organ's finding; only the head changes it.
	{"disclosure-finding", workflows.UpdateDisclosureFinding, []procedure.Role{procedure.RoleHead}, procedure.DisclosureFinding{}, false},
	{"publication", workflows.UpdatePublication, []procedure.Role{procedure.RoleOfficial}, procedure.Publication{}, false},
}

func (s *Server) publicationRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, publicationActs, decisionTarget, "publication", procedure.Decision{})
}
