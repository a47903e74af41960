package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// commentFixture serves the API over a real SQLite store with a running intake, and one
// decision whose consultation opened yesterday.
type commentFixture struct {
	*fixture
	st     *store.Store
	intake *store.Intake
	wf     string
}

const commentDecision = "BD-2026-31"

func newCommentFixture(t testing.TB, publicRate float64) *commentFixture {
	st := storetest.Open(t, store.SQLite)
	today := procedure.DateOf(time.Now())
	wf := storetest.OpenRound(t, st, commentDecision, "停车管理办法", today.AddDays(-1), today.AddDays(29))
	intake := st.StartIntake(store.IntakeOptions{})
	t.Cleanup(intake.Close)
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	tt, _ := t.(*testing.T)
	f := &fixture{t: tt, as: &officialLi}
	f.handler = api.New(api.Options{Temporal: stubClient{}, Store: st, Metrics: prometheus.NewRegistry(), Rulebooks: books,
		DefaultRulebook: "national-2019", Verifier: api.NewHMACVerifier(testSecret, "decisionflow", ""), Intake: intake, Comments: st,
		PublicRateLimit: publicRate})
	return &commentFixture{fixture: f, st: st, intake: intake, wf: wf}
}

func (f *commentFixture) comment(body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/public/consultations/"+commentDecision+"/comments", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func TestPublicComment(t *testing.T) {
	f := newCommentFixture(t, 1000)
	f.as = nil

	rec, _ := f.do(http.MethodGet, "/api/v1/public/consultations", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), commentDecision)
	rec, _ = f.do(http.MethodGet, "/api/v1/public/consultations/"+commentDecision, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var notice api.NoticeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &notice))
	require.True(t, notice.Open)
	require.Contains(t, notice.Deadline, "24 时")
	require.Equal(t, "/api/v1/public/consultations/"+commentDecision+"/documents/"+strings.Repeat("d", 64), notice.Documents["draft"])

	// Text is normalised to NFC and control characters are stripped.
	rec = f.comment(`{"text":"建议增加e\u0301停车位\u0007\u200b","clause":2,"contact":"138","publish":true}`)
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	var r api.ReceiptResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	rec, _ = f.do(http.MethodGet, r.Lookup, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var look api.ReceiptLookup
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &look))
	require.Equal(t, "建议增加é停车位", look.Text)
	require.Equal(t, 2, look.Clause)
	require.Equal(t, commentDecision, look.Decision)
	require.Equal(t, 1, look.Round)

	first := f.comment(`{"text":"同一条意见"}`, "Idempotency-Key", "abc")
	again := f.comment(`{"text":"同一条意见"}`, "Idempotency-Key", "abc")
	require.Equal(t, http.StatusAccepted, again.Code)
	var r1, r2 api.ReceiptResponse
	require.NoError(t, json.Unmarshal(first.Body.Bytes(), &r1))
	require.NoError(t, json.Unmarshal(again.Body.Bytes(), &r2))
	require.Equal(t, r1.Receipt.Receipt, r2.Receipt.Receipt, "a resubmission gets the first receipt")

	for body, status := range map[string]int{
		`{"text":`:                 http.StatusBadRequest,
		`{"text":"x","extra":1}`:   http.StatusBadRequest,
		`{"text":"   "}`:           http.StatusUnprocessableEntity,
		`{"text":"x","clause":-1}`: http.StatusUnprocessableEntity,
		`{"text":"` + strings.Repeat("长", procedure.MaxCommentRunes+1) + `"}`: http.StatusUnprocessableEntity,
	} {
		rec := f.comment(body)
		require.Equal(t, status, rec.Code, "%.40s: %s", body, rec.Body.String())
	}
	rec = f.comment(`{"text":"` + strings.Repeat("x", 70000) + `"}`)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/public/consultations/BD-2026-99/comments", strings.NewReader(`{"text":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	rr := httptest.NewRecorder()
	f.handler.ServeHTTP(rr, req)
	require.Equal(t, http.StatusNotFound, rr.Code)

	// After the close: 409 with the period's dates, and nothing kept.
	_, err := f.st.SealComments(context.Background(), f.wf, time.Now())
	require.NoError(t, err)
	time.Sleep(1100 * time.Millisecond) // the intake's cached window expires
	rec = f.comment(`{"text":"迟到的意见"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	var p api.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, notice.Notice.Closes.String(), p.Fields["closes"])
	require.Contains(t, p.Detail, "已截止")
}

func TestPublicComment_Backpressure(t *testing.T) {
	f := newCommentFixture(t, 2)
	codes := map[int]int{}
	for i := range 6 {
		rec := f.comment(fmt.Sprintf(`{"text":"意见%d"}`, i))
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			require.Equal(t, "1", rec.Header().Get("Retry-After"))
		}
	}
	require.Equal(t, map[int]int{http.StatusAccepted: 4, http.StatusTooManyRequests: 2}, codes, "a burst of twice the rate, then 429")

	// A full queue (here: a closed intake) refuses with 429 and keeps nothing.
	g := newCommentFixture(t, 1000)
	g.intake.Close()
	rec := g.comment(`{"text":"意见"}`)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
}

func TestOfficials_CommentsClustersDispositions(t *testing.T) {
	f := newCommentFixture(t, 1000)
	campaign := "我们坚决反对在幸福小区东门设置收费停车场，请政府重新考虑居民的出行需求。"
	for _, text := range []string{campaign, campaign, "我们坚决反对在幸福小区西门设置收费停车场，请政府重新考虑居民的出行需求。", "=HYPERLINK(1) 建议夜间免费停车。"} {
		require.Equal(t, http.StatusAccepted, f.comment(`{"text":"`+text+`","contact":"13800000000"}`).Code)
	}
	base := "/api/v1/decisions/" + commentDecision + "/participation/1"

	rec, _ := f.do(http.MethodGet, base+"/comments?q=免费停车", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var page api.CommentPage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	require.Equal(t, "13800000000", page.Items[0].Contact, "officials see the contact")

	f.as = &procedure.Actor{ID: "zhao", Roles: []procedure.Role{procedure.RoleExpert}}
	rec, _ = f.do(http.MethodGet, base+"/comments", "", "")
	require.Equal(t, http.StatusForbidden, rec.Code, "experts do not read commenters' contacts")
	f.as = &officialLi

	rec, _ = f.do(http.MethodGet, base+"/clusters?min_size=2", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var clusters api.ListResponse[procedure.Cluster]
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &clusters))
	require.Len(t, clusters.Items, 1)
	require.EqualValues(t, 3, clusters.Items[0].Size)

	rec, p := f.do(http.MethodPost, base+"/dispositions", jsonType, fmt.Sprintf(`{"clusters":[%d],"disposition":"not_adopted"}`, clusters.Items[0].ID))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, p.Detail, "R-10")
	rec, _ = f.do(http.MethodPost, base+"/dispositions", jsonType, `{"comments":[1],"disposition":"maybe"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "an unknown disposition")
	rec, _ = f.do(http.MethodPost, base+"/dispositions", jsonType, fmt.Sprintf(`{"clusters":[%d],"disposition":"not_adopted","reason":"系规划要求"}`, clusters.Items[0].ID))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	f.as = &auditorWu
	rec, _ = f.do(http.MethodPost, base+"/dispositions", jsonType, `{"comments":[4],"disposition":"adopted"}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	f.as = &officialLi

	rec, _ = f.do(http.MethodGet, base+"/adoption-summary", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var sum procedure.AdoptionSummary
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &sum))
	require.Equal(t, procedure.DispositionCounts{Comments: 4, NotAdopted: 3, Undisposed: 1}, sum.Totals)

	rec, p = f.do(http.MethodPost, base+"/adoption-report", jsonType, "{}")
	require.Equal(t, http.StatusConflict, rec.Code, "the report waits for the period's close")
	require.Contains(t, p.Detail, "R-10")

	f.as = &auditorWu
	rec, _ = f.do(http.MethodGet, base+"/comments/verify", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), `"comments":4,"mismatched":[]`, "an auditor re-checks the comments against the ledger")
	rec, _ = f.do(http.MethodGet, base+"/comments/per-day", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var days []store.DayCount
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &days))
	require.Equal(t, []store.DayCount{{Day: time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"), Comments: 4}}, days,
		"the day's count, on the Beijing date")
	f.as = &officialLi

	rec, _ = f.do(http.MethodGet, base+"/comments/export?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	require.Len(t, lines, 5)
	require.True(t, strings.HasPrefix(lines[0], "\uFEFFid,receipt"))
	require.Contains(t, rec.Body.String(), "系规划要求")
	require.Contains(t, rec.Body.String(), `,'=HYPERLINK(1) 建议夜间免费停车。,`, "a formula in a comment stays text in a spreadsheet")
	rec, _ = f.do(http.MethodGet, base+"/comments/export?format=json&disposition=none", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var exported []procedure.CommentView
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &exported))
	require.Len(t, exported, 1)
	require.Equal(t, "=HYPERLINK(1) 建议夜间免费停车。", exported[0].Text, "the JSON export keeps the text as written")

	rec, _ = f.do(http.MethodPost, base+"/dispositions", jsonType, `{"undisposed":true,"disposition":"adopted"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"comments":1,"clusters":0}`, rec.Body.String(), "the answer counts the remaining comment it disposed of")
	rec, _ = f.do(http.MethodGet, base+"/adoption-summary", "", "")
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &sum))
	require.Zero(t, sum.Totals.Undisposed)
}

