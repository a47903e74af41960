package procedure

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Verdict outcomes of the legal replay.
const (
	// VerdictSatisfied: the record shows the rule kept.
	VerdictSatisfied = "satisfied"
	// VerdictNotApplicable: the rule does not apply, for the recorded reason.
	VerdictNotApplicable = "not_applicable"
	// VerdictNotReached: the decision has not reached the step the rule governs.
	VerdictNotReached = "not_reached"
	// VerdictViolated: the record shows the rule broken; the evidence says where.
	VerdictViolated = "violated"
)

// Verdict is the legal replay's finding on one rule.
type Verdict struct {
	// Rule is the rule ID, R-01 … R-36.
	Rule string `json:"rule"`
	// Outcome is one of the Verdict constants.
	Outcome string `json:"outcome"`
	// Evidence cites the acts (workflow#seq) and what was found.
	Evidence []string `json:"evidence,omitempty"`
}

// LegalReplayOn re-checks a decision's recorded acts against the rulebook the decision started
// under, counting its periods on the official calendar cal, and returns a verdict for every
// rule R-01 … R-36. Each workflow's acts are applied in the workflow's order to the state they
// built, each put first to the check its validator ran (see rounds); the content of each act
// is checked again, and the order of the record where a rule is about order.
func LegalReplayOn(rb Rulebook, cal Calendar, acts []ActRecord) []Verdict {
	if cal == nil {
		cal = weekends{}
	}
	r := &replay{rb: rb, cal: cal, all: acts, seen: map[string][]string{}, broken: map[string][]string{}, na: map[string]string{}}
	for _, a := range acts {
		r.act(a)
	}
	r.rounds(acts)
	r.sequences(acts)
	r.reach(acts)
	return r.verdicts()
}

// LegalReplay is LegalReplayOn on a calendar that knows only weekends, for callers without
// the official calendar; its due dates are provisional.
func LegalReplay(rb Rulebook, acts []ActRecord) []Verdict { return LegalReplayOn(rb, nil, acts) }

// weekends is a calendar that knows no holidays: every weekday works.
type weekends struct{}

// Day says a weekday works, provisionally.
func (weekends) Day(d Date) DayInfo {
	wd := d.Weekday()
	return DayInfo{Working: wd != time.Saturday && wd != time.Sunday, Provisional: true}
}

// ruleStages is the stage in which each rule's step happens: once a decision has gone past
// it, a step the law requires must be on the record, and an optional step that is not (no
// hearing held, no return, no countersignature, no evaluation) did not occur.
var ruleStages = map[string]Stage{
	"R-01": StageStart, "R-02": StageStart,
	"R-05": StageConsultation, "R-06": StageConsultation, "R-07": StageConsultation, "R-08": StageConsultation,
	"R-09": StageConsultation, "R-10": StageConsultation, "R-11": StageConsultation, "R-12": StageConsultation,
	"R-13": StageConsultation, "R-14": StageConsultation, "R-15": StageConsultation, "R-16": StageConsultation,
	"R-17": StageConsultation,
	"R-18": StageLegalityReview, "R-19": StageLegalityReview, "R-20": StageLegalityReview, "R-21": StageLegalityReview,
	"R-22": StageLegalityReview, "R-23": StageLegalityReview, "R-36": StageLegalityReview,
	"R-24": StageCollectiveDiscussion, "R-25": StageCollectiveDiscussion, "R-26": StageCollectiveDiscussion,
	"R-27": StageCollectiveDiscussion, "R-28": StageCollectiveDiscussion,
	"R-29": StagePublication, "R-30": StagePublication,
	// The archive is handed over beside implementation, so it lies ahead until it is handed over.
	"R-31": StageImplementation,
	"R-32": StageImplementation, "R-33": StageImplementation, "R-34": StageImplementation,
}

// optionalSteps are the rules whose step may lawfully never happen.
var optionalSteps = map[string]string{
	"R-02": "未经部门或下级政府提出建议启动 / not started on a proposal",
	"R-08": "未举行听证 / no hearing was held",
	"R-09": "未举行听证 / no hearing was held",
	"R-11": "公众参与后未作重大修改 / no major revision after participation",
	"R-19": "审查机构未退回或要求补充材料 / the reviewer neither returned the submission nor asked for materials",
	"R-23": "没有会签或征求意见 / no countersignature or solicited opinion",
	"R-33": "未启动决策后评估 / no post-decision evaluation was started",
	"R-34": "未调整或暂停执行 / no adjustment or suspension",
}

