package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Challenge is an anti-abuse check on the public's forms — a proof of work or a captcha — that
// an operator switches on during a campaign by wrapping the pages with WithChallenge. There is
// none by default: the forms then carry nothing of it, and the API's idempotency and its limit
// per client address are the only guards. Fields renders what a form carries for the check;
// Verify checks a submitted form (already parsed: r.PostForm) before anything of it reaches the
// API, and its error refuses the submission with its text shown to the person. A check that
// needs JavaScript shuts out people without it: prefer one that works without.
type Challenge interface {
	// Fields renders the inputs a public form carries for the check.
	Fields(ctx context.Context) templ.Component
	// Verify checks a submitted form; an error refuses it.
	Verify(r *http.Request) error
}

type challengeKey struct{}

// WithChallenge returns the pages h with ch checking every form the public submits; a nil ch
// checks none.
func WithChallenge(h http.Handler, ch Challenge) http.Handler {
	if ch == nil {
		return h
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), challengeKey{}, ch)))
	})
}

func challengeOf(ctx context.Context) Challenge {
	ch, _ := ctx.Value(challengeKey{}).(Challenge)
	return ch
}

// publicRoutes mounts the public's consultation site: no account, no session, no cookie. Every
// page reads the API's public routes in process as an anonymous caller, from the person's own
// address, so the API's limit per address applies to the pages as to the API.
func (w *Web) publicRoutes(g *echo.Group) {
	g.GET("/consultations", w.consultationList, w.publicErrors)
	g.GET("/consultations/:number", w.consultationNotice, w.publicErrors)
	g.GET("/consultations/:number/comment", w.commentPage, w.publicErrors)
	// Three 5 MiB attachments and the text, as the API takes them.
	g.POST("/consultations/:number/comments", w.submitComment, w.publicErrors, middleware.BodyLimit("16M"))
	g.GET("/consultations/:number/hearings/:hearing", w.hearingPage, w.publicErrors)
	g.POST("/consultations/:number/hearings/:hearing/registrations", w.registerForHearing, w.publicErrors, middleware.BodyLimit("64K"))
	g.GET("/consultations/:number/hearings/:hearing/registered", w.registeredPage, w.publicErrors)
	// The address a refused form is shown at, opened again, is the empty form.
	g.GET("/consultations/:number/comments", w.toForm("/comment"), w.publicErrors)
	g.GET("/consultations/:number/hearings/:hearing/registrations", w.toForm("/hearings/:hearing"), w.publicErrors)
	g.GET("/receipts", w.receiptLookup, w.publicErrors)
	g.GET("/receipts/:receipt", w.receiptPage, w.publicErrors)
}

// toForm redirects to a consultation's form at suffix, whose :hearing is the request's.
func (w *Web) toForm(suffix string) echo.HandlerFunc {
	return func(c echo.Context) error {
		number := c.Param("number")
		if procedure.ValidateNumber(number) != nil {
			return notFound()
		}
		suffix := strings.ReplaceAll(suffix, ":hearing", url.PathEscape(c.Param("hearing")))
		return c.Redirect(http.StatusSeeOther, "/consultations/"+url.PathEscape(number)+suffix)
	}
}

// publicErrors renders a public page's failure in the public frame: these pages have no
// session, which the workbench's error page reads.
func (w *Web) publicErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		p := &problemError{api.Problem{Status: http.StatusInternalServerError, Detail: "服务器内部错误", DetailEN: "internal server error"}}
		var he *echo.HTTPError
		switch {
		case errors.As(err, &p):
		case errors.As(err, &he):
			p = &problemError{api.Problem{Status: he.Code, Detail: http.StatusText(he.Code), DetailEN: http.StatusText(he.Code)}}
		default:
			w.logger.Error("public page failed", "path", c.Request().URL.Path, "err", err)
		}
		return w.render(c, p.Status, publicProblemPage(publicFrameOf(c, T("出错了", "Something went wrong")), p))
	}
}

// publicFrame is what every public page's frame shows.
type publicFrame struct {
	// Title is the page's title.
	Title Text
	// Path is the page's path, to come back to after a language switch.
	Path string
}

func publicFrameOf(c echo.Context, title Text) publicFrame {
	return publicFrame{Title: title, Path: c.Request().URL.RequestURI()}
}

