package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of collective discussion and decision.
var meetingActs = []act{
	{"schedule-meeting", workflows.UpdateScheduleMeeting, []procedure.Role{procedure.RoleMeetingSecretary, procedure.RoleHead}, procedure.Meeting{}, false},
	{"minutes", workflows.UpdateMinutes, []procedure.Role{procedure.RoleMeetingSecretary}, procedure.Minutes{}, true},
	{"approve-minutes", workflows.UpdateApproveMinutes, []procedure.Role{procedure.RoleHead}, nil, false},
}

func (s *Server) meetingRoutes(decision *echo.Group) {
	s.mountActs(decision, decisionPrefix, meetingActs, decisionTarget, "meeting", procedure.Decision{})
}
