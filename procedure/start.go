package procedure

// ProposalSource is where a decision proposal comes from.
type ProposalSource string

// Proposal sources (Art. 10).
const (
	// SourceCatalog is an item of the published decision catalog.
	SourceCatalog ProposalSource = "catalog"
	// SourceDepartment is a proposal by a department of the government.
	SourceDepartment ProposalSource = "department"
	// SourceLowerGovernment is a proposal by a lower-level government.
	SourceLowerGovernment ProposalSource = "lower_government"
	// SourceOrgan is the deciding organ's own initiative.
	SourceOrgan ProposalSource = "organ"
)

// Proposal is the request to make a decision.
type Proposal struct {
	// Source says who proposes.
	Source ProposalSource `json:"source"`
	// Catalog is the catalog's workflow ID, for SourceCatalog, e.g. "catalog/baodi/2026".
	Catalog string `json:"catalog,omitempty"`
	// CatalogItem names the catalog item, for SourceCatalog.
	CatalogItem string `json:"catalog_item,omitempty"`
	// Problem is the problem the decision addresses.
	Problem string `json:"problem"`
	// Basis is the legal and policy basis.
	Basis string `json:"basis"`
	// Solution is the preliminary solution.
	Solution string `json:"solution"`
	// Necessity explains why a decision is needed.
	Necessity string `json:"necessity"`
	// Feasibility explains why the solution can work.
	Feasibility string `json:"feasibility"`
}

// UndertakingUnit is a unit named by the start decision to undertake the decision.
type UndertakingUnit struct {
	// Name is the unit's name.
	Name string `json:"name"`
	// Lead marks the lead unit when several undertake the decision.
	Lead bool `json:"lead,omitempty"`
}

// Exemption records why an optional procedure is not run, decided at start.
type Exemption struct {
	// Required is true when the procedure runs.
	Required bool `json:"required"`
	// Finding is the recorded reason a procedure is not required.
	Finding string `json:"finding,omitempty"`
	// LegalBasis is the legal basis of a non-disclosure finding (public participation only).
	LegalBasis string `json:"legal_basis,omitempty"`
	// EarlierAssessment links an earlier assessment of the same risk (risk assessment only).
	EarlierAssessment string `json:"earlier_assessment,omitempty"`
	// AffectedGroups are the groups the decision specifically affects, whose opinions each
	// participation round must hear (public participation only; Art. 14 ¶3).
	AffectedGroups []string `json:"affected_groups,omitempty"`
}

// Applicability says which procedures a decision must run, with reasons for each one skipped.
type Applicability struct {
	// Participation is public participation (Art. 14).
	Participation Exemption `json:"participation"`
	// Expert is expert argumentation (Art. 19).
	Expert Exemption `json:"expert"`
	// Risk is risk assessment (Art. 22).
	Risk Exemption `json:"risk"`
	// FairCompetition is the fair-competition review (Art. 29).
	FairCompetition Exemption `json:"fair_competition"`
}

// StartDecision is the recorded decision to start the procedure.
type StartDecision struct {
	// Units are the undertaking units.
	Units []UndertakingUnit `json:"units"`
	// Officials are the people of the undertaking units who run the decision; they draft it and
	// so may not review its legality.
	Officials []string `json:"officials"`
	// Assessors are the people or units — a third-party institution by its name — who assess
	// the decision's risk (Art. 22; R-36). None named, any risk assessor may, as for decisions
	// started before assessors were named.
	Assessors []string `json:"assessors,omitempty"`
	// Reviewers are the people or the reviewing office (the 司法行政部门 of the decision organ,
	// by its name) who review the decision's legality (Art. 25; R-36). None named, any legal
	// counsel who did not draft may, as for decisions started before reviewers were named.
	Reviewers []string `json:"reviewers,omitempty"`
	// Secretaries are the people or units who schedule the decision's meeting and record its
	// minutes (Art. 30; R-36). None named, any meeting secretary may, as for decisions started
	// before secretaries were named.
	Secretaries []string `json:"secretaries,omitempty"`
	// DecidedOn is the day the start was decided.
	DecidedOn Date `json:"decided_on"`
	// Document is the SHA-256 of the start decision document.
	Document string `json:"document"`
	// Applicability records which procedures run and why any is skipped.
	Applicability Applicability `json:"applicability"`
}