// stageOrder ranks the stages a decision passes through; closed ends it from any stage.
var stageOrder = []Stage{StageStart, StageDrafting, StageConsultation, StageLegalityReview, StageCollectiveDiscussion,
	StagePartyReport, StagePublication, StageArchive, StageImplementation}

// reach finds how far the decision got and whether it closed there, and what the exempted
// procedures' findings make not applicable.
func (r *replay) reach(acts []ActRecord) {
	for _, a := range acts {
		if a.Event.Stage == StageClosed {
			r.closed = true
			continue
		}
		if i := slices.Index(stageOrder, a.Event.Stage); i > r.furthest {
			r.furthest = i
		}
	}
	if r.start == nil {
		return
	}
	ap := r.start.Applicability
	exempt := func(finding string, rules ...string) {
		for _, rule := range rules {
			if r.na[rule] == "" {
				r.na[rule] = finding
			}
		}
	}
	if !ap.Participation.Required {
		exempt(r.na["R-05"], "R-06", "R-07", "R-08", "R-09", "R-10", "R-11")
	}
	if !ap.Expert.Required {
		exempt(r.na["R-12"], "R-13", "R-14", "R-15")
	}
}

// unseen is the verdict on a rule nothing on the record exercised.
func (r *replay) unseen(rule string) (string, []string) {
	stage, ok := ruleStages[rule]
	if !ok {
		return VerdictNotReached, nil
	}
	switch passed := r.furthest > slices.Index(stageOrder, stage); {
	case passed && optionalSteps[rule] != "":
		return VerdictNotApplicable, []string{optionalSteps[rule]}
	case passed:
		return VerdictViolated, []string{"决策已过此步骤，记录中却没有相应的办理行为 / the decision went past this step with no act of it on the record"}
	case r.closed:
		return VerdictNotApplicable, []string{"决策在此步骤之前已终结 / the decision closed before this step"}
	}
	return VerdictNotReached, nil
}

type replay struct {
	rb       Rulebook
	cal      Calendar
	all      []ActRecord
	drill    *DrillClock         // a drill's statutory clock, when the record shows one
	seen     map[string][]string // rule → acts that exercised it
	broken   map[string][]string // rule → evidence of violation
	na       map[string]string   // rule → reason it does not apply
	drafters []string
	start    *StartDecision
	meeting  *Meeting
	approved map[string]bool // meeting approved, by decision
	// adverse is the last legality opinion of revise or unlawful: the draft version it
	// concerned and where it is in its workflow's record (acts come ordered by time, and a
	// drill's statutory times run ahead of real ones, so order within a workflow is by seq).
	adverse struct{ draft, seq int }
	// furthest is the index in stageOrder of the furthest stage the decision reached.
	furthest int
	// closed is set when the decision was closed.
	closed bool
	// answered is set when the record holds the Party committee's answer as an act.
	answered bool
}

func (r *replay) check(rule string, a ActRecord, err error) {
	ref := refer(a)
	r.seen[rule] = append(r.seen[rule], ref)
	if err != nil {
		r.breaks(rule, ref+": "+err.Error())
	}
}

func decode[T any](a ActRecord) (T, error) {
	var v T
	err := json.Unmarshal([]byte(a.Payload), &v)
	return v, err
}

