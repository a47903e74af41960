// Package workflows is the durable statutory procedure: one Decision workflow per major
// decision, with a child workflow per procedure (participation, expert argumentation, risk
// assessment, legality review) and for the long-lived implementation stage. Workflow code is
// deterministic; every read or write of the outside world happens in an activity.
package workflows

import "fmt"

// TaskQueue is the task queue every decisionflow worker polls.
const TaskQueue = "decisionflow"

// Workflow type names.
const (
	// WorkflowDecision is the parent workflow of one decision; its ID is the decision number.
	WorkflowDecision = "Decision"
	// WorkflowParticipation is one round of public participation.
	WorkflowParticipation = "Participation"
	// WorkflowExpert is one round of expert argumentation.
	WorkflowExpert = "Expert"
	// WorkflowRisk is one round of risk assessment.
	WorkflowRisk = "Risk"
	// WorkflowLegality is one round of legality review.
	WorkflowLegality = "Legality"
	// WorkflowImplementation is the implementation stage, continued as new as it grows.
	WorkflowImplementation = "Implementation"
	// WorkflowCatalog is an organ's annual catalog of major decisions.
	WorkflowCatalog = "Catalog"
	// WorkflowExpertPool is a decision organ's pool of experts (Art. 21).
	WorkflowExpertPool = "ExpertPool"
)

// Update names of the ExpertPool workflow.
const (
	// UpdateAdmitExpert admits an expert with a field and a declaration of independence (Art. 21).
	UpdateAdmitExpert = "admit_expert"
	// UpdateRemoveExpert removes an expert, with a reason; for a false declaration, Art. 41.
	UpdateRemoveExpert = "remove_expert"
)

// Update names of the Catalog workflow.
const (
	// UpdateCatalogItem adds an item to the catalog's next version.
	UpdateCatalogItem = "catalog_item"
	// UpdatePublishCatalog publishes a version with the Party committee's consent.
	UpdatePublishCatalog = "publish_catalog"
	// UpdateWithdrawCatalogItem withdraws an item, effective with the next consented version.
	UpdateWithdrawCatalogItem = "withdraw_catalog_item"
)

// SignalCatalogDecided tells a catalog that one of its items was decided (CatalogDecided).
const SignalCatalogDecided = "catalog_decided"

// Procedure names used in child workflow IDs and in the record.
const (
	// ProcParticipation is public participation.
	ProcParticipation = "participation"
	// ProcExpert is expert argumentation.
	ProcExpert = "expert"
	// ProcRisk is risk assessment.
	ProcRisk = "risk"
	// ProcLegality is the legality review.
	ProcLegality = "legality"
	// ProcImplementation is implementation, evaluation and adjustment.
	ProcImplementation = "implementation"
)

// ChildID is the workflow ID of round round of procedure proc of decision number, e.g.
// "BD-2026-007/legality/2". Acts of a procedure are sent to this ID.
func ChildID(number, proc string, round int) string {
	return fmt.Sprintf("%s/%s/%d", number, proc, round)
}

// Query names; every workflow answers QueryState with its state.
const (
	// QueryState returns the workflow's state: the decision (Decision) or the round's state.
	QueryState = "state"
	// QueryRecord returns the decision's whole procedural record (parent only).
	QueryRecord = "record"
	// QueryTasks returns the open tasks: who must do what, by when.
	QueryTasks = "tasks"
	// QueryRecorded returns how many events the workflow has made durable in the store, so
	// the workflow's record can be checked against the store's.
	QueryRecorded = "recorded"
)

// Update names of the Decision workflow.
const (
	// UpdateProposal records the decision proposal.
	UpdateProposal = "proposal"
	// UpdateStartDecision records the start decision.
	UpdateStartDecision = "start_decision"
	// UpdateDraft records a new draft version.
	UpdateDraft = "draft"
	// UpdateDepartmentConsultation records the departments concerned consulted during drafting
	// and how their disagreements were settled (Art. 13).
	UpdateDepartmentConsultation = "department_consultation"
	// UpdateOpenConsultation starts the pending procedures on the current draft.
	UpdateOpenConsultation = "open_consultation"
	// UpdateFairCompetition records the fair-competition review.
	UpdateFairCompetition = "fair_competition_review"
	// UpdateLegalitySubmission submits the final draft for legality review.
	UpdateLegalitySubmission = "legality_submission"
	// UpdateScheduleMeeting schedules the collective discussion.
	UpdateScheduleMeeting = "schedule_meeting"
	// UpdateMinutes records the minutes (R-26..R-28).
	UpdateMinutes = "minutes"
	// UpdateApproveMinutes approves the minutes and routes on the head's decision.
	UpdateApproveMinutes = "approve_minutes"
	// UpdatePartyReport records the report to the Party committee.
	UpdatePartyReport = "party_report"
	// UpdatePartyAnswer records the Party committee's answer to the report.
	UpdatePartyAnswer = "party_answer"
	// UpdatePublication records the publication.
	UpdatePublication = "publication"
	// UpdateArchive records the archive handover.
	UpdateArchive = "archive_handover"
)

