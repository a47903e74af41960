package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// workflowQuery answers a GET with a query of the workflow target names.
func (s *Server) workflowQuery(target func(echo.Context) (string, error), query string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := target(c)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), queryTimeout)
		defer cancel()
		v, err := s.temporal.QueryWorkflow(ctx, id, "", query)
		if err != nil {
			return fromTemporal(err, id)
		}
		var out json.RawMessage
		if err := v.Get(&out); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

// TimelineEntry is one line of a decision's timeline as the API shows it.
type TimelineEntry struct {
	// Workflow is the workflow that recorded it: the decision or one of its procedure rounds.
	Workflow string `json:"workflow"`
	// Seq orders the entries of one workflow.
	Seq int `json:"seq"`
	procedure.Event
	// Payload is the act's content as recorded.
	Payload json.RawMessage `json:"payload,omitempty"`
	// Signature is the act's signature, with the canonical body it covers.
	Signature *procedure.Signature `json:"signature,omitempty"`
	// Verified says whether the signature checks out now against its registered key.
	Verified *bool `json:"verified,omitempty"`
	// RequestID is the ID of the HTTP request that sent the act (its X-Request-ID), to follow
	// it to the access log; absent for the engine's own events and older acts.
	RequestID string `json:"request_id,omitempty"`
}

// timeline answers every act and transition of a decision from the store, as JSON or, with
// ?format=csv or xlsx, as CSV or an XLSX workbook.
func (s *Server) timeline(c echo.Context) error {
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	acts, err := s.store.Acts(c.Request().Context(), number)
	if err != nil {
		return err
	}
	switch c.QueryParam("format") {
	case "csv":
		return s.writeTimelineCSV(c, number, acts)
	case "xlsx":
		return s.writeTimelineXLSX(c, number, acts)
	}
	out := make([]TimelineEntry, 0, len(acts))
	keys := map[string]signature.PublicKey{}
	for _, a := range acts {
		e := TimelineEntry{Workflow: a.WorkflowID, Seq: a.Seq, Event: a.Event, Signature: a.Signature, RequestID: a.RequestID}
		if json.Valid([]byte(a.Payload)) {
			e.Payload = json.RawMessage(a.Payload)
		}
		if a.Signature != nil {
			ok := s.verifies(c.Request().Context(), a.Signature, keys)
			e.Verified = &ok
		}
		out = append(out, e)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) writeTimelineCSV(c echo.Context, number string, acts []procedure.ActRecord) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+number+`-timeline.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	// The byte-order mark tells spreadsheet programs the text is UTF-8, so Chinese stays legible.
	_, _ = c.Response().Write([]byte("\ufeff"))
	w := csv.NewWriter(c.Response())
	_ = w.Write(columnNames(timelineColumns))
	keys := map[string]signature.PublicKey{}
	for _, a := range acts {
		e := a.Event
		sig, verified := "", ""
		if a.Signature != nil {
			sig, verified = recorded(a.Signature), strconv.FormatBool(s.verifies(c.Request().Context(), a.Signature, keys))
		}
		_ = w.Write([]string{e.At.Format(time.RFC3339Nano), a.WorkflowID, strconv.Itoa(a.Seq), e.Kind, e.Actor,
			strconv.Itoa(e.DraftVersion), string(e.Stage), strconv.FormatBool(e.Late), e.Note, a.Payload, sig, verified})
	}
	w.Flush()
	return w.Error()
}

// timelineColumns are the timeline export's columns, in the CSV's order.
var timelineColumns = []column{
	{"时间", "at", 20}, {"工作流", "workflow", 30}, {"序号", "seq", 8}, {"事项", "kind", 24}, {"办理人", "actor", 14},
	{"草案稿次", "draft_version", 10}, {"阶段", "stage", 20}, {"逾期", "late", 8}, {"备注", "note", 30},
	{"内容", "payload", 40}, {"签名", "signature", 30}, {"签名有效", "verified", 10},
}

func (s *Server) writeTimelineXLSX(c echo.Context, number string, acts []procedure.ActRecord) error {
	sh, err := newSheet(timelineColumns)
	if err != nil {
		return err
	}
	keys := map[string]signature.PublicKey{}
	for _, a := range acts {
		e := a.Event
		var sig, verified any = "", ""
		if a.Signature != nil {
			sig, verified = recorded(a.Signature), s.verifies(c.Request().Context(), a.Signature, keys)
		}
		if err := sh.add(e.At, a.WorkflowID, a.Seq, e.Kind, e.Actor, e.DraftVersion, string(e.Stage), e.Late, e.Note, a.Payload,
			sig, verified); err != nil {
			sh.close()
			return fmt.Errorf("timeline of %s: %w", number, err)
		}
	}
	return s.sendSheet(c, sh, number+"-timeline.xlsx")
}

// decisionReads adds the read routes of a decision beyond its summary.
func (s *Server) decisionReads(decision *echo.Group) {
	decision.GET("/record", s.workflowQuery(decisionTarget, workflows.QueryRecord))
	s.spec.get(decisionPrefix+"/record", "完整程序记录 / the decision's whole procedural record", procedure.Record{})
	decision.GET("/tasks", s.workflowQuery(decisionTarget, workflows.QueryTasks))
	s.spec.get(decisionPrefix+"/tasks", "决策的待办 / the decision's open tasks", []procedure.Task{})
	decision.GET("/timeline", s.timeline)
	s.spec.get(decisionPrefix+"/timeline", "办理时间线 / every act and transition, JSON or, with ?format=csv or xlsx, CSV or XLSX", []TimelineEntry{},
		query("format", "csv 则为 CSV，xlsx 则为 XLSX / csv for CSV, xlsx for XLSX"), alsoAs("text/csv"), alsoAs(xlsxType))
	decision.GET("/open-tasks", s.openTasks)
	s.spec.get(decisionPrefix+"/open-tasks", "决策及各轮程序的全部待办 / every open task of the decision and its rounds", []OpenTaskEntry{})
}

// openTasks answers every open task of the decision and its procedure rounds, from the store.
func (s *Server) openTasks(c echo.Context) error {
	number, err := decisionTarget(c)
	if err != nil {
		return err
	}
	tasks, err := s.store.OpenTasks(c.Request().Context(), number)
	if err != nil {
		return err
	}
	out := make([]OpenTaskEntry, 0, len(tasks))
	for _, t := range tasks {
		e := OpenTaskEntry{OpenTask: t}
		e.Label, e.LabelEN = procedure.ActLabel(t.Act)
		out = append(out, e)
	}
	return c.JSON(http.StatusOK, out)
}

// OpenTaskEntry is one open task of a decision with the act named for people.
type OpenTaskEntry struct {
	store.OpenTask
	// Label names the act in Chinese, e.g. 送请合法性审查.
	Label string `json:"label"`
	// LabelEN names the act in English.
	LabelEN string `json:"label_en"`
}
