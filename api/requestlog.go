package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/trace"
)

// maxRequestID is the longest X-Request-ID taken from a caller.
const maxRequestID = 64

// requestIDKey is where a request's ID is kept in its context.
const requestIDKey = "request_id"

// withRequestID gives every request an ID — the caller's X-Request-ID when it is short and
// plain (letters, digits, '-', '_', '.', ':'), otherwise a new one — and echoes it, so an act
// can be followed from the caller's log to the server's.
func withRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !plainID(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		// The request's context carries the ID too, so an act sent from it records the ID
		// whichever handler sends it.
		c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), requestIDContextKey{}, id)))
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// requestIDContextKey is where a request's ID is kept in its request's context.
type requestIDContextKey struct{}

// requestIDFrom returns the ID of the request ctx belongs to, or "" outside a request.
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDContextKey{}).(string)
	return id
}

// plainID reports whether a caller's request ID can be logged as it is.
func plainID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':'
		if !ok {
			return false
		}
	}
	return true
}

// accessLog writes one line per request: method, route, status, duration, the actor's ID and
// the request's ID — never a token, a body or a query, which may hold personal data.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		began := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // the status is the answer's, once the error handler has written it
		}
		s.logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method), slog.String("route", c.Path()), slog.Int("status", c.Response().Status),
			slog.Duration("duration", time.Since(began)), slog.String("actor", actorOf(c).ID),
			slog.String("request_id", requestIDOf(c)), traceIDOf(c))
		return nil
	}
}

// traceIDOf is the trace the request's span belongs to, when tracing is on, as a log
// attribute; an empty attribute, which the log leaves out, otherwise.
func traceIDOf(c echo.Context) slog.Attr {
	sc := trace.SpanContextFromContext(c.Request().Context())
	if !sc.IsValid() {
		return slog.Attr{}
	}
	return slog.String("trace_id", sc.TraceID().String())
}

// requestIDOf returns the request's ID.
func requestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}
