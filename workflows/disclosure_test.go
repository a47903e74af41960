package workflows_test

import (
	"testing"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
)

// TestR30_DisclosureFindingChanged: only the head changes whether a decision is not
// disclosable by law, with its legal basis, as a recorded act; publication follows the
// finding, never declares it (Arts. 14, 32).
func TestR30_DisclosureFindingChanged(t *testing.T) {
	h, p := newPath(t, "national-2019")
	p.decided()
	h.act(p.next(hour), "report", number, workflows.UpdatePartyReport, liaison, procedure.PartyReport{Document: "sha256:party"}, "")
	h.act(p.next(hour), "party answer", number, workflows.UpdatePartyAnswer, liaison, agreed(), "")
	secret := procedure.DisclosureFinding{NotDisclosable: true, LegalBasis: "《保守国家秘密法》第九条"}
	h.act(p.next(hour), "by an official", number, workflows.UpdateDisclosureFinding, official, secret, denied)
	h.act(p.next(hour), "without a basis", number, workflows.UpdateDisclosureFinding, head, procedure.DisclosureFinding{NotDisclosable: true, LegalBasis: "　"}, invalid)
	h.act(p.next(hour), "unchanged", number, workflows.UpdateDisclosureFinding, head, procedure.DisclosureFinding{NotDisclosable: false, LegalBasis: "《政府信息公开条例》"}, conflict)
	h.act(p.next(hour), "the head finds it not disclosable", number, workflows.UpdateDisclosureFinding, head, secret, "")
	h.act(p.next(hour), "published as not disclosable", number, workflows.UpdatePublication, official, procedure.Publication{NotDisclosableBasis: "《保守国家秘密法》第九条"}, "")
	h.act(p.next(hour), "changed after publication", number, workflows.UpdateDisclosureFinding, head,
		procedure.DisclosureFinding{NotDisclosable: false, LegalBasis: "解密"}, precondition)
	h.run(p.next(hour))
	require.Contains(t, h.kinds(number), "disclosure_finding")
}
