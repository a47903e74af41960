package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/workflows"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/time/rate"
)

// CommentIntake takes public comments durably.
type CommentIntake interface {
	// Submit stores a comment on the decision's current round and returns its receipt once
	// it is durable.
	Submit(ctx context.Context, decision, client string, c procedure.Comment) (procedure.Receipt, error)
	// Consultation returns the decision's latest round, cached.
	Consultation(ctx context.Context, decision string) (procedure.Consultation, error)
}

// PublicStore is what the public routes read and keep of a consultation.
type PublicStore interface {
	// OpenConsultations lists the rounds taking comments now.
	OpenConsultations(ctx context.Context, at time.Time, page store.Page) ([]procedure.Consultation, error)
	// LatestAct returns a decision's latest act of a kind.
	LatestAct(ctx context.Context, number, kind string) (procedure.ActRecord, error)
	// ClosedConsultations lists the rounds whose period is over, the latest first.
	ClosedConsultations(ctx context.Context, at time.Time, page store.Page) ([]procedure.Consultation, error)
	// LatestConsultation returns a decision's latest round.
	LatestConsultation(ctx context.Context, decision string) (procedure.Consultation, error)
	// CommentByReceipt returns the comment a receipt was given for.
	CommentByReceipt(ctx context.Context, receipt string) (procedure.CommentView, error)
	// StoreAttachment keeps a file attached to a comment.
	StoreAttachment(ctx context.Context, sha, mediaType string, content []byte) error
}

// CommentRequest is a public comment as submitted.
type CommentRequest struct {
	// Text is the comment, up to 10,000 characters.
	Text string `json:"text"`
	// Clause is the number of the draft's clause the comment concerns; 0 or absent for the
	// draft as a whole.
	Clause int `json:"clause,omitempty"`
	// Contact is how the unit may reach the commenter; never published.
	Contact string `json:"contact,omitempty"`
	// Publish allows the unit to publish the text (without the contact).
	Publish bool `json:"publish,omitempty"`
}

// ReceiptResponse answers an accepted comment.
type ReceiptResponse struct {
	procedure.Receipt
	// Lookup is where the commenter can look the comment up.
	Lookup string `json:"lookup"`
}

// NoticeResponse is a consultation as the public reads it.
type NoticeResponse struct {
	// Decision is the decision number.
	Decision string `json:"decision"`
	// Title is the decision's title.
	Title string `json:"title"`
	// Round is the participation round.
	Round int `json:"round"`
	// DraftVersion is the draft consulted on.
	DraftVersion int `json:"draft_version"`
	// Notice is the notice as published.
	Notice procedure.Notice `json:"notice"`
	// Open says whether comments are taken now.
	Open bool `json:"open"`
	// Deadline explains the deadline, Chinese and English.
	Deadline string `json:"deadline"`
	// DeadlineEN explains the deadline in English.
	DeadlineEN string `json:"deadline_en"`
	// ClosesAt is the instant after which comments are refused.
	ClosesAt time.Time `json:"closes_at"`
	// Documents are where the draft, its explanation and, once in, the adoption report are read.
	Documents map[string]string `json:"documents"`
	// Clauses are the draft's numbered clauses, when it was split into them.
	Clauses []procedure.Clause `json:"clauses,omitempty"`
	// Comments is the number of comments received, known once the period is over.
	Comments int64 `json:"comments,omitempty"`
	// Published is the decision as published, once it is and unless the organ found it
	// not disclosable; Documents["decision"] reads its text.
	Published *procedure.Publication `json:"published,omitempty"`
}

