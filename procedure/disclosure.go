package procedure

import "time"

// DisclosureFinding is the decision organ's finding that a decision is, or is no longer, not
// disclosable by law (Arts. 14, 32). The start decision makes it first, in its participation
// applicability; a change is the head's act with its basis, recorded and shown, never a
// publication's say-so.
type DisclosureFinding struct {
	// NotDisclosable is the finding: true if the decision is not disclosable by law.
	NotDisclosable bool `json:"not_disclosable"`
	// LegalBasis is the law the finding rests on; required either way.
	LegalBasis string `json:"legal_basis"`
	// By is the head who made the finding; the engine sets it.
	By string `json:"by,omitempty"`
	// At is when it was recorded; the engine sets it.
	At time.Time `json:"at"`
}

// CheckDisclosureFinding lets the head change the finding, with its legal basis, before the
// decision is published.
func (r *Record) CheckDisclosureFinding(a Actor, f DisclosureFinding) error {
	return firstError(
		requireRole(a, "变更是否依法不予公开的认定", RoleHead),
		failedIf(r.Start == nil, "启动决定记录前尚无认定可变更", "no finding to change before the start decision"),
		failedIf(r.Publication != nil, "决策已公布", "the decision is published"),
		failedIf(r.Decision.Stage == StageClosed, "决策已终结", "the decision is closed"),
		ruleIf(f.NotDisclosable == r.NotDisclosable(), EConflict, "R-30", "认定未改变", "the finding is unchanged"),
		ruleRequired("R-30", f.LegalBasis, "法律依据", "legal basis"),
	)
}

// ApplyDisclosureFinding records the changed finding, which publication then follows.
func (r *Record) ApplyDisclosureFinding(a Actor, f DisclosureFinding, at time.Time) {
	f.By, f.At = a.ID, at
	r.Disclosure = &f
	r.Note(at, "disclosure_finding", a.ID, false, f.LegalBasis)
}
