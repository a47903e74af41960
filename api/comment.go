package api

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
)

// CommentReader is what the officials' comment routes read of a round's comments.
type CommentReader interface {
	// Consultation returns one round.
	Consultation(ctx context.Context, workflowID string) (procedure.Consultation, error)
	// UnindexedComments counts a round's comments the search cannot find yet.
	UnindexedComments(ctx context.Context, workflowID string) (int64, error)
	// Comments returns a page of a round's comments.
	Comments(ctx context.Context, workflowID string, f store.CommentFilter) ([]procedure.CommentView, error)
	// EachComment streams a round's comments.
	EachComment(ctx context.Context, workflowID string, f store.CommentFilter, fn func(procedure.CommentView) error) error
	// Clusters returns a page of a round's clusters, largest first.
	Clusters(ctx context.Context, workflowID string, f store.ClusterFilter) ([]procedure.Cluster, error)
	// VerifyComments re-checks a round's comments against the ledger's batch digests.
	VerifyComments(ctx context.Context, workflowID string) (store.CommentCheck, error)
	// CommentsPerDay counts a round's comments by the day they were received.
	CommentsPerDay(ctx context.Context, workflowID string) ([]store.DayCount, error)
}

// Who reads comments: they carry commenters' contacts, so only the people who handle them
// and auditors.
var commentReaders = []procedure.Role{procedure.RoleOfficial, procedure.RoleHead, procedure.RoleLegalCounsel, procedure.RoleAuditor}

// commentRoutes mounts the officials' reading of a round's comments.
func (s *Server) commentRoutes(decision *echo.Group) {
	g := decision.Group("/" + workflows.ProcParticipation + "/:round")
	read := requireRoles(commentReaders...)
	filter := []option{only(commentReaders...), query("q", "全文检索 / text search"),
		query("disposition", "none、adopted、partly_adopted 或 not_adopted / disposition, or none"),
		query("clause", "条文 / clause", "integer"), query("cluster", "聚类 / cluster", "integer"),
		query("after", "从此 ID 之后 / after this comment ID", "integer"), query("limit", "条数 1–500 / limit, 1 to 500", "integer")}
	g.GET("/comments", s.listComments, read)
	s.spec.get(decisionPrefix+"/participation/:round/comments", "公众意见 / a round's comments, a page at a time", CommentPage{}, filter...)
	g.GET("/comments/export", s.exportComments, read)
	s.spec.get(decisionPrefix+"/participation/:round/comments/export", "导出公众意见（CSV、JSON 或 XLSX）/ export the comments as CSV, JSON or XLSX",
		download{"text/csv", "application/json", xlsxType}, append(filter, query("format", "csv（默认）、json 或 xlsx / csv (default), json or xlsx"))...)
	g.GET("/clusters", s.listClusters, read)
	s.spec.get(decisionPrefix+"/participation/:round/clusters", "意见聚类 / clusters of like comments", ListResponse[procedure.Cluster]{}, only(commentReaders...),
		query("min_size", "最小规模 / smallest cluster", "integer"), query("page", "页码 / page, from 1", "integer"), query("page_size", "每页条数 / page size", "integer"))
	g.GET("/comments/verify", s.verifyComments, read)
	s.spec.get(decisionPrefix+"/participation/:round/comments/verify", "按账本核对意见 / check the stored comments against the ledger", store.CommentCheck{}, only(commentReaders...))
	g.GET("/comments/per-day", s.commentsPerDay, read)
	s.spec.get(decisionPrefix+"/participation/:round/comments/per-day", "每日意见数 / comments received each day", []store.DayCount{}, only(commentReaders...))
}

// commentsPerDay answers how many comments the round received each day, in Beijing: the
// oversight dashboard draws a running consultation's curve from it.
func (s *Server) commentsPerDay(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	days, err := s.comments.CommentsPerDay(c.Request().Context(), wf)
	if err != nil {
		return err
	}
	if days == nil {
		days = []store.DayCount{}
	}
	return c.JSON(http.StatusOK, days)
}

