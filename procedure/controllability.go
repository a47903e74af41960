package procedure

import (
	"slices"
	"time"
)

// RiskFinding is the decision organ's finding on a risk assessment (Art. 24: 决策机关认为风险可控
// 的，可以作出决策): whether the risk the assessor reported is controllable, on the round that
// stands for the current draft, with its basis. The assessor grades; the organ finds.
type RiskFinding struct {
	// Controllable is the finding.
	Controllable bool `json:"controllable"`
	// Basis gives the organ's reasons, and how it departs from the assessor's grade if it does.
	Basis string `json:"basis"`
	// Round is the risk round the finding is on; the engine sets it.
	Round int `json:"round,omitempty"`
	// Grade is that round's grade, as the organ saw it; the engine sets it.
	Grade string `json:"grade,omitempty"`
	// By is the head who made it; the engine sets it.
	By string `json:"by,omitempty"`
	// At is when it was recorded; the engine sets it.
	At time.Time `json:"at"`
}

// CheckRiskFinding lets the head find, once per risk round, whether the risk the standing
// assessment reported is controllable (R-17, Art. 24).
func (r *Record) CheckRiskFinding(a Actor, f RiskFinding) error {
	res, ok := r.Standing(ProcRisk)
	return firstError(
		requireRole(a, "认定风险是否可控", RoleHead),
		failedIf(!r.Risk.Required, "本决策不需要风险评估", "this decision needs no risk assessment"),
		ruleIf(!ok, EFailedPrecondition, "R-17", "尚无适用于当前草案的风险评估报告", "no risk assessment stands for the current draft"),
		conflictIf(ok && r.riskFinding(res.Round) != nil, "本轮风险评估已有认定", "this assessment has a finding already"),
		ruleRequired("R-17", f.Basis, "认定理由", "basis"),
	)
}

// ApplyRiskFinding records the organ's finding on the standing assessment.
func (r *Record) ApplyRiskFinding(a Actor, f RiskFinding, at time.Time) {
	res, _ := r.Standing(ProcRisk)
	f.Round, f.Grade, f.By, f.At = res.Round, res.Outcome, a.ID, at
	r.RiskFindings = append(r.RiskFindings, f)
	r.Note(at, "risk_finding", a.ID, false, res.Outcome)
}

// riskFinding returns the organ's finding on risk round n, if any.
func (r *Record) riskFinding(n int) *RiskFinding {
	i := slices.IndexFunc(r.RiskFindings, func(f RiskFinding) bool { return f.Round == n })
	if i < 0 {
		return nil
	}
	return &r.RiskFindings[i]
}

// uncontrolled reports whether a risk result stands for a risk not controllable: the organ
// found so, or, before any finding, the assessor's grade is one the rulebook calls not
// controllable. Such a result survives no new draft.
func (r *Record) uncontrolled(res RoundResult) bool {
	if f := r.riskFinding(res.Round); f != nil {
		return !f.Controllable
	}
	return r.Rulebook.NotControllable(res.Outcome)
}

// checkR17Controllable: no legality review, and so no decision, until the organ has found the
// standing assessment's risk controllable (R-17, Art. 24).
func (r *Record) checkR17Controllable() error {
	res, ok := r.Standing(ProcRisk)
	switch {
	case !r.Risk.Required || !ok || r.allows(ProcRisk, res):
		return nil
	case r.uncontrolled(res):
		return ruleError(EFailedPrecondition, "R-17", "风险不可控，须修改草案并重新评估", "the risk is not controllable: revise the draft and reassess")
	}
	return ruleError(EFailedPrecondition, "R-17", "决策机关尚未就风险评估报告认定风险可控（第二十四条）",
		"the organ has not yet found the assessed risk controllable (Art. 24)")
}
