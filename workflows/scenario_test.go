package workflows_test

import (
	"fmt"
	"slices"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"
)

func date(s string) procedure.Date {
	d, err := procedure.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// startDecision requires every procedure; fair competition is found not to apply. It names
// the assessing institution and the reviewing office as units, the secretary as a person.
func startDecision() procedure.StartDecision {
	return procedure.StartDecision{
		Units:       []procedure.UndertakingUnit{{Name: "区住建委", Lead: true}, {Name: "区财政局"}},
		Officials:   []string{official.ID},
		Assessors:   []string{assessor.Unit},
		Reviewers:   []string{counsel.Unit},
		Secretaries: []string{secretary.ID},
		DecidedOn:   date("2026-03-02"),
		Document:    "sha256:start",
		Applicability: procedure.Applicability{
			Participation:   procedure.Exemption{Required: true},
			Expert:          procedure.Exemption{Required: true},
			Risk:            procedure.Exemption{Required: true},
			FairCompetition: procedure.Exemption{Required: false, Finding: "不涉及市场主体经济活动"},
		},
	}
}

func draft(doc string, changed float64) procedure.Draft {
	return procedure.Draft{Document: doc, Explanation: "sha256:explanation", ChangedShare: changed}
}

func notice(opens, closes string) procedure.Notice {
	return procedure.Notice{Draft: "sha256:v1", Explanation: "sha256:explanation", HowToComment: "政府网站留言、信函",
		Channels: []string{"区政府网站"}, Opens: date(opens), Closes: date(closes)}
}

func panel(n int) procedure.Panel {
	p := procedure.Panel{Expertise: "城市规划、建筑结构、财政", Representativeness: "覆盖相关领域", Neutrality: "均无利害关系", DifferingViewsInvited: true}
	for i := 1; i <= n; i++ {
		p.Experts = append(p.Experts, procedure.Expert{ID: expert(i).ID, Name: fmt.Sprintf("专家%d", i), Expertise: "规划", ConflictChecked: true})
	}
	return p
}

func opinion() procedure.ExpertOpinion {
	return procedure.ExpertOpinion{Document: "sha256:opinion", Signature: "ed25519:sig"}
}

func riskReport(grade string) procedure.RiskReport {
	return procedure.RiskReport{
		Points:       []procedure.RiskPoint{{Description: "居民对改造费用分摊有异议", Mitigation: "公开分摊方案，逐户沟通"}},
		ResponsePlan: "设立专班处置信访", DepartmentsHeard: []string{"区信访办", "街道办"}, Grade: grade,
		Document: "sha256:risk", Signature: "ed25519:sig",
	}
}

func adoption(comments int) procedure.AdoptionReport {
	return procedure.AdoptionReport{Document: "sha256:adoption", Comments: comments, Adopted: comments}
}

func submission() procedure.LegalitySubmission {
	return procedure.LegalitySubmission{LegalBasis: "《城市房地产管理法》等", UnitOpinion: "sha256:unit-opinion"}
}

func legalOpinion(outcome string) procedure.LegalityOpinion {
	return procedure.LegalityOpinion{Outcome: outcome, Reasons: "符合上位法", Document: "sha256:legality", Signature: "ed25519:sig"}
}

// meeting is an executive meeting of the head and two deputy heads.
func meeting() procedure.Meeting {
	return procedure.Meeting{Kind: procedure.MeetingExecutive, Date: date("2026-04-20"), Head: head.ID, Members: []string{"deputy1", "deputy2", head.ID},
		Offices: map[string]string{"deputy1": procedure.OfficeDeputyHead, "deputy2": procedure.OfficeDeputyHead, head.ID: procedure.OfficeHead}}
}

// minutes of meeting(), every member attending, their views in order, the head's last.
// The head's own view is the decision the head records where that is a position,
// whatever positions says for the head.
func minutes(decision string, positions ...string) procedure.Minutes {
	members := []string{"deputy1", "deputy2", head.ID}
	m := procedure.Minutes{Attended: members, Decision: decision, Document: "sha256:minutes", Signature: "ed25519:sig"}
	for i, p := range positions {
		if members[i] == head.ID && slices.Contains([]string{procedure.DecisionApprove, procedure.DecisionReject, procedure.DecisionRevise}, decision) {
			p = decision
		}
		m.Views = append(m.Views, procedure.View{Member: members[i], Position: p, Opinion: "意见"})
	}
	return m
}

// path is the lawful path of a decision, each step at an offset from the start. Tests replay
// a prefix of it and then try the act a rule is about.
type path struct {
	h      *harness
	offset time.Duration
	// start, if set, is the start decision the path takes instead of startDecision().
	start *procedure.StartDecision
}

func (p *path) next(gap time.Duration) time.Duration { p.offset += gap; return p.offset }

func (p *path) started() *path {
	sd := startDecision()
	if p.start != nil {
		sd = *p.start
	}
	p.h.act(p.next(hour), "start", number, workflows.UpdateStartDecision, head, sd, "")
	p.h.act(p.next(hour), "draft v1", number, workflows.UpdateDraft, official, draft("sha256:v1", 0), "")
	return p
}

// consulted runs the three procedures in parallel on draft 1 and closes them.
func (p *path) consulted() *path {
	p.started()
	h := p.h
	h.comments = 3
	h.act(p.next(hour), "open consultation", number, workflows.UpdateOpenConsultation, official, struct{}{}, "")
	h.act(p.next(hour), "notice", child(workflows.ProcParticipation, 1), workflows.UpdateNotice, official, notice("2026-03-02", "2026-04-01"), "")
	h.act(p.next(hour), "panel", child(workflows.ProcExpert, 1), workflows.UpdatePanel, official, panel(5), "")
	for i := 1; i <= 5; i++ {
		h.act(p.next(hour), fmt.Sprintf("opinion %d", i), child(workflows.ProcExpert, 1), workflows.UpdateExpertOpinion, expert(i), opinion(), "")
	}
	h.act(p.next(hour), "expert report", child(workflows.ProcExpert, 1), workflows.UpdateExpertReport, official, "sha256:expert-report", "")
	h.act(p.next(hour), "risk report", child(workflows.ProcRisk, 1), workflows.UpdateRiskReport, assessor, riskReport("medium"), "")
	h.act(p.next(hour), "risk found controllable", number, workflows.UpdateRiskFinding, head, controllable(), "")
	p.offset = 32 * day // the comment period closes at the end of 04-01
	h.act(p.next(hour), "adoption report", child(workflows.ProcParticipation, 1), workflows.UpdateAdoptionReport, official, adoption(3), "")
	return p
}

// reviewed takes the final draft through a lawful legality review.
func (p *path) reviewed() *path {
	p.consulted()
	h := p.h
	h.act(p.next(hour), "submit for review", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", child(workflows.ProcLegality, 1), workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "sha256:adv", Signature: "ed25519:sig"}, "")
	h.act(p.next(hour), "legality opinion", child(workflows.ProcLegality, 1), workflows.UpdateLegalityOpinion, counsel, legalOpinion(procedure.OutcomeLawful), "")
	return p
}

// decided holds the meeting and approves the draft.
func (p *path) decided() *path {
	p.reviewed()
	h := p.h
	h.act(p.next(hour), "schedule meeting", number, workflows.UpdateScheduleMeeting, secretary, meeting(), "")
	h.act(p.next(hour), "minutes", number, workflows.UpdateMinutes, secretary, minutes(procedure.DecisionApprove, "approve", "approve", "approve"), "")
	h.act(p.next(hour), "approve minutes", number, workflows.UpdateApproveMinutes, head, struct{}{}, "")
	return p
}

// agreed is the Party committee's answer agreeing to the decision.
// controllable is the head's finding that the assessed risk is controllable (Art. 24).
func controllable() procedure.RiskFinding {
	return procedure.RiskFinding{Controllable: true, Basis: "防范化解措施可行，风险可控"}
}

func agreed() procedure.PartyAnswer {
	return procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "sha256:party-answer"}
}

// archived reports the decision to the Party committee, which agrees, publishes and archives
// it; a resident's opinion on the decision in force is then on record.
func (p *path) archived() *path {
	p.decided()
	h := p.h
	h.act(p.next(hour), "party report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{ReportedOn: date("2026-04-21"), Document: "sha256:party"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	h.act(p.next(hour), "publication", number, workflows.UpdatePublication, official,
		procedure.Publication{Channels: []string{"区政府公报", "区政府网站"}, PublishedOn: date("2026-04-22"), Document: "sha256:pub", OpinionsExplanation: "采纳情况见附件"}, "")
	h.act(p.next(hour), "archive", number, workflows.UpdateArchive, official, procedure.ArchiveHandover{Dossier: "sha256:dossier", ReceivedBy: "区档案馆"}, "")
	h.act(p.next(hour), "a resident writes in", child(workflows.ProcImplementation, 1), workflows.UpdatePublicOpinion, official, publicOpinion(), "")
	return p
}

// publicOpinion is a resident's letter on the decision in force (Art. 35 ¶2); one on record
// grounds an evaluation on the public-opinion trigger.
func publicOpinion() procedure.PublicOpinion {
	return procedure.PublicOpinion{Channel: "信件", Summary: "改造施工影响出行，希望调整施工时段"}
}

// exploratory takes the final draft through a legality review that finds an exploratory
// reform and states its legal risks.
func (p *path) exploratory(risks string) *path {
	h := p.h
	rv := child(workflows.ProcLegality, 1)
	h.act(p.next(hour), "submit for review", number, workflows.UpdateLegalitySubmission, official, submission(), "")
	h.act(p.next(hour), "adviser", rv, workflows.UpdateAdviserOpinion, adviser, procedure.AdviserOpinion{Document: "sha256:adv", Signature: "ed25519:sig"}, "")
	o := legalOpinion(procedure.OutcomeExploratory)
	o.LegalRisks = risks
	h.act(p.next(hour), "exploratory opinion", rv, workflows.UpdateLegalityOpinion, counsel, o, "")
	return p
}
