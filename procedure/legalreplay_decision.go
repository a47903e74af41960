package procedure

import (
	"encoding/json"
	"strconv"
	"strings"
)

// The decision workflow's own record, rebuilt. Its acts are applied in seq order through the
// same Record.Check… and Record.Apply… the workflow's validators and handlers use; each act is
// checked first on the record rebuilt so far, then applied, so one refused act does not make
// every later one look refused too. The engine's events that feed the record — a round's
// completion with its outcome, the legality review's outcome, an adjustment, the dossier — are
// applied as the workflow applied them; its other events (reminders, escalations, events an
// apply writes itself) change nothing.

// decisionStep is how the replay takes one kind of the decision's acts: the rule the act
// serves (which a refusal naming no rule breaks) and what taking it does.
type decisionStep struct {
	rule string
	take func(d *rebuild, a ActRecord) error
}

// rebuild is the decision's record as the replay rebuilds it.
type rebuild struct {
	r   *replay
	rec *Record
	// reports are the rounds' reports by workflow ID, as each round returned it to the decision.
	reports map[string]string
}

// newRebuild opens the rebuilt record of decision number under the replay's rulebook.
func newRebuild(r *replay, number string, reports map[string]string) *rebuild {
	return &rebuild{r: r, rec: NewRecord(Decision{Number: number, Stage: StageStart}, r.rb, nil), reports: reports}
}

// step takes an act with payload T, by an actor with the roles its route allows: check, then
// apply. A payload that cannot be read breaks R-35 and changes nothing.
func step[T any](rule string, roles []Role, check func(d *rebuild, who Actor, v T, a ActRecord) error,
	apply func(d *rebuild, who Actor, v T, a ActRecord)) decisionStep {
	return decisionStep{rule: rule, take: func(d *rebuild, a ActRecord) error {
		v, err := payloadOf[T](a)
		if err != nil {
			return err
		}
		who := actor(a, roles...)
		err = check(d, who, v, a)
		apply(d, who, v, a)
		return err
	}}
}

// payloadOf reads an act's recorded payload; an act without one reads as empty.
func payloadOf[T any](a ActRecord) (T, error) {
	var v T
	if _, none := any(v).(struct{}); none {
		return v, nil
	}
	if err := json.Unmarshal([]byte(a.Payload), &v); err != nil {
		return v, ruleError(EInvalid, "R-35", "记录的办理内容无法解读：%v", "the recorded payload cannot be read: %v", err)
	}
	return v, nil
}

var (
	byOfficial = []Role{RoleOfficial}
	byHead     = []Role{RoleHead}
	byLiaison  = []Role{RolePartyLiaison}
)

