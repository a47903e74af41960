package procedure_test

import (
	"encoding/json"
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func act(wf string, seq int, kind, actor string, payload any) procedure.ActRecord {
	b, _ := json.Marshal(payload)
	return procedure.ActRecord{Decision: "BD-2026-1", WorkflowID: wf, Seq: seq, Payload: string(b),
		Event: procedure.Event{Kind: kind, Actor: actor, At: time.Date(2026, 3, 2, 9, seq, 0, 0, time.UTC), Stage: procedure.StageDrafting}}
}

func TestLegalReplay_Violations(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	d := func(s string) procedure.Date { x, _ := procedure.ParseDate(s); return x }
	acts := []procedure.ActRecord{
		act("BD-2026-1", 1, "start_decision", "head", procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "d",
			Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Finding: "非专业"},
				Risk: procedure.Exemption{Finding: "无影响"}, FairCompetition: procedure.Exemption{Finding: "无"}}}),
		act("BD-2026-1/participation/1", 1, "consultation_notice", "li", procedure.Notice{Draft: "d", Explanation: "e", HowToComment: "h", Opens: d("2026-03-02"), Closes: d("2026-03-12")}),
		act("BD-2026-1", 2, "legality_submission", "li", procedure.LegalitySubmission{LegalBasis: "b"}),
		act("BD-2026-1", 3, "meeting_scheduled", "sun", procedure.Meeting{Kind: "circulated", Head: "head", Members: []string{"head"}}),
		act("BD-2026-1", 5, "publication", "li", procedure.Publication{Channels: []string{"公报"}}),
	}
	verdicts := procedure.LegalReplay(books["national-2019"], acts)
	byRule := map[string]procedure.Verdict{}
	for _, v := range verdicts {
		byRule[v.Rule] = v
	}
	for _, rule := range []string{"R-06", "R-10", "R-25", "R-29", "R-35"} {
		require.Equal(t, procedure.VerdictViolated, byRule[rule].Outcome, rule)
		require.NotEmpty(t, byRule[rule].Evidence, rule)
	}
	require.Contains(t, byRule["R-06"].Evidence[0], "BD-2026-1/participation/1#1", "the evidence names the act")
	require.Equal(t, procedure.VerdictNotApplicable, byRule["R-12"].Outcome, "exempt with a recorded finding")
	require.Contains(t, byRule["R-12"].Evidence[0], "非专业")
	require.Equal(t, procedure.VerdictSatisfied, byRule["R-01"].Outcome)
}

// TestLegalReplay_OpinionShopped: a record in which a draft found to need revision went back
// to review unrevised is reported, naming the submission; a revised draft is not.
func TestLegalReplay_OpinionShopped(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	at := func(a procedure.ActRecord, draft int) procedure.ActRecord { a.Event.DraftVersion = draft; return a }
	record := func(resubmitOn int) []procedure.ActRecord {
		return []procedure.ActRecord{
			at(act("BD-2026-1", 1, "legality_submission", "li", procedure.LegalitySubmission{LegalBasis: "b"}), 1),
			at(act("BD-2026-1", 2, "legality_revise", "", struct{}{}), 1),
			at(act("BD-2026-1", 3, "draft", "li", procedure.Draft{Document: "v2"}), 2),
			at(act("BD-2026-1", 4, "legality_submission", "li", procedure.LegalitySubmission{LegalBasis: "b"}), resubmitOn),
		}
	}
	verdict := func(acts []procedure.ActRecord) procedure.Verdict {
		for _, v := range procedure.LegalReplay(books["national-2019"], acts) {
			if v.Rule == "R-22" {
				return v
			}
		}
		return procedure.Verdict{}
	}
	shopped := verdict(record(1))
	require.Equal(t, procedure.VerdictViolated, shopped.Outcome)
	require.Contains(t, shopped.Evidence[0], "BD-2026-1#4")
	require.Equal(t, procedure.VerdictSatisfied, verdict(record(2)).Outcome)
}

