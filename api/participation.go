package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of a public participation round.
var participationActs = []act{
	{"notice", workflows.UpdateNotice, []procedure.Role{procedure.RoleOfficial}, procedure.Notice{}, false},
	{"extend-period", workflows.UpdateExtendPeriod, []procedure.Role{procedure.RoleOfficial}, procedure.Date{}, false},
	{"hearing", workflows.UpdateHearing, []procedure.Role{procedure.RoleOfficial}, procedure.Hearing{}, false},
	// The groups the decision specifically affects are heard (Art. 14 ¶3).
	{"group-consultation", workflows.UpdateGroupConsultation, []procedure.Role{procedure.RoleOfficial}, procedure.GroupConsultation{}, false},
	{"hearing-materials", workflows.UpdateHearingMaterials, []procedure.Role{procedure.RoleOfficial}, procedure.HearingMaterials{}, false},
	// Hearing participants are members of the public: any signed-in person but an auditor.
	{"confirm-hearing", workflows.UpdateConfirmHearing, nil, workflows.HearingConfirmation{}, true},
}

func (s *Server) participationRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcParticipation, participationActs, procedure.Participation{})
}