// FuzzComment sends arbitrary bodies, keys and content types to the comment endpoint: the
// answer is never a 500, and a 202 always carries a receipt that can be looked up.
func FuzzComment(f *testing.F) {
	fx := newCommentFixture(f, 1e9)
	for _, seed := range []string{`{"text":"意见"}`, `{"text":"x","clause":3,"contact":"c","publish":true}`, `{"text":""}`, `{}`, `[]`,
		`{"text":"\u0000\u202e"}`, `{"text":1}`, `{"clause":1e99}`, "\xff\xfe", `{"text":"a"}{"text":"b"}`} {
		f.Add(seed, "", "application/json")
	}
	f.Fuzz(func(t *testing.T, body, key, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/public/consultations/"+commentDecision+"/comments", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if key != "" && !strings.ContainsAny(key, "\r\n\x00") {
			req.Header.Set("Idempotency-Key", key)
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { fx.handler.ServeHTTP(rec, req); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("no answer in 10 s to %q (%q, key %q)", body, contentType, key)
		}
		require.Less(t, rec.Code, 500, "%q: %s", body, rec.Body.String())
		if rec.Code == http.StatusAccepted {
			var r api.ReceiptResponse
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
			_, err := fx.st.CommentByReceipt(context.Background(), r.Receipt.Receipt)
			require.NoError(t, err)
		}
	})
}