// round resolves the :number and :round of a request to the round's workflow ID.
func (s *Server) round(c echo.Context) (string, error) {
	if s.comments == nil {
		return "", procedure.Errorf(procedure.EUnavailable, "意见征集服务未启用", "the comment service is not running here")
	}
	return roundTarget(workflows.ProcParticipation)(c)
}

func commentFilter(c echo.Context) (store.CommentFilter, error) {
	f := store.CommentFilter{Query: c.QueryParam("q"), Disposition: c.QueryParam("disposition")}
	var err error
	if f.Clause, err = intParam(c, "clause", 0); err != nil {
		return f, err
	}
	cluster, err := intParam(c, "cluster", 0)
	if err != nil {
		return f, err
	}
	after, err := intParam(c, "after", 0)
	if err != nil {
		return f, err
	}
	if f.Limit, err = intParam(c, "limit", 50); err != nil {
		return f, err
	}
	f.Cluster, f.After = int64(cluster), int64(after)
	switch f.Disposition {
	case "", "none", string(procedure.Adopted), string(procedure.PartlyAdopted), string(procedure.NotAdopted):
	default:
		return f, procedure.Errorf(procedure.EInvalid, "disposition 须为 none、adopted、partly_adopted 或 not_adopted",
			"disposition must be none, adopted, partly_adopted or not_adopted")
	}
	if f.Limit < 1 || f.Limit > 500 {
		return f, procedure.Errorf(procedure.EInvalid, "limit 须在 1 至 500 之间", "limit must be 1 to 500")
	}
	return f, nil
}

// CommentPage is a page of comments; Next is the after= of the next page, 0 at the end.
type CommentPage struct {
	// Items are the comments.
	Items []procedure.CommentView `json:"items"`
	// Next continues the list; 0 when there is no more.
	Next int64 `json:"next,omitempty"`
	// Unindexed, for a search, counts the comments the search index has not reached yet;
	// they are found within seconds once a flood has passed.
	Unindexed int64 `json:"unindexed,omitempty"`
}

func (s *Server) listComments(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	f, err := commentFilter(c)
	if err != nil {
		return err
	}
	items, err := s.comments.Comments(c.Request().Context(), wf, f)
	if err != nil {
		return err
	}
	page := CommentPage{Items: items}
	if len(items) == f.Limit {
		page.Next = items[len(items)-1].ID
	}
	if f.Query != "" {
		if page.Unindexed, err = s.comments.UnindexedComments(c.Request().Context(), wf); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, page)
}

