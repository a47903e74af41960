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
	// Suspended is set by an urgent suspension until an adjustment decides.
	Suspended bool `json:"suspended"`
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
