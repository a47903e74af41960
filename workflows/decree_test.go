package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// Steps of Decree 713 the procedure had no act for (issue 13, item 10): the departments
// concerned consulted during drafting (Art. 13), the groups specifically affected (Art. 14
// ¶3), the expert pool (Arts. 21, 41) and decisions started from the annual catalog. Each test
// tries the unlawful act, refused with the rule named and nothing recorded, then the lawful one.

// TestR18_DepartmentsConsulted: the undertaking unit records the departments it consulted,
// each one's opinion and how a disagreement was settled; the draft goes to legality review
// only with every disagreement settled, by agreement or by the decision organ (Art. 13).
func TestR18_DepartmentsConsulted(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	stranger := procedure.Actor{ID: "ma", Roles: []procedure.Role{procedure.RoleOfficial}, Unit: "区交通局"}
	open := procedure.DepartmentConsultation{Opinions: []procedure.DepartmentOpinion{
		{Department: "区财政局", Opinion: "sha256:finance"},
		{Department: "区规划资源局", Opinion: "sha256:planning", Disagrees: true},
	}}
	h.act(p.next(hour), "another unit's official", number, workflows.UpdateDepartmentConsultation, stranger, open, denied)
	voted := procedure.DepartmentConsultation{Opinions: []procedure.DepartmentOpinion{
		{Department: "区规划资源局", Opinion: "sha256:planning", Disagrees: true, Settlement: &procedure.Settlement{How: "vote", Document: "sha256:vote"}},
	}}
	h.act(p.next(hour), "settled otherwise", number, workflows.UpdateDepartmentConsultation, official, voted, invalid)
	blank := procedure.DepartmentConsultation{Opinions: []procedure.DepartmentOpinion{{Department: "　", Opinion: "sha256:x"}}}
	h.act(p.next(hour), "blank department", number, workflows.UpdateDepartmentConsultation, official, blank, invalid)
	h.act(p.next(hour), "departments consulted", number, workflows.UpdateDepartmentConsultation, official, open, "")
	h.act(p.next(hour), "submit with a disagreement open", number, workflows.UpdateLegalitySubmission, official, submission(), precondition)
	settled := procedure.DepartmentConsultation{Opinions: []procedure.DepartmentOpinion{
		{Department: "区规划资源局 ", Opinion: "sha256:planning", Disagrees: true, Settlement: &procedure.Settlement{How: procedure.SettledByOrgan, Document: "sha256:organ-decides"}},
	}}
	h.act(p.next(hour), "disagreement referred and decided", number, workflows.UpdateDepartmentConsultation, official, settled, "")
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	var rec procedure.Record
	h.at(p.next(hour), func() { rec = h.record() })
	h.run(p.next(hour))

	refusedBy(t, h, "another unit's official", "R-01")
	refusedBy(t, h, "settled otherwise", "R-18")
	refusedBy(t, h, "blank department", "R-18")
	refusedBy(t, h, "submit with a disagreement open", "R-18")
	require.Equal(t, 2, recorded(h, number, "department_consultation"), "only the lawful consultations are on the record")
	require.Equal(t, 1, recorded(h, number, "legality_submission"))
	require.Empty(t, rec.OpenDisagreements())
	require.Len(t, rec.Departments, 3)
	require.Equal(t, 1, rec.Departments[0].DraftVersion)
}
