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
	"golang.org/x/text/unicode/norm"

	"github.com/labstack/echo/v4"
)

// Acts of a public participation round.
var participationActs = []act{
	{"notice", workflows.UpdateNotice, []procedure.Role{procedure.RoleOfficial}, procedure.Notice{}, false},
	{"extend-period", workflows.UpdateExtendPeriod, []procedure.Role{procedure.RoleOfficial}, procedure.Date{}, false},
	{"hearing", workflows.UpdateHearing, []procedure.Role{procedure.RoleOfficial}, procedure.Hearing{}, false},
	// Hearing participants are members of the public: any signed-in person but an auditor.
	{"confirm-hearing", workflows.UpdateConfirmHearing, nil, workflows.HearingConfirmation{}, true},
}

func (s *Server) participationRoutes(decision *echo.Group) {
	s.mountRound(decision, workflows.ProcParticipation, participationActs)
}

// decisionPrefix is the path of the decision group.
const decisionPrefix = "/api/v1/decisions/:number"

// mountRound adds the read and act routes of a procedure's rounds under
// /decisions/:number/{proc}/:round.
func (s *Server) mountRound(decision *echo.Group, proc string, acts []act) {
	g := decision.Group("/" + proc + "/:round")
	target := roundTarget(proc)
	g.GET("", s.workflowQuery(target, workflows.QueryState))
	g.GET("/tasks", s.workflowQuery(target, workflows.QueryTasks))
	s.mountActs(g, decisionPrefix+"/"+proc+"/:round", acts, target)
}

// CommentStore keeps public comments and what officials do with them.
type CommentStore interface {
	// OpenConsultations lists the rounds taking comments now.
	OpenConsultations(ctx context.Context, at time.Time, page store.Page) ([]procedure.Consultation, error)
	// LatestConsultation returns a decision's latest round.
	LatestConsultation(ctx context.Context, decision string) (procedure.Consultation, error)
	// Consultation returns one round.
	Consultation(ctx context.Context, workflowID string) (procedure.Consultation, error)
	// CommentByReceipt returns the comment a receipt was given for.
	CommentByReceipt(ctx context.Context, receipt string) (procedure.CommentView, error)
	// UnindexedComments counts a round's comments the search cannot find yet.
	UnindexedComments(ctx context.Context, workflowID string) (int64, error)
	// Comments returns a page of a round's comments.
	Comments(ctx context.Context, workflowID string, f store.CommentFilter) ([]procedure.CommentView, error)
	// EachComment streams a round's comments.
	EachComment(ctx context.Context, workflowID string, f store.CommentFilter, fn func(procedure.CommentView) error) error
	// Clusters returns a page of a round's clusters, largest first.
	Clusters(ctx context.Context, workflowID string, f store.ClusterFilter) ([]procedure.Cluster, error)
	// Dispose records a disposition of comments and clusters.
	Dispose(ctx context.Context, workflowID string, a procedure.Actor, d procedure.DispositionRequest, at time.Time) error
	// AdoptionSummary counts a round's dispositions.
	AdoptionSummary(ctx context.Context, workflowID string, at time.Time) (procedure.AdoptionSummary, error)
	// Clauses returns a draft version's clauses.
	Clauses(ctx context.Context, decision string, version int) ([]procedure.Clause, error)
	// SaveClauses keeps a version's clauses and links earlier versions' clauses to them.
	SaveClauses(ctx context.Context, decision string, version int, clauses []procedure.Clause) (procedure.ClauseDiff, error)
	// PreviousClauses returns the latest version before version with clauses.
	PreviousClauses(ctx context.Context, decision string, version int) (int, []procedure.Clause, error)
	// VerifyComments re-checks a round's comments against the ledger's batch digests.
	VerifyComments(ctx context.Context, workflowID string) (store.CommentCheck, error)
	// StoreAttachment keeps a file attached to a comment.
	StoreAttachment(ctx context.Context, sha, mediaType string, content []byte) error
	// RegisterForHearing keeps a hearing registration.
	RegisterForHearing(ctx context.Context, decision string, hearing int, r procedure.HearingRegistration) (procedure.HearingRegistration, error)
	// HearingRegistrations lists a hearing's registrations.
	HearingRegistrations(ctx context.Context, workflowID string, hearing int) ([]procedure.HearingRegistration, error)
	// SelectHearingParticipants draws a hearing's participants by lot.
	SelectHearingParticipants(ctx context.Context, workflowID string, hearing, seats int, a procedure.Actor, at time.Time) (procedure.HearingSelection, error)
}

// Who reads comments: they carry commenters' contacts, so only the people who handle them
// and auditors.
var commentReaders = []procedure.Role{procedure.RoleOfficial, procedure.RoleHead, procedure.RoleLegalCounsel, procedure.RoleAuditor}