func TestHearingRegistrationAndLot(t *testing.T) {
	f := newCommentFixture(t, 1000)
	f.as = nil
	path := "/api/v1/public/consultations/" + commentDecision + "/hearings/0/registrations"
	var receipts []string
	for i := range 5 {
		rec, _ := f.do(http.MethodPost, path, jsonType, fmt.Sprintf(`{"name":"居民%d","contact":"1380000000%d","statement":"住在东门"}`, i, i))
		require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
		var r procedure.HearingRegistration
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
		receipts = append(receipts, r.Receipt)
	}
	rec, _ := f.do(http.MethodPost, path, jsonType, `{"name":"无联系方式"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)

	f.as = &officialLi
	base := "/api/v1/decisions/" + commentDecision + "/participation/1/hearings/0"
	rec, _ = f.do(http.MethodPost, base+"/selection", jsonType, `{"seats":3}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var sel procedure.HearingSelection
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &sel))
	require.Equal(t, procedure.SelectByLot(receipts, 3), sel, "anyone with the receipts can recompute the draw")
	rec, _ = f.do(http.MethodPost, base+"/selection", jsonType, `{"seats":3}`)
	require.Equal(t, http.StatusConflict, rec.Code, "a hearing is drawn once")
	rec, _ = f.do(http.MethodGet, base+"/registrations", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var regs []procedure.HearingRegistration
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &regs))
	selected := 0
	for _, r := range regs {
		if r.Selected {
			selected++
		}
	}
	require.Equal(t, 3, selected)
}

