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
// one the unit names.
func (r *Record) CheckArchive(a Actor, h ArchiveHandover) error {
	return firstError(
		requireRole(a, "办理归档移交", RoleOfficial),
		r.requireStage("办理归档移交", StageArchive),
		ruleIf(h.Dossier == "" && r.Dossier == "", EFailedPrecondition, "R-31", "归档卷宗尚未生成", "the dossier is not prepared yet"),
		required(h.ReceivedBy, "接收人", "receiving officer"),
	)
}

// ApplyArchive records the handover, late if after due, and opens implementation.
func (r *Record) ApplyArchive(a Actor, h ArchiveHandover, at time.Time, late bool) {
	if h.Dossier == "" {
		h.Dossier = r.Dossier
	}
	h.HandedOverAt, h.Late = at, late
	r.Archive = &h
	_ = r.moveTo(StageImplementation)
	r.Note(at, "archive_handover", a.ID, late, "")
}
