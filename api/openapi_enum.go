package api

import (
	"reflect"
	"slices"

	"decisionflow/procedure"
)

// enum is a closed set of string values the published document lists, named as a component
// so a generated client has one type with a constant per value.
type enum struct {
	name        string
	description string
	values      []string
}

func enumOf[T ~string](name, description string, values ...T) enum {
	e := enum{name: name, description: description}
	for _, v := range values {
		e.values = append(e.values, string(v))
	}
	return e
}

// enumTypes are the procedure's typed enumerations, by Go type, listed by the procedure's own
// constants; TestOpenAPI_EnumsComplete fails when the procedure declares one not listed here.
var enumTypes = map[reflect.Type]enum{
	reflect.TypeFor[procedure.Stage](): enumOf("Stage", "决策阶段 / the decision's stage",
		procedure.StageStart, procedure.StageDrafting, procedure.StageConsultation, procedure.StageLegalityReview,
		procedure.StageCollectiveDiscussion, procedure.StagePartyReport, procedure.StagePublication, procedure.StageArchive,
		procedure.StageImplementation, procedure.StageClosed),
	reflect.TypeFor[procedure.Role](): enumOf("Role", "角色 / a person's role",
		procedure.RoleOfficial, procedure.RoleLegalCounsel, procedure.RoleLegalAdviser, procedure.RoleExpert,
		procedure.RoleRiskAssessor, procedure.RoleMeetingSecretary, procedure.RoleHead, procedure.RolePartyLiaison,
		procedure.RoleAuditor, procedure.RoleAdmin),
	reflect.TypeFor[procedure.Unit](): enumOf("Unit", "期限计日方式 / how a period counts days",
		procedure.CalendarDays, procedure.WorkingDays),
	reflect.TypeFor[procedure.Disposition](): enumOf("Disposition", "意见处理结果 (R-10) / how a comment was disposed of",
		procedure.Adopted, procedure.PartlyAdopted, procedure.NotAdopted),
	reflect.TypeFor[procedure.ProposalSource](): enumOf("ProposalSource", "决策建议来源 / where a proposal comes from",
		procedure.SourceCatalog, procedure.SourceDepartment, procedure.SourceLowerGovernment, procedure.SourceOrgan),
}

// fieldEnum is an enumeration the procedure keeps in a plain string field, with its values
// declared as constants beside the field's type.
type fieldEnum struct {
	in    reflect.Type
	field string
	enum
}

// fieldEnums are the plain string fields whose values the procedure declares; the risk grade
// is on the scale of the rulebooks the server runs. TestOpenAPI_FieldEnums fails when a field
// here is not in its type's schema.
func (s *schemas) fieldEnums() []fieldEnum {
	codes := make([]string, 0, len(statusByCode))
	for code := range statusByCode {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return []fieldEnum{
		{reflect.TypeFor[Problem](), "code", enumOf("ErrorCode", "稳定的错误码 / the stable error code clients branch on", codes...)},
		{reflect.TypeFor[procedure.LegalityOpinion](), "outcome", enumOf("LegalityOutcome", "合法性审查结论 (R-22) / the legality review's outcome",
			procedure.OutcomeLawful, procedure.OutcomeRevise, procedure.OutcomeUnlawful, procedure.OutcomeExploratory)},
		{reflect.TypeFor[procedure.Meeting](), "kind", enumOf("MeetingKind", "会议类型 (R-25) / the kind of meeting",
			procedure.MeetingExecutive, procedure.MeetingPlenary)},
		{reflect.TypeFor[procedure.View](), "position", enumOf("Position", "与会人员意见 (R-26) / a member's position",
			procedure.DecisionApprove, procedure.DecisionReject, procedure.DecisionRevise)},
		{reflect.TypeFor[procedure.Minutes](), "decision", enumOf("HeadDecision", "行政首长的决定 (R-27) / the head's decision",
			procedure.DecisionApprove, procedure.DecisionReject, procedure.DecisionRevise, procedure.DecisionDefer, procedure.DecisionRediscuss)},
		{reflect.TypeFor[procedure.PartyAnswer](), "outcome", enumOf("PartyAnswerOutcome", "党委的答复 (R-29) / the Party committee's answer",
			procedure.PartyAgreed, procedure.PartyAgreedWithChanges, procedure.PartyNotAgreed)},
		{reflect.TypeFor[procedure.ProblemReport](), "kind", enumOf("ProblemKind", "执行中发现的问题 (R-32) / the kind of problem in implementation",
			procedure.ProblemInDecision, procedure.ProblemChangedCircumstances, procedure.ProblemForceMajeure)},
		{reflect.TypeFor[procedure.Verdict](), "outcome", enumOf("VerdictOutcome", "规则核查结论 / the legal replay's finding on a rule",
			procedure.VerdictSatisfied, procedure.VerdictNotApplicable, procedure.VerdictNotReached, procedure.VerdictViolated)},
		{reflect.TypeFor[procedure.Document](), "media_type", enumOf("DocumentMediaType", "文件类型 / a document's media type",
			procedure.DocumentTypes...)},
		{reflect.TypeFor[procedure.RiskReport](), "grade", enumOf("RiskGrade", "风险等级，依规则集 (R-17) / the risk grade on the rulebook's scale",
			s.grades...)},
	}
}

// riskGrades are the grades of every rulebook, each once, lowest first as the first rulebook
// (by ID) that has it lists them.
func riskGrades(books procedure.Rulebooks) []string {
	ids := make([]string, 0, len(books))
	for id := range books {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []string
	for _, id := range ids {
		for _, g := range books[id].RiskGrades {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}
