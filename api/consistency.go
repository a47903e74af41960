package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/workflowservice/v1"
)

// RecordStore is what the consistency check reads of the store.
type RecordStore interface {
	// RecordedWorkflows returns what the store and the ledger hold of each workflow's record.
	RecordedWorkflows(ctx context.Context) (map[string]*store.Recorded, error)
}

// Difference is one way a workflow's record and the store's disagree.
type Difference struct {
	// Workflow is the workflow's ID.
	Workflow string `json:"workflow"`
	// Where names what disagrees: "acts" (the store's acts table) or "ledger".
	Where string `json:"where"`
	// Detail says how, in Chinese.
	Detail string `json:"detail"`
	// DetailEN says how, in English.
	DetailEN string `json:"detail_en"`
}

// ConsistencyReport compares every workflow's durable record with the store and the ledger.
type ConsistencyReport struct {
	// Workflows is how many workflows were compared.
	Workflows int `json:"workflows"`
	// Differences lists every disagreement; none means the record and the store agree.
	Differences []Difference `json:"differences"`
}

// Compare checks one workflow's record against the store: the workflow made recorded
// events durable, numbered 1…recorded, and each must be in the acts table and the ledger
// exactly once, with nothing beyond.
func Compare(workflowID string, recorded int, held *store.Recorded) []Difference {
	if held == nil {
		held = &store.Recorded{}
	}
	var out []Difference
	for _, part := range []struct {
		where string
		seqs  []int
	}{{"acts", held.Acts}, {"ledger", held.Ledgered}} {
		if missing, extra, dup := gaps(part.seqs, recorded); len(missing)+len(extra)+len(dup) > 0 {
			out = append(out, Difference{Workflow: workflowID, Where: part.where,
				Detail:   fmt.Sprintf("流程记录 %d 条；缺少序号 %v，多出序号 %v，重复序号 %v", recorded, missing, extra, dup),
				DetailEN: fmt.Sprintf("the workflow recorded %d; missing seq %v, extra seq %v, duplicate seq %v", recorded, missing, extra, dup)})
		}
	}
	return out
}

// gaps compares sequence numbers with 1…n.
func gaps(seqs []int, n int) (missing, extra, dup []int) {
	seen := map[int]int{}
	for _, s := range seqs {
		seen[s]++
	}
	for i := 1; i <= n; i++ {
		if seen[i] == 0 {
			missing = append(missing, i)
		}
	}
	for s, c := range seen {
		if s < 1 || s > n {
			extra = append(extra, s)
		} else if c > 1 {
			dup = append(dup, s)
		}
	}
	sort.Ints(extra)
	sort.Ints(dup)
	return missing, extra, dup
}

// recordCheck answers GET /audit/record-check: every workflow the engine knows, its durable
// record compared with the store's acts and the ledger.
func (s *Server) recordCheck(c echo.Context) error {
	ctx := c.Request().Context()
	held, err := s.records.RecordedWorkflows(ctx)
	if err != nil {
		return err
	}
	report := ConsistencyReport{Differences: []Difference{}}
	seen := map[string]bool{}
	var token []byte
	for {
		page, err := s.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{NextPageToken: token, PageSize: 1000})
		if err != nil {
			return fromTemporal(err, "")
		}
		for _, e := range page.Executions {
			id := e.Execution.GetWorkflowId()
			if seen[id] { // a continued run lists its earlier runs too; the latest answers for all
				continue
			}
			seen[id] = true
			n, err := s.recorded(ctx, id)
			if err != nil {
				return err
			}
			report.Workflows++
			report.Differences = append(report.Differences, Compare(id, n, held[id])...)
		}
		if token = page.NextPageToken; len(token) == 0 {
			break
		}
	}
	for id := range held {
		if !seen[id] {
			report.Differences = append(report.Differences, Difference{Workflow: id, Where: "acts",
				Detail: "存储中有记录，但流程引擎中没有此流程", DetailEN: "the store holds a record of a workflow the engine does not know"})
		}
	}
	sort.SliceStable(report.Differences, func(i, j int) bool { return report.Differences[i].Workflow < report.Differences[j].Workflow })
	return c.JSON(http.StatusOK, report)
}

// recorded asks a workflow how many events it made durable.
func (s *Server) recorded(ctx context.Context, workflowID string) (int, error) {
	qctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	v, err := s.temporal.QueryWorkflow(qctx, workflowID, "", workflows.QueryRecorded)
	if err != nil {
		return 0, fromTemporal(err, workflowID)
	}
	var n int
	if err := v.Get(&n); err != nil {
		return 0, err
	}
	return n, nil
}
