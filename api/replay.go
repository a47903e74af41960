package api

import (
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

// replay re-runs every workflow history of a decision against today's code.
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
	return c.JSON(http.StatusOK, results)
}
