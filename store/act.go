package store

import (
	"context"
	"fmt"
	"time"

	"decisionflow/procedure"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
)

// act is one row of the append-only procedural record.
type act struct {
	ID             int64 `gorm:"primaryKey"`
	Decision       string
	WorkflowID     string
	Seq            int
	Kind           string
	Actor          string
	ActorUnit      string
	DraftVersion   int
	Stage          string
	Late           bool
	Note           string
	Payload        string
	At             time.Time
	SignatureKey   string
	SignatureAlg   string
	SignatureValue string
	SignedBody     string
	// RequestID is the HTTP request that sent the act; the ledger does not cover it.
	RequestID string
}

func toDBAct(r procedure.ActRecord) act {
	e := r.Event
	payload := r.Payload
	if payload == "" {
		payload = "{}"
	}
	row := act{Decision: r.Decision, WorkflowID: r.WorkflowID, Seq: r.Seq, Kind: e.Kind, Actor: e.Actor, ActorUnit: e.ActorUnit,
		DraftVersion: e.DraftVersion, Stage: string(e.Stage), Late: e.Late, Note: e.Note, Payload: payload, At: e.At.UTC(), RequestID: r.RequestID}
	if sig := r.Signature; sig != nil {
		row.SignatureKey, row.SignatureAlg, row.SignatureValue, row.SignedBody = sig.KeyID, sig.Algorithm, sig.Value, sig.Body
	}
	return row
}

func toDomainAct(a act) procedure.ActRecord {
	r := procedure.ActRecord{Decision: a.Decision, WorkflowID: a.WorkflowID, Seq: a.Seq, Payload: a.Payload, RequestID: a.RequestID, Event: procedure.Event{
		At: a.At.UTC(), Kind: a.Kind, Actor: a.Actor, ActorUnit: a.ActorUnit, DraftVersion: a.DraftVersion, Stage: procedure.Stage(a.Stage), Late: a.Late, Note: a.Note,
	}}
	if a.SignatureKey != "" {
		r.Signature = &procedure.Signature{KeyID: a.SignatureKey, Algorithm: a.SignatureAlg, Value: a.SignatureValue, Body: a.SignedBody}
	}
	return r
}

// RecordAct appends an act to the record, replaces the workflow's open tasks and, when it
// moves the stage or names the lead unit, updates the decision, in one transaction. A retry of an act already recorded (same workflow and sequence)
// changes nothing and succeeds; a different act under the same sequence is a conflict.
func (s *Store) RecordAct(ctx context.Context, r procedure.ActRecord) (err error) {
	ctx, span := startSpan(ctx, "store.RecordAct", attribute.String("decisionflow.decision", r.Decision),
		attribute.String("decisionflow.workflow_id", r.WorkflowID), attribute.Int("decisionflow.seq", r.Seq),
		attribute.String("decisionflow.kind", r.Event.Kind), attribute.String("decisionflow.request_id", r.RequestID))
	defer func() { endSpan(span, err) }()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing act
		err := tx.Where("workflow_id = ? AND seq = ?", r.WorkflowID, r.Seq).Take(&existing).Error
		if err == nil {
			if existing.Kind == r.Event.Kind {
				return nil
			}
			return procedure.Errorf(procedure.EConflict, "记录序号 %d 已被其他办理行为占用", "record sequence %d is taken by another act", r.Seq)
		}
		if err != gorm.ErrRecordNotFound {
			return fmt.Errorf("look up act %s#%d: %w", r.WorkflowID, r.Seq, err)
		}
		row := toDBAct(r)
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "办理记录", "act")
		}
		var before []task
		if s.recipients != nil {
			if err := tx.Where("workflow_id = ?", r.WorkflowID).Find(&before).Error; err != nil {
				return fmt.Errorf("read tasks of %s: %w", r.WorkflowID, err)
			}
		}
		if err := replaceTasks(tx, r); err != nil {
			return err
		}
		if err := s.noticesOf(tx, r, before); err != nil {
			return err
		}
		if err := s.appendLedger(tx, r); err != nil {
			return err
		}
		if err := applyConsultation(tx, r); err != nil {
			return err
		}
		changes := map[string]any{}
		if r.MovesStage {
			changes["stage"], changes["updated_at"] = string(r.Event.Stage), r.Event.At.UTC()
		}
		if r.Unit != "" {
			changes["unit"] = r.Unit
		}
		if len(changes) == 0 {
			return nil
		}
		return tx.Model(&decision{}).Where("number = ?", r.Decision).Updates(changes).Error
	})
}

// LatestAct returns a decision's latest act of a kind, or ENotFound.
func (s *Store) LatestAct(ctx context.Context, number, kind string) (procedure.ActRecord, error) {
	var row act
	err := s.db.WithContext(ctx).Where("decision = ? AND kind = ?", number, kind).Order("at DESC, id DESC").Take(&row).Error
	if err != nil {
		return procedure.ActRecord{}, translate(err, "办理记录", "act")
	}
	return toDomainAct(row), nil
}

// Acts returns a decision's record in the order it was made.
func (s *Store) Acts(ctx context.Context, number string) ([]procedure.ActRecord, error) {
	var rows []act
	if err := s.db.WithContext(ctx).Where("decision = ?", number).Order("at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list acts of %s: %w", number, err)
	}
	out := make([]procedure.ActRecord, 0, len(rows))
	for _, r := range rows {
		out = append(out, toDomainAct(r))
	}
	return out, nil
}

// startSpan starts a span of the store's as a child of the span in ctx, on that span's
// pipeline: the store needs no tracer of its own, and traces only where its caller does.
func startSpan(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	tracer := trace.SpanFromContext(ctx).TracerProvider().Tracer("decisionflow/store")
	return tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
}

// endSpan ends span, marking it failed with err.
func endSpan(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "")
	}
	span.End()
}