// Update names of the procedure workflows.
const (
	// UpdateNotice publishes the consultation notice.
	UpdateNotice = "notice"
	// UpdateExtendPeriod extends the comment period.
	UpdateExtendPeriod = "extend_period"
	// UpdateHearing schedules a hearing.
	UpdateHearing = "hearing"
	// UpdateRiskFinding records the decision organ's finding that an assessed risk is, or is
	// not, controllable (Art. 24).
	UpdateRiskFinding = "risk_finding"
	// UpdateDisclosureFinding changes the finding that the decision is not disclosable by law
	// (Arts. 14, 32).
	UpdateDisclosureFinding = "disclosure_finding"
	// UpdateAssignment changes who acts on the decision: its officials, assessors, reviewers
	// and meeting secretaries (Arts. 11, 22, 25, 30).
	UpdateAssignment = "assignment"
	// UpdateHearingMaterials records that a hearing's materials reached its participants.
	UpdateHearingMaterials = "hearing_materials"
	// UpdateConfirmHearing confirms and signs a hearing record.
	UpdateConfirmHearing = "confirm_hearing"
	// UpdateGroupConsultation records how a group specifically affected was heard (Art. 14 ¶3).
	UpdateGroupConsultation = "group_consultation"
	// UpdateAdoptionReport files the adoption report of public comments.
	UpdateAdoptionReport = "adoption_report"
	// UpdatePanel forms the expert panel.
	UpdatePanel = "panel"
	// UpdateExpertOpinion files one expert's signed opinion.
	UpdateExpertOpinion = "expert_opinion"
	// UpdateExpertReport files the adoption report of expert opinions.
	UpdateExpertReport = "expert_report"
	// UpdateRiskReport files the risk assessment report.
	UpdateRiskReport = "risk_report"
	// UpdateRequestMaterials stops the review clock to wait for materials.
	UpdateRequestMaterials = "request_materials"
	// UpdateProvideMaterials hands in the materials and restarts the clock.
	UpdateProvideMaterials = "provide_materials"
	// UpdateReturnSubmission returns the submission to the unit.
	UpdateReturnSubmission = "return_submission"
	// UpdateAdviserOpinion files a legal adviser's opinion.
	UpdateAdviserOpinion = "adviser_opinion"
	// UpdateCountersign records a countersignature, which never closes the review.
	UpdateCountersign = "countersign"
	// UpdateLegalityOpinion files the review's opinion.
	UpdateLegalityOpinion = "legality_opinion"
	// UpdateExecutionUnit names the execution unit.
	UpdateExecutionUnit = "execution_unit"
	// UpdateImplementationReport files an implementation report.
	UpdateImplementationReport = "implementation_report"
	// UpdateStartEvaluation starts a post-decision evaluation.
	UpdateStartEvaluation = "start_evaluation"
	// UpdateEvaluationReport files the evaluation's report.
	UpdateEvaluationReport = "evaluation_report"
	// UpdateProblemReport files the execution unit's report of a problem (R-32, Art. 35 ¶1).
	UpdateProblemReport = "problem_report"
	// UpdatePublicOpinion records an opinion of the public on the decision in force (Art. 35 ¶2).
	UpdatePublicOpinion = "public_opinion"
	// UpdateSuspend suspends execution urgently.
	UpdateSuspend = "suspend"
	// UpdateResume resumes a suspended decision (R-34, Art. 37).
	UpdateResume = "resume"
	// UpdateAdjustment changes or stops the decision through the statutory steps.
	UpdateAdjustment = "adjustment"
)

// Activity names; each is a method of activities.Activities.
const (
	// ActivityOpenDecision records a newly registered decision in the store.
	ActivityOpenDecision = "OpenDecision"
	// ActivityRecordAct appends an act or transition to the record.
	ActivityRecordAct = "RecordAct"
	// ActivityComputeDeadline counts a period on the official calendar.
	ActivityComputeDeadline = "ComputeDeadline"
	// ActivitySealComments closes a round's comment intake and counts what it took.
	ActivitySealComments = "SealComments"
	// ActivityPrepareDossier assembles and files the decision's dossier for the archive.
	ActivityPrepareDossier = "PrepareDossier"
	// ActivityCatalogState reads a catalog's state as the store's record of it holds it.
	ActivityCatalogState = "CatalogState"
	// ActivityExpertPoolState reads an organ's expert pool as the store's record of it holds it.
	ActivityExpertPoolState = "ExpertPoolState"
)

// Change IDs of workflow.GetVersion: each marks where the workflow code changed under
// decisions already running, which keep the behaviour they started with when they replay.
const (
	// VersionNoticeOnCalendar: the comment period's shortest close is counted on the official
	// calendar, with the rulebook's roll-over, when the notice is published.
	VersionNoticeOnCalendar = "notice-on-calendar"
	// VersionDerivedValidity: which procedures a new consultation opens follows the table of
	// what survives a revision (procedure.Survives); histories recorded before keep expert and
	// controllable risk results through every revision.
	VersionDerivedValidity = "derived-validity"
	// VersionRecordedRecheck: an act's handler re-checks it under the lock and records the
	// verdict in the history, so replays keep the verdicts given whatever the rules become.
	VersionRecordedRecheck = "recorded-recheck"
	// VersionPartyAnswer: the report to the Party committee is a request, and the decision
	// waits for the committee's recorded answer before publication; before, the report
	// opened publication at once.
	VersionPartyAnswer = "party-answer"
	// VersionArchiveBesideImplementation: the archive handover's due date counts from the
	// decision (the approval of the minutes), and implementation starts on publication, the
	// handover following beside it (R-31, Art. 33); before, the due date counted from
	// publication and implementation waited for the handover.
	VersionArchiveBesideImplementation = "archive-beside-implementation"
	// VersionProposalFromCatalog: a proposal from a catalog item reads the catalog from the
	// store and is refused unless a published version lists the item; before, the item
	// was taken on the caller's word.
	VersionProposalFromCatalog = "proposal-from-catalog"
	// VersionPanelFromPool: a panel of a decision with a decision organ reads the organ's
	// expert pool from the store and is refused unless its experts are in the pool (R-14,
	// Arts. 21, 41); before, any expert could sit.
	VersionPanelFromPool = "panel-from-pool"
)