// TestLegalReplay_Reach tells a step not applicable (exempt, optional and not held, or after a
// close) from one not reached, and reports a required step the decision went past without.
func TestLegalReplay_Reach(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	in := func(a procedure.ActRecord, stage procedure.Stage) procedure.ActRecord {
		a.Event.Stage = stage
		return a
	}
	skipped := procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "d",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Finding: "涉及国家秘密", LegalBasis: "《保守国家秘密法》"},
			Expert: procedure.Exemption{Finding: "非专业"}, Risk: procedure.Exemption{Finding: "无影响"}, FairCompetition: procedure.Exemption{Finding: "无"}}}
	verdicts := func(acts ...procedure.ActRecord) map[string]procedure.Verdict {
		out := map[string]procedure.Verdict{}
		for _, v := range procedure.LegalReplay(books["national-2019"], acts) {
			out[v.Rule] = v
		}
		return out
	}

	v := verdicts(in(act("BD-2026-1", 1, "start_decision", "head", skipped), procedure.StageDrafting))
	for _, rule := range []string{"R-05", "R-06", "R-07", "R-10", "R-13"} {
		require.Equal(t, procedure.VerdictNotApplicable, v[rule].Outcome, rule)
		require.NotEmpty(t, v[rule].Evidence, "%s names the finding", rule)
	}
	require.Contains(t, v["R-06"].Evidence[0], "国家秘密")
	require.Equal(t, procedure.VerdictNotReached, v["R-18"].Outcome, "the review lies ahead")

	v = verdicts(in(act("BD-2026-1", 1, "start_decision", "head", skipped), procedure.StageDrafting),
		in(act("BD-2026-1", 2, "minutes_approved", "head", struct{}{}), procedure.StagePartyReport))
	require.Equal(t, procedure.VerdictViolated, v["R-18"].Outcome, "went past the legality review without a submission")
	require.Equal(t, procedure.VerdictNotApplicable, v["R-19"].Outcome, "no return is an optional step not taken")

	v = verdicts(in(act("BD-2026-1", 1, "start_decision", "head", skipped), procedure.StageDrafting),
		in(act("BD-2026-1", 2, "withdrawn", "head", struct{}{}), procedure.StageClosed))
	require.Equal(t, procedure.VerdictNotApplicable, v["R-18"].Outcome, "closed before the review")
}

// TestLegalReplay_DrillTimes: in a drill the submission's time is statutory and runs ahead of
// the opinion's real time; an earlier submission listed after the opinion is no resubmission.
func TestLegalReplay_DrillTimes(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	at := func(a procedure.ActRecord, draft int) procedure.ActRecord { a.Event.DraftVersion = draft; return a }
	acts := []procedure.ActRecord{
		at(act("BD-2026-1", 2, "legality_revise", "", struct{}{}), 1),
		at(act("BD-2026-1", 1, "legality_submission", "li", procedure.LegalitySubmission{LegalBasis: "b"}), 1),
	}
	for _, v := range procedure.LegalReplay(books["national-2019"], acts) {
		if v.Rule == "R-22" {
			require.NotEqual(t, procedure.VerdictViolated, v.Outcome, "%v", v.Evidence)
		}
	}
}

// TestLegalReplay_PartyAnswer: publication before the committee's answer agrees is reported;
// records from before the answer was an act are judged by the report alone.
func TestLegalReplay_PartyAnswer(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	r29 := func(acts ...procedure.ActRecord) procedure.Verdict {
		for _, v := range procedure.LegalReplay(books["national-2019"], acts) {
			if v.Rule == "R-29" {
				return v
			}
		}
		return procedure.Verdict{}
	}
	report := act("BD-2026-1", 1, "party_report", "zhou", procedure.PartyReport{Document: "r"})
	refused := act("BD-2026-1", 2, "party_answer", "zhou", procedure.PartyAnswer{Outcome: procedure.PartyNotAgreed, Document: "a", Opinion: "缓议"})
	agreed := act("BD-2026-1", 2, "party_answer", "zhou", procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "a"})
	published := act("BD-2026-1", 3, "publication", "li", procedure.Publication{Channels: []string{"公报"}})
	require.Equal(t, procedure.VerdictViolated, r29(report, refused, published).Outcome, "published against the committee's answer")
	require.Equal(t, procedure.VerdictSatisfied, r29(report, agreed, published).Outcome)
	require.Equal(t, procedure.VerdictSatisfied, r29(report, published).Outcome, "an older record, before answers were acts")
}