func (r *replay) act(a ActRecord) {
	if r.approved == nil {
		r.approved = map[string]bool{}
	}
	switch a.Event.Kind {
	case "proposal":
		p, err := decode[Proposal](a)
		r.check("R-02", a, firstError(err, CheckR02Proposal(p)))
	case "start_decision":
		s, err := decode[StartDecision](a)
		r.start = &s
		r.drafters = append(r.drafters, s.Officials...)
		r.check("R-01", a, firstError(err, CheckR01StartDecision(s)))
		r.applicability(a, s.Applicability)
	case "draft":
		r.check("R-01", a, failedIf(r.start == nil, "起草早于启动决定", "drafting before the start decision"))
		if a.Event.Actor != "" {
			r.drafters = append(r.drafters, a.Event.Actor)
		}
	case "consultation_notice":
		n, err := decode[Notice](a)
		r.check("R-07", a, firstError(err, CheckR07Notice(n)))
		r.check("R-06", a, firstError(err, CheckR06Period(r.rb, n)))
	case "hearing_scheduled", "hearing_materials_delivered":
		h, err := decode[Hearing](a)
		r.check("R-08", a, firstError(err, CheckR08Hearing(r.rb, h),
			invalidIf(h.Declared && Blank(h.DeliveryEvidence), "申报的材料送达没有凭证", "a declared delivery without its evidence")))
	case "adoption_report":
		rep, err := decode[AdoptionReport](a)
		r.check("R-10", a, firstError(err,
			invalidIf(rep.Adopted+rep.PartlyAdopted+rep.NotAdopted != rep.Comments, "处理结果与意见数不符", "dispositions do not add up to the comments"),
			invalidIf(rep.NotAdoptedWithoutReason > 0, "不予采纳的意见缺少理由", "comments not adopted without a reason")))
	case "expert_panel":
		p, err := decode[Panel](a)
		r.check("R-14", a, firstError(err, CheckR14Conflicts(p, r.drafters)))
		r.check("R-15", a, firstError(err, CheckR15Selection(r.rb, p)))
	case "risk_report":
		rep, err := decode[RiskReport](a)
		r.check("R-16", a, firstError(err, CheckR16Report(rep)))
		r.check("R-17", a, firstError(err, CheckR17Grade(r.rb, rep.Grade)))
	case "participation_completed":
		r.check("R-05", a, nil)
	case "party_answer":
		r.answered = true
	case "legality_revise", "legality_unlawful":
		r.adverse.draft, r.adverse.seq = a.Event.DraftVersion, a.Seq
	case "legality_submission":
		r.check("R-22", a, ruleIf(r.adverse.draft != 0 && a.Seq > r.adverse.seq && a.Event.DraftVersion == r.adverse.draft, EFailedPrecondition, "R-22",
			"以被认定须修改或不合法的同一草案再次提请审查", "the draft found to need revision or unlawful was submitted again unrevised"))
		s, err := decode[LegalitySubmission](a)
		r.check("R-18", a, firstError(err, required(s.LegalBasis, "制定依据", "legal basis"),
			invalidIf(r.rb.UnitLegalityOpinionRequired && Blank(s.UnitOpinion), "缺少承办单位合法性初审意见", "the unit's own legality opinion is missing")))
	case "countersign":
		r.check("R-23", a, failedIf(a.Event.Stage != StageLegalityReview, "会签改变了决策阶段", "a countersignature moved the decision"))
	case "meeting_scheduled":
		m, err := decode[Meeting](a)
		r.meeting = &m
		r.check("R-25", a, firstError(err, invalidIf(m.Kind != MeetingExecutive && m.Kind != MeetingPlenary, "非常务会议或全体会议", "not an executive or plenary meeting")))
	case "minutes":
		m, err := decode[Minutes](a)
		if r.meeting == nil {
			r.check("R-26", a, failedIf(true, "纪要前没有会议安排", "minutes without a scheduled meeting"))
			return
		}
		r.check("R-26", a, firstError(err, checkR26Views(r.meeting, m), checkR26Departure(r.meeting, m)))
		r.check("R-27", a, checkR27Decision(m.Decision))
		r.check("R-28", a, failedIf(r.approved[a.Decision] && r.meeting.Approved, "纪要定稿后又被修改", "minutes recorded after approval"))
		r.check("R-36", a, invalidIf(a.Event.Actor == r.meeting.Head, "行政首长记录了自己的纪要", "the head recorded the minutes"))
	case "minutes_approved":
		if r.meeting != nil {
			r.meeting.Approved = true
		}
		r.approved[a.Decision] = true
	case "publication":
		p, err := decode[Publication](a)
		r.check("R-30", a, firstError(err, invalidIf(Blank(p.NotDisclosableBasis) && len(p.Channels) == 0, "未载明公布渠道", "no publication channel")))
	}
}