// commentRoutes mounts the officials' work on a round's comments.
func (s *Server) commentRoutes(decision *echo.Group) {
	g := decision.Group("/" + workflows.ProcParticipation + "/:round")
	read := requireRoles(commentReaders...)
	g.GET("/comments", s.listComments, read)
	g.GET("/comments/export", s.exportComments, read)
	g.GET("/clusters", s.listClusters, read)
	g.GET("/comments/verify", s.verifyComments, read)
	g.GET("/adoption-summary", s.adoptionSummary, read)
	route := s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/dispositions", "处理公众意见 / dispose of comments",
		procedure.DispositionRequest{}, []procedure.Role{procedure.RoleOfficial})
	g.POST("/dispositions", s.dispose, requireRoles(procedure.RoleOfficial), validate(route))
	route = s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/adoption-report",
		"生成并提交意见采纳情况报告 / generate and submit the adoption report", nil, []procedure.Role{procedure.RoleOfficial})
	g.POST("/adoption-report", s.submitAdoptionReport, requireRoles(procedure.RoleOfficial), validate(route))
	g.GET("/hearings/:hearing/registrations", s.hearingRegistrations, read)
	route = s.spec.add(http.MethodPost, decisionPrefix+"/participation/:round/hearings/:hearing/selection",
		"抽签确定听证参加人 / draw hearing participants by lot", SelectionRequest{}, []procedure.Role{procedure.RoleOfficial})
	g.POST("/hearings/:hearing/selection", s.selectHearingParticipants, requireRoles(procedure.RoleOfficial), validate(route))
}

// SelectionRequest says how many hearing participants to draw.
type SelectionRequest struct {
	// Seats is the number of participants to draw.
	Seats int `json:"seats"`
}

func (s *Server) hearingRegistrations(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	hearing, err := hearingParam(c)
	if err != nil {
		return err
	}
	items, err := s.comments.HearingRegistrations(c.Request().Context(), wf, hearing)
	if err != nil {
		return err
	}
	if items == nil {
		items = []procedure.HearingRegistration{}
	}
	return c.JSON(http.StatusOK, items)
}

// selectHearingParticipants draws the participants by a lot anyone can recompute; the unit
// then publishes the method and the list with the hearing act.
func (s *Server) selectHearingParticipants(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	hearing, err := hearingParam(c)
	if err != nil {
		return err
	}
	var req SelectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Seats < 1 || req.Seats > 500 {
		return procedure.Errorf(procedure.EInvalid, "参加人数须在 1 至 500 之间", "seats must be 1 to 500")
	}
	sel, err := s.comments.SelectHearingParticipants(c.Request().Context(), wf, hearing, req.Seats, actorOf(c), time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sel)
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
// disposition and clause status, as CSV (with a byte-order mark, for spreadsheet programs)
// or as a JSON array.
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
	if format != "csv" && format != "json" {
		return procedure.Errorf(procedure.EInvalid, "format 须为 csv 或 json", "format must be csv or json")
	}
	if _, err := s.comments.Consultation(c.Request().Context(), wf); err != nil {
		return err
	}
	name := strings.ReplaceAll(wf, "/", "-") + "-comments." + format
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	if format == "json" {
		return s.exportJSON(c, wf, f)
	}
	return s.exportCSV(c, wf, f)
}

func (s *Server) exportCSV(c echo.Context, wf string, f store.CommentFilter) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write([]byte("\uFEFF"))
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"id", "receipt", "received_at", "clause", "clause_now", "clause_status", "text", "contact", "publish",
		"cluster", "disposition", "reason", "by_cluster"})
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
	return c.JSON(http.StatusOK, ListResponse[procedure.Cluster]{Items: items, Page: page.Number, PageSize: page.Size})
}

// DispositionResponse answers a disposition.
type DispositionResponse struct {
	// Comments and Clusters count what was disposed of.
	Comments int `json:"comments"`
	// Clusters counts the clusters disposed of.
	Clusters int `json:"clusters"`
}

func (s *Server) dispose(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	var d procedure.DispositionRequest
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	d.Reason = procedure.CleanText(norm.NFC.String(d.Reason))
	a := actorOf(c)
	if err := procedure.CheckDisposition(a, d); err != nil {
		return err
	}
	if err := s.comments.Dispose(c.Request().Context(), wf, a, d, time.Now()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DispositionResponse{Comments: len(d.Comments), Clusters: len(d.Clusters)})
}

func (s *Server) adoptionSummary(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	sum, err := s.comments.AdoptionSummary(c.Request().Context(), wf, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// submitAdoptionReport generates the adoption report from the dispositions recorded, files it
// as a document of the decision and submits it to the round's workflow, which checks its
// figures against the comments counted at the close.
func (s *Server) submitAdoptionReport(c echo.Context) error {
	wf, err := s.round(c)
	if err != nil {
		return err
	}
	if _, err := decodePayload(c, nil); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), actTimeout)
	defer cancel()
	cons, err := s.comments.Consultation(ctx, wf)
	if err != nil {
		return err
	}
	if !cons.Sealed {
		return procedure.Errorf(procedure.EFailedPrecondition, "R-10: 征求意见期限届满前不能提交采纳情况报告",
			"R-10: the adoption report comes after the comment period closes")
	}
	sum, err := s.comments.AdoptionSummary(ctx, wf, time.Now())
	if err != nil {
		return err
	}
	if err := sum.CheckComplete(); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-第%d轮意见采纳情况报告.md", cons.Decision, cons.Round)
	doc, err := s.fileGenerated(ctx, cons.Decision, "adoption_report", name, []byte(sum.Markdown()), actorOf(c))
	if err != nil {
		return err
	}
	resp, err := s.send(ctx, wf, workflows.UpdateAdoptionReport, c.Request().Header.Get("Idempotency-Key"),
		procedure.Act[any]{Actor: actorOf(c), Payload: sum.Report(doc.SHA256)})
	if err != nil {
		return fromTemporal(err, wf)
	}
	return c.JSON(http.StatusOK, resp)
}
