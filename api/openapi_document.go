package api

import (
	"context"
	"encoding/json"
	"fmt"

	"decisionflow/audit"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/prometheus/client_golang/prometheus"
)

// Document returns the published OpenAPI document of every route the API can serve, the
// optional ones (ledger, calendar, record check) included, as indented JSON: what
// `decisionflow openapi` prints and apiclient/openapi.json holds. It starts no server.
func Document() ([]byte, error) {
	h, err := everyRoute()
	if err != nil {
		return nil, err
	}
	return marshalDocument(h.server.spec.doc)
}

// everyRoute is the API with every optional route mounted and nothing behind it.
func everyRoute() (*Handler, error) {
	books, err := procedure.LoadRulebooks(nil)
	if err != nil {
		return nil, fmt.Errorf("load rulebooks: %w", err)
	}
	skey, vkey, err := audit.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("ledger key: %w", err)
	}
	ledger, err := audit.New(skey, vkey)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return New(Options{Metrics: prometheus.NewRegistry(), Rulebooks: books, Ledger: ledger, Calendar: noCalendar{}, Records: noRecords{}}), nil
}

func marshalDocument(doc *openapi3.T) ([]byte, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the OpenAPI document: %w", err)
	}
	return append(b, '\n'), nil
}

// noCalendar and noRecords stand in for the calendar and the record store, so Document mounts
// the routes that need them; nothing is served.
type (
	noCalendar struct{}
	noRecords  struct{}
)

func (noCalendar) Day(procedure.Date) procedure.DayInfo { return procedure.DayInfo{} }

func (noRecords) RecordedWorkflows(context.Context) (map[string]*store.Recorded, error) {
	return nil, nil
}