// callPublic asks the API's public routes as nobody in particular, from the person's address.
func (w *Web) callPublic(c echo.Context, method, path string, body []byte, header http.Header) *apiAnswer {
	return w.callAs(c.Request().Context(), c.Request(), method, path, body, header)
}

// refused renders the API's refusal: a page saying when to come back for too many requests,
// the problem otherwise.
func (w *Web) refused(c echo.Context, ans *apiAnswer) error {
	if ans.Status == http.StatusTooManyRequests {
		wait := retryAfter(ans)
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
		return w.render(c, ans.Status, busyPage(publicFrameOf(c, T("请稍后再试", "Please try again shortly")), wait, time.Now().Add(time.Duration(wait)*time.Second)))
	}
	return ans.problem()
}

// retryAfter reads the answer's Retry-After in seconds, at least one.
func retryAfter(ans *apiAnswer) int {
	v := ans.Header().Get("Retry-After")
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return s
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(1, int(math.Ceil(time.Until(t).Seconds())))
	}
	return 1
}

// refusal is a refused submission's problem, shown in its form: for too many requests, it
// says when to submit again.
func refusal(c echo.Context, ans *apiAnswer) *problemError {
	p := ans.problem()
	if ans.Status != http.StatusTooManyRequests {
		return p
	}
	wait := retryAfter(ans)
	c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
	at := time.Now().Add(time.Duration(wait) * time.Second).In(shanghai).Format("15:04:05")
	p.Detail = "提交过于频繁，本次未保存。请在 " + strconv.Itoa(wait) + " 秒后（北京时间 " + at + " 以后）重新提交。"
	p.DetailEN = "Too many requests: nothing was kept. Submit again in " + strconv.Itoa(wait) + " s (after " + at + " Beijing time)."
	return p
}

// notFound is the page for a consultation that does not exist (or is a drill).
func notFound() *problemError {
	return &problemError{api.Problem{Status: http.StatusNotFound, Detail: "该决策事项的征求意见不存在", DetailEN: "consultation of this decision not found"}}
}

