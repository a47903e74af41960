package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// workbook opens an answer as a workbook and returns its only sheet's rows and its frozen panes.
func workbook(t *testing.T, body []byte) ([][]string, excelize.Panes) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	require.Len(t, f.GetSheetList(), 1, "one sheet")
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	panes, err := f.GetPanes(sheet)
	require.NoError(t, err)
	return rows, panes
}

func TestExportComments_XLSX(t *testing.T) {
	f := newCommentFixture(t, 1000)
	require.Equal(t, http.StatusAccepted, f.comment(`{"text":"=HYPERLINK(1) 建议夜间免费停车。","contact":"13800000000","publish":true}`).Code)
	base := "/api/v1/decisions/" + commentDecision + "/participation/1/comments/export"
	require.Eventually(t, func() bool {
		rec, _ := f.do(http.MethodGet, base+"?format=json", "", "")
		return strings.Contains(rec.Body.String(), "HYPERLINK")
	}, 10*time.Second, 20*time.Millisecond)

	rec, _ := f.do(http.MethodGet, base+"?format=xlsx", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, xlsxType, rec.Header().Get("Content-Type"))
	require.Contains(t, rec.Header().Get("Content-Disposition"), commentDecision)
	require.Contains(t, rec.Header().Get("Content-Disposition"), ".xlsx")

	rows, panes := workbook(t, rec.Body.Bytes())
	require.True(t, panes.Freeze, "the header stays in view")
	require.Equal(t, 2, panes.YSplit)
	require.Len(t, rows, 3, "two header rows and the comment")
	require.Equal(t, []string{"编号", "回执号", "收到时间"}, rows[0][:3])
	require.Equal(t, []string{"id", "receipt", "received_at", "clause", "clause_now", "clause_status", "text", "contact", "publish",
		"cluster", "disposition", "reason", "by_cluster"}, rows[1], "the CSV's header beneath the Chinese")
	row := rows[2]
	require.Equal(t, "1", row[0])
	require.NotEmpty(t, row[1], "the receipt")
	require.Regexp(t, `^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`, row[2], "received_at is a date cell shown as YYYY-MM-DD hh:mm:ss")
	require.Equal(t, "=HYPERLINK(1) 建议夜间免费停车。", row[6], "a formula in a comment stays text, unaltered")
	require.Equal(t, "13800000000", row[7])
	require.Equal(t, "TRUE", row[8])

	rec, p := f.do(http.MethodGet, base+"?format=ods", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, p.Detail, "xlsx")
}

func TestTimeline_XLSX(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2026, 10, 13, 17, 30, 0, 0, time.UTC)
	f.store.acts = map[string][]procedure.ActRecord{"BD-2026-007": {{Decision: "BD-2026-007", WorkflowID: "BD-2026-007", Seq: 1,
		Payload: `{"units":["区住建委"]}`, Event: procedure.Event{At: at, Kind: "start_decision", Actor: "zhang",
			Stage: procedure.StageDrafting, Note: "启动"}}}}

	rec, _ := f.do(http.MethodGet, "/api/v1/decisions/BD-2026-007/timeline?format=xlsx", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, xlsxType, rec.Header().Get("Content-Type"))
	require.Contains(t, rec.Header().Get("Content-Disposition"), `filename="BD-2026-007-timeline.xlsx"`)

	rows, panes := workbook(t, rec.Body.Bytes())
	require.True(t, panes.Freeze)
	require.Len(t, rows, 3)
	require.Equal(t, []string{"时间", "工作流", "序号", "事项", "办理人"}, rows[0][:5])
	require.Equal(t, []string{"at", "workflow", "seq", "kind", "actor", "draft_version", "stage", "late", "note", "payload",
		"signature", "verified"}, rows[1])
	require.Equal(t, []string{"2026-10-14 01:30:00", "BD-2026-007", "1", "start_decision", "zhang", "0", string(procedure.StageDrafting),
		"FALSE", "启动", `{"units":["区住建委"]}`}, rows[2], "the time in Beijing")
}

// TestCSVExports_BOM: every CSV export starts with the byte-order mark that tells spreadsheet
// programs the text is UTF-8.
func TestCSVExports_BOM(t *testing.T) {
	f := newCommentFixture(t, 1000)
	for _, path := range []string{
		"/api/v1/decisions/" + commentDecision + "/participation/1/comments/export",
		"/api/v1/decisions/" + commentDecision + "/participation/1/comments/export?format=csv",
		"/api/v1/decisions/" + commentDecision + "/timeline?format=csv",
	} {
		t.Run(path, func(t *testing.T) {
			rec, _ := f.do(http.MethodGet, path, "", "")
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
			require.True(t, bytes.HasPrefix(rec.Body.Bytes(), []byte("\uFEFF")), "starts with the BOM")
		})
	}
}
