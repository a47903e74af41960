package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"decisionflow/notify"
	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// TestDev_NoticeSurvivesKill: a task opened by an act produces exactly one e-mail and one
// webhook delivery, signed; the process is killed after the webhook's first attempt failed and
// before any retry, and after the restart the notice is delivered once.
func TestDev_NoticeSurvivesKill(t *testing.T) {
	const secret = "hook-secret"
	var mu sync.Mutex
	attempted := make(chan struct{}, 1)
	failFirst := true
	kept := map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get(notify.TimestampHeader), 10, 64)
		if !notify.Verify(secret, ts, body, r.Header.Get(notify.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if !strings.Contains(string(body), `"act":"draft"`) {
			return // other tasks' notices
		}
		mu.Lock()
		defer mu.Unlock()
		if failFirst {
			failFirst = false
			http.Error(w, "busy", http.StatusServiceUnavailable)
			attempted <- struct{}{}
			return
		}
		kept[r.Header.Get(notify.DeliveryHeader)]++
	}))
	defer hook.Close()
	hooks := filepath.Join(t.TempDir(), "webhooks.json")
	require.NoError(t, os.WriteFile(hooks, []byte(`[{"url":"`+hook.URL+`","secret":"`+secret+`"}]`), 0o600))

	dataDir, httpAddr, temporalAddr := t.TempDir(), freeAddr(t), freeAddr(t)
	dev := startDev(t, dataDir, httpAddr, temporalAddr, "DECISIONFLOW_WEBHOOKS="+hooks)
	const number = "BD-2026-931"
	createDecision(t, dev, `{"number":"`+number+`","title":"通知测试","drill":{"seconds_per_day":3600}}`)
	dev.act(t, "head", "/decisions/"+number+"/start-decision", procedure.StartDecision{
		Units: []procedure.UndertakingUnit{{Name: "区住建委"}}, Officials: []string{"li"}, DecidedOn: procedure.DateOf(time.Now()), Document: "sha256:start",
		Applicability: procedure.Applicability{Participation: procedure.Exemption{Finding: "依法不予公开", LegalBasis: "《政府信息公开条例》第十四条"},
			Expert: procedure.Exemption{Finding: "不涉及专业技术问题"}, Risk: procedure.Exemption{Finding: "无社会稳定风险"},
			FairCompetition: procedure.Exemption{Finding: "不涉及市场主体"}}})
	select {
	case <-attempted:
	case <-time.After(2 * time.Minute):
		t.Fatal("the webhook was never tried")
	}
	// The first attempt failed; its retry is seconds away. The process dies now.
	dev.killHard(t)
	dev = startDev(t, dataDir, httpAddr, temporalAddr, "DECISIONFLOW_WEBHOOKS="+hooks)
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(kept) == 1
	}, 2*time.Minute, 100*time.Millisecond, "the notice is delivered after the restart")

	// The mail to the official went out once, to the development mailbox.
	resp, err := http.Get(dev.url("/dev/mail"))
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var notice string
	for id := range kept {
		notice = id
	}
	mails := regexp.MustCompile(`data-notice="`+notice+`" data-channel="mail"`).FindAllString(string(page), -1)
	require.Len(t, mails, 1, "one e-mail for the task")
	require.Contains(t, string(page), "li@"+DevMailDomain)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 1, kept[notice], "one webhook delivery kept")
}