// decisionSteps are the decision workflow's acts, by the event kind each records, with the
// Check and Apply its Update runs (workflows/drafting.go, legality.go, meeting.go,
// publication.go, archive.go) and the roles its route allows (api/*.go).
var decisionSteps = map[string]decisionStep{
	"proposal": step("R-02", []Role{RoleOfficial, RoleHead},
		func(d *rebuild, who Actor, p Proposal, _ ActRecord) error { return d.rec.CheckProposal(who, p) },
		func(d *rebuild, who Actor, p Proposal, a ActRecord) { d.rec.ApplyProposal(who, p, a.Event.At) }),
	"start_decision": step("R-01", byHead,
		func(d *rebuild, who Actor, s StartDecision, _ ActRecord) error {
			return d.rec.CheckStartDecision(who, s)
		},
		func(d *rebuild, who Actor, s StartDecision, a ActRecord) {
			d.rec.ApplyStartDecision(who, s, a.Event.At)
		}),
	"assignment": step("R-01", byHead,
		func(d *rebuild, who Actor, s Assignment, _ ActRecord) error { return d.rec.CheckAssignment(who, s) },
		func(d *rebuild, who Actor, s Assignment, a ActRecord) {
			if d.rec.Start != nil {
				d.rec.ApplyAssignment(who, s, a.Event.At)
			}
		}),
	"risk_finding": step("R-17", byHead,
		func(d *rebuild, who Actor, f RiskFinding, _ ActRecord) error { return d.rec.CheckRiskFinding(who, f) },
		func(d *rebuild, who Actor, f RiskFinding, a ActRecord) { d.rec.ApplyRiskFinding(who, f, a.Event.At) }),
	"disclosure_finding": step("R-30", byHead,
		func(d *rebuild, who Actor, f DisclosureFinding, _ ActRecord) error {
			return d.rec.CheckDisclosureFinding(who, f)
		},
		func(d *rebuild, who Actor, f DisclosureFinding, a ActRecord) {
			d.rec.ApplyDisclosureFinding(who, f, a.Event.At)
		}),
	"draft": step("R-01", byOfficial,
		func(d *rebuild, who Actor, v Draft, _ ActRecord) error { return d.rec.CheckDraft(who, v) },
		func(d *rebuild, who Actor, v Draft, a ActRecord) { d.rec.ApplyDraft(who, v, a.Event.At) }),
	"fair_competition_review": step("R-24", byOfficial,
		func(d *rebuild, who Actor, f FairCompetitionReview, _ ActRecord) error {
			return d.rec.CheckFairCompetition(who, f)
		},
		func(d *rebuild, who Actor, f FairCompetitionReview, a ActRecord) {
			d.rec.ApplyFairCompetition(who, f, a.Event.At)
		}),
	"department_consultation": step("R-18", byOfficial,
		func(d *rebuild, who Actor, c DepartmentConsultation, _ ActRecord) error {
			return d.rec.CheckDepartmentConsultation(who, c)
		},
		func(d *rebuild, who Actor, c DepartmentConsultation, a ActRecord) {
			d.rec.ApplyDepartmentConsultation(who, c, a.Event.At)
		}),
	"open_consultation": step("R-05", byOfficial,
		func(d *rebuild, who Actor, _ struct{}, _ ActRecord) error { return d.rec.CheckOpenConsultation(who) },
		func(d *rebuild, who Actor, _ struct{}, a ActRecord) { d.rec.ApplyOpenConsultation(who, a.Event.At) }),
	// The submission's time is statutory time already (the workflow records it so).
	"legality_submission": step("R-18", byOfficial,
		func(d *rebuild, who Actor, s LegalitySubmission, _ ActRecord) error {
			return d.rec.CheckLegalitySubmission(who, s)
		},
		func(d *rebuild, who Actor, s LegalitySubmission, a ActRecord) {
			d.rec.ApplyLegalitySubmission(who, s, a.Event.At)
		}),
	"meeting_scheduled": step("R-24", []Role{RoleMeetingSecretary, RoleHead},
		func(d *rebuild, who Actor, m Meeting, a ActRecord) error {
			return d.rec.CheckScheduleMeeting(who, m, d.r.day(a.Event.At))
		},
		func(d *rebuild, who Actor, m Meeting, a ActRecord) { d.rec.ApplyScheduleMeeting(who, m, a.Event.At) }),
	"minutes": step("R-26", []Role{RoleMeetingSecretary},
		func(d *rebuild, who Actor, m Minutes, a ActRecord) error {
			m.Signature = signature(a, m.Signature)
			return d.rec.CheckMinutes(who, m)
		},
		func(d *rebuild, who Actor, m Minutes, a ActRecord) {
			if d.rec.Meeting != nil {
				d.rec.ApplyMinutes(who, m, a.Event.At)
			}
		}),
	"minutes_approved": step("R-27", byHead,
		func(d *rebuild, who Actor, _ struct{}, _ ActRecord) error { return d.rec.CheckApproveMinutes(who) },
		func(d *rebuild, who Actor, _ struct{}, a ActRecord) {
			if d.rec.Meeting != nil && d.rec.Meeting.Minutes != nil {
				d.rec.ApplyApproveMinutes(who, a.Event.At)
			}
		}),
	// A report that opened publication at once was made before the committee's answer was an
	// act (the workflow's version says which); its event shows the stage it moved to.
	"party_report": step("R-29", byLiaison,
		func(d *rebuild, who Actor, p PartyReport, _ ActRecord) error { return d.rec.CheckPartyReport(who, p) },
		func(d *rebuild, who Actor, p PartyReport, a ActRecord) {
			if a.Event.Stage == StagePublication {
				d.rec.ApplyPartyReportUnanswered(who, p, a.Event.At)
				return
			}
			d.rec.ApplyPartyReport(who, p, a.Event.At)
		}),
	"party_answer": step("R-29", byLiaison,
		func(d *rebuild, who Actor, ans PartyAnswer, _ ActRecord) error {
			return d.rec.CheckPartyAnswer(who, ans)
		},
		func(d *rebuild, who Actor, ans PartyAnswer, a ActRecord) {
			if d.rec.PartyReport != nil {
				d.rec.ApplyPartyAnswer(who, ans, a.Event.At)
			}
		}),
	// A publication that opened the archive stage was made before implementation ran beside
	// the archive; its event shows the stage it moved to.
	"publication": step("R-30", byOfficial,
		func(d *rebuild, who Actor, p Publication, _ ActRecord) error { return d.rec.CheckPublication(who, p) },
		func(d *rebuild, who Actor, p Publication, a ActRecord) {
			if a.Event.Stage == StageArchive {
				d.rec.ApplyPublicationArchiveFirst(who, p, a.Event.At)
				return
			}
			d.rec.ApplyPublication(who, p, a.Event.At)
		}),
	"archive_handover": step("R-31", byOfficial,
		func(d *rebuild, who Actor, h ArchiveHandover, _ ActRecord) error { return d.rec.CheckArchive(who, h) },
		func(d *rebuild, who Actor, h ArchiveHandover, a ActRecord) {
			d.rec.ApplyArchive(who, h, a.Event.At, a.Event.Late)
		}),
}