// CheckR01StartDecision: no drafting before a recorded start decision naming at least one
// undertaking unit, exactly one of them lead if there are several; the assessors, reviewers
// and secretaries it names are checked as an assignment's are (checkNamed, R-36).
func CheckR01StartDecision(s StartDecision) error {
	if len(s.Units) == 0 {
		return ruleError(EInvalid, "R-01", "启动决定须指定至少一个承办单位", "the start decision must name at least one undertaking unit")
	}
	leads := 0
	for _, u := range s.Units {
		if Blank(u.Name) {
			return ruleError(EInvalid, "R-01", "承办单位名称不能为空", "an undertaking unit has no name")
		}
		if u.Lead {
			leads++
		}
	}
	if len(s.Units) > 1 && leads != 1 {
		return ruleError(EInvalid, "R-01", "多个承办单位时须且只能指定一个牵头单位（现为 %d 个）",
			"several undertaking units need exactly one lead (got %d)", leads)
	}
	if len(s.Officials) == 0 {
		return ruleError(EInvalid, "R-01", "须指定承办人员", "the start decision must name the officials who run the decision")
	}
	if err := checkNamed(s); err != nil {
		return err
	}
	return required(s.Document, "启动决定文书", "start decision document")
}

// requireHeadStarts: the start decision and its applicability findings are the decision
// organ's act, made by its head, never by the undertaking unit's officials (R-01; Arts. 10–11).
func requireHeadStarts(a Actor) error {
	return firstError(
		ruleIf(a.ID != "" && !a.Has(RoleHead), EPermissionDenied, "R-01", "启动决定及其适用性认定是决策机关的决定，由行政首长作出，承办人员不得作出",
			"the start decision and its applicability findings are the decision organ's, made by its head, not by the undertaking unit's officials"),
		requireRole(a, "作出启动决定", RoleHead),
	)
}

// CheckR02Proposal: a proposal from a department or a lower government records problem,
// basis, preliminary solution, necessity and feasibility.
func CheckR02Proposal(p Proposal) error {
	switch p.Source {
	case SourceCatalog:
		return firstError(required(p.Catalog, "决策事项目录", "catalog"), required(p.CatalogItem, "决策事项目录条目", "catalog item"))
	case SourceOrgan:
		return nil
	case SourceDepartment, SourceLowerGovernment:
		return firstError(
			ruleRequired("R-02", p.Problem, "拟解决的主要问题", "problem"),
			ruleRequired("R-02", p.Basis, "建议依据", "basis"),
			ruleRequired("R-02", p.Solution, "初步方案", "preliminary solution"),
			ruleRequired("R-02", p.Necessity, "必要性", "necessity"),
			ruleRequired("R-02", p.Feasibility, "可行性", "feasibility"),
		)
	}
	return Errorf(EInvalid, "未知的建议来源 %q", "unknown proposal source %q", p.Source)
}

// CheckApplicability enforces the skip conditions of the applicability table: public
// participation needs "not disclosable by law" with a legal basis; expert argumentation
// a recorded finding; risk assessment a finding or an earlier assessment; the
// fair-competition review a finding.
func CheckApplicability(a Applicability) error {
	if !a.Participation.Required && (Blank(a.Participation.Finding) || Blank(a.Participation.LegalBasis)) {
		return ruleError(EInvalid, "R-05", "不公开征求意见须记录“依法不予公开”的认定及其法律依据",
			"skipping public participation needs a recorded finding that the matter is not disclosable by law and its legal basis")
	}
	if !a.Expert.Required && Blank(a.Expert.Finding) {
		return ruleError(EInvalid, "R-12", "不组织专家论证须记录事项不具专业性、技术性的认定",
			"skipping expert argumentation needs a recorded finding that the matter is not specialised")
	}
	if !a.Risk.Required && Blank(a.Risk.Finding) && Blank(a.Risk.EarlierAssessment) {
		return ruleError(EInvalid, "R-16", "不开展风险评估须记录无不利影响的认定或关联此前的同类评估",
			"skipping risk assessment needs a finding of no adverse impact or a link to an earlier assessment")
	}
	if !a.FairCompetition.Required && Blank(a.FairCompetition.Finding) {
		return Errorf(EInvalid, "不进行公平竞争审查须记录不涉及市场主体经济活动的认定",
			"skipping the fair-competition review needs a finding that the draft does not affect market entities")
	}
	return nil
}

func ruleRequired(rule, value, fieldZH, fieldEN string) error {
	if Blank(value) {
		return &Error{Code: EInvalid, Message: rule + "：" + fieldZH + "不能为空", MessageEN: rule + ": " + fieldEN + " is required"}
	}
	return nil
}

// LeadUnit is the lead undertaking unit, or the only one.
func (s StartDecision) LeadUnit() string {
	for _, u := range s.Units {
		if u.Lead {
			return u.Name
		}
	}
	if len(s.Units) > 0 {
		return s.Units[0].Name
	}
	return ""
}
