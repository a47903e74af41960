package procedure

import "slices"

// RiskPoint is one identified risk and how it is prevented.
type RiskPoint struct {
	// Description says what could go wrong.
	Description string `json:"description"`
	// Mitigation says how it is prevented or reduced.
	Mitigation string `json:"mitigation"`
}

// RiskReport is the risk assessment report.
type RiskReport struct {
	// Points are the risk points, at least one.
	Points []RiskPoint `json:"points"`
	// ResponsePlan is the plan for when a risk materialises.
	ResponsePlan string `json:"response_plan"`
	// DepartmentsHeard lists the relevant departments whose views were heard.
	DepartmentsHeard []string `json:"departments_heard"`
	// Grade is the risk grade on the rulebook's scale.
	Grade string `json:"grade"`
	// Document is the SHA-256 of the report.
	Document string `json:"document"`
	// Signature is the assessor's signature.
	Signature string `json:"signature"`
}

// Assessment is the state of one risk assessment round.
type Assessment struct {
	// DraftVersion is the draft assessed.
	DraftVersion int `json:"draft_version"`
	// Report is the filed report.
	Report *RiskReport `json:"report,omitempty"`
	// Assessors are the people or units the decision named to assess its risk when the round
	// started; empty, any risk assessor may file the report (a decision that names none, or a
	// round started before rounds were told them).
	Assessors []string `json:"assessors,omitempty"`
}

// CheckR16Report: a report with at least one risk point, prevention measures, a response plan
// and a record that relevant departments were heard.
func CheckR16Report(r RiskReport) error {
	if len(r.Points) == 0 {
		return ruleError(EInvalid, "R-16", "风险评估报告须列明至少一个风险点", "the report must name at least one risk point")
	}
	for _, p := range r.Points {
		if Blank(p.Description) || Blank(p.Mitigation) {
			return ruleError(EInvalid, "R-16", "每个风险点须有描述和防范措施", "each risk point needs a description and prevention measures")
		}
	}
	return firstError(
		ruleRequired("R-16", r.ResponsePlan, "风险应对预案", "response plan"),
		ruleIf(!slices.ContainsFunc(r.DepartmentsHeard, func(d string) bool { return !Blank(d) }), EInvalid, "R-16", "须记录听取有关部门意见情况", "record which relevant departments were heard"),
		ruleRequired("R-16", r.Document, "评估报告", "report document"),
		ruleRequired("R-16", r.Signature, "评估人签名", "assessor's signature"),
	)
}

// CheckR17Grade: the grade is on the rulebook's scale.
func CheckR17Grade(rb Rulebook, grade string) error {
	return ruleIf(!slices.Contains(rb.RiskGrades, grade), EInvalid, "R-17", "风险等级不在规则集的等级之内", "the grade is not on the rulebook's risk scale")
}

// CheckReport allows the assessor the decision names, or any assessor where it names none
// to file the round's report.
func (x *Assessment) CheckReport(a Actor, rb Rulebook, r RiskReport) error {
	return firstError(
		requireRole(a, "提交风险评估报告", RoleRiskAssessor),
		requireNamed(a, "提交风险评估报告", x.Assessors, "风险评估人员", "risk assessors"),
		conflictIf(x.Report != nil, "本轮风险评估报告已提交", "the report of this round is in"),
		CheckR16Report(r),
		CheckR17Grade(rb, r.Grade),
	)
}
