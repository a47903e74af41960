package procedure

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Kinds of the events an ExpertPool workflow records, from which its state is rebuilt.
const (
	// KindExpertAdmitted admits an expert to the pool (payload PoolExpert).
	KindExpertAdmitted = "expert_admitted"
	// KindExpertRemoved removes an expert from the pool (payload PoolRemoval).
	KindExpertRemoved = "expert_removed"
)

// PoolExpert is an expert admitted to a decision organ's expert pool (Art. 21), with the field
// of expertise and the expert's declaration of independence.
type PoolExpert struct {
	// ID identifies the expert as a user, as panels name them.
	ID string `json:"id"`
	// Name is shown in records.
	Name string `json:"name"`
	// Field is the field of expertise.
	Field string `json:"field"`
	// Declaration is the SHA-256 of the expert's signed declaration of independence.
	Declaration string `json:"declaration"`
	// AdmittedOn is set by the engine.
	AdmittedOn Date `json:"admitted_on"`
	// Removal is set once the expert has left the pool.
	Removal *PoolRemoval `json:"removal,omitempty"`
}

// PoolRemoval takes an expert out of the pool, with its reason; a false declaration of
// independence is the sanction of Art. 41 and bars readmission.
type PoolRemoval struct {
	// Expert is the expert removed.
	Expert string `json:"expert"`
	// Reason says why.
	Reason string `json:"reason"`
	// FalseDeclaration marks a removal for a false declaration (Art. 41).
	FalseDeclaration bool `json:"false_declaration,omitempty"`
	// Document is the SHA-256 of the finding; required for a false declaration.
	Document string `json:"document,omitempty"`
	// On is set by the engine.
	On Date `json:"on"`
}

// ExpertPool is a decision organ's pool of experts, from which argumentation panels are
// drawn (Art. 21). An empty pool is not checked: organs, and decisions, that predate the pool
// keep forming panels as before.
type ExpertPool struct {
	// Organ is the decision organ.
	Organ string `json:"organ"`
	// Experts are every expert ever admitted, removed ones included.
	Experts []PoolExpert `json:"experts"`
}

func (p *ExpertPool) find(id string) int {
	return slices.IndexFunc(p.Experts, func(e PoolExpert) bool { return SameName(e.ID, id) })
}

// CheckAdmit allows the organ to admit an expert with a field and a declaration of
// independence; an expert removed for a false declaration is not admitted again (Art. 41).
func (p *ExpertPool) CheckAdmit(a Actor, e PoolExpert) error {
	i := p.find(e.ID)
	return firstError(
		requireRole(a, "专家库入库", RoleHead, RoleOfficial),
		ruleRequired("R-14", e.ID, "专家标识", "expert ID"),
		ruleRequired("R-14", e.Name, "专家姓名", "name"),
		ruleRequired("R-14", e.Field, "专业领域", "field"),
		ruleRequired("R-14", e.Declaration, "独立性声明", "declaration of independence"),
		conflictIf(i >= 0 && p.Experts[i].Removal == nil, "专家已在库中", "the expert is in the pool already"),
		ruleIf(i >= 0 && p.Experts[i].Removal != nil && p.Experts[i].Removal.FalseDeclaration, EPermissionDenied, "R-14",
			"该专家因虚假声明被移出专家库，不得再次入库", "the expert was removed for a false declaration and cannot be admitted again (Art. 41)"),
	)
}

// Admit admits the expert on today.
func (p *ExpertPool) Admit(e PoolExpert, today Date) {
	e.AdmittedOn, e.Removal = today, nil
	if i := p.find(e.ID); i >= 0 {
		p.Experts[i] = e
		return
	}
	p.Experts = append(p.Experts, e)
}

// CheckRemove allows the organ to remove an expert in the pool, with a reason, and for a false
// declaration with its finding (Art. 41).
func (p *ExpertPool) CheckRemove(a Actor, r PoolRemoval) error {
	i := p.find(r.Expert)
	if i < 0 {
		return Errorf(ENotFound, "专家库中没有专家 %s", "no expert %s in the pool", r.Expert)
	}
	return firstError(
		requireRole(a, "专家出库", RoleHead, RoleOfficial),
		conflictIf(p.Experts[i].Removal != nil, "专家已移出专家库", "the expert was removed already"),
		ruleRequired("R-14", r.Reason, "移出理由", "reason"),
		ruleIf(r.FalseDeclaration && Blank(r.Document), EInvalid, "R-14", "因虚假声明移出须附认定文书", "a removal for a false declaration needs its finding"),
	)
}

// Remove takes the expert out of the pool on today.
func (p *ExpertPool) Remove(r PoolRemoval, today Date) {
	r.On = today
	p.Experts[p.find(r.Expert)].Removal = &r
}

// Active reports whether the expert is in the pool and not removed.
func (p *ExpertPool) Active(id string) bool {
	i := p.find(id)
	return i >= 0 && p.Experts[i].Removal == nil
}

// CheckR14Pool: a panel holds only experts drawn from the organ's pool and not removed from it
// (Arts. 21, 41). An empty pool is not checked (see ExpertPool).
func CheckR14Pool(pool ExpertPool, p Panel) error {
	if len(pool.Experts) == 0 {
		return nil
	}
	for _, e := range p.Experts {
		if !pool.Active(e.ID) {
			return ruleError(EInvalid, "R-14", "专家 %s 不在决策机关的专家库中或已被移出", "expert %s is not in the organ's expert pool, or was removed from it", e.ID)
		}
	}
	return nil
}

// ExpertPoolFromRecord rebuilds a pool's state from the events its workflow recorded, in order.
func ExpertPoolFromRecord(acts []ActRecord) (ExpertPool, error) {
	p := ExpertPool{Experts: []PoolExpert{}}
	for _, a := range acts {
		var err error
		switch a.Event.Kind {
		case KindExpertAdmitted:
			var e PoolExpert
			if err = json.Unmarshal([]byte(a.Payload), &e); err == nil {
				p.Admit(e, e.AdmittedOn)
			}
		case KindExpertRemoved:
			var r PoolRemoval
			if err = json.Unmarshal([]byte(a.Payload), &r); err == nil && p.find(r.Expert) >= 0 {
				p.Remove(r, r.On)
			}
		}
		if err != nil {
			return p, fmt.Errorf("read expert pool act %s#%d: %w", a.WorkflowID, a.Seq, err)
		}
	}
	return p, nil
}
