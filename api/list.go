package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// ListResponse is a page of a list.
type ListResponse[T any] struct {
	// Items are the page's items.
	Items []T `json:"items"`
	// Page is the page number, from 1.
	Page int `json:"page"`
	// PageSize is the page's size.
	PageSize int `json:"page_size"`
	// Next is the path and query of the next page, the same filter with the next page number;
	// absent on the last page.
	Next string `json:"next,omitempty"`
	// Total counts the items on every page, for the lists that count them.
	Total *int64 `json:"total,omitempty"`
}

// listCounter is what a store offers to count the lists it pages; without it a list has no
// total and a full page is taken to have a next one.
type listCounter interface {
	// CountDecisions counts the decisions f selects.
	CountDecisions(ctx context.Context, f store.DecisionFilter) (int64, error)
	// CountInbox counts what waits for a.
	CountInbox(ctx context.Context, a procedure.Actor, f store.InboxFilter) (int64, error)
}

// listOf answers a page of items with where to go on: with a total, a next page while items
// remain; without one, after every full page.
func listOf[T any](c echo.Context, items []T, page store.Page, total *int64) ListResponse[T] {
	out := ListResponse[T]{Items: items, Page: page.Number, PageSize: page.Size, Total: total}
	more := len(items) == page.Size
	if total != nil {
		more = int64(page.Number)*int64(page.Size) < *total
	}
	if more {
		q := c.Request().URL.Query()
		q.Set("page", strconv.Itoa(page.Number+1))
		q.Set("page_size", strconv.Itoa(page.Size))
		out.Next = c.Request().URL.Path + "?" + q.Encode()
	}
	return out
}

// count runs fn on the store's counter, if it has one.
func (s *Server) count(fn func(listCounter) (int64, error)) (*int64, error) {
	counter, ok := s.store.(listCounter)
	if !ok {
		return nil, nil
	}
	n, err := fn(counter)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func (s *Server) listRoutes(v1 *echo.Group) {
	v1.GET("/decisions", s.listDecisions)
	s.spec.get("/api/v1/decisions", "决策事项列表 / list decisions", ListResponse[DecisionResponse]{},
		query("stage", "阶段 / stage"), query("unit", "承办单位 / lead unit"), query("year", "年度 / year", "integer"),
		query("overdue", "逾期 / overdue only", "boolean"), query("drill", "演练 / drills instead of real decisions", "boolean"),
		query("q", "全文检索 / text search"), query("page", "页码 / page, from 1", "integer"), query("page_size", "每页条数 / page size", "integer"))
	v1.GET("/inbox", s.inbox)
	s.spec.get("/api/v1/inbox", "我的待办 / what waits for the caller", ListResponse[InboxEntry]{},
		query("stage", "阶段 / stage"), query("unit", "承办单位 / lead unit"),
		query("page", "页码 / page, from 1", "integer"), query("page_size", "每页条数 / page size", "integer"))
}

// listDecisions lists decisions by stage, lead unit, year, overdue and text, from the store.
// Drills are listed only with drill=true, and never with real decisions.
func (s *Server) listDecisions(c echo.Context) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	f := store.DecisionFilter{Unit: c.QueryParam("unit"), Search: c.QueryParam("q"), Today: procedure.DateOf(time.Now())}
	if v := c.QueryParam("stage"); v != "" {
		if f.Stage, err = procedure.ParseStage(v); err != nil {
			return err
		}
	}
	if f.Year, err = intParam(c, "year", 0); err != nil {
		return err
	}
	if f.Overdue, err = boolParam(c, "overdue"); err != nil {
		return err
	}
	if f.Drill, err = boolParam(c, "drill"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	items, err := s.store.Decisions(ctx, f, page)
	if err != nil {
		return err
	}
	total, err := s.count(func(lc listCounter) (int64, error) { return lc.CountDecisions(ctx, f) })
	if err != nil {
		return err
	}
	out := make([]DecisionResponse, 0, len(items))
	for _, d := range items {
		out = append(out, toResponse(d, true))
	}
	return c.JSON(http.StatusOK, listOf(c, out, page, total))
}

// inbox lists what waits for the caller, earliest due first.
func (s *Server) inbox(c echo.Context) error {
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	f := store.InboxFilter{Stage: c.QueryParam("stage"), Unit: c.QueryParam("unit")}
	ctx, a := c.Request().Context(), actorOf(c)
	items, err := s.store.Inbox(ctx, a, f, page)
	if err != nil {
		return err
	}
	total, err := s.count(func(lc listCounter) (int64, error) { return lc.CountInbox(ctx, a, f) })
	if err != nil {
		return err
	}
	out := make([]InboxEntry, 0, len(items))
	for _, it := range items {
		e := InboxEntry{InboxItem: it}
		e.Label, e.LabelEN = procedure.ActLabel(it.Act)
		out = append(out, e)
	}
	return c.JSON(http.StatusOK, listOf(c, out, page, total))
}

// InboxEntry is one task waiting for the caller, with the act named for people; its due date
// (YYYY-MM-DD) and the explanation of how it was counted are the item's due and explanation.
type InboxEntry struct {
	store.InboxItem
	// Label names the act in Chinese, e.g. 送请合法性审查.
	Label string `json:"label"`
	// LabelEN names the act in English.
	LabelEN string `json:"label_en"`
}

func pageOf(c echo.Context) (store.Page, error) {
	n, err := intParam(c, "page", 1)
	if err != nil {
		return store.Page{}, err
	}
	size, err := intParam(c, "page_size", 50)
	if err != nil {
		return store.Page{}, err
	}
	if n < 1 || size < 1 || size > 200 {
		return store.Page{}, procedure.Errorf(procedure.EInvalid, "page 从 1 起，page_size 须在 1 至 200 之间", "page counts from 1; page_size must be 1 to 200")
	}
	return store.Page{Number: n, Size: size}, nil
}

func intParam(c echo.Context, name string, def int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, procedure.Errorf(procedure.EMalformed, "参数 %s 须为整数", "parameter %s must be an integer", name)
	}
	return n, nil
}

func boolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, procedure.Errorf(procedure.EMalformed, "参数 %s 须为 true 或 false", "parameter %s must be true or false", name)
	}
	return b, nil
}
