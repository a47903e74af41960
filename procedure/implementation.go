package procedure

import "slices"

// Evaluation triggers.
const (
	// TriggerNotAchieved: the decision's effect is clearly not achieved.
	TriggerNotAchieved = "effect_not_achieved"
	// TriggerPublicOpinion: many public opinions about the decision.
	TriggerPublicOpinion = "public_opinion"
	// TriggerOrgan: the deciding organ deems an evaluation necessary.
	TriggerOrgan = "organ_decision"
)

// ImplementationReport is a periodic report by the execution unit.
type ImplementationReport struct {
	// Period names the period reported on.
	Period string `json:"period"`
	// Document is the SHA-256 of the report.
	Document string `json:"document"`
	// Late is set when it came after its due date.
	Late bool `json:"late,omitempty"`
}

// EvaluationStart starts a post-decision evaluation.
type EvaluationStart struct {
	// Trigger is one of the Trigger constants.
	Trigger string `json:"trigger"`
	// Evaluator is the evaluating unit.
	Evaluator string `json:"evaluator"`
	// Evaluators are the people who carry out the evaluation.
	Evaluators []string `json:"evaluators,omitempty"`
	// Reason explains the trigger.
	Reason string `json:"reason"`
	// Opinions is how many public opinions were on record when an evaluation on the
	// public-opinion trigger started; set by the engine.
	Opinions int `json:"opinions,omitempty"`
}

// Kinds of problem an execution unit reports to the decision organ (Art. 35 ¶1).
const (
	// ProblemInDecision: the decision itself has a problem.
	ProblemInDecision = "problem"
	// ProblemChangedCircumstances: the objective circumstances have changed materially.
	ProblemChangedCircumstances = "changed_circumstances"
	// ProblemForceMajeure: force majeure or the like seriously affects the decision's aims.
	ProblemForceMajeure = "force_majeure"
)

// ProblemReport is the execution unit's report to the decision organ of a problem with the
// decision in force (R-32, Art. 35 ¶1).
type ProblemReport struct {
	// Kind is one of the Problem constants.
	Kind string `json:"kind"`
	// Description says what happened and how it affects the decision's aims.
	Description string `json:"description"`
	// Document is the SHA-256 of the written report, if any.
	Document string `json:"document,omitempty"`
}

// PublicOpinion is an opinion or suggestion a citizen, legal person or other organisation made
// on the decision in force or its implementation, by letter, telephone, e-mail or otherwise,
// as the organ or the execution unit received it (Art. 35 ¶2). Recorded opinions ground the
// evaluation trigger of many public opinions (R-33, Art. 36).
type PublicOpinion struct {
	// Channel is how it came: letter, telephone, e-mail, website, visit…
	Channel string `json:"channel"`
	// Summary says what it says.
	Summary string `json:"summary"`
	// ReceivedOn is the day it was received, as declared; the record's own time is the
	// engine's, when the opinion is recorded.
	ReceivedOn Date `json:"received_on,omitempty"`
	// Document is the SHA-256 of the opinion as received, if kept.
	Document string `json:"document,omitempty"`
}

// Adjustment changes or stops the decision.
type Adjustment struct {
	// Kind is "change" or "stop".
	Kind string `json:"kind"`
	// Reason says why.
	Reason string `json:"reason"`
}

// Implementation is the state of the implementation stage.
type Implementation struct {
	// ExecutionUnit is the unit that executes the decision.
	ExecutionUnit string `json:"execution_unit,omitempty"`
	// PreDecisionUnits undertook the decision or did its main argumentation or assessment and
	// so may not evaluate.
	PreDecisionUnits []string `json:"pre_decision_units,omitempty"`
	// PreDecisionPeople drafted the decision, argued as experts or assessed its risk, and so
	// may not evaluate.
	PreDecisionPeople []string `json:"pre_decision_people,omitempty"`
	// Reports counts implementation reports received.
	Reports int `json:"reports"`
	// Evaluation is the evaluation under way, if any.
	Evaluation *EvaluationStart `json:"evaluation,omitempty"`
	// Evaluations counts completed evaluations.
	Evaluations int `json:"evaluations"`
	// Suspended is set by an urgent suspension until the head resumes execution or an
	// adjustment decides (R-34, Art. 37).
	Suspended bool `json:"suspended"`
	// Problems counts the execution unit's problem reports (Art. 35 ¶1).
	Problems int `json:"problems,omitempty"`
	// Opinions counts the public's opinions recorded (Art. 35 ¶2).
	Opinions int `json:"opinions,omitempty"`
}

