package procedure

import (
	"slices"
	"strings"
	"time"
)

// Ways a disagreement between departments is settled (Art. 13 ¶2).
const (
	// SettledByAgreement: the departments reached agreement through consultation (协商一致).
	SettledByAgreement = "agreed"
	// SettledByOrgan: the disagreement was referred to the decision organ, which decided it
	// (报请决策机关决定).
	SettledByOrgan = "referred"
)

// Settlement records how a department's disagreement with the draft was settled (Art. 13 ¶2).
type Settlement struct {
	// How is SettledByAgreement or SettledByOrgan.
	How string `json:"how"`
	// Document is the SHA-256 of the minutes of agreement or of the organ's decision.
	Document string `json:"document"`
}

// DepartmentOpinion is one department's opinion on the draft, asked during drafting (Art. 13).
type DepartmentOpinion struct {
	// Department is the department consulted.
	Department string `json:"department"`
	// Opinion is the SHA-256 of its written opinion.
	Opinion string `json:"opinion"`
	// Disagrees marks an opinion that disagrees with the draft.
	Disagrees bool `json:"disagrees,omitempty"`
	// Settlement is how a disagreement was settled; empty while it is open.
	Settlement *Settlement `json:"settlement,omitempty"`
	// DraftVersion is the draft the opinion concerns; set by the engine.
	DraftVersion int `json:"draft_version,omitempty"`
}

// DepartmentConsultation records the departments concerned consulted during drafting, each
// one's opinion and how any disagreement was settled (Art. 13). A department recorded again
// (its disagreement settled since, or a new opinion) counts by its latest entry.
type DepartmentConsultation struct {
	// Opinions are the departments' opinions.
	Opinions []DepartmentOpinion `json:"opinions"`
}

// CheckDepartmentConsultation lets an official assigned to the decision record consultations
// of the departments concerned while the decision is drafted.
func (r *Record) CheckDepartmentConsultation(a Actor, c DepartmentConsultation) error {
	if err := firstError(
		requireAssigned(a, "征求有关部门意见", r.officials()),
		r.requireStage("征求有关部门意见", StageDrafting, StageConsultation),
		ruleIf(r.DraftVersion() == 0, EFailedPrecondition, "R-18", "尚无决策草案可征求部门意见", "there is no draft to consult the departments on"),
		ruleIf(len(c.Opinions) == 0, EInvalid, "R-18", "须列明征求意见的部门", "name the departments consulted"),
	); err != nil {
		return err
	}
	var seen []string
	for _, o := range c.Opinions {
		if err := checkDepartmentOpinion(o, seen); err != nil {
			return err
		}
		seen = append(seen, o.Department)
	}
	return nil
}

func checkDepartmentOpinion(o DepartmentOpinion, seen []string) error {
	s := o.Settlement
	return firstError(
		ruleRequired("R-18", o.Department, "部门名称", "department"),
		ruleIf(containsName(seen, o.Department), EInvalid, "R-18", "部门 "+o.Department+" 重复列出", "department "+o.Department+" is listed twice"),
		ruleRequired("R-18", o.Opinion, "部门意见", "department's opinion"),
		ruleIf(s != nil && !o.Disagrees, EInvalid, "R-18", "没有分歧意见，无需协调", "there is no disagreement to settle"),
		ruleIf(s != nil && s.How != SettledByAgreement && s.How != SettledByOrgan, EInvalid, "R-18",
			"分歧意见须经协商一致或报请决策机关决定", "a disagreement is settled by agreement or referred to the decision organ"),
		ruleIf(s != nil && Blank(s.Document), EInvalid, "R-18", "分歧意见的协调结果须附文书", "a settlement needs its document"),
	)
}

// ApplyDepartmentConsultation records the opinions on the current draft.
func (r *Record) ApplyDepartmentConsultation(a Actor, c DepartmentConsultation, at time.Time) {
	for _, o := range c.Opinions {
		o.DraftVersion = r.DraftVersion()
		r.Departments = append(r.Departments, o)
	}
	r.Note(at, "department_consultation", a.ID, false, "")
}

// OpenDisagreements lists the departments whose latest opinion disagrees with the draft and
// is not settled.
func (r *Record) OpenDisagreements() []string {
	var open, done []string
	for _, o := range slices.Backward(r.Departments) {
		if containsName(done, o.Department) {
			continue
		}
		done = append(done, o.Department)
		if o.Disagrees && o.Settlement == nil {
			open = append(open, o.Department)
		}
	}
	return open
}

// checkR18Disagreements: the draft goes to legality review only with every disagreement of
// the departments concerned settled (Art. 13 ¶2). The gate is the legality submission, not
// the meeting package: consulting the departments is part of drafting (Art. 13 sits between
// the drafting of Art. 12 and the consultation of Art. 14), a referral to the organ may still
// change the draft, and the review must see the final draft (Art. 25), so a draft with an
// open disagreement is not yet final.
func (r *Record) checkR18Disagreements() error {
	open := r.OpenDisagreements()
	return ruleIf(len(open) > 0, EFailedPrecondition, "R-18",
		"有关部门的分歧意见尚未协调（协商一致或报请决策机关决定）："+strings.Join(open, "、"),
		"the disagreements of departments concerned are not settled (by agreement or by the organ): "+strings.Join(open, ", "))
}
