package procedure

import (
	"slices"
	"strings"
)

// GroupConsultation records how a group specifically affected by the decision was consulted
// and what it said (Art. 14 ¶3).
type GroupConsultation struct {
	// Group is the group consulted, as the start decision or the notice names it.
	Group string `json:"group"`
	// Method is how it was consulted: a forum, visits, a survey, a hearing.
	Method string `json:"method"`
	// Opinions is the SHA-256 of the document holding the group's opinions.
	Opinions string `json:"opinions"`
	// On is the day the consultation was recorded; set by the engine.
	On Date `json:"on"`
}

// AffectedGroups are the groups the decision specifically affects, as the start decision's
// participation finding (Round's Groups) and the notice declare them (Art. 14 ¶3); each one
// must be consulted before the adoption report.
func (p *Participation) AffectedGroups() []string {
	groups := slices.Clone(p.Groups)
	if p.Notice != nil {
		for _, g := range p.Notice.AffectedGroups {
			if !Blank(g) && !containsName(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	return groups
}

// UnconsultedGroups lists the affected groups with no consultation recorded.
func (p *Participation) UnconsultedGroups() []string {
	var out []string
	for _, g := range p.AffectedGroups() {
		if !slices.ContainsFunc(p.GroupConsultations, func(c GroupConsultation) bool { return SameName(c.Group, g) }) {
			out = append(out, g)
		}
	}
	return out
}

// CheckGroupConsultation lets the unit record a consultation of a group specifically affected,
// during the round, before its adoption report.
func (p *Participation) CheckGroupConsultation(a Actor, c GroupConsultation) error {
	return firstError(
		requireAssigned(a, "听取特定群体意见", p.Officials),
		conflictIf(p.Report != nil, "采纳情况报告已提交", "the adoption report is already in"),
		ruleRequired("R-10", c.Group, "特定群体", "group"),
		ruleRequired("R-10", c.Method, "听取意见的方式", "how the group was consulted"),
		ruleRequired("R-10", c.Opinions, "特定群体的意见", "the group's opinions"),
	)
}

// checkR10Groups: the adoption report waits until every group the decision specifically
// affects has been heard (Art. 14 ¶3).
func (p *Participation) checkR10Groups() error {
	missing := p.UnconsultedGroups()
	return ruleIf(len(missing) > 0, EFailedPrecondition, "R-10",
		"决策事项涉及特定群体利益，尚未听取其意见："+joinGroups(missing),
		"the decision specifically affects groups not yet heard: "+joinGroups(missing))
}

func joinGroups(gs []string) string { return strings.Join(gs, ", ") }
