package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"
)

// RecordAct appends an act or transition to the decision's record. Retrying it after a
// lost answer records nothing twice.
func (a *Activities) RecordAct(ctx context.Context, r procedure.ActRecord) error {
	if r.Payload == "" && r.Content != nil {
		b, err := json.Marshal(r.Content)
		if err != nil {
			return fmt.Errorf("encode act %s#%d: %w", r.WorkflowID, r.Seq, err)
		}
		r.Payload, r.Content = string(b), nil
	}
	// Every failure is retried, a refusal included: the workflow has applied the act, so its
	// record must land; a record the store keeps refusing is an operator's alarm, not
	// an answer to the caller.
	if err := a.Store.RecordAct(ctx, r); err != nil {
		return fmt.Errorf("record act %s#%d: %w", r.WorkflowID, r.Seq, err)
	}
	return nil
}

// ComputeDeadline counts a period on the official calendar. It runs as an activity because the
// calendar can be updated without a release; the answer is recorded in the workflow's history,
// so a running decision keeps the dates it was given.
func (a *Activities) ComputeDeadline(_ context.Context, req procedure.DeadlineRequest) (procedure.Deadline, error) {
	dl, err := procedure.DueDate(a.Calendar, req.Start, req.Period, req.Stops)
	return dl, workflows.Rejection(err)
}

// SealComments closes a consultation round's comment intake and counts the comments it took,
// with a digest of their batches. From the seal on, the intake refuses the round's comments as
// late; comments committed before it are all counted.
func (a *Activities) SealComments(ctx context.Context, workflowID string) (procedure.CommentCount, error) {
	n, err := a.Store.SealComments(ctx, workflowID, time.Now())
	return n, workflows.Rejection(err)
}

// CatalogState reads an annual catalog's state from the store's record of its acts, so that a
// decision started from one of its items can be checked against what was published.
func (a *Activities) CatalogState(ctx context.Context, id string) (procedure.Catalog, error) {
	if a.Dossiers == nil {
		return procedure.Catalog{}, workflows.Rejection(procedure.Errorf(procedure.EFailedPrecondition, "读取目录 %s：未配置存储", "read catalog %s: no store configured", id))
	}
	acts, err := a.Dossiers.Acts(ctx, id)
	if err != nil {
		return procedure.Catalog{}, fmt.Errorf("read catalog %s: %w", id, err)
	}
	c, err := procedure.CatalogFromRecord(acts)
	// A record that does not read is a fact no retry changes: refuse the act, do not wedge it.
	return c, workflows.Rejection(asInvalid(err))
}

// ExpertPoolState reads a decision organ's expert pool from the store's record of its acts, so
// that a panel can be checked against it (R-14; Arts. 21, 41).
func (a *Activities) ExpertPoolState(ctx context.Context, id string) (procedure.ExpertPool, error) {
	if a.Dossiers == nil {
		return procedure.ExpertPool{}, workflows.Rejection(procedure.Errorf(procedure.EFailedPrecondition, "读取专家库 %s：未配置存储", "read expert pool %s: no store configured", id))
	}
	acts, err := a.Dossiers.Acts(ctx, id)
	if err != nil {
		return procedure.ExpertPool{}, fmt.Errorf("read expert pool %s: %w", id, err)
	}
	p, err := procedure.ExpertPoolFromRecord(acts)
	return p, workflows.Rejection(asInvalid(err))
}

// asInvalid makes a record that cannot be read a procedure error, so it is not retried.
func asInvalid(err error) error {
	if err == nil || errors.As(err, new(*procedure.Error)) {
		return err
	}
	return procedure.Errorf(procedure.EInvalid, "记录无法读取：%v", "the record cannot be read: %v", err)
}
