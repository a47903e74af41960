package procedure

import "time"

// PartyReport is the report of the decision to the Party committee.
type PartyReport struct {
	// ReportedOn is the day of the report.
	ReportedOn Date `json:"reported_on"`
	// Document is the SHA-256 of the report.
	Document string `json:"document"`
	// Response summarises the committee's response.
	Response string `json:"response"`
}

// Publication records how the decision was published.
type Publication struct {
	// Channels are where it was published, e.g. gazette, website.
	Channels []string `json:"channels"`
	// PublishedOn is the day of publication.
	PublishedOn Date `json:"published_on"`
	// Document is the SHA-256 of the published text.
	Document string `json:"document"`
	// OpinionsExplanation explains how public and expert opinions were adopted.
	OpinionsExplanation string `json:"opinions_explanation,omitempty"`
	// NotDisclosableBasis is the legal basis for not publishing, when the decision is exempt.
	NotDisclosableBasis string `json:"not_disclosable_basis,omitempty"`
}

// CheckPartyReport accepts the Party-committee report in its stage; nothing is issued before it.
func (r *Record) CheckPartyReport(a Actor, p PartyReport) error {
	return firstError(
		requireRole(a, "记录向党委请示报告", RolePartyLiaison),
		r.requireStage("记录向党委请示报告", StagePartyReport),
		required(p.Document, "报告文本", "report document"),
	)
}

// ApplyPartyReport records the report and opens publication.
func (r *Record) ApplyPartyReport(a Actor, p PartyReport, at time.Time) {
	r.PartyReport = &p
	_ = r.moveTo(StagePublication)
	r.Note(at, "party_report", a.ID, false, "")
}

// CheckPublication accepts the publication record: a decision that went through
// public participation or expert argumentation explains how their opinions were adopted,
// unless it is not disclosable by law — which only the start decision finds, with its legal
// basis (Arts. 14, 32): publication cannot newly declare it.
func (r *Record) CheckPublication(a Actor, p Publication) error {
	exempt := !Blank(p.NotDisclosableBasis)
	return firstError(
		requireRole(a, "记录决策公布", RoleOfficial),
		ruleIf(r.PartyReport == nil, EFailedPrecondition, "R-29", "向党委请示报告记录前不得公布", "nothing is issued before the Party-committee report is recorded"),
		r.requireStage("记录决策公布", StagePublication),
		ruleIf(exempt && !r.NotDisclosable(), EInvalid, "R-30", "决策是否依法不予公开由启动决定认定；启动决定未作此认定的，公布时不得新认定不予公开",
			"whether a decision is not disclosable by law is found once, by the start decision; publication cannot newly declare it"),
		ruleIf(!exempt && len(p.Channels) == 0, EInvalid, "R-30", "须载明公布渠道（政府公报、政府网站等）", "publication channels are required"),
		ruleIf(!exempt && (r.Participation.Required || r.Expert.Required) && Blank(p.OpinionsExplanation), EInvalid, "R-30",
			"须说明公众意见、专家意见的采纳情况", "explain how public and expert opinions were adopted"),
		ruleIf(!exempt && Blank(p.Document), EInvalid, "R-30", "须附公布文本", "the published text is required"),
	)
}

// NotDisclosable reports whether the start decision found the matter not disclosable by law,
// with its legal basis (Art. 14): the one finding that exempts it from publication (Art. 32).
func (r *Record) NotDisclosable() bool {
	return r.Start != nil && !r.Start.Applicability.Participation.Required && !Blank(r.Start.Applicability.Participation.LegalBasis)
}

// ApplyPublication records the publication and opens the archive stage.
func (r *Record) ApplyPublication(a Actor, p Publication, at time.Time) {
	r.Publication = &p
	_ = r.moveTo(StageArchive)
	r.Note(at, "publication", a.ID, false, "")
}