// publicRoutes mounts the routes the public uses without a token, each client (by address)
// limited to perClient requests a second; with floor, the load test's floor beside them.
func (s *Server) publicRoutes(e *echo.Echo, perClient float64, floor bool) {
	g := e.Group("/api/v1/public", publicRateLimit(perClient))
	g.GET("/consultations", s.openConsultations)
	s.spec.get("/api/v1/public/consultations", "征求意见公告列表 / consultations open (or, with state=closed, closed)", ListResponse[NoticeResponse]{},
		query("state", "open（默认）或 closed / open (default) or closed"), query("page", "页码 / page, from 1", "integer"), query("page_size", "每页条数 / page size", "integer"))
	g.GET("/consultations/:number", s.consultationNotice)
	s.spec.get("/api/v1/public/consultations/:number", "征求意见公告 / a consultation's notice", NoticeResponse{})
	g.GET("/consultations/:number/documents/:sha256", s.consultationDocument)
	s.spec.get("/api/v1/public/consultations/:number/documents/:sha256", "公告所附文件 / a document of the notice", download(procedure.DocumentTypes))
	// The body is checked by decodeJSON and procedure.CheckComment rather than by the OpenAPI
	// validator: this is the route a flood hits, and the check costs more than the rest of
	// the request.
	s.spec.add(http.MethodPost, "/api/v1/public/consultations/:number/comments", "提交意见 / submit a comment", CommentRequest{}, nil,
		form(map[string]string{"text": "", "contact": "", "clause": "", "publish": "", "attachment": "binary"}, "text"), returns(http.StatusAccepted, ReceiptResponse{}))
	// Up to three 5 MiB attachments in a multipart form; a JSON comment is held to 64 KiB.
	g.POST("/consultations/:number/comments", s.submitComment, middleware.BodyLimit("16M"))
	g.GET("/receipts/:receipt", s.receipt)
	s.spec.get("/api/v1/public/receipts/:receipt", "凭回执号查询意见 / a comment by its receipt", ReceiptLookup{})
	s.spec.add(http.MethodPost, "/api/v1/public/consultations/:number/hearings/:hearing/registrations", "听证报名 / register for a hearing",
		RegistrationRequest{}, nil, returns(http.StatusAccepted, procedure.HearingRegistration{}))
	g.POST("/consultations/:number/hearings/:hearing/registrations", s.registerForHearing, middleware.BodyLimit("64K"), s.idempotent)
	if floor {
		s.spec.add(http.MethodPost, "/api/v1/public/load-floor", "压力测试基线，仅在启用时提供 / load-test floor, served only when enabled", nil, nil,
			returns(http.StatusAccepted, map[string]string{}))
		g.POST("/load-floor", loadFloor, middleware.BodyLimit("16M"))
	}
}

// loadFloor reads the request's body and answers 202 with a receipt-sized answer: what the
// comment route costs without decoding, checking, storing or recording anything.
func loadFloor(c echo.Context) error {
	if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"receipt": "YJ-0000-0000-0000-0000"})
}

// publicRateLimit limits each client address to perClient requests a second, bursts of
// twice as many; beyond it the API answers 429 with Retry-After.
func publicRateLimit(perClient float64) echo.MiddlewareFunc {
	if perClient <= 0 {
		perClient = 5
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(perClient), Burst: int(2 * perClient), ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return procedure.Errorf(procedure.EResourceExhausted, "提交过于频繁，请稍后重试", "too many requests from this address; retry shortly")
		},
	})
}

func (s *Server) requireIntake() error {
	if s.intake == nil || s.public == nil {
		return procedure.Errorf(procedure.EUnavailable, "意见征集服务未启用", "the comment service is not running here")
	}
	return nil
}

func (s *Server) openConsultations(c echo.Context) error {
	if err := s.requireIntake(); err != nil {
		return err
	}
	page, err := pageOf(c)
	if err != nil {
		return err
	}
	list := s.public.OpenConsultations
	switch c.QueryParam("state") {
	case "", "open":
	case "closed":
		list = s.public.ClosedConsultations
	default:
		return procedure.Errorf(procedure.EInvalid, "state 须为 open 或 closed", "state must be open or closed")
	}
	items, err := list(c.Request().Context(), time.Now(), page)
	if err != nil {
		return err
	}
	out := make([]NoticeResponse, 0, len(items))
	for _, it := range items {
		out = append(out, noticeOf(it, nil))
	}
	return c.JSON(http.StatusOK, ListResponse[NoticeResponse]{Items: out, Page: page.Number, PageSize: page.Size})
}

// publicConsultation returns the decision's latest round; drills do not exist for the public.
func (s *Server) publicConsultation(c echo.Context) (procedure.Consultation, error) {
	if err := s.requireIntake(); err != nil {
		return procedure.Consultation{}, err
	}
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return procedure.Consultation{}, err
	}
	cons, err := s.public.LatestConsultation(c.Request().Context(), number)
	if err == nil && cons.Drill {
		err = procedure.Errorf(procedure.ENotFound, "该决策事项的征求意见不存在", "consultation of this decision not found")
	}
	return cons, err
}

