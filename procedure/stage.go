package procedure

// Stage is where a decision stands in the statutory procedure.
//
// The order follows the Interim Regulations on Major Administrative Decision Procedures:
//
//	start → drafting → consultation (public participation, expert argumentation and risk
//	assessment, in parallel on one draft version) → legality_review → collective_discussion
//	→ party_report → publication → implementation, the archive handed over beside it
//
// with closed reachable from any stage when a decision is rejected or withdrawn.
type Stage string

// The stages of a decision.
const (
	// StageStart waits for the recorded start decision that names the undertaking units.
	StageStart Stage = "start"
	// StageDrafting is the undertaking unit's work on the draft and its alternatives.
	StageDrafting Stage = "drafting"
	// StageConsultation runs public participation, expert argumentation and risk assessment.
	StageConsultation Stage = "consultation"
	// StageLegalityReview is the unit's own review followed by the justice bureau's.
	StageLegalityReview Stage = "legality_review"
	// StageCollectiveDiscussion is the executive or plenary meeting that decides.
	StageCollectiveDiscussion Stage = "collective_discussion"
	// StagePartyReport is the report to the Party committee required before issue.
	StagePartyReport Stage = "party_report"
	// StagePublication publishes the decision.
	StagePublication Stage = "publication"
	// StageArchive assembles and hands over the complete record, in decisions published
	// before the handover went beside implementation; later ones hand it over in implementation.
	StageArchive Stage = "archive"
	// StageImplementation follows execution, evaluation, adjustment and suspension.
	StageImplementation Stage = "implementation"
	// StageClosed ends a decision that was rejected, withdrawn or terminated.
	StageClosed Stage = "closed"
)

var stageLabels = map[Stage][2]string{
	StageStart:                {"启动", "start"},
	StageDrafting:             {"起草", "drafting"},
	StageConsultation:         {"公众参与、专家论证与风险评估", "consultation, expert argumentation and risk assessment"},
	StageLegalityReview:       {"合法性审查", "legality review"},
	StageCollectiveDiscussion: {"集体讨论决定", "collective discussion and decision"},
	StagePartyReport:          {"向党委请示报告", "report to the Party committee"},
	StagePublication:          {"决策公布", "publication"},
	StageArchive:              {"决策归档", "archive"},
	StageImplementation:       {"决策执行与评估", "implementation and evaluation"},
	StageClosed:               {"已终结", "closed"},
}

// Label returns the stage's name in Chinese.
func (s Stage) Label() string { return stageLabels[s][0] }

// LabelEN returns the stage's name in English.
func (s Stage) LabelEN() string { return stageLabels[s][1] }

// ParseStage returns the Stage named s, or an EInvalid error.
func ParseStage(s string) (Stage, error) {
	if _, ok := stageLabels[Stage(s)]; !ok {
		return "", Errorf(EInvalid, "未知的决策阶段 %q", "unknown stage %q", s)
	}
	return Stage(s), nil
}

// transitions is the stage machine of a decision; each line is one allowed move.
//
//	start                 → drafting               the start decision is recorded
//	drafting              → consultation           participation, argumentation, assessment open
//	consultation          → drafting               every open procedure completed
//	drafting              → legality_review        the final draft is submitted
//	legality_review       → drafting               returned, or opinion "revise" / "unlawful"
//	legality_review       → collective_discussion  opinion "lawful" or "exploratory"
//	collective_discussion → drafting               head decides "revise"
//	collective_discussion → party_report           head decides "approve"
//	collective_discussion → closed                 head decides "reject"
//	party_report          → publication            the committee's answer agrees; before
//	                                               the answer was an act, the report itself
//	party_report          → collective_discussion  the committee does not agree (R-29, Art. 31)
//	publication           → implementation         published; the archive is handed over
//	                                               beside implementation
//	publication           → archive                published, before implementation ran beside
//	                                               the archive
//	archive               → implementation         the archive is handed over
//	implementation        → drafting               an adjustment re-runs the statutory steps
//	implementation        → closed                 the decision is terminated
var transitions = map[Stage][]Stage{
	StageStart:                {StageDrafting},
	StageDrafting:             {StageConsultation, StageLegalityReview},
	StageConsultation:         {StageDrafting},
	StageLegalityReview:       {StageDrafting, StageCollectiveDiscussion},
	StageCollectiveDiscussion: {StageDrafting, StagePartyReport, StageClosed},
	StagePartyReport:          {StagePublication, StageCollectiveDiscussion},
	StagePublication:          {StageImplementation, StageArchive},
	StageArchive:              {StageImplementation},
	StageImplementation:       {StageDrafting, StageClosed},
}

// CheckTransition returns an EFailedPrecondition error unless from → to is an allowed move.
func CheckTransition(from, to Stage) error {
	for _, s := range transitions[from] {
		if s == to {
			return nil
		}
	}
	return Errorf(EFailedPrecondition, "不能从“%s”阶段转入“%s”阶段", "cannot move from stage %q to %q", from.Label(), to.Label())
}