func (w *Web) consultationList(c echo.Context) error {
	if n := strings.TrimSpace(c.QueryParam("number")); n != "" {
		return c.Redirect(http.StatusSeeOther, "/consultations/"+url.PathEscape(n))
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	page = max(page, 1)
	ans := w.callPublic(c, http.MethodGet, "/api/v1/public/consultations?page_size=20&page="+strconv.Itoa(page), nil, nil)
	if !ans.OK() {
		return w.refused(c, ans)
	}
	var list api.ListResponse[api.NoticeResponse]
	if err := ans.decode(&list); err != nil {
		return err
	}
	v := consultationListView{Items: list.Items, Page: page, More: len(list.Items) == 20, Now: time.Now()}
	if page == 1 {
		// The latest closed ones, whose drafts and adoption reports stay public.
		closed := w.callPublic(c, http.MethodGet, "/api/v1/public/consultations?state=closed&page_size=10", nil, nil)
		var cl api.ListResponse[api.NoticeResponse]
		if closed.OK() && closed.decode(&cl) == nil {
			v.Closed = cl.Items
		}
	}
	return w.render(c, http.StatusOK, consultationListPage(publicFrameOf(c, T("正在征求意见的决策事项", "Open consultations")), v))
}

// consultationListView is the list of consultations taking comments.
type consultationListView struct {
	Items []api.NoticeResponse
	// Closed are the latest consultations whose period is over.
	Closed []api.NoticeResponse
	Page   int
	More   bool
	Now    time.Time
}

// notice reads a consultation's notice; a nil answer means it was read.
func (w *Web) notice(c echo.Context, number string) (api.NoticeResponse, *apiAnswer) {
	var n api.NoticeResponse
	ans := w.callPublic(c, http.MethodGet, "/api/v1/public/consultations/"+url.PathEscape(number), nil, nil)
	if !ans.OK() || ans.decode(&n) != nil {
		return n, ans
	}
	return n, nil
}

// noticeView is a consultation's notice as the public reads it.
type noticeView struct {
	N   api.NoticeResponse
	Now time.Time
	// Explanation is the drafting explanation, shown in the page when it is short text.
	Explanation docText
	// Report is the adoption report, once published.
	Report docText
}

func (w *Web) consultationNotice(c echo.Context) error {
	number := c.Param("number")
	if procedure.ValidateNumber(number) != nil {
		return notFound()
	}
	n, failed := w.notice(c, number)
	if failed != nil {
		return w.refused(c, failed)
	}
	v := noticeView{N: n, Now: time.Now(), Explanation: w.publicText(c, n.Documents["explanation"], 16<<10)}
	if report, ok := n.Documents["adoption_report"]; ok {
		v.Report = w.publicText(c, report, 48<<10)
	}
	return w.render(c, http.StatusOK, noticePage(publicFrameOf(c, T(n.Title, n.Title)), v))
}

// docText is a published document as a page shows it: its text when short plain text, else a
// link to it.
type docText struct {
	// Link is where the document is read; empty when it could not be found.
	Link string
	// Text is its text, when it is plain text no longer than the page allows.
	Text string
}

// publicDocs keeps what the public pages learnt of published documents. The paths name a
// document by its SHA-256, so what was read once stays true.
var publicDocs = struct {
	sync.Mutex
	m map[string]docText
}{m: map[string]docText{}}

// publicText reads a document the notice publishes, to show short plain text in the page.
func (w *Web) publicText(c echo.Context, link string, limit int) docText {
	if link == "" {
		return docText{}
	}
	publicDocs.Lock()
	d, ok := publicDocs.m[link]
	publicDocs.Unlock()
	if ok {
		return d
	}
	ans := w.callPublic(c, http.MethodGet, link, nil, nil)
	switch {
	case ans.Status == http.StatusTooManyRequests:
		return docText{Link: link}
	case !ans.OK():
		return docText{}
	}
	d = docText{Link: link}
	if strings.HasPrefix(ans.Header().Get("Content-Type"), "text/plain") && len(ans.Body()) <= limit {
		d.Text = strings.TrimSpace(string(ans.Body()))
	}
	publicDocs.Lock()
	if len(publicDocs.m) >= 256 {
		clear(publicDocs.m)
	}
	publicDocs.m[link] = d
	publicDocs.Unlock()
	return d
}

// commentView is the comment form, empty or with a refused submission.
type commentView struct {
	N       api.NoticeResponse
	Number  string
	Clause  int
	Text    string
	Contact string
	Publish bool
	Now     time.Time
	// Key is the form's Idempotency-Key: a second submission of the same form is one comment.
	Key     string
	Problem *problemError
}

func (w *Web) commentPage(c echo.Context) error {
	number := c.Param("number")
	if procedure.ValidateNumber(number) != nil {
		return notFound()
	}
	n, failed := w.notice(c, number)
	if failed != nil {
		return w.refused(c, failed)
	}
	clause, _ := strconv.Atoi(c.QueryParam("clause"))
	v := commentView{N: n, Number: number, Clause: max(clause, 0), Now: time.Now(), Key: newToken()[:32]}
	return w.render(c, http.StatusOK, commentPage(publicFrameOf(c, T("提出意见", "Comment")), v))
}

// submitComment sends a comment posted by the plain form to the API and, once the API holds
// it, sends the person to its receipt (303, so a reload posts nothing again).
func (w *Web) submitComment(c echo.Context) error {
	number := c.Param("number")
	if procedure.ValidateNumber(number) != nil {
		return notFound()
	}
	r := c.Request()
	if err := parseForm(r); err != nil {
		return err
	}
	v := commentView{Number: number, Text: r.PostFormValue("text"), Contact: r.PostFormValue("contact"),
		Publish: r.PostFormValue("publish") == "true", Key: r.PostFormValue("idempotency_key")}
	v.Clause, _ = strconv.Atoi(r.PostFormValue("clause"))
	if ch := challengeOf(r.Context()); ch != nil {
		if err := ch.Verify(r); err != nil {
			return w.commentRefused(c, v, challengeProblem(err))
		}
	}
	body, ctype, err := commentBody(v, r.MultipartForm)
	if err != nil {
		return err
	}
	header := http.Header{"Content-Type": {ctype}}
	if v.Key != "" {
		header.Set("Idempotency-Key", v.Key)
	}
	ans := w.callPublic(c, http.MethodPost, "/api/v1/public/consultations/"+url.PathEscape(number)+"/comments", body, header)
	var receipt api.ReceiptResponse
	if ans.OK() && ans.decode(&receipt) == nil {
		return c.Redirect(http.StatusSeeOther, "/receipts/"+url.PathEscape(receipt.Receipt.Receipt)+"?new=1")
	}
	return w.commentRefused(c, v, refusal(c, ans))
}

// parseForm reads a posted form, multipart (the comment form, for its files) or not.
func parseForm(r *http.Request) error {
	err := r.ParseMultipartForm(1 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	return nil
}

func challengeProblem(err error) *problemError {
	return &problemError{api.Problem{Status: http.StatusForbidden, Detail: "未通过防刷验证，请重试：" + err.Error(),
		DetailEN: "the anti-abuse check failed, please try again: " + err.Error()}}
}

// commentRefused shows the form again with what was typed and the refusal; the files chosen
// are not kept, as a browser never refills a file field.
func (w *Web) commentRefused(c echo.Context, v commentView, p *problemError) error {
	v.Problem, v.Now = p, time.Now()
	if n, failed := w.notice(c, v.Number); failed == nil {
		v.N = n
	}
	return w.render(c, p.Status, commentPage(publicFrameOf(c, T("提出意见", "Comment")), v))
}

// commentBody is the API's comment request: JSON, or multipart when files are attached.
func commentBody(v commentView, form *multipart.Form) ([]byte, string, error) {
	var files []*multipart.FileHeader
	if form != nil {
		for _, fh := range form.File["attachment"] {
			if fh.Filename != "" && fh.Size > 0 {
				files = append(files, fh)
			}
		}
	}
	if len(files) == 0 {
		raw, err := json.Marshal(api.CommentRequest{Text: v.Text, Clause: v.Clause, Contact: v.Contact, Publish: v.Publish})
		return raw, echo.MIMEApplicationJSON, err
	}
	var buf bytes.Buffer
	m := newMultipart(&buf)
	for k, val := range map[string]string{"text": v.Text, "clause": strconv.Itoa(v.Clause), "contact": v.Contact, "publish": strconv.FormatBool(v.Publish)} {
		if err := m.field(k, val); err != nil {
			return nil, "", err
		}
	}
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		err = m.file("attachment", fh.Filename, io.LimitReader(f, procedure.MaxAttachmentBytes+1))
		f.Close()
		if err != nil {
			return nil, "", err
		}
	}
	if err := m.close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), m.contentType(), nil
}