// CheckExecutionUnit names the execution unit once.
func (m *Implementation) CheckExecutionUnit(a Actor, unit string) error {
	return firstError(requireRole(a, "确定执行单位", RoleOfficial, RoleHead),
		conflictIf(!Blank(m.ExecutionUnit), "执行单位已确定", "the execution unit is already named"),
		ruleRequired("R-32", unit, "执行单位", "execution unit"))
}

// CheckReport accepts an implementation report from the execution unit.
func (m *Implementation) CheckReport(a Actor, r ImplementationReport) error {
	return firstError(requireRole(a, "提交执行情况报告", RoleOfficial),
		ruleIf(Blank(m.ExecutionUnit), EFailedPrecondition, "R-32", "须先确定执行单位", "name the execution unit first"),
		required(r.Document, "报告文本", "report document"))
}

// CheckR33Evaluation: evaluation starts on one of the statutory triggers, by an evaluating unit
// and people that took no part in the decision before it was made: neither a unit nor a person
// that drafted, assessed the risk, argued as an expert or undertook the decision (Art. 36 ¶2).
func (m *Implementation) CheckR33Evaluation(a Actor, e EvaluationStart) error {
	return firstError(requireRole(a, "启动决策后评估", RoleOfficial, RoleHead),
		conflictIf(m.Evaluation != nil, "已有进行中的评估", "an evaluation is under way"),
		ruleIf(!slices.Contains([]string{TriggerNotAchieved, TriggerPublicOpinion, TriggerOrgan}, e.Trigger), EInvalid, "R-33",
			"评估须因实施效果明显未达到预期、公众意见较多或决策机关认为有必要而启动", "evaluation starts only on a statutory trigger"),
		ruleIf(e.Trigger == TriggerPublicOpinion && m.Opinions == 0, EFailedPrecondition, "R-33",
			"以公众意见较多为由启动评估，须有记录在案的公众意见", "an evaluation on the public-opinion trigger needs the public's opinions on record"),
		ruleRequired("R-33", e.Evaluator, "评估机构", "evaluator"),
		ruleIf(len(e.Evaluators) == 0, EInvalid, "R-33", "须载明承担评估的人员", "name the people who carry out the evaluation"),
		ruleIf(containsName(m.PreDecisionUnits, e.Evaluator) || containsName(m.PreDecisionPeople, e.Evaluator), EInvalid, "R-33",
			"承办决策或承担决策前起草、论证、评估工作的单位或人员不得作为评估机构",
			"a unit or person that undertook the decision or did its drafting, argumentation or assessment may not evaluate"),
		m.checkR33Evaluators(e.Evaluators),
	)
}

// checkR33Evaluators: each person named to carry out the evaluation is named, and took no part
// in the decision before it was made.
func (m *Implementation) checkR33Evaluators(people []string) error {
	for _, p := range people {
		if Blank(p) {
			return ruleError(EInvalid, "R-33", "评估人员姓名不能为空", "an evaluator's name is blank")
		}
		if containsName(m.PreDecisionPeople, p) {
			return ruleError(EInvalid, "R-33", "%s 曾起草、论证或评估本决策，不得承担评估", "%s drafted, argued or assessed the decision and may not evaluate it", p)
		}
	}
	return nil
}

