package api

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// maxIdempotencyKey is the longest Idempotency-Key accepted.
const maxIdempotencyKey = 200

// AnswerStore keeps the first answer to each request sent with an Idempotency-Key.
type AnswerStore interface {
	// Answered returns the first answer to a request with an Idempotency-Key.
	Answered(ctx context.Context, owner, key string) (store.Answer, bool, error)
	// SaveAnswer keeps the first answer to a request with an Idempotency-Key.
	SaveAnswer(ctx context.Context, owner, key string, a store.Answer) error
}

// idempotencyKey returns the request's Idempotency-Key, "" when it has none.
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return "", procedure.Errorf(procedure.EMalformed, "Idempotency-Key 过长", "Idempotency-Key is too long")
	}
	return key, nil
}

// idempotent is the one idempotency layer of the POST routes: a request with an
// Idempotency-Key its owner (see idempotencyOwner) already sent is answered with the first
// successful answer, without running the handler again, and one sent while the first is
// still running is refused with 409. A key is bound to the method and path it was first
// sent to. Acts also pass the key on as their Update ID, which the workflow engine
// deduplicates; public comments are deduplicated by the intake instead (see submitComment).
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
		if !s.running.claim(owner, key) {
			c.Response().Header().Set("Retry-After", "1")
			return procedure.Errorf(procedure.EConflict, "使用该 Idempotency-Key 的请求正在处理中", "request with this key in progress")
		}
		defer s.running.release(owner, key)
		replayed, err := s.replayAnswer(c, owner, key)
		if err != nil || replayed {
			return err
		}
		rec := &recordingWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		if err := next(c); err != nil {
			return err
		}
		status := c.Response().Status
		if status < http.StatusOK || status >= http.StatusMultipleChoices {
			return nil
		}
		// The effect has happened: keep its answer even if the client has gone away, so
		// that its retry is answered rather than run again.
		ctx := context.WithoutCancel(c.Request().Context())
		a := store.Answer{Method: c.Request().Method, Path: c.Request().URL.Path, Status: status, Body: rec.body.String()}
		if err := s.store.SaveAnswer(ctx, owner, key, a); err != nil {
			s.logger.Error("idempotent answer not kept", "path", a.Path, "err", err)
		}
		return nil
	}
}

// replayAnswer answers the request with the first answer to owner's key, if there is one.
func (s *Server) replayAnswer(c echo.Context, owner, key string) (bool, error) {
	first, found, err := s.store.Answered(c.Request().Context(), owner, key)
	if err != nil || !found {
		return false, err
	}
	if first.Method != c.Request().Method || first.Path != c.Request().URL.Path {
		return false, procedure.Errorf(procedure.EInvalid, "Idempotency-Key 已用于另一个请求", "the Idempotency-Key was used for another request")
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return true, c.Blob(first.Status, echo.MIMEApplicationJSON, []byte(first.Body))
}

// idempotencyOwner is whose keys a request's key is among: the signed-in person's, or, on
// the public routes, the client address's, so that nobody is answered with another's answer.
func idempotencyOwner(c echo.Context) string {
	if a := actorOf(c); a.ID != "" {
		return a.ID
	}
	return "address:" + c.RealIP()
}

// claims are the owners' keys of the requests being answered now. They are held in this
// process: the store has no claim of its own, so two API processes each sent the same key at
// the same moment would both run the request.
type claims struct {
	mu   sync.Mutex
	held map[[2]string]bool
}

// claim takes owner's key for a request; false if another request holds it.
func (cl *claims) claim(owner, key string) bool {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.held[[2]string{owner, key}] {
		return false
	}
	if cl.held == nil {
		cl.held = map[[2]string]bool{}
	}
	cl.held[[2]string{owner, key}] = true
	return true
}

// release gives owner's key back once its request is answered.
func (cl *claims) release(owner, key string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	delete(cl.held, [2]string{owner, key})
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
