package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"decisionflow/activities"
	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

type fakeStore struct {
	rows      map[string]procedure.Decision
	createErr error
}

func (f *fakeStore) CreateDecision(_ context.Context, d procedure.Decision) error {
	if f.createErr != nil {
		return f.createErr
	}
	if _, ok := f.rows[d.Number]; ok {
		return procedure.Errorf(procedure.EConflict, "已存在", "exists")
	}
	f.rows[d.Number] = d
	return nil
}

func (f *fakeStore) Decision(_ context.Context, number string) (procedure.Decision, error) {
	d, ok := f.rows[number]
	if !ok {
		return d, procedure.Errorf(procedure.ENotFound, "不存在", "not found")
	}
	return d, nil
}

func TestActivities_OpenDecision(t *testing.T) {
	ctx := context.Background()
	d, err := procedure.NewDecision("BD-2026-007", "标题", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)

	t.Run("retry after lost answer succeeds", func(t *testing.T) {
		a := &activities.Activities{Store: &fakeStore{rows: map[string]procedure.Decision{}}}
		require.NoError(t, a.OpenDecision(ctx, d))
		require.NoError(t, a.OpenDecision(ctx, d))
	})
	t.Run("ErrConflict", func(t *testing.T) {
		other := d
		other.Title = "另一个决策"
		a := &activities.Activities{Store: &fakeStore{rows: map[string]procedure.Decision{d.Number: other}}}
		err := a.OpenDecision(ctx, d)
		var app *temporal.ApplicationError
		require.True(t, errors.As(err, &app), "got %v", err)
		require.Equal(t, procedure.EConflict, app.Type())
		require.True(t, app.NonRetryable())
	})
	t.Run("infrastructure errors are retried", func(t *testing.T) {
		a := &activities.Activities{Store: &fakeStore{rows: map[string]procedure.Decision{}, createErr: errors.New("connection reset")}}
		err := a.OpenDecision(ctx, d)
		var app *temporal.ApplicationError
		require.False(t, errors.As(err, &app), "plain errors stay retryable")
	})
}

func (f *fakeStore) RecordAct(context.Context, procedure.ActRecord) error { return nil }

func (f *fakeStore) SealComments(context.Context, string, time.Time) (procedure.CommentCount, error) {
	return procedure.CommentCount{}, nil
}

type recordingStore struct {
	fakeStore
	recorded []procedure.ActRecord
}

func (r *recordingStore) RecordAct(_ context.Context, a procedure.ActRecord) error {
	r.recorded = append(r.recorded, a)
	return nil
}

func TestActivities_RecordAct(t *testing.T) {
	st := &recordingStore{}
	a := &activities.Activities{Store: st}
	err := a.RecordAct(context.Background(), procedure.ActRecord{Decision: "BD-2026-1", WorkflowID: "BD-2026-1", Seq: 1,
		Content: map[string]any{"units": []string{"区住建委"}}, Event: procedure.Event{Kind: "start_decision"}})
	require.NoError(t, err)
	require.Len(t, st.recorded, 1)
	require.JSONEq(t, `{"units":["区住建委"]}`, st.recorded[0].Payload, "the payload is stored as JSON")
	require.Nil(t, st.recorded[0].Content)
}
