package web

import "decisionflow/procedure"

// The form of the archive handover.
var archiveForms = map[string]formSpec{
	"archive_handover": {
		Title: T("归档移交", "Archive handover"),
		When:  []procedure.Stage{procedure.StageArchive, procedure.StageImplementation},
		Intro: T("决策材料须完整归档并在规定期限内移交（R-31）。", "The dossier is complete and handed over within the deadline (R-31)."),
		Fields: map[string]fieldSpec{
			"dossier":     {Label: T("案卷（SHA-256）", "Dossier (SHA-256)"), Rule: "R-31", Hint: T("系统生成的决策案卷摘要，见决策页“案卷”", "The engine's dossier digest, on the decision page")},
			"received_by": {Label: T("接收人", "Received by"), Rule: "R-31"},
		},
	},
}
