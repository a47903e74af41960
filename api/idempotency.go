package api

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// maxIdempotencyKey is the longest Idempotency-Key accepted.
const maxIdempotencyKey = 200

// AnswerStore keeps the first answer to each request sent with an Idempotency-Key.
type AnswerStore interface {
	// SaveAnswer keeps the answer to a claimed request with an Idempotency-Key.
	SaveAnswer(ctx context.Context, owner, key string, a store.Answer) error
	// Claim takes a key for a request, or returns its first answer or running claim.
	Claim(ctx context.Context, owner, key string, a store.Answer, stale time.Duration) (store.Answer, bool, error)
	// Release gives a failed request's key back, if that request still holds it.
	Release(ctx context.Context, owner, key, claim string) error
}

// idempotencyKey returns the request's Idempotency-Key, "" when it has none.
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return "", procedure.Errorf(procedure.EMalformed, "Idempotency-Key 过长", "Idempotency-Key is too long")
	}
	return key, nil
}

// claimStale is how long a request may hold its key before another may take it over: the
// holder is taken to have died (a request is answered within the act's wait).
const claimStale = 2 * time.Minute

// idempotent is the one idempotency layer of the POST routes: a request with an
// Idempotency-Key its owner (see idempotencyOwner) already sent is answered with the first
// successful answer, without running the handler again, and one sent while the first is
// still running — on any API process: the key is claimed in the database — is refused with
// 409. A key is bound to the method and path it was first sent to. A request that fails
// gives its key back, so a retry runs again. Acts also pass the key on as their Update ID,
// which the workflow engine deduplicates; public comments are deduplicated by the intake
// instead (see submitComment).
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodPost {
			return next(c)
		}
		key, err := idempotencyKey(c)
		if err != nil {
			return err
		}
		if key == "" {
			return next(c)
		}
		owner := idempotencyOwner(c)
		req := store.Answer{Method: c.Request().Method, Path: c.Request().URL.Path}
		first, claimed, err := s.store.Claim(c.Request().Context(), owner, key, req, claimStale)
		if err != nil {
			return err
		}
		if !claimed {
			return replay(c, first)
		}
		req.Claim = first.Claim
		return s.answerOnce(c, next, owner, key, req)
	}
}

// answerOnce runs the request that holds the key and keeps its answer, or gives the key back
// when it failed.
func (s *Server) answerOnce(c echo.Context, next echo.HandlerFunc, owner, key string, req store.Answer) error {
	// What follows the handler happens even if the client has gone away: an effect that took
	// place keeps its answer, so that its retry is answered rather than run again.
	ctx := context.WithoutCancel(c.Request().Context())
	rec := &recordingWriter{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	err := next(c)
	status := c.Response().Status
	if err != nil || status < http.StatusOK || status >= http.StatusMultipleChoices {
		if rerr := s.store.Release(ctx, owner, key, req.Claim); rerr != nil {
			s.logger.Error("idempotency key not released", "path", req.Path, "err", rerr)
		}
		return err
	}
	req.Status, req.Body = status, rec.body.String()
	if err := s.store.SaveAnswer(ctx, owner, key, req); err != nil {
		s.logger.Error("idempotent answer not kept", "path", req.Path, "err", err)
	}
	return nil
}

// replay answers a request whose key is held: with the first answer, or 409 while the request
// that holds it is still running.
func replay(c echo.Context, first store.Answer) error {
	if first.Method != c.Request().Method || first.Path != c.Request().URL.Path {
		return procedure.Errorf(procedure.EInvalid, "Idempotency-Key 已用于另一个请求", "the Idempotency-Key was used for another request")
	}
	if first.Status == 0 {
		c.Response().Header().Set("Retry-After", "1")
		return procedure.Errorf(procedure.EConflict, "使用该 Idempotency-Key 的请求正在处理中", "request with this key in progress")
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return c.Blob(first.Status, echo.MIMEApplicationJSON, []byte(first.Body))
}

// idempotencyOwner is whose keys a request's key is among: the signed-in person's, or, on
// the public routes, the client address's, so that nobody is answered with another's answer.
func idempotencyOwner(c echo.Context) string {
	if a := actorOf(c); a.ID != "" {
		return a.ID
	}
	return "address:" + c.RealIP()
}

// recordingWriter keeps a copy of what a handler writes.
type recordingWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}
