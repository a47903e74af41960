package procedure_test

import (
	"testing"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

const (
	decision = "BD-2026-1"
	consult  = "BD-2026-1/participation/1"
	assess   = "BD-2026-1/risk/1"
)

// lawful is the record of a lawful decision under national-2019, with participation and risk
// assessment required, and the changes a test makes to it: acts put before the act of a kind,
// an act of a kind changed as it is added, the record cut before the act of a kind.
type lawful struct {
	start  func(*procedure.StartDecision)
	before map[string]func(b *book)
	change map[string]func(*procedure.ActRecord)
	until  string
}

// book numbers each workflow's acts as they are added.
type book struct {
	l    lawful
	acts []procedure.ActRecord
	seqs map[string]int
	done bool
}

// put adds an act of kind to workflow wf on day, with its event's note.
func (b *book) put(wf, kind, who, day, note string, payload any) {
	if b.done || kind == b.l.until {
		b.done = true
		return
	}
	if f := b.l.before[kind]; f != nil {
		delete(b.l.before, kind)
		f(b)
	}
	b.seqs[wf]++
	a := on(act(wf, b.seqs[wf], kind, who, payload), day)
	a.Event.Note = note
	if f := b.l.change[kind]; f != nil {
		f(&a)
	}
	b.acts = append(b.acts, a)
}

func (l lawful) record() []procedure.ActRecord {
	start := procedure.StartDecision{Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, Document: "d",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Required: true}, Expert: procedure.Exemption{Finding: "非专业"},
			Risk: procedure.Exemption{Required: true}, FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"}}}
	if l.start != nil {
		l.start(&start)
	}
	before := map[string]func(*book){}
	for k, f := range l.before {
		before[k] = f
	}
	l.before = before
	b := &book{l: l, seqs: map[string]int{}}
	meeting := procedure.Meeting{Kind: procedure.MeetingExecutive, Date: day("2026-04-24"), Head: "head", Members: []string{"head", "fu", "mishu"},
		Offices: map[string]string{"head": procedure.OfficeHead, "fu": procedure.OfficeDeputyHead, "mishu": procedure.OfficeSecretaryGeneral}}
	views := []procedure.View{{Member: "fu", Position: "approve", Opinion: "同意"}, {Member: "mishu", Position: "approve", Opinion: "同意"},
		{Member: "head", Position: "approve", Opinion: "同意"}}

	b.put(decision, "start_decision", "head", "2026-03-02", "", start)
	b.put(decision, "draft", "li", "2026-03-03", "", procedure.Draft{Document: "v1", Explanation: "e"})
	b.put(decision, "open_consultation", "li", "2026-03-04", "participation,risk", struct{}{})
	b.put(consult, "participation_opened", "", "2026-03-04", "", struct{}{})
	b.put(assess, "risk_opened", "", "2026-03-04", "", struct{}{})
	b.put(consult, "consultation_notice", "li", "2026-03-04", "", procedure.Notice{Draft: "v1", Explanation: "e", HowToComment: "信函",
		Channels: []string{"政府网站"}, Opens: day("2026-03-04"), Closes: day("2026-04-03")})
	b.put(assess, "risk_report", "qian", "2026-03-10", "medium", procedure.RiskReport{Points: []procedure.RiskPoint{{Description: "d", Mitigation: "m"}},
		ResponsePlan: "p", DepartmentsHeard: []string{"财政局"}, Grade: "medium", Document: "risk", Signature: "s"})
	b.put(decision, "risk_completed", "", "2026-03-10", "medium", struct{}{})
	b.put(consult, "comment_period_closed", "", "2026-04-07", "2 comments, digest dg", struct{}{})
	b.put(consult, "adoption_report", "li", "2026-04-07", "", procedure.AdoptionReport{Document: "adoption", Comments: 2, Adopted: 1, NotAdopted: 1})
	b.put(decision, "participation_completed", "", "2026-04-07", "completed", struct{}{})
	b.put(decision, "consultation_closed", "", "2026-04-07", "", struct{}{})
	b.put(decision, "legality_submission", "li", "2026-04-08", "", procedure.LegalitySubmission{LegalBasis: "b"})
	b.put(review, "legality_opened", "", "2026-04-08", "", struct{}{})
	b.put(review, "adviser_opinion", "feng", "2026-04-10", "", procedure.AdviserOpinion{Document: "a", Signature: "s"})
	b.put(review, "legality_opinion", "zhao", "2026-04-17", "lawful", procedure.LegalityOpinion{Outcome: procedure.OutcomeLawful, Reasons: "r", Document: "o", Signature: "s"})
	b.put(decision, "legality_lawful", "", "2026-04-17", "", struct{}{})
	b.put(decision, "meeting_scheduled", "mishu", "2026-04-20", "executive", meeting)
	b.put(decision, "minutes", "sun", "2026-04-24", "approve", procedure.Minutes{Attended: []string{"fu", "mishu", "head"}, Views: views,
		Decision: procedure.DecisionApprove, Document: "m", Signature: "s"})
	b.put(decision, "minutes_approved", "head", "2026-04-24", procedure.DecisionApprove, struct{}{})
	b.put(decision, "party_report", "zhou", "2026-04-27", "", procedure.PartyReport{Document: "r"})
	b.put(decision, "party_answer", "zhou", "2026-04-28", procedure.PartyAgreed, procedure.PartyAnswer{Outcome: procedure.PartyAgreed, Document: "a"})
	b.put(decision, "publication", "li", "2026-05-06", "", procedure.Publication{Channels: []string{"政府公报"}, Document: "pub", OpinionsExplanation: "x"})
	return b.acts
}

func day(s string) procedure.Date {
	d, err := procedure.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// payload replaces the recorded payload of the act it changes.
func payload(v any) func(*procedure.ActRecord) {
	return func(a *procedure.ActRecord) { a.Payload = act("", 0, "", "", v).Payload }
}

// TestLegalReplay_DecisionRecord: the decision's record is rebuilt through the record's own
// checks, so a record a validator would have refused is reported violated naming the act, and
// its lawful variant is not.
func TestLegalReplay_DecisionRecord(t *testing.T) {
	t.Run("Lawful", func(t *testing.T) {
		v := replayed(t, nil, lawful{}.record()...)
		for rule, verdict := range v {
			require.NotEqual(t, procedure.VerdictViolated, verdict.Outcome, "%s: %v", rule, verdict.Evidence)
		}
		for _, rule := range []string{"R-01", "R-06", "R-07", "R-10", "R-16", "R-17", "R-18", "R-22", "R-24", "R-25", "R-26", "R-27", "R-29", "R-30"} {
			requireKept(t, v, rule)
		}
	})
	t.Run("DraftByUnassignedOfficial", func(t *testing.T) {
		l := lawful{change: map[string]func(*procedure.ActRecord){"draft": func(a *procedure.ActRecord) { a.Event.Actor = "wang" }}}
		requireViolated(t, replayed(t, nil, l.record()...), "R-01", decision+"#2 draft")
	})
	t.Run("AssignedOfficialDrafts", func(t *testing.T) {
		l := lawful{before: map[string]func(*book){"draft": func(b *book) {
			b.put(decision, "assignment", "head", "2026-03-02", "", procedure.Assignment{Officials: []string{"li", "wang"}, Reason: "增派承办人员"})
		}}, change: map[string]func(*procedure.ActRecord){"draft": func(a *procedure.ActRecord) { a.Event.Actor = "wang" }}}
		requireKept(t, replayed(t, nil, l.record()...), "R-01")
	})
	t.Run("NoticeForAnotherDraft", func(t *testing.T) {
		l := lawful{change: map[string]func(*procedure.ActRecord){"consultation_notice": payload(procedure.Notice{Draft: "v0", Explanation: "e",
			HowToComment: "信函", Channels: []string{"政府网站"}, Opens: day("2026-03-04"), Closes: day("2026-04-03")})}}
		requireViolated(t, replayed(t, nil, l.record()...), "R-07", consult+"#2 consultation_notice")
	})
	groups := func(s *procedure.StartDecision) { s.Applicability.Participation.AffectedGroups = []string{"渔民"} }
	t.Run("AdoptionReportBeforeGroupsHeard", func(t *testing.T) {
		requireViolated(t, replayed(t, nil, lawful{start: groups}.record()...), "R-10", consult+"#4 adoption_report")
	})
	t.Run("GroupsHeard", func(t *testing.T) {
		l := lawful{start: groups, before: map[string]func(*book){"adoption_report": func(b *book) {
			b.put(consult, "group_consultation", "li", "2026-03-20", "渔民", procedure.GroupConsultation{Group: "渔民", Method: "座谈会", Opinions: "o"})
		}}}
		requireKept(t, replayed(t, nil, l.record()...), "R-10")
	})
}

// TestLegalReplay_DecisionRevision: a draft that a finding against it sent back is filed again
// as a new text, not the same one.
func TestLegalReplay_DecisionRevision(t *testing.T) {
	again := func(doc string) func(*book) {
		return func(b *book) {
			b.put(decision, "draft", "li", "2026-04-20", "", procedure.Draft{Document: doc, Explanation: "改"})
			b.done = true
		}
	}
	revised := func(doc string) lawful {
		return lawful{before: map[string]func(*book){"meeting_scheduled": again(doc)}, change: map[string]func(*procedure.ActRecord){
			"legality_lawful":  func(a *procedure.ActRecord) { a.Event.Kind = "legality_revise" },
			"legality_opinion": payload(procedure.LegalityOpinion{Outcome: procedure.OutcomeRevise, Reasons: "r", Document: "o", Signature: "s"}),
		}}
	}
	requireViolated(t, replayed(t, nil, revised("v1").record()...), "R-22", decision+"#9 draft")
	requireKept(t, replayed(t, nil, revised("v2").record()...), "R-22")

	uncontrolled := func(doc string) lawful {
		return lawful{before: map[string]func(*book){"legality_submission": again(doc)}, change: map[string]func(*procedure.ActRecord){
			"risk_completed": func(a *procedure.ActRecord) { a.Event.Note = "high" },
		}}
	}
	requireViolated(t, replayed(t, nil, uncontrolled("v1").record()...), "R-17", decision+"#7 draft")
	requireKept(t, replayed(t, nil, uncontrolled("v2").record()...), "R-17")
}

// TestLegalReplay_DecisionGates: the submission waits for the departments' disagreements to be
// settled, the meeting for a complete package, the minutes for a quorum and every
// view, publication for an agreeing answer and for nothing newly declared
// not disclosable.
func TestLegalReplay_DecisionGates(t *testing.T) {
	consulted := func(s *procedure.Settlement) lawful {
		return lawful{before: map[string]func(*book){"open_consultation": func(b *book) {
			b.put(decision, "department_consultation", "li", "2026-03-03", "", procedure.DepartmentConsultation{Opinions: []procedure.DepartmentOpinion{
				{Department: "财政局", Opinion: "o", Disagrees: true, Settlement: s}}})
		}}}
	}
	requireViolated(t, replayed(t, nil, consulted(nil).record()...), "R-18", decision+"#8 legality_submission")
	requireKept(t, replayed(t, nil, consulted(&procedure.Settlement{How: procedure.SettledByAgreement, Document: "s"}).record()...), "R-18")

	fair := func(s *procedure.StartDecision) {
		s.Applicability.FairCompetition = procedure.Exemption{Required: true}
	}
	requireViolated(t, replayed(t, nil, lawful{start: fair}.record()...), "R-24", decision+"#9 meeting_scheduled")
	reviewed := lawful{start: fair, before: map[string]func(*book){"open_consultation": func(b *book) {
		b.put(decision, "fair_competition_review", "li", "2026-03-03", "", procedure.FairCompetitionReview{Document: "f", Conclusion: "c"})
	}}}
	requireKept(t, replayed(t, nil, reviewed.record()...), "R-24")

	minutes := func(attended []string, views ...procedure.View) lawful {
		return lawful{change: map[string]func(*procedure.ActRecord){"minutes": payload(procedure.Minutes{Attended: attended, Views: views,
			Decision: procedure.DecisionApprove, Document: "m", Signature: "s"})}}
	}
	head := procedure.View{Member: "head", Position: "approve", Opinion: "同意"}
	fu := procedure.View{Member: "fu", Position: "approve", Opinion: "同意"}
	requireViolated(t, replayed(t, nil, minutes([]string{"head"}, head).record()...), "R-25", decision+"#10 minutes")
	requireViolated(t, replayed(t, nil, minutes([]string{"fu", "head"}, head, fu).record()...), "R-26", decision+"#10 minutes")
	requireKept(t, replayed(t, nil, minutes([]string{"fu", "head"}, fu, head).record()...), "R-25")

	refused := lawful{change: map[string]func(*procedure.ActRecord){"party_answer": payload(procedure.PartyAnswer{Outcome: procedure.PartyNotAgreed, Document: "a", Opinion: "缓议"})}}
	requireViolated(t, replayed(t, nil, refused.record()...), "R-29", decision+"#14 publication")

	declared := lawful{change: map[string]func(*procedure.ActRecord){"publication": payload(procedure.Publication{NotDisclosableBasis: "《保守国家秘密法》"})}}
	requireViolated(t, replayed(t, nil, declared.record()...), "R-30", decision+"#14 publication")
}

// TestLegalReplay_NamedUnits: an assessor named by unit is checked against the unit each act
// records: a report by another unit's assessor is reported, the named unit's kept.
func TestLegalReplay_NamedUnits(t *testing.T) {
	named := func(unit string) lawful {
		return lawful{start: func(s *procedure.StartDecision) { s.Assessors = []string{"社会稳定风险评估中心"} },
			change: map[string]func(*procedure.ActRecord){"risk_report": func(a *procedure.ActRecord) { a.Event.ActorUnit = unit }}}
	}
	requireViolated(t, replayed(t, nil, named("某咨询公司").record()...), "R-36", assess+"#2 risk_report")
	requireKept(t, replayed(t, nil, named("社会稳定风险评估中心").record()...), "R-36")
}