// exportComments streams every comment of the round matching the filter, with its cluster,
// disposition and clause status, as CSV (with a byte-order mark, for spreadsheet programs),
// as a JSON array or as an XLSX workbook.
func (s *Server) exportComments(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	f, err := commentFilter(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" && format != "xlsx" {
		return procedure.Errorf(procedure.EInvalid, "format 须为 csv、json 或 xlsx", "format must be csv, json or xlsx")
	}
	if _, err := s.comments.Consultation(c.Request().Context(), wf); err != nil {
		return err
	}
	name := strings.ReplaceAll(wf, "/", "-") + "-comments." + format
	if format == "xlsx" {
		return s.exportXLSX(c, wf, f, name)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	if format == "json" {
		return s.exportJSON(c, wf, f)
	}
	return s.exportCSV(c, wf, f)
}

// commentColumns are the comment export's columns, in the CSV's order.
var commentColumns = []column{
	{"编号", "id", 10}, {"回执号", "receipt", 22}, {"收到时间", "received_at", 20}, {"条文", "clause", 8},
	{"现条文", "clause_now", 8}, {"条文状态", "clause_status", 12}, {"意见内容", "text", 60}, {"联系方式", "contact", 18},
	{"同意公开", "publish", 10}, {"聚类", "cluster", 10}, {"处理结果", "disposition", 16}, {"理由", "reason", 40},
	{"按聚类处理", "by_cluster", 12},
}

func (s *Server) exportXLSX(c echo.Context, wf string, f store.CommentFilter, name string) error {
	sh, err := newSheet(commentColumns)
	if err != nil {
		return err
	}
	err = s.comments.EachComment(c.Request().Context(), wf, f, func(v procedure.CommentView) error {
		var now, status any = "", ""
		if v.ClauseNow != nil {
			now, status = v.ClauseNow.To, v.ClauseNow.Status
		}
		return sh.add(v.ID, v.Receipt, v.ReceivedAt, v.Clause, now, status, v.Text, v.Contact, v.Publish, v.Cluster,
			string(v.Disposition), v.Reason, v.ByCluster)
	})
	if err != nil {
		sh.close()
		return fmt.Errorf("export comments of %s: %w", wf, err)
	}
	return s.sendSheet(c, sh, name)
}

func (s *Server) exportCSV(c echo.Context, wf string, f store.CommentFilter) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write([]byte("\uFEFF"))
	w := csv.NewWriter(c.Response())
	_ = w.Write(columnNames(commentColumns))
	n := 0
	err := s.comments.EachComment(c.Request().Context(), wf, f, func(v procedure.CommentView) error {
		now, status := "", ""
		if v.ClauseNow != nil {
			now, status = strconv.Itoa(v.ClauseNow.To), v.ClauseNow.Status
		}
		if err := w.Write([]string{strconv.FormatInt(v.ID, 10), v.Receipt, v.ReceivedAt.Format(time.RFC3339Nano), strconv.Itoa(v.Clause),
			now, status, spreadsheetSafe(v.Text), spreadsheetSafe(v.Contact), strconv.FormatBool(v.Publish), strconv.FormatInt(v.Cluster, 10),
			string(v.Disposition), spreadsheetSafe(v.Reason), strconv.FormatBool(v.ByCluster)}); err != nil {
			return err
		}
		if n++; n%1000 == 0 {
			w.Flush()
			c.Response().Flush()
		}
		return nil
	})
	w.Flush()
	return s.streamError(c, err, w.Error())
}

func (s *Server) exportJSON(c echo.Context, wf string, f store.CommentFilter) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(c.Response(), 64<<10)
	enc := json.NewEncoder(bw)
	_, _ = bw.WriteString("[\n")
	first := true
	err := s.comments.EachComment(c.Request().Context(), wf, f, func(v procedure.CommentView) error {
		if !first {
			_, _ = bw.WriteString(",")
		}
		first = false
		return enc.Encode(v)
	})
	_, _ = bw.WriteString("]\n")
	return s.streamError(c, err, bw.Flush())
}

// spreadsheetSafe keeps a public text from being run as a formula when the export is opened
// in a spreadsheet: a cell starting with =, +, -, @ or a control character gets a leading
// apostrophe, which spreadsheets show as text.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// streamError logs a failure after the response has started: the status is sent, so the
// client sees a truncated body, and the log says why.
func (s *Server) streamError(c echo.Context, errs ...error) error {
	if err := errors.Join(errs...); err != nil {
		s.logger.Error("export interrupted", "path", c.Request().URL.Path, "err", err)
	}
	return nil
}

// verifyComments re-checks the round's stored comments against the batch digests in the
// ledger and the count fixed at the close.
func (s *Server) verifyComments(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	check, err := s.comments.VerifyComments(c.Request().Context(), wf)
	if err != nil {
		return err
	}
	if check.Mismatched == nil {
		check.Mismatched = []int64{}
	}
	if check.Unledgered == nil {
		check.Unledgered = []int64{}
	}
	return c.JSON(http.StatusOK, check)
}

func (s *Server) listClusters(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	minSize, err := intParam(c, "min_size", 1)
	if err != nil {
		return err
	}
	items, err := s.comments.Clusters(c.Request().Context(), wf, store.ClusterFilter{MinSize: minSize, Page: page})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(c, items, page, nil))
}