// receiptPattern is the form of a comment's receipt number; a hearing registration's starts TZ.
var receiptPattern = regexp.MustCompile(`^(YJ|TZ)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`)

// receiptView is a comment looked up by its receipt.
type receiptView struct {
	R api.ReceiptLookup
	// New says the comment was just submitted.
	New bool
}

// receiptLookup is the form to look a comment up by its receipt number.
func (w *Web) receiptLookup(c echo.Context) error {
	if r := strings.ToUpper(strings.TrimSpace(c.QueryParam("receipt"))); r != "" {
		return c.Redirect(http.StatusSeeOther, "/receipts/"+url.PathEscape(r))
	}
	return w.render(c, http.StatusOK, receiptLookupPage(publicFrameOf(c, T("查询意见处理情况", "Look up a comment")), "", nil))
}

func (w *Web) receiptPage(c echo.Context) error {
	r := strings.ToUpper(strings.TrimSpace(c.Param("receipt")))
	ans := w.callPublic(c, http.MethodGet, "/api/v1/public/receipts/"+url.PathEscape(r), nil, nil)
	var v receiptView
	if !ans.OK() || ans.decode(&v.R) != nil {
		if ans.Status == http.StatusTooManyRequests {
			return w.refused(c, ans)
		}
		return w.render(c, ans.Status, receiptLookupPage(publicFrameOf(c, T("查询意见处理情况", "Look up a comment")), r, ans.problem()))
	}
	v.New = c.QueryParam("new") == "1"
	return w.render(c, http.StatusOK, receiptPage(publicFrameOf(c, T("意见回执", "Comment receipt")), v))
}

// hearingView is the registration form for one of a round's hearings.
type hearingView struct {
	N         api.NoticeResponse
	Number    string
	Hearing   int
	Name      string
	Contact   string
	Statement string
	Key       string
	Problem   *problemError
}

// hearingOf reads the request's consultation number and hearing (numbered from 0 in the round).
func hearingOf(c echo.Context) (string, int, error) {
	number := c.Param("number")
	hearing, err := strconv.Atoi(c.Param("hearing"))
	if procedure.ValidateNumber(number) != nil || err != nil || hearing < 0 || hearing > 100 {
		return "", 0, notFound()
	}
	return number, hearing, nil
}