func (s *Server) consultationNotice(c echo.Context) error {
	cons, err := s.publicConsultation(c)
	if err != nil {
		return err
	}
	clauses, err := s.clauses.Clauses(c.Request().Context(), cons.Decision, cons.DraftVersion)
	if err != nil {
		return err
	}
	r := noticeOf(cons, clauses)
	if r.Published, err = s.published(c.Request().Context(), cons); err != nil {
		return err
	}
	if r.Published != nil {
		r.Documents["decision"] = "/api/v1/public/consultations/" + cons.Decision + "/documents/" + bareSHA(r.Published.Document)
	}
	return c.JSON(http.StatusOK, r)
}

// published finds the decision's publication once the period is over: none while
// comments are taken (the notice a flood reads costs no more), none for a decision the organ
// found not disclosable.
func (s *Server) published(ctx context.Context, cons procedure.Consultation) (*procedure.Publication, error) {
	if !cons.Sealed {
		return nil, nil
	}
	rec, err := s.public.LatestAct(ctx, cons.Decision, workflows.UpdatePublication)
	switch {
	case procedure.IsCode(err, procedure.ENotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	var pub procedure.Publication
	if json.Unmarshal([]byte(rec.Payload), &pub) != nil || pub.NotDisclosableBasis != "" || pub.Document == "" {
		return nil, nil
	}
	return &pub, nil
}

func noticeOf(cons procedure.Consultation, clauses []procedure.Clause) NoticeResponse {
	base := "/api/v1/public/consultations/" + cons.Decision + "/documents/"
	docs := map[string]string{"draft": base + bareSHA(cons.Notice.Draft), "explanation": base + bareSHA(cons.Notice.Explanation)}
	if cons.Report != "" {
		docs["adoption_report"] = base + bareSHA(cons.Report)
	}
	zh, en := cons.Notice.DeadlineExplanation()
	r := NoticeResponse{Decision: cons.Decision, Title: cons.Title, Round: cons.Round, DraftVersion: cons.DraftVersion, Notice: cons.Notice,
		Open: cons.CheckOpen(time.Now()) == nil, Deadline: zh, DeadlineEN: en, ClosesAt: cons.ClosesAt, Documents: docs, Clauses: clauses}
	if cons.Sealed {
		r.Comments = cons.Comments
	}
	return r
}

// consultationDocument serves the documents a notice publishes, and nothing else.
func (s *Server) consultationDocument(c echo.Context) error {
	cons, err := s.publicConsultation(c)
	if err != nil {
		return err
	}
	sha := c.Param("sha256")
	published := sha == bareSHA(cons.Notice.Draft) || sha == bareSHA(cons.Notice.Explanation) || sha == bareSHA(cons.Report)
	if !published && procedure.ValidateSHA256(sha) == nil {
		pub, err := s.published(c.Request().Context(), cons)
		if err != nil {
			return err
		}
		published = pub != nil && sha == bareSHA(pub.Document)
	}
	if procedure.ValidateSHA256(sha) != nil || !published {
		return procedure.Errorf(procedure.ENotFound, "文件不存在或未公开", "document not found or not published")
	}
	typ, content, err := s.store.DocumentContent(c.Request().Context(), sha)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, typ, content)
}

// submitComment takes a public comment: normalised, checked, and answered 202 with a receipt
// only once it is durable.
func (s *Server) submitComment(c echo.Context) error {
	if err := s.requireIntake(); err != nil {
		return err
	}
	number := c.Param("number")
	if err := procedure.ValidateNumber(number); err != nil {
		return err
	}
	req, files, err := s.readComment(c)
	if err != nil {
		return err
	}
	// The intake keeps the key with the comment and answers a resubmission with the first
	// receipt, durably and within a batch, so this route, the one a flood hits, goes without
	// the idempotent layer and its two store round trips.
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	comment := procedure.Comment{Text: procedure.CleanText(norm.NFC.String(req.Text)), Clause: req.Clause,
		Contact: procedure.CleanText(norm.NFC.String(req.Contact)), Publish: req.Publish, IdempotencyKey: key}
	if err := procedure.CheckComment(comment); err != nil {
		return err
	}
	for _, f := range files {
		if err := s.public.StoreAttachment(c.Request().Context(), f.SHA256, f.MediaType, f.content); err != nil {
			return err
		}
		comment.Attachments = append(comment.Attachments, f.SHA256)
	}
	r, err := s.intake.Submit(c.Request().Context(), number, c.RealIP(), comment)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, ReceiptResponse{Receipt: r, Lookup: "/api/v1/public/receipts/" + r.Receipt})
}

