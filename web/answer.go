package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"decisionflow/api"
)

// apiAnswer is the API's answer to a request the pages made in process.
type apiAnswer struct {
	// Status is the HTTP status.
	Status int
	header http.Header
	body   bytes.Buffer
}

func (a *apiAnswer) Header() http.Header { return a.header }

func (a *apiAnswer) Write(b []byte) (int, error) {
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
	return a.body.Write(b)
}

func (a *apiAnswer) WriteHeader(status int) {
	if a.Status == 0 {
		a.Status = status
	}
}

// Flush lets streamed answers through; everything is kept in memory anyway.
func (a *apiAnswer) Flush() {}

// OK reports a 2xx answer.
func (a *apiAnswer) OK() bool { return a.Status >= 200 && a.Status < 300 }

// Body is the answer's body.
func (a *apiAnswer) Body() []byte { return a.body.Bytes() }

// decode reads a successful JSON answer into v, or returns the answer's problem.
func (a *apiAnswer) decode(v any) error {
	if !a.OK() {
		return a.problem()
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(a.body.Bytes(), v); err != nil {
		return err
	}
	return nil
}

// problemError is a refused request as the API explained it (RFC 7807, both languages).
type problemError struct{ api.Problem }

func (p *problemError) Error() string { return p.Detail + " / " + p.DetailEN }

// problem returns the answer's problem; an answer without one is described by its status.
func (a *apiAnswer) problem() *problemError {
	p := &problemError{}
	if err := json.Unmarshal(a.body.Bytes(), &p.Problem); err != nil || p.Code == "" {
		p.Problem = api.Problem{Status: a.Status, Title: http.StatusText(a.Status), Detail: http.StatusText(a.Status), DetailEN: http.StatusText(a.Status)}
	}
	p.Status = a.Status
	return p
}
