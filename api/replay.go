package api

import (
	"fmt"
	"net/http"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// ReplayResult is the replay of one workflow of a decision.
type ReplayResult struct {
	// Workflow is the workflow ID.
	Workflow string `json:"workflow"`
	// Consistent is true when today's code makes the decisions the history recorded.
	Consistent bool `json:"consistent"`
	// Divergence is the first difference, or why the history could not be read.
	Divergence string `json:"divergence,omitempty"`
}

// ReplayReport is the replay of a decision: of its workflow histories against today's code,
// and of its recorded acts against the rules and the rulebook it started under.
type ReplayReport struct {
	// Workflows is the history replay, one line per workflow.
	Workflows []ReplayResult `json:"workflows"`
	// Rulebook identifies the rulebook the rules were checked under.
	Rulebook procedure.RulebookRef `json:"rulebook"`
	// RulebookNote warns when the rulebook in force at the start is not available as it was.
	RulebookNote string `json:"rulebook_note,omitempty"`
	// Rules is the legal replay, one verdict per rule R-01 … R-36.
	Rules []procedure.Verdict `json:"rules"`
	// Jurisdiction, if set, says the decision ran under a rulebook other than the one its
	// organ's jurisdiction binds it to (Arts. 2, 43): a finding, like a violated rule.
	Jurisdiction string `json:"jurisdiction,omitempty"`
}

// replay re-runs every workflow history of a decision against today's code, and re-checks its
// recorded acts against the rules (legal replay), its periods counted on the official calendar.
func (s *Server) replay(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	acts, err := s.store.Acts(c.Request().Context(), number)
	if err != nil {
		return err
	}
	if len(acts) == 0 {
		return procedure.Errorf(procedure.ENotFound, "决策 %s 没有办理记录", "decision %s has no record", number)
	}
	results := []ReplayResult{}
	seen := map[string]bool{}
	for _, a := range acts {
		if seen[a.WorkflowID] {
			continue
		}
		seen[a.WorkflowID] = true
		r := ReplayResult{Workflow: a.WorkflowID}
		h, err := s.history(c.Request().Context(), a.WorkflowID)
		if err == nil {
			err = workflows.Replay(h)
		}
		r.Consistent = err == nil
		if err != nil {
			r.Divergence = err.Error()
		}
		results = append(results, r)
	}
	report := ReplayReport{Workflows: results}
	dec, err := s.store.Decision(c.Request().Context(), number)
	if err != nil {
		return err
	}
	rb, note := s.rulebookOf(dec.Rulebook)
	report.Rulebook, report.RulebookNote = rb.Ref(), note
	report.Rules = procedure.LegalReplayOn(rb, s.calendar, acts)
	report.Jurisdiction = s.checkJurisdiction(dec)
	return c.JSON(http.StatusOK, report)
}

// checkJurisdiction says whether a decision ran under the rulebook its organ's jurisdiction
// bound it to on the day it opened; "" when it did, or when it names no organ.
func (s *Server) checkJurisdiction(d procedure.Decision) string {
	if procedure.Blank(d.Organ) || s.jurisdictions == nil {
		return ""
	}
	want, source, err := s.jurisdictions.RulebookFor(d.Organ, procedure.DateOf(d.OpenedAt))
	switch {
	case err != nil:
		return err.Error()
	case want != d.Rulebook.ID:
		return fmt.Sprintf("%s 于 %s 适用 %s（%s），本决策却适用 %s / %s was bound to %s on %s, but the decision ran under %s",
			d.Organ, procedure.DateOf(d.OpenedAt), want, source, d.Rulebook.ID, d.Organ, want, procedure.DateOf(d.OpenedAt), d.Rulebook.ID)
	}
	return ""
}

// rulebookOf finds the rulebook a decision started under; when that exact version is no longer
// loaded, it falls back to the rulebook of the same ID and says so.
func (s *Server) rulebookOf(ref procedure.RulebookRef) (procedure.Rulebook, string) {
	rb, err := s.rulebooks.Get(ref.ID)
	if err != nil {
		rb, _ = s.rulebooks.Get(s.defaultRulebook)
		return rb, "规则集 " + ref.ID + " 未载入，按默认规则集核查 / rulebook " + ref.ID + " is not loaded; checked under the default"
	}
	if ref.Hash != "" && rb.Hash != ref.Hash {
		return rb, "规则集 " + ref.ID + " 已更新，按当前版本核查 / rulebook " + ref.ID + " changed since the start; checked under the current version"
	}
	return rb, ""
}