func (w *Web) hearingPage(c echo.Context) error {
	number, hearing, err := hearingOf(c)
	if err != nil {
		return err
	}
	n, failed := w.notice(c, number)
	if failed != nil {
		return w.refused(c, failed)
	}
	v := hearingView{N: n, Number: number, Hearing: hearing, Key: newToken()[:32]}
	return w.render(c, http.StatusOK, hearingPage(publicFrameOf(c, T("报名参加听证会", "Register for the hearing")), v))
}

// registerForHearing sends a registration to the API and shows its number (303, as comments).
func (w *Web) registerForHearing(c echo.Context) error {
	number, hearing, err := hearingOf(c)
	if err != nil {
		return err
	}
	r := c.Request()
	if err := parseForm(r); err != nil {
		return err
	}
	v := hearingView{Number: number, Hearing: hearing, Name: r.PostFormValue("name"), Contact: r.PostFormValue("contact"),
		Statement: r.PostFormValue("statement"), Key: r.PostFormValue("idempotency_key")}
	if ch := challengeOf(r.Context()); ch != nil {
		if err := ch.Verify(r); err != nil {
			return w.registrationRefused(c, v, challengeProblem(err))
		}
	}
	raw, _ := json.Marshal(api.RegistrationRequest{Name: v.Name, Contact: v.Contact, Statement: v.Statement})
	header := http.Header{}
	if v.Key != "" {
		header.Set("Idempotency-Key", v.Key)
	}
	form := "/consultations/" + url.PathEscape(number) + "/hearings/" + strconv.Itoa(hearing)
	ans := w.callPublic(c, http.MethodPost, "/api/v1/public"+form+"/registrations", raw, header)
	var reg procedure.HearingRegistration
	if ans.OK() && ans.decode(&reg) == nil {
		return c.Redirect(http.StatusSeeOther, form+"/registered?receipt="+url.QueryEscape(reg.Receipt))
	}
	return w.registrationRefused(c, v, refusal(c, ans))
}

// registrationRefused shows the registration form again with what was typed and the refusal.
func (w *Web) registrationRefused(c echo.Context, v hearingView, p *problemError) error {
	v.Problem = p
	if n, failed := w.notice(c, v.Number); failed == nil {
		v.N = n
	}
	return w.render(c, p.Status, hearingPage(publicFrameOf(c, T("报名参加听证会", "Register for the hearing")), v))
}

// registeredPage confirms a registration with its number, which the redirect carries.
func (w *Web) registeredPage(c echo.Context) error {
	number, _, err := hearingOf(c)
	if err != nil {
		return err
	}
	receipt := c.QueryParam("receipt")
	if !receiptPattern.MatchString(receipt) || !strings.HasPrefix(receipt, "TZ-") {
		return notFound()
	}
	return w.render(c, http.StatusOK, registeredPage(publicFrameOf(c, T("已收到听证会报名", "Hearing registration received")), number, receipt))
}

// daysLeft counts the days a period still runs, today included: 1 on its last day, 0 once over.
func daysLeft(closes, now time.Time) int {
	if !now.Before(closes) {
		return 0
	}
	return int(math.Ceil(closes.Sub(now).Hours() / 24))
}

// notYetOpen tells a notice whose period has not begun from one that is over.
func notYetOpen(n api.NoticeResponse, now time.Time) bool {
	return !n.Open && now.Before(n.ClosesAt)
}

var dispositionNames = map[procedure.Disposition]Text{
	procedure.Adopted:       T("采纳", "adopted"),
	procedure.PartlyAdopted: T("部分采纳", "partly adopted"),
	procedure.NotAdopted:    T("不予采纳", "not adopted"),
}

func dispositionName(d procedure.Disposition) Text { return dispositionNames[d] }

// clauseLabel names a clause as the draft does (第三条), else by its number.
func clauseLabel(cl procedure.Clause) Text {
	if cl.Heading != "" {
		return T(cl.Heading, "Clause "+strconv.Itoa(cl.Number)+" ("+cl.Heading+")")
	}
	return T("第 "+strconv.Itoa(cl.Number)+" 段", "Paragraph "+strconv.Itoa(cl.Number))
}

// clauseOf finds a notice's clause by number.
func clauseOf(n api.NoticeResponse, number int) (procedure.Clause, bool) {
	for _, cl := range n.Clauses {
		if cl.Number == number {
			return cl, true
		}
	}
	return procedure.Clause{}, false
}
