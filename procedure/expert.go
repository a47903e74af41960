package procedure

import "slices"

// Expert is one member of an expert panel with the conflict check stored for this matter.
type Expert struct {
	// ID identifies the expert (or institution) as a user.
	ID string `json:"id"`
	// Name is shown in records.
	Name string `json:"name"`
	// Expertise is the field of expertise.
	Expertise string `json:"expertise"`
	// Institution is set when an institution gives the opinion under its seal.
	Institution bool `json:"institution,omitempty"`
	// SectorOfficial marks an official of the sector concerned.
	SectorOfficial bool `json:"sector_official,omitempty"`
	// ConflictChecked records that the conflict check was done.
	ConflictChecked bool `json:"conflict_checked"`
	// DirectInterest is the check's finding; an expert with a direct interest is excluded.
	DirectInterest bool `json:"direct_interest"`
}

// Panel is the expert panel of one argumentation round.
type Panel struct {
	// Experts are the members.
	Experts []Expert `json:"experts"`
	// Expertise explains the coverage of expertise.
	Expertise string `json:"expertise"`
	// Representativeness explains how the panel represents the fields concerned.
	Representativeness string `json:"representativeness"`
	// Neutrality explains how neutrality was ensured.
	Neutrality string `json:"neutrality"`
	// DifferingViewsInvited records whether experts with differing views were invited.
	DifferingViewsInvited bool `json:"differing_views_invited"`
}

// ExpertOpinion is one expert's written opinion.
type ExpertOpinion struct {
	// Expert is set from the actor.
	Expert string `json:"expert"`
	// Document is the SHA-256 of the opinion.
	Document string `json:"document"`
	// Signature is the expert's signature, or the institution's seal.
	Signature string `json:"signature"`
	// Late is set when it came after the due date.
	Late bool `json:"late,omitempty"`
}

// Argumentation is the state of one expert argumentation round.
type Argumentation struct {
	// DraftVersion is the draft argued.
	DraftVersion int `json:"draft_version"`
	// Drafters may not sit on the panel.
	Drafters []string `json:"drafters"`
	// Panel is the formed panel.
	Panel *Panel `json:"panel,omitempty"`
	// Due is the opinions' due date.
	Due *Deadline `json:"due,omitempty"`
	// Opinions are the opinions received.
	Opinions []ExpertOpinion `json:"opinions,omitempty"`
	// Report is the SHA-256 of the adoption report of expert opinions.
	Report string `json:"report,omitempty"`
}

// CheckR14Conflicts: every expert's conflict check is stored and none has a direct interest.
func CheckR14Conflicts(p Panel, drafters []string) error {
	for _, e := range p.Experts {
		if !e.ConflictChecked {
			return ruleError(EInvalid, "R-14", "专家 %s 未做利害关系审查", "expert %s has no conflict check", e.ID)
		}
		if e.DirectInterest || containsName(drafters, e.ID) {
			return ruleError(EInvalid, "R-14", "专家 %s 与决策事项有直接利害关系，应当回避", "expert %s has a direct interest and is excluded", e.ID)
		}
	}
	return nil
}

// CheckR15Selection: the selection records expertise, representativeness and neutrality, and
// the panel's size and share of sector officials keep to the rulebook.
func CheckR15Selection(rb Rulebook, p Panel) error {
	n, officials := len(p.Experts), 0
	for _, e := range p.Experts {
		if e.SectorOfficial {
			officials++
		}
	}
	rules := rb.ExpertPanel
	return firstError(
		ruleRequired("R-15", p.Expertise, "专业性说明", "expertise"),
		ruleRequired("R-15", p.Representativeness, "代表性说明", "representativeness"),
		ruleRequired("R-15", p.Neutrality, "中立性说明", "neutrality"),
		ruleIf(n < rules.MinSize, EInvalid, "R-15", "专家人数少于规定人数", "the panel is smaller than the rulebook's minimum"),
		ruleIf(rules.Odd && n%2 == 0, EInvalid, "R-15", "专家人数须为单数", "the panel must have an odd number of experts"),
		ruleIf(n > 0 && float64(officials)/float64(n) > rules.MaxOfficialShare+1e-9, EInvalid, "R-15",
			"行业主管部门人员比例超过规定", "the share of sector officials exceeds the rulebook's limit"),
	)
}

// CheckPanel allows the unit to form the panel once per round.
func (x *Argumentation) CheckPanel(a Actor, rb Rulebook, p Panel) error {
	return firstError(
		requireAssigned(a, "组建专家论证组", x.Drafters),
		conflictIf(x.Panel != nil, "本轮专家论证组已组建", "the panel of this round is formed"),
		invalidIf(len(p.Experts) == 0, "专家论证组不能为空", "the panel is empty"),
		CheckR14Conflicts(p, x.Drafters),
		CheckR15Selection(rb, p),
	)
}

// CheckOpinion accepts one signed opinion per panel member.
func (x *Argumentation) CheckOpinion(a Actor, o ExpertOpinion) error {
	if err := firstError(requireRole(a, "提交专家论证意见", RoleExpert), failedIf(x.Panel == nil, "专家论证组尚未组建", "no panel formed")); err != nil {
		return err
	}
	onPanel := slices.ContainsFunc(x.Panel.Experts, func(e Expert) bool { return SameName(e.ID, a.ID) })
	return firstError(
		invalidIf(!onPanel, "提交人不是本轮论证专家", "the actor is not on the panel"),
		ruleIf(slices.ContainsFunc(x.Opinions, func(o ExpertOpinion) bool { return o.Expert == a.ID }), EConflict, "R-36",
			"每位专家每轮论证只出具一份意见", "one expert gives one opinion per argumentation"),
		ruleRequired("R-13", o.Document, "论证意见", "opinion document"),
		ruleIf(Blank(o.Signature), EInvalid, "R-13", "书面论证意见须经专家签名或机构盖章，未签名的不作为依据",
			"a written opinion must be signed (expert) or sealed (institution); unsigned is not evidence"),
	)
}

// CheckReport accepts the adoption report of expert opinions once every expert has answered.
func (x *Argumentation) CheckReport(a Actor, document string) error {
	return firstError(
		requireAssigned(a, "提交专家意见采纳情况", x.Drafters),
		failedIf(x.Panel == nil || len(x.Opinions) < len(x.Panel.Experts), "尚有专家未提交意见", "not every expert has given an opinion"),
		conflictIf(x.Report != "", "已提交", "already submitted"),
		required(document, "采纳情况报告", "report document"),
	)
}
