// Package procedure is the domain of decisionflow: decisions, their stages, the acts that move
// them and the rules those acts must satisfy. It imports only the standard library; every other
// package imports it.
package procedure

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the api package and to one stable
// ApplicationError type in activities; callers branch on the code, never on the message.
const (
	// EInvalid means the input is well-formed but breaks a rule about its content.
	EInvalid = "invalid"
	// EMalformed means the input cannot be parsed at all.
	EMalformed = "malformed"
	// EUnauthenticated means no valid identity came with the request.
	EUnauthenticated = "unauthenticated"
	// EPermissionDenied means the identity may not perform the act.
	EPermissionDenied = "permission_denied"
	// ENotFound means the named decision or record does not exist.
	ENotFound = "not_found"
	// EConflict means the act duplicates one already recorded.
	EConflict = "conflict"
	// EFailedPrecondition means the act is not allowed in the decision's current stage.
	EFailedPrecondition = "failed_precondition"
	// EUnavailable means a dependency (workflow engine, database) is not reachable right now.
	EUnavailable = "unavailable"
	// EInternal means a fault of the system, not of the caller.
	EInternal = "internal"
	// EResourceExhausted means the system is at capacity right now; the caller should retry
	// after a pause. Nothing of the request was kept.
	EResourceExhausted = "resource_exhausted"
)

// Error is the one error type of decisionflow. Message is shown to users in Chinese first;
// MessageEN carries the English text.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is the user-facing text in zh-CN.
	Message string
	// MessageEN is the user-facing text in English.
	MessageEN string
	// Fields carries facts the caller may act on, e.g. a comment period's dates.
	Fields map[string]string
}

// Error returns both texts, Chinese first.
func (e *Error) Error() string {
	if e.MessageEN == "" {
		return e.Message
	}
	return e.Message + " / " + e.MessageEN
}

// Errorf builds an Error with the given code; zh and en are format strings sharing args.
func Errorf(code, zh, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(zh, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool {
	return ErrorCode(err) == code
}
