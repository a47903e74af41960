package workflows_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
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

// TestR10_SpecificGroupsHeard: where the start decision finds that the decision specifically
// affects a group, or the notice says so, the round records how each group was heard and its
// opinions, and the adoption report waits for them (Art. 14 ¶3).
func TestR10_SpecificGroupsHeard(t *testing.T) {
	h, p := newPath(t, "national-2019")
	sd := startDecision()
	sd.Applicability.Participation.AffectedGroups = []string{"改造小区居民"}
	h.act(p.next(hour), "start", number, workflows.UpdateStartDecision, head, sd, "")
	h.act(p.next(hour), "draft v1", number, workflows.UpdateDraft, official, draft("sha256:v1", 0), "")
	h.comments = 3
	pc := child(workflows.ProcParticipation, 1)
	h.act(p.next(hour), "open consultation", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	n := notice("2026-03-02", "2026-04-01")
	n.AffectedGroups = []string{"沿街商户"}
	h.act(p.next(hour), "notice", pc, workflows.UpdateNotice, official, n, "")
	residents := procedure.GroupConsultation{Group: "改造小区居民", Method: "入户走访、座谈会", Opinions: "sha256:residents"}
	h.act(p.next(hour), "residents heard", pc, workflows.UpdateGroupConsultation, official, residents, "")
	h.act(p.next(hour), "no method", pc, workflows.UpdateGroupConsultation, official, procedure.GroupConsultation{Group: "沿街商户", Method: " ", Opinions: "sha256:shops"}, invalid)
	p.offset = 32 * day // the comment period closes at the end of 04-01
	h.act(p.next(hour), "report before the shops are heard", pc, workflows.UpdateAdoptionReport, official, adoption(3), precondition)
	var tasks []procedure.Task
	h.at(p.next(hour), func() {
		st := childState[procedure.Participation](h, pc)
		tasks = st.Tasks()
	})
	h.act(p.next(hour), "shops heard", pc, workflows.UpdateGroupConsultation, official, procedure.GroupConsultation{Group: "沿街商户", Method: "座谈会", Opinions: "sha256:shops"}, "")
	h.act(p.next(hour), "adoption report", pc, workflows.UpdateAdoptionReport, official, adoption(3), "")
	h.run(p.next(hour))

	refusedBy(t, h, "no method", "R-10")
	refusedBy(t, h, "report before the shops are heard", "R-10")
	require.ErrorContains(t, h.results["report before the shops are heard"], "沿街商户")
	require.Equal(t, 2, recorded(h, pc, "group_consultation"))
	require.Equal(t, 1, recorded(h, pc, "adoption_report"))
	require.Contains(t, taskActs(tasks), "group_consultation")
}

func taskActs(tasks []procedure.Task) []string {
	var out []string
	for _, t := range tasks {
		out = append(out, t.Act)
	}
	return out
}

// TestR02_ProposalFromCatalog: a decision started from an item of the annual catalog is
// checked against the catalog the store holds: an item never published, or withdrawn by a
// later consented version, is refused; an item stays listed until the version that withdraws
// it has the Party committee's consent (Art. 3; ).
func TestR02_ProposalFromCatalog(t *testing.T) {
	cat := catalogHarness(t)
	id := workflows.CatalogID("baodi", 2026)
	consent := func(doc string) procedure.PartyConsent {
		return procedure.PartyConsent{Document: doc, ConsentedOn: date("2026-03-01")}
	}
	cat.act(hour, "item 1", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-01", Title: "老旧小区改造", Unit: "区住建委"}, "")
	cat.act(2*hour, "item 2", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-02", Title: "停车设施", Unit: "区交通局"}, "")
	cat.act(3*hour, "version 1", id, workflows.UpdatePublishCatalog, head, consent("sha256:consent1"), "")
	cat.act(5*hour, "withdraw without reason", id, workflows.UpdateWithdrawCatalogItem, head, procedure.CatalogWithdrawal{Item: "2026-02", Reason: "　"}, invalid)
	cat.act(6*hour, "withdraw item 2", id, workflows.UpdateWithdrawCatalogItem, head, procedure.CatalogWithdrawal{Item: "2026-02", Reason: "上级统筹实施"}, "")
	var pending procedure.Catalog
	cat.at(7*hour, func() { pending = childState[procedure.Catalog](cat, id) })
	cat.act(8*hour, "withdraw it again", id, workflows.UpdateWithdrawCatalogItem, head, procedure.CatalogWithdrawal{Item: "2026-02", Reason: "上级统筹实施"}, conflict)
	cat.act(9*hour, "version 2", id, workflows.UpdatePublishCatalog, head, consent("sha256:consent2"), "")
	cat.act(10*hour, "item 3, unpublished", id, workflows.UpdateCatalogItem, official, procedure.CatalogItem{ID: "2026-03", Title: "公交线网", Unit: "区交通局"}, "")
	runCatalog(cat, 11*hour)
	refusedBy(t, cat, "withdraw without reason", "R-03")
	require.True(t, pending.Listed("2026-02"), "a withdrawal waits for the next consented version")

	fromCatalog := func(item string) procedure.Proposal {
		return procedure.Proposal{Source: procedure.SourceCatalog, Catalog: id, CatalogItem: item}
	}
	for _, tc := range []struct{ name, item, want string }{
		{"ErrUnpublished", "2026-03", precondition},
		{"ErrWithdrawn", "2026-02", precondition},
		{"Listed", "2026-01", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, p := newPath(t, "national-2019")
			withRecordOf(h, cat.acts)
			h.act(p.next(hour), "proposal", number, workflows.UpdateProposal, official, fromCatalog(tc.item), tc.want)
			h.run(p.next(hour))
			if tc.want != "" {
				refusedBy(t, h, "proposal", "R-02")
				require.Zero(t, recorded(h, number, "proposal"), "a refused proposal leaves nothing recorded")
				return
			}
			require.Equal(t, 1, recorded(h, number, "proposal"))
		})
	}
}

// withRecordOf lets the decision's activities read other workflows' records (a catalog's, an
// expert pool's) from acts, as the real activities read them from the store.
func withRecordOf(h *harness, acts []procedure.ActRecord) {
	of := func(id string) []procedure.ActRecord {
		var out []procedure.ActRecord
		for _, a := range acts {
			if a.WorkflowID == id {
				out = append(out, a)
			}
		}
		return out
	}
	h.env.RegisterActivityWithOptions(func(_ context.Context, id string) (procedure.Catalog, error) {
		return procedure.CatalogFromRecord(of(id))
	}, activity.RegisterOptions{Name: workflows.ActivityCatalogState})
	h.env.RegisterActivityWithOptions(func(_ context.Context, id string) (procedure.ExpertPool, error) {
		return procedure.ExpertPoolFromRecord(of(id))
	}, activity.RegisterOptions{Name: workflows.ActivityExpertPoolState})
}

// TestR14_PanelFromPool: the decision organ admits experts to its pool with their field and a
// declaration of independence, and removes one for a false declaration, who may not come back
// (Art. 41); a panel of a decision of that organ holds only experts of the pool, not removed
// (Art. 21). The refusal comes from the act's handler, which reads the pool, and leaves
// nothing recorded.
func TestR14_PanelFromPool(t *testing.T) {
	pool := newHarness(t, "national-2019")
	id := workflows.PoolID("baodi")
	pool.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue})
	for i := 1; i <= 6; i++ {
		e := procedure.PoolExpert{ID: expert(i).ID, Name: fmt.Sprintf("专家%d", i), Field: "城市规划", Declaration: "sha256:declaration"}
		pool.act(time.Duration(i)*hour, fmt.Sprintf("admit %d", i), id, workflows.UpdateAdmitExpert, official, e, "")
	}
	pool.act(7*hour, "no declaration", id, workflows.UpdateAdmitExpert, official, procedure.PoolExpert{ID: "expert7", Name: "专家7", Field: "财政"}, invalid)
	pool.act(8*hour, "false declaration unfounded", id, workflows.UpdateRemoveExpert, head, procedure.PoolRemoval{Expert: "expert6", Reason: "隐瞒利害关系", FalseDeclaration: true}, invalid)
	pool.act(9*hour, "removed for a false declaration", id, workflows.UpdateRemoveExpert, head,
		procedure.PoolRemoval{Expert: "expert6", Reason: "隐瞒与项目施工单位的利害关系", FalseDeclaration: true, Document: "sha256:finding"}, "")
	pool.act(10*hour, "admitted again", id, workflows.UpdateAdmitExpert, official, procedure.PoolExpert{ID: "expert6", Name: "专家6", Field: "城市规划", Declaration: "sha256:new"}, denied)
	pool.env.RegisterDelayedCallback(func() { pool.env.CancelWorkflow() }, 11*hour)
	pool.env.ExecuteWorkflow(workflows.WorkflowExpertPool, workflows.ExpertPoolInput{Organ: "baodi"})
	pool.check()
	refusedBy(t, pool, "no declaration", "R-14")
	refusedBy(t, pool, "admitted again", "R-14")
	require.Equal(t, 1, recorded(pool, id, procedure.KindExpertRemoved))

	h, p := newPath(t, "national-2019")
	withRecordOf(h, pool.acts)
	p.started()
	h.act(p.next(hour), "open consultation", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	withRemoved := panel(5)
	withRemoved.Experts[4].ID = "expert6"
	h.act(p.next(hour), "panel with a removed expert", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, withRemoved, invalid)
	outsider := panel(5)
	outsider.Experts[4].ID = "expert9"
	h.act(p.next(hour), "panel with an expert outside the pool", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, outsider, invalid)
	h.act(p.next(hour), "panel from the pool", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(5), "")
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, p.next(hour))
	h.env.ExecuteWorkflow(workflows.WorkflowDecision, workflows.DecisionInput{Number: number, Title: "宝坻区老旧小区改造实施方案", Rulebook: h.rulebook, Organ: "baodi"})
	h.check()

	refusedBy(t, h, "panel with a removed expert", "R-14")
	refusedBy(t, h, "panel with an expert outside the pool", "R-14")
	require.Equal(t, 1, recorded(h, child(workflows.ProcExpert, 1), "expert_panel"), "only the panel from the pool is on the record")
}
