package procedure

import "time"

// Act is a human act as it reaches the procedure: who, when, and what.
type Act[T any] struct {
	// Actor is the authenticated person performing the act.
	Actor Actor `json:"actor"`
	// Payload is the act's content.
	Payload T `json:"payload"`
	// Signature is the actor's verified signature, for acts the rules require signed.
	Signature *Signature `json:"signature,omitempty"`
	// RequestID is the ID of the HTTP request that sent the act, kept with its record so the
	// act can be followed from the caller's log to the store; empty for older acts.
	RequestID string `json:"request_id,omitempty"`
}

// Signature is a verified detached signature over an act's canonical JSON, kept with the act
// so anyone can check it again later.
type Signature struct {
	// KeyID names the registered key.
	KeyID string `json:"key_id"`
	// Algorithm is "ed25519" or "sm2".
	Algorithm string `json:"algorithm"`
	// Value is the signature in base64.
	Value string `json:"value"`
	// Body is the canonical JSON (RFC 8785) that was signed.
	Body string `json:"body"`
}

// Event is one line of a decision's timeline: an act or a transition.
type Event struct {
	// At is when it happened (workflow time).
	At time.Time `json:"at"`
	// Kind names the act or transition.
	Kind string `json:"kind"`
	// Actor is who performed it; empty for the engine's own transitions and timers.
	Actor string `json:"actor,omitempty"`
	// ActorUnit is the performer's unit as the identity provider asserted it when the act was
	// taken; assignments that name a unit are checked against it, in the workflow and in the
	// legal replay.
	ActorUnit string `json:"actor_unit,omitempty"`
	// DraftVersion is the draft it concerns, if any.
	DraftVersion int `json:"draft_version,omitempty"`
	// Stage is the decision's stage after the event.
	Stage Stage `json:"stage"`
	// Late is true when the act came after its due date.
	Late bool `json:"late,omitempty"`
	// Note carries a short explanation, e.g. a reason.
	Note string `json:"note,omitempty"`
}

// Task is work the procedure waits for: who must do what, by when.
type Task struct {
	// Act names the act awaited.
	Act string `json:"act"`
	// Role is who may perform it.
	Role Role `json:"role"`
	// Assignees narrows Role to named people, if any.
	Assignees []string `json:"assignees,omitempty"`
	// Due is the deadline, with its explanation, if the act has one.
	Due *Deadline `json:"due,omitempty"`
	// Overdue is true once Due has passed; the act stays possible and is marked late.
	Overdue bool `json:"overdue,omitempty"`
}

// required returns an EInvalid error naming field when value is empty.
func required(value, fieldZH, fieldEN string) error {
	if Blank(value) {
		return &Error{Code: EInvalid, Message: fieldZH + "不能为空", MessageEN: fieldEN + " is required"}
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ruleError builds an error for a violated rule; the rule ID leads the message so a reader can
// go from the answer to the rule and its test.
func ruleError(code, rule, zh, en string, args ...any) *Error {
	e := Errorf(code, zh, en, args...)
	e.Message = rule + "：" + e.Message
	e.MessageEN = rule + ": " + e.MessageEN
	return e
}

// ActRecord is an event as the store keeps it: which workflow recorded it, in which order, and
// the act's full payload.
type ActRecord struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// WorkflowID is the workflow that recorded the event (the decision's or a procedure's).
	WorkflowID string `json:"workflow_id"`
	// Seq numbers the workflow's events from 1; with WorkflowID it makes a retry idempotent.
	Seq int `json:"seq"`
	// Event is the timeline entry.
	Event Event `json:"event"`
	// Payload is the act's content as JSON, as the store keeps it.
	Payload string `json:"payload,omitempty"`
	// Content is the act's content as the workflow hands it over; the recording activity
	// writes it into Payload (workflow code does no encoding of its own).
	Content any `json:"content,omitempty"`
	// MovesStage is set when the event changes the decision's stage in the read model.
	MovesStage bool `json:"moves_stage,omitempty"`
	// Tasks are the workflow's open tasks after the event; they replace its earlier ones.
	Tasks []Task `json:"tasks"`
	// Unit, when set, is the decision's lead undertaking unit, for lists.
	Unit string `json:"unit,omitempty"`
	// Signature is the act's signature, if it was signed.
	Signature *Signature `json:"signature,omitempty"`
	// RequestID is the ID of the HTTP request that sent the act the event records: correlation
	// metadata, not evidence, so the ledger does not cover it. Empty for the engine's own events
	// and for acts recorded before it was kept.
	RequestID string `json:"request_id,omitempty"`
}
