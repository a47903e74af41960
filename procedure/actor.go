package procedure

import "slices"

// Role is what a person may do in the procedure, granted globally; per-decision assignments
// (undertaking unit, reviewers, panel, meeting members) narrow it further.
type Role string

// The roles of decisionflow.
const (
	// RoleOfficial initiates and runs decisions for an undertaking unit.
	RoleOfficial Role = "official"
	// RoleLegalCounsel performs the legality review (the legal office).
	RoleLegalCounsel Role = "legal_counsel"
	// RoleLegalAdviser gives a legal adviser's or public lawyer's opinion.
	RoleLegalAdviser Role = "legal_adviser"
	// RoleExpert gives an expert opinion.
	RoleExpert Role = "expert"
	// RoleRiskAssessor files the risk assessment.
	RoleRiskAssessor Role = "risk_assessor"
	// RoleMeetingSecretary records the meeting and its minutes.
	RoleMeetingSecretary Role = "meeting_secretary"
	// RoleHead presides over the meeting and decides.
	RoleHead Role = "head"
	// RolePartyLiaison records the report to the Party committee.
	RolePartyLiaison Role = "party_liaison"
	// RoleAuditor reads everything and changes nothing.
	RoleAuditor Role = "auditor"
	// RoleAdmin manages users and settings.
	RoleAdmin Role = "admin"
)

// Actor is the authenticated person behind an act.
type Actor struct {
	// ID identifies the person, stable across sessions.
	ID string `json:"id"`
	// Name is shown in records.
	Name string `json:"name"`
	// Roles are the person's global roles.
	Roles []Role `json:"roles"`
	// Unit is the organ or department the person belongs to.
	Unit string `json:"unit,omitempty"`
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// requireRole returns an EPermissionDenied error unless the actor holds one of roles.
func requireRole(a Actor, act string, roles ...Role) error {
	if a.ID == "" {
		return Errorf(EUnauthenticated, "办理行为“%s”缺少办理人", "act %q has no actor", act)
	}
	for _, r := range roles {
		if a.Has(r) {
			return nil
		}
	}
	return Errorf(EPermissionDenied, "%s 无权办理“%s”（需要角色 %v）", "%s may not perform %q (needs one of %v)", a.ID, act, roles)
}