// PreDecisionParties are the units and people who may not evaluate the decision (R-33, Art. 36
// ¶2): the undertaking units and the units that did its main argumentation or assessment, and
// every drafter, expert and risk assessor.
func (r *Record) PreDecisionParties() (units, people []string) {
	add := func(into []string, names ...string) []string {
		for _, n := range names {
			if !Blank(n) && !containsName(into, n) {
				into = append(into, n)
			}
		}
		return into
	}
	if r.Start != nil {
		for _, u := range r.Start.Units {
			units = add(units, u.Name)
		}
	}
	return add(units, r.PreDecisionUnits...), add(add(people, r.Drafters()...), r.PreDecisionPeople...)
}

// CheckR34Suspension: only the head may suspend urgently, with a logged reason.
func (m *Implementation) CheckR34Suspension(a Actor, reason string) error {
	return firstError(
		ruleIf(!a.Has(RoleHead), EPermissionDenied, "R-34", "只有行政首长可以紧急决定暂停执行", "only the head may suspend urgently"),
		conflictIf(m.Suspended, "已暂停执行", "already suspended"),
		ruleRequired("R-34", reason, "暂停理由", "reason"))
}

// CheckR34Resumption: only the head, who alone may suspend, resumes a suspended decision, with
// the reason it may go on (Art. 37).
func (m *Implementation) CheckR34Resumption(a Actor, reason string) error {
	return firstError(
		ruleIf(!a.Has(RoleHead), EPermissionDenied, "R-34", "只有行政首长可以决定恢复执行", "only the head may resume execution"),
		ruleIf(!m.Suspended, EFailedPrecondition, "R-34", "决策未暂停执行", "the decision is not suspended"),
		ruleRequired("R-34", reason, "恢复执行的理由", "reason"))
}

// CheckProblemReport accepts the execution unit's report of a problem with the decision in
// force: its kind, and what happened (R-32, Art. 35 ¶1).
func (m *Implementation) CheckProblemReport(a Actor, p ProblemReport) error {
	kinds := []string{ProblemInDecision, ProblemChangedCircumstances, ProblemForceMajeure}
	return firstError(requireRole(a, "报告决策执行中的问题", RoleOfficial),
		ruleIf(Blank(m.ExecutionUnit), EFailedPrecondition, "R-32", "须先确定执行单位", "name the execution unit first"),
		ruleIf(!slices.Contains(kinds, p.Kind), EInvalid, "R-32", "问题类型须为 problem、changed_circumstances 或 force_majeure",
			"the kind must be problem, changed_circumstances or force_majeure"),
		ruleRequired("R-32", p.Description, "问题情况", "description"))
}

// CheckPublicOpinion accepts an opinion of the public on the decision in force, as the organ or
// the execution unit received it: how it came and what it says (Art. 35 ¶2).
func (m *Implementation) CheckPublicOpinion(a Actor, o PublicOpinion) error {
	return firstError(requireRole(a, "登记公众意见建议", RoleOfficial, RoleHead),
		ruleRequired("R-32", o.Channel, "意见来源渠道", "channel"),
		ruleRequired("R-32", o.Summary, "意见内容", "summary"))
}

// CheckR34Adjustment: a change or stop goes through the statutory steps again.
func (m *Implementation) CheckR34Adjustment(a Actor, adj Adjustment) error {
	return firstError(requireRole(a, "启动决策调整", RoleOfficial, RoleHead),
		ruleIf(adj.Kind != "change" && adj.Kind != "stop", EInvalid, "R-34", "调整类型须为 change 或 stop", "kind must be change or stop"),
		ruleRequired("R-34", adj.Reason, "调整理由", "reason"))
}

// CheckEvaluationReport accepts the report of the evaluation under way.
func (m *Implementation) CheckEvaluationReport(a Actor, document string) error {
	return firstError(requireRole(a, "提交评估报告", RoleOfficial),
		failedIf(m.Evaluation == nil, "没有进行中的评估", "no evaluation is under way"),
		required(document, "评估报告", "evaluation report"))
}