func TestPublicComment_Attachments(t *testing.T) {
	f := newCommentFixture(t, 1000)
	send := func(files map[string][]byte) *httptest.ResponseRecorder {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		_ = w.WriteField("text", "附上现场照片")
		_ = w.WriteField("clause", "2")
		_ = w.WriteField("publish", "true")
		for name, content := range files {
			part, _ := w.CreateFormFile("attachment", name)
			_, _ = part.Write(content)
		}
		_ = w.Close()
		req := httptest.NewRequest(http.MethodPost, "/api/v1/public/consultations/"+commentDecision+"/comments", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		return rec
	}
	photo := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{1}, 1000)...)
	rec := send(map[string][]byte{"photo.jpg": photo, "note.txt": []byte("说明文字")})
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	var r api.ReceiptResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	v, err := f.st.CommentByReceipt(context.Background(), r.Receipt.Receipt)
	require.NoError(t, err)
	require.Len(t, v.Attachments, 2)
	typ, content, err := f.st.DocumentContent(context.Background(), v.Attachments[0])
	require.NoError(t, err)
	require.NotEmpty(t, typ)
	require.NotEmpty(t, content)
	check, err := f.st.VerifyComments(context.Background(), f.wf)
	require.NoError(t, err)
	require.True(t, check.OK(), "the batch digest covers the attachments' hashes")

	require.Equal(t, http.StatusUnprocessableEntity, send(map[string][]byte{"a.exe": []byte("MZ\x90\x00binary")}).Code, "only documents and images")
	four := map[string][]byte{"1.txt": []byte("1"), "2.txt": []byte("2"), "3.txt": []byte("3"), "4.txt": []byte("4")}
	require.Equal(t, http.StatusUnprocessableEntity, send(four).Code, "at most three")
	require.Equal(t, http.StatusRequestEntityTooLarge, send(map[string][]byte{"big.txt": bytes.Repeat([]byte("大"), 6<<20)}).Code)
}

// TestPublicNotice_PublishedDecision: once the period is over and the decision is published,
// the public notice carries the publication and serves its text; a decision the organ found
// not disclosable publishes neither, and while comments are taken there is nothing to show.
func TestPublicNotice_PublishedDecision(t *testing.T) {
	f := newCommentFixture(t, 1000)
	ctx := context.Background()
	text := []byte("宝坻区停车管理办法（公布稿）")
	sum := sha256.Sum256(text)
	sha := hex.EncodeToString(sum[:])
	require.NoError(t, f.st.FileDocument(ctx, commentDecision, procedure.Document{SHA256: sha, Size: int64(len(text)), MediaType: "text/plain; charset=utf-8",
		Name: "公布稿.txt", Kind: "publication", UploadedBy: "li", UploadedAt: time.Now()}, text))
	publish := func(seq int, pub procedure.Publication) {
		payload, _ := json.Marshal(pub)
		require.NoError(t, f.st.RecordAct(ctx, procedure.ActRecord{Decision: commentDecision, WorkflowID: commentDecision, Seq: seq, Payload: string(payload),
			Event: procedure.Event{At: time.Now(), Kind: "publication", Actor: "li", Stage: procedure.StagePublication}}))
	}
	notice := func() api.NoticeResponse {
		rec, _ := f.do(http.MethodGet, "/api/v1/public/consultations/"+commentDecision, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var n api.NoticeResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &n))
		return n
	}
	publish(90, procedure.Publication{Channels: []string{"区政府网站"}, Document: "sha256:" + sha, PublishedOn: procedure.DateOf(time.Now())})
	require.Nil(t, notice().Published, "nothing while comments are taken")
	_, err := f.st.SealComments(ctx, f.wf, time.Now())
	require.NoError(t, err)
	n := notice()
	require.NotNil(t, n.Published)
	for state, want := range map[string]int{"closed": 1, "open": 0} {
		rec, _ := f.do(http.MethodGet, "/api/v1/public/consultations?state="+state, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var list api.ListResponse[api.NoticeResponse]
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
		require.Len(t, list.Items, want, "%s consultations", state)
	}
	rec, _ := f.do(http.MethodGet, n.Documents["decision"], "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, string(text), rec.Body.String())

	publish(91, procedure.Publication{Channels: []string{"区政府网站"}, Document: "sha256:" + sha, NotDisclosableBasis: "《政府信息公开条例》第十四条"})
	require.Nil(t, notice().Published, "a decision found not disclosable is not shown")
	rec, _ = f.do(http.MethodGet, "/api/v1/public/consultations/"+commentDecision+"/documents/"+sha, "", "")
	require.Equal(t, http.StatusNotFound, rec.Code, "nor its text")
}