// attachment is a file attached to a comment.
type attachment struct {
	procedure.Document
	content []byte
}

// readComment reads a comment as JSON (up to 64 KiB) or as a multipart form with the fields
// text, clause, contact and publish and up to three files named attachment.
func (s *Server) readComment(c echo.Context) (CommentRequest, []attachment, error) {
	var req CommentRequest
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEMultipartForm {
		c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 64<<10)
		return req, nil, decodeJSON(c, &req)
	}
	form, err := c.MultipartForm()
	if err != nil {
		return req, nil, malformed(err)
	}
	value := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	req.Text, req.Contact = value("text"), value("contact")
	if v := value("clause"); v != "" {
		if req.Clause, err = strconv.Atoi(v); err != nil {
			return req, nil, procedure.Errorf(procedure.EMalformed, "clause 须为整数", "clause must be an integer")
		}
	}
	req.Publish = value("publish") == "true"
	headers := form.File["attachment"]
	if len(headers) > procedure.MaxAttachments {
		return req, nil, procedure.Errorf(procedure.EInvalid, "附件最多 3 个", "at most 3 attachments")
	}
	var files []attachment
	for _, fh := range headers {
		if fh.Size > procedure.MaxAttachmentBytes {
			return req, nil, procedure.Errorf(procedure.EInvalid, "每个附件不能超过 5 MiB", "each attachment must be at most 5 MiB")
		}
		f, err := fh.Open()
		if err != nil {
			return req, nil, malformed(err)
		}
		content, err := io.ReadAll(io.LimitReader(f, procedure.MaxAttachmentBytes+1))
		f.Close()
		if err != nil {
			return req, nil, malformed(err)
		}
		mediaType, err := documentType(fh.Filename, content)
		if err != nil {
			return req, nil, err
		}
		sum := sha256.Sum256(content)
		files = append(files, attachment{Document: procedure.Document{SHA256: hex.EncodeToString(sum[:]), MediaType: mediaType}, content: content})
	}
	return req, files, nil
}

// receiptPattern is the form of a receipt number.
var receiptPattern = regexp.MustCompile(`^YJ-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`)

// ReceiptLookup is what a commenter sees of their comment.
type ReceiptLookup struct {
	// Receipt is the receipt number.
	Receipt string `json:"receipt"`
	// Decision and Round say what was commented on.
	Decision string `json:"decision"`
	// Round is the participation round.
	Round int `json:"round"`
	// Clause is the clause commented on.
	Clause int `json:"clause,omitempty"`
	// Text is the comment as stored.
	Text string `json:"text"`
	// Attachments are the SHA-256 hashes of the files attached.
	Attachments []string `json:"attachments,omitempty"`
	// ReceivedAt is when it was taken.
	ReceivedAt time.Time `json:"received_at"`
	// Disposition is how it was disposed of, once it was.
	Disposition procedure.Disposition `json:"disposition,omitempty"`
	// Reason explains the disposition.
	Reason string `json:"reason,omitempty"`
}

func (s *Server) receipt(c echo.Context) error {
	if err := s.requireIntake(); err != nil {
		return err
	}
	r := strings.ToUpper(c.Param("receipt"))
	if !receiptPattern.MatchString(r) {
		return procedure.Errorf(procedure.EMalformed, "回执号格式不正确，应如 YJ-7K3M-Q9XT-2ABC-D4EF", "a receipt looks like YJ-7K3M-Q9XT-2ABC-D4EF")
	}
	v, err := s.public.CommentByReceipt(c.Request().Context(), r)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReceiptLookup{Receipt: v.Receipt, Decision: v.Decision, Round: v.Round, Clause: v.Clause, Text: v.Text, Attachments: v.Attachments,
		ReceivedAt: v.ReceivedAt, Disposition: v.Disposition, Reason: v.Reason})
}

// bareSHA is a cited document's hash without the "sha256:" acts may prefix it with.
func bareSHA(cited string) string { return strings.TrimPrefix(cited, "sha256:") }
