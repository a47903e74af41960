package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// stranger is an official of another unit, whom the decision does not name.
var stranger = procedure.Actor{ID: "zhang", Name: "张科长", Roles: []procedure.Role{procedure.RoleOfficial}, Unit: "区发改委"}

// TestAssignment_OnlyTheDecisionsOfficials: global roles admit a person to a kind of act; the
// decision's own assignment decides who acts on this decision (Art. 11). An official the
// start decision does not name cannot draft it, open its consultation, publish its notice or
// submit it for review — nothing of theirs is recorded — while its own official can.
func TestAssignment_OnlyTheDecisionsOfficials(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	part := child(workflows.ProcParticipation, 1)
	h.act(p.next(hour), "draft by another unit's official", number, workflows.UpdateDraft, stranger, draft("sha256:other", 0.1), denied)
	h.act(p.next(hour), "consultation opened by a stranger", number, workflows.UpdateOpenConsultation, stranger, struct{}{}, denied)
	h.act(p.next(hour), "open", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice by a stranger", part, workflows.UpdateNotice, stranger, notice("2026-03-02", "2026-04-01"), denied)
	h.act(p.next(hour), "notice", part, workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "panel by a stranger", child(workflows.ProcExpert, 1), workflows.UpdatePanel, stranger, panel(5), denied)
	h.run(p.next(hour))
	for _, a := range h.acts {
		if a.Event.Actor == stranger.ID {
			t.Fatalf("a refused act of a stranger was recorded: %s", a.Event.Kind)
		}
	}
}

// TestAssignment_AdviserWhoDrafted: a legal adviser who drafted the decision cannot advise on
// its legality (Art. 28; R-36).
func TestAssignment_AdviserWhoDrafted(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.consulted()
	drafterAdviser := procedure.Actor{ID: official.ID, Roles: []procedure.Role{procedure.RoleLegalAdviser}}
	h.act(p.next(hour), "submit", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "the drafter advises", rv, workflows.UpdateAdviserOpinion, drafterAdviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, denied)
	h.act(p.next(hour), "an independent adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "d", Signature: "s"}, "")
	h.run(p.next(hour))
}

// TestAssignment_Changed: the head reassigns the decision, with a reason; from then on the new
// official acts for the unit and the old one no longer does; the change is on the record.
func TestAssignment_Changed(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.started()
	h.act(p.next(hour), "by an official", number, workflows.UpdateAssignment, official, procedure.Assignment{Officials: []string{stranger.ID}, Reason: "调岗"}, denied)
	h.act(p.next(hour), "without a reason", number, workflows.UpdateAssignment, head, procedure.Assignment{Officials: []string{stranger.ID}, Reason: "　"}, invalid)
	h.act(p.next(hour), "to nobody", number, workflows.UpdateAssignment, head, procedure.Assignment{Reason: "调岗"}, invalid)
	h.act(p.next(hour), "reassigned", number, workflows.UpdateAssignment, head, procedure.Assignment{Officials: []string{stranger.ID}, Reason: "原承办人调岗"}, "")
	h.act(p.next(hour), "draft by the former official", number, workflows.UpdateDraft, official, draft("sha256:v2", 0.1), denied)
	h.act(p.next(hour), "draft by the new official", number, workflows.UpdateDraft, stranger, draft("sha256:v2", 0.1), "")
	h.run(p.next(hour))
	require.Contains(t, h.kinds(number), "assignment")
}