// applicability records which procedures the start decision exempted, and why.
func (r *replay) applicability(a ActRecord, ap Applicability) {
	if !ap.Participation.Required {
		r.na["R-05"] = "依法不予公开：" + ap.Participation.Finding + "（" + ap.Participation.LegalBasis + "）"
		r.check("R-05", a, ruleIf(Blank(ap.Participation.LegalBasis), EInvalid, "R-05", "缺少法律依据", "no legal basis"))
	}
	if !ap.Expert.Required {
		r.na["R-12"] = "非专业性事项：" + ap.Expert.Finding
	}
	if !ap.Risk.Required {
		r.na["R-16"] = "无不利影响：" + ap.Risk.Finding + ap.Risk.EarlierAssessment
		r.na["R-17"] = r.na["R-16"]
	}
}

// sequences checks the rules that are about order: nothing issued before the Party report
// no legality review before the required procedures, every
// workflow's record gapless.
func (r *replay) sequences(acts []ActRecord) {
	r.gapless(acts)
	done := map[string]bool{}
	for _, a := range acts {
		switch a.Event.Kind {
		case "participation_completed", "expert_completed", "risk_completed", "party_report":
			done[a.Event.Kind] = true
		case "party_answer":
			ans, err := decode[PartyAnswer](a)
			done["party_agreed"] = err == nil && (ans.Outcome == PartyAgreed || ans.Outcome == PartyAgreedWithChanges)
		case "legality_submission":
			r.order(a, "R-10", r.start != nil && r.start.Applicability.Participation.Required && !done["participation_completed"])
			r.order(a, "R-12", r.start != nil && r.start.Applicability.Expert.Required && !done["expert_completed"])
			r.order(a, "R-16", r.start != nil && r.start.Applicability.Risk.Required && !done["risk_completed"])
		case "publication":
			// Decisions recorded before the committee's answer was an act have none.
			r.order(a, "R-29", !done["party_report"] || (r.answered && !done["party_agreed"]))
		case "meeting_scheduled":
			r.order(a, "R-24", false)
		case "open_consultation", "reconsultation_required":
			r.order(a, "R-11", false)
		}
	}
}

// gapless checks that each workflow's record numbers its events 1, 2, 3 … with none missing
// a missing number is an act removed from the record.
func (r *replay) gapless(acts []ActRecord) {
	seqs := map[string][]int{}
	for _, a := range acts {
		seqs[a.WorkflowID] = append(seqs[a.WorkflowID], a.Seq)
	}
	for wf, s := range seqs {
		sort.Ints(s)
		for i, n := range s {
			if n != i+1 {
				r.broken["R-35"] = append(r.broken["R-35"], fmt.Sprintf("%s: event %d missing from the record", wf, i+1))
				break
			}
		}
		r.seen["R-35"] = append(r.seen["R-35"], wf)
	}
}

func (r *replay) order(a ActRecord, rule string, broken bool) {
	r.check(rule, a, failedIf(broken, "顺序不合法定程序", "out of the statutory order"))
}

func (r *replay) verdicts() []Verdict {
	out := make([]Verdict, 0, 36)
	for i := 1; i <= 36; i++ {
		rule := fmt.Sprintf("R-%02d", i)
		v := Verdict{Rule: rule}
		switch {
		case len(r.broken[rule]) > 0:
			v.Outcome, v.Evidence = VerdictViolated, r.broken[rule]
		case r.na[rule] != "":
			v.Outcome, v.Evidence = VerdictNotApplicable, []string{r.na[rule]}
		case rule == "R-03" || rule == "R-04":
			v.Outcome, v.Evidence = VerdictNotApplicable, []string{"目录规则在决策事项目录中核查 / checked on the decision catalog"}
		case len(r.seen[rule]) > 0:
			v.Outcome, v.Evidence = VerdictSatisfied, dedupe(r.seen[rule])
		default:
			v.Outcome, v.Evidence = r.unseen(rule)
		}
		out = append(out, v)
	}
	return out
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	if len(out) > 5 {
		return append(out[:5], fmt.Sprintf("… %d more", len(out)-5))
	}
	return out
}
