package api

import (
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// Acts of collective discussion and decision.
var meetingActs = []act{
	{"schedule-meeting", workflows.UpdateScheduleMeeting, []procedure.Role{procedure.RoleMeetingSecretary, procedure.RoleHead}, procedure.Meeting{}},
	{"minutes", workflows.UpdateMinutes, []procedure.Role{procedure.RoleMeetingSecretary}, procedure.Minutes{}},
	{"approve-minutes", workflows.UpdateApproveMinutes, []procedure.Role{procedure.RoleHead}, nil},
}

func (s *Server) meetingRoutes(decision *echo.Group) {
	s.mountActs(decision, meetingActs, decisionTarget)
}
