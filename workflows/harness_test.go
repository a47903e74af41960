package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"decisionflow/calendar"
	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

const number = "BD-2026-007"

// start is a Monday morning in China.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, procedure.China)

// People of the scenarios.
var (
	head      = procedure.Actor{ID: "head", Name: "区长", Roles: []procedure.Role{procedure.RoleHead}}
	official  = procedure.Actor{ID: "li", Name: "李科长", Roles: []procedure.Role{procedure.RoleOfficial}, Unit: "区住建委"}
	counsel   = procedure.Actor{ID: "wang", Name: "王律师", Roles: []procedure.Role{procedure.RoleLegalCounsel}, Unit: "区司法局"}
	adviser   = procedure.Actor{ID: "zhao", Name: "赵顾问", Roles: []procedure.Role{procedure.RoleLegalAdviser}}
	assessor  = procedure.Actor{ID: "qian", Name: "钱评估", Roles: []procedure.Role{procedure.RoleRiskAssessor}, Unit: "社会稳定风险评估中心"}
	secretary = procedure.Actor{ID: "sun", Name: "孙秘书", Roles: []procedure.Role{procedure.RoleMeetingSecretary}}
	liaison   = procedure.Actor{ID: "zhou", Name: "周联络", Roles: []procedure.Role{procedure.RolePartyLiaison}}
	auditor   = procedure.Actor{ID: "wu", Name: "吴审计", Roles: []procedure.Role{procedure.RoleAuditor}}
)

func expert(i int) procedure.Actor {
	return procedure.Actor{ID: fmt.Sprintf("expert%d", i), Roles: []procedure.Role{procedure.RoleExpert}}
}

// harness runs a Decision workflow on the SDK's test environment with time skipping, with
// activities that keep the record in memory and count on the real calendar.
type harness struct {
	mu       sync.Mutex
	t        *testing.T
	env      *testsuite.TestWorkflowEnvironment
	acts     []procedure.ActRecord
	comments int
	results  map[string]error
	expect   map[string]string
	order    []string
	rulebook procedure.Rulebook
	drill    *procedure.Drill
	// down, while it answers true for a record, makes the store refuse to write it.
	down func(procedure.ActRecord) bool
	// refused counts the writes the store refused.
	refused int
}

func newHarness(t *testing.T, rulebookID string) *harness {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	h := &harness{t: t, env: suite.NewTestWorkflowEnvironment(), results: map[string]error{}, expect: map[string]string{}, rulebook: books[rulebookID]}
	h.env.SetStartTime(start)
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: number, TaskQueue: workflows.TaskQueue})
	workflows.Register(h.env)
	cal := calendar.New()
	h.env.RegisterActivityWithOptions(func(context.Context, procedure.Decision) error { return nil }, activity.RegisterOptions{Name: workflows.ActivityOpenDecision})
	h.env.RegisterActivityWithOptions(func(_ context.Context, r procedure.ActRecord) error {
		if r.Content != nil { // as the real activity stores it
			b, err := json.Marshal(r.Content)
			if err != nil {
				return err
			}
			r.Payload, r.Content = string(b), nil
		}
		// Activities of several workflows run at once.
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.down != nil && h.down(r) {
			h.refused++
			return errors.New("store unavailable")
		}
		h.acts = append(h.acts, r)
		return nil
	}, activity.RegisterOptions{Name: workflows.ActivityRecordAct})
	h.env.RegisterActivityWithOptions(func(_ context.Context, req procedure.DeadlineRequest) (procedure.Deadline, error) {
		return procedure.DueDate(cal, req.Start, req.Period, req.Stops)
	}, activity.RegisterOptions{Name: workflows.ActivityComputeDeadline})
	h.env.RegisterActivityWithOptions(func(context.Context, string) (procedure.CommentCount, error) {
		return procedure.CommentCount{Comments: int64(h.comments), Digest: "digest"}, nil
	}, activity.RegisterOptions{Name: workflows.ActivitySealComments})
	h.env.RegisterActivityWithOptions(func(_ context.Context, number string) (procedure.Document, error) {
		return procedure.Document{SHA256: "dossier-of-" + number, Kind: "dossier"}, nil
	}, activity.RegisterOptions{Name: workflows.ActivityPrepareDossier})
	return h
}

// act sends an act at offset after the start; wantCode is "" for an act that must be
// accepted, or the error code its rejection must carry.
func (h *harness) act(after time.Duration, label, workflowID, update string, actor procedure.Actor, payload any, wantCode string) {
	h.expect[label] = wantCode
	h.order = append(h.order, label)
	h.env.RegisterDelayedCallback(func() {
		err := h.env.UpdateWorkflowByID(workflowID, update, label, &testsuite.TestUpdateCallback{
			OnAccept:   func() {},
			OnReject:   func(err error) { h.results[label] = orOK(err) },
			OnComplete: func(_ any, err error) { h.results[label] = orOK(err) },
		}, map[string]any{"actor": actor, "payload": payload})
		if err != nil {
			h.results[label] = err
		}
	}, after)
}

// at runs f at offset after the start.
func (h *harness) at(after time.Duration, f func()) { h.env.RegisterDelayedCallback(f, after) }

var errOK = errors.New("ok")

func orOK(err error) error {
	if err == nil {
		return errOK
	}
	return err
}

// run executes the decision until offset end, then checks every act's result.
func (h *harness) run(end time.Duration) {
	h.env.RegisterDelayedCallback(func() {
		if !h.env.IsWorkflowCompleted() {
			h.env.CancelWorkflow()
		}
	}, end)
	h.env.ExecuteWorkflow(workflows.WorkflowDecision, workflows.DecisionInput{Number: number, Title: "宝坻区老旧小区改造实施方案", Rulebook: h.rulebook, Drill: h.drill})
	h.check()
}

// check asserts every act's answer.
func (h *harness) check() {
	for _, label := range h.order {
		got, ok := h.results[label]
		require.True(h.t, ok, "act %q got no answer", label)
		want := h.expect[label]
		if want == "" {
			require.ErrorIs(h.t, got, errOK, "act %q must be accepted", label)
			continue
		}
		var app *temporal.ApplicationError
		require.True(h.t, errors.As(got, &app), "act %q: want rejection %s, got %v", label, want, got)
		require.Equal(h.t, want, app.Type(), "act %q: %v", label, got)
	}
}

// record returns the decision's procedural record; call it from a callback.
func (h *harness) record() procedure.Record {
	v, err := h.env.QueryWorkflow(workflows.QueryRecord)
	require.NoError(h.t, err)
	var rec procedure.Record
	require.NoError(h.t, v.Get(&rec))
	return rec
}

// kinds lists the recorded event kinds of one workflow, in order.
func (h *harness) kinds(workflowID string) []string {
	var out []string
	acts := append([]procedure.ActRecord{}, h.acts...)
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Seq < acts[j].Seq })
	for _, a := range acts {
		if a.WorkflowID == workflowID {
			out = append(out, a.Event.Kind)
		}
	}
	return out
}

// stage is the decision's stage as the store's record last saw it.
func (h *harness) stage() procedure.Stage {
	var last procedure.ActRecord
	for _, a := range h.acts {
		if a.WorkflowID == number && a.Seq > last.Seq {
			last = a
		}
	}
	return last.Event.Stage
}

func child(proc string, round int) string { return workflows.ChildID(number, proc, round) }

const (
	hour = time.Hour
	day  = 24 * time.Hour
)
