package api

import (
	"bytes"
	"net/http"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// idempotent answers a retried POST (same Idempotency-Key from the same person) with the
// first answer, without doing anything twice. Acts use the key as their Update ID instead,
// which the workflow engine deduplicates.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if len(key) > maxIdempotencyKey {
			return procedure.Errorf(procedure.EMalformed, "Idempotency-Key 过长", "Idempotency-Key is too long")
		}
		ctx := c.Request().Context()
		owner, method, path := actorOf(c).ID, c.Request().Method, c.Request().URL.Path
		first, found, err := s.store.Answered(ctx, owner, key)
		if err != nil {
			return err
		}
		if found {
			if first.Method != method || first.Path != path {
				return procedure.Errorf(procedure.EInvalid, "Idempotency-Key 已用于另一个请求", "the Idempotency-Key was used for another request")
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.Blob(first.Status, echo.MIMEApplicationJSON, []byte(first.Body))
		}
		rec := &recordingWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		if err := next(c); err != nil {
			return err
		}
		status := c.Response().Status
		if status >= http.StatusOK && status < http.StatusMultipleChoices {
			return s.store.SaveAnswer(ctx, owner, key, store.Answer{Method: method, Path: path, Status: status, Body: rec.body.String()})
		}
		return nil
	}
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