// take puts one of the decision's recorded acts to its check and applies it; an engine event
// is applied as the workflow applied it. Kinds it does not know change nothing.
func (d *rebuild) take(a ActRecord) {
	if s, ok := decisionSteps[a.Event.Kind]; ok {
		d.r.checked(a, s.take(d, a), s.rule, s.rule)
		return
	}
	d.engine(a)
}

// engine applies an event the engine recorded in the decision's record.
func (d *rebuild) engine(a ActRecord) {
	at, kind, note := a.Event.At, a.Event.Kind, a.Event.Note
	for _, proc := range []string{ProcParticipation, ProcExpert, ProcRisk} {
		switch kind {
		case proc + "_completed":
			d.rec.CompleteRun(proc, note, d.report(proc), at)
			return
		case proc + "_aborted":
			d.rec.AbortRun(proc, at)
			return
		}
	}
	if outcome, ok := strings.CutPrefix(kind, "legality_"); ok && legalityOutcomes[outcome] {
		risks := ""
		if outcome == OutcomeExploratory {
			risks = note
		}
		d.rec.CompleteLegality(outcome, d.report(ProcLegality), risks, at)
		return
	}
	switch kind {
	case "adjustment_change", "adjustment_stop":
		d.rec.ApplyAdjustment(Adjustment{Kind: strings.TrimPrefix(kind, "adjustment_"), Reason: note}, at)
	case "dossier_prepared":
		d.rec.Dossier = note
	}
}

var legalityOutcomes = map[string]bool{OutcomeLawful: true, OutcomeRevise: true, OutcomeUnlawful: true,
	OutcomeExploratory: true, OutcomeReturned: true}

// opened is what a round opened now starts with: the current draft's SHA-256 and the groups
// the start decision found specifically affected, as the workflow's childInput.
func (d *rebuild) opened() (draft string, groups []string) {
	if n := len(d.rec.Drafts); n > 0 {
		draft = d.rec.Drafts[n-1].Document
	}
	if d.rec.Start != nil {
		groups = d.rec.Start.Applicability.Participation.AffectedGroups
	}
	return draft, groups
}

// report is the report of proc's latest round, as that round returned it.
func (d *rebuild) report(proc string) string {
	return d.reports[childID(d.rec.Decision.Number, proc, d.rec.run(proc).Round)]
}

// childID is a round's workflow ID, {number}/{procedure}/{round}.
func childID(number, proc string, round int) string {
	return number + "/" + proc + "/" + strconv.Itoa(round)
}

// roundReports finds each round's report in its own record: the adoption reports, the risk
// report and the legality opinion, which the round returns to the decision.
func roundReports(by map[string][]ActRecord) map[string]string {
	out := map[string]string{}
	for id, acts := range by {
		for _, a := range acts {
			switch a.Event.Kind {
			case "adoption_report":
				rep, _ := decode[AdoptionReport](a)
				out[id] = rep.Document
			case "expert_adoption_report":
				out[id], _ = decode[string](a)
			case "risk_report":
				rep, _ := decode[RiskReport](a)
				out[id] = rep.Document
			case "legality_opinion":
				o, _ := decode[LegalityOpinion](a)
				out[id] = o.Document
			}
		}
	}
	return out
}
