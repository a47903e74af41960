package procedure

import "time"

// FairCompetitionReview records the fair-competition review of the draft (Art. 29).
type FairCompetitionReview struct {
	// Document is the SHA-256 of the review.
	Document string `json:"document"`
	// Conclusion summarises it.
	Conclusion string `json:"conclusion"`
}

// CheckFairCompetition accepts the fair-competition review while the draft is being prepared.
func (r *Record) CheckFairCompetition(a Actor, f FairCompetitionReview) error {
	return firstError(
		requireAssigned(a, "记录公平竞争审查", r.officials()),
		r.requireStage("记录公平竞争审查", StageDrafting, StageConsultation),
		failedIf(!r.FairCompetition.Required, "本决策依法不需要公平竞争审查", "this decision needs no fair-competition review"),
		failedIf(r.DraftVersion() == 0, "尚无决策草案", "there is no draft yet"),
		required(f.Document, "审查意见", "review document"),
	)
}

// ApplyFairCompetition records the review on the current draft.
func (r *Record) ApplyFairCompetition(a Actor, f FairCompetitionReview, at time.Time) {
	r.FairCompetition.Round++
	r.FairCompetition.DraftVersion = r.DraftVersion()
	r.complete(ProcFairCompetition, "completed", f.Document)
	r.Note(at, "fair_competition_review", a.ID, false, f.Conclusion)
}
