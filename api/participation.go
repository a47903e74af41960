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
	// Hearing participants are members of the public: any signed-in person but an auditor.
	{"confirm-hearing", workflows.UpdateConfirmHearing, nil, workflows.HearingConfirmation{}, true},
	{"adoption-report", workflows.UpdateAdoptionReport, []procedure.Role{procedure.RoleOfficial}, procedure.AdoptionReport{}, false},
}

func (s *Server) participationRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcParticipation, participationActs)
}

// decisionPrefix is the path of the decision group.
const decisionPrefix = "/api/v1/decisions/:number"

// mountRound adds the read and act routes of a procedure's rounds under
// /decisions/:number/{proc}/:round.
func (s *Server) mountRound(decision *echo.Group, proc string, acts []act) {
	g := decision.Group("/" + proc + "/:round")
	target := roundTarget(proc)
	g.GET("", s.workflowQuery(target, workflows.QueryState))
	g.GET("/tasks", s.workflowQuery(target, workflows.QueryTasks))
	s.mountActs(g, decisionPrefix+"/"+proc+"/:round", acts, target)
}
