package procedure

import "time"

// ArchiveHandover records the complete record handed to the archive.
type ArchiveHandover struct {
	// Dossier is the SHA-256 of the archived dossier.
	Dossier string `json:"dossier"`
	// ReceivedBy is the archive's receiving officer.
	ReceivedBy string `json:"received_by"`
	// HandedOverAt is set by the engine.
	HandedOverAt time.Time `json:"handed_over_at"`
	// Late is set when the handover came after its due date.
	Late bool `json:"late,omitempty"`
}

// CheckArchive accepts the archive handover: of the dossier the engine prepared, or of
// one the unit names. It follows publication, beside implementation, which it does not hold up
// (Art. 33 asks for the archive 及时, timely, and the due date watches it); decisions published
// before implementation ran beside the archive hand it over in a stage of its own.
func (r *Record) CheckArchive(a Actor, h ArchiveHandover) error {
	return firstError(
		requireRole(a, "办理归档移交", RoleOfficial),
		ruleIf(r.Publication == nil, EFailedPrecondition, "R-31", "决策公布后办理归档移交，卷宗须含公布记录",
			"the archive is handed over once the decision is published: the dossier holds the publication"),
		r.requireStage("办理归档移交", StageArchive, StageImplementation),
		conflictIf(r.Archive != nil, "已办理归档移交", "the archive is already handed over"),
		ruleIf(h.Dossier == "" && r.Dossier == "", EFailedPrecondition, "R-31", "归档卷宗尚未生成", "the dossier is not prepared yet"),
		required(h.ReceivedBy, "接收人", "receiving officer"),
	)
}

// ApplyArchive records the handover, late if after due. A decision in the archive stage (one
// published before implementation ran beside the archive) moves on to implementation.
func (r *Record) ApplyArchive(a Actor, h ArchiveHandover, at time.Time, late bool) {
	if h.Dossier == "" {
		h.Dossier = r.Dossier
	}
	h.HandedOverAt, h.Late = at, late
	r.Archive = &h
	if r.Decision.Stage == StageArchive {
		_ = r.moveTo(StageImplementation)
	}
	r.Note(at, "archive_handover", a.ID, late, "")
}

// DecidedAt is when the decision was made: the head's approval of the minutes that adopted it
// from which the archive's period counts (R-31, Art. 33).
func (r *Record) DecidedAt() (time.Time, bool) {
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if e := r.Timeline[i]; e.Kind == "minutes_approved" && e.Note == DecisionApprove {
			return e.At, true
		}
	}
	return time.Time{}, false
}
