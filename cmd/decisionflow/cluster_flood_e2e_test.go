package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/workflows"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/stretchr/testify/require"
)

// floodClients is how many clients post comments at once.
const floodClients = 16

// flood posts public comments from many clients at once to the API processes, each comment
// with an Idempotency-Key of its own. A comment whose request fails (its process died) is sent
// again with the same key to a live process, as a client behind a load balancer would, until
// one acknowledges it; every fifth is sent to two processes at once, as by a client that gave
// up on the first too early.
type flood struct {
	number  string
	targets []*child
	dead    []atomic.Bool  // set before a target is killed: no new request goes to it
	acked   []atomic.Int64 // 202s from each target
	client  *http.Client
	stop    chan struct{}
	halt    sync.Once
	wg      sync.WaitGroup

	mu       sync.Mutex
	receipts map[string]string // Idempotency-Key → receipt
	first    []string          // receipts the first target gave
	answers  int               // 202s in all
	failed   map[string]int    // answers other than 202 by status, and requests cut off
	problems []string
}

func startFlood(t *testing.T, number string, targets []*child) *flood {
	f := &flood{number: number, targets: slices.Clone(targets), dead: make([]atomic.Bool, len(targets)), acked: make([]atomic.Int64, len(targets)),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * floodClients}},
		stop:   make(chan struct{}), receipts: map[string]string{}, failed: map[string]int{}}
	for w := range floodClients {
		f.wg.Go(func() { f.send(w) })
	}
	t.Cleanup(func() { f.halt.Do(func() { close(f.stop) }); f.wg.Wait() })
	return f
}

// send has client w send comments until the flood stops.
func (f *flood) send(w int) {
	for i := 0; ; i++ {
		select {
		case <-f.stop:
			return
		default:
		}
		key := fmt.Sprintf("comment-%02d-%05d", w, i)
		body := fmt.Sprintf(`{"text":"第%d位市民的第%d条意见：建议在东门增设非机动车停车区。","clause":%d}`, w, i, i%5+1)
		f.deliver(w+i, key, body, i%5 == 0)
	}
}

// deliver sends one comment until a process acknowledges it, for at most a minute.
func (f *flood) deliver(turn int, key, body string, twice bool) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); turn++ {
		alive := f.alive(turn)
		if !twice {
			alive = alive[:1]
		}
		receipts := make([]string, len(alive))
		retry := make([]bool, len(alive))
		var wg sync.WaitGroup
		for j, target := range alive {
			wg.Go(func() { receipts[j], retry[j] = f.post(target, key, body) })
		}
		wg.Wait()
		if f.record(key, alive, receipts) || !slices.Contains(retry, true) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.problem("comment %s was never acknowledged", key)
}

// alive returns the targets not killed, starting from turn's.
func (f *flood) alive(turn int) []int {
	var out []int
	for k := range f.targets {
		if i := (turn + k) % len(f.targets); !f.dead[i].Load() {
			out = append(out, i)
		}
	}
	return out
}

// post sends the comment to target i and returns its receipt, or whether to send it again.
func (f *flood) post(i int, key, body string) (string, bool) {
	req, err := http.NewRequest(http.MethodPost, f.targets[i].url("/api/v1/public/consultations/"+f.number+"/comments"), strings.NewReader(body))
	if err != nil {
		f.problem("comment %s: %v", key, err)
		return "", false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := f.client.Do(req)
	if err != nil {
		f.fail("cut off")
		return "", true // the process is gone: the comment may or may not be stored
	}
	defer resp.Body.Close()
	var r api.ReceiptResponse
	if resp.StatusCode != http.StatusAccepted || json.NewDecoder(resp.Body).Decode(&r) != nil {
		f.fail(strconv.Itoa(resp.StatusCode))
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			f.problem("comment %s answered %d", key, resp.StatusCode)
			return "", false
		}
		return "", true
	}
	f.acked[i].Add(1)
	return r.Receipt.Receipt, false
}

// record keeps the receipts a comment was acknowledged with, which must all be one, and
// reports whether there was any.
func (f *flood) record(key string, targets []int, receipts []string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	acknowledged := false
	for j, r := range receipts {
		if r == "" {
			continue
		}
		acknowledged = true
		f.answers++
		if targets[j] == 0 {
			f.first = append(f.first, r)
		}
		if prev, ok := f.receipts[key]; ok && prev != r {
			f.problems = append(f.problems, fmt.Sprintf("comment %s acknowledged with receipts %s and %s", key, prev, r))
		}
		f.receipts[key] = r
	}
	return acknowledged
}

func (f *flood) fail(why string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed[why]++
}

func (f *flood) problem(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
}

// waitAcked waits, at most two minutes, until target i has acknowledged n comments.
func (f *flood) waitAcked(t *testing.T, i int, n int64) {
	require.Eventually(t, func() bool { return f.acked[i].Load() >= n }, 2*time.Minute, 10*time.Millisecond,
		"%d comments acknowledged by %s", n, f.targets[i].httpAddr)
}

// finish stops the clients once each has its comment in hand acknowledged.
func (f *flood) finish(t *testing.T) {
	f.halt.Do(func() { close(f.stop) })
	f.wg.Wait()
	require.Empty(t, f.problems)
	t.Logf("comments: %d acknowledged (%d answers 202, %d by the process killed); not acknowledged, sent again: %v",
		len(f.receipts), f.answers, len(f.first), f.failed)
}

// checkStored requires the round's comments in the store to be exactly those acknowledged,
// each with the receipt it was acknowledged with, and returns how many there are.
func (f *flood) checkStored(t *testing.T, db *sql.DB) int {
	rows, err := db.Query("SELECT idempotency_key, receipt FROM comments WHERE workflow_id = $1",
		workflows.ChildID(f.number, workflows.ProcParticipation, 1))
	require.NoError(t, err)
	defer rows.Close()
	stored := map[string]string{}
	n := 0
	for rows.Next() {
		var key sql.NullString
		var receipt string
		require.NoError(t, rows.Scan(&key, &receipt))
		stored[key.String] = receipt
		n++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, len(f.receipts), n, "as many comments stored as acknowledged")
	require.Len(t, stored, n, "no comment stored twice")
	for key, r := range f.receipts {
		require.Equal(t, r, stored[key], "comment %s is stored with the receipt it was acknowledged with", key)
	}
	byReceipt := map[string]bool{}
	for _, r := range stored {
		byReceipt[r] = true
	}
	for _, r := range f.first {
		require.True(t, byReceipt[r], "comment %s, acknowledged by the process killed, is stored", r)
	}
	return n
}

// Keeping a drill round open while a flood runs: whenever less than keepAhead of the period
// is left, the keeper moves its close keepDays statutory days on, so the close never depends
// on how fast the machine takes the comments. Once the keeper stops, the period closes at
// most keepAhead plus keepDays later.
const (
	keepAhead = 30 * time.Second
	keepDays  = 5
)

// periodKeeper extends a round's comment period through whichever API process answers.
type periodKeeper struct {
	targets []*child
	round   string // the round's path under /decisions
	token   string
	key     userKey
	stop    chan struct{}
	done    chan struct{}

	extended atomic.Int32
	mu       sync.Mutex
	problems []string
}

// keepOpen starts a keeper for round 1 of the decision number, sending to the cluster's API
// processes in turn; one that does not answer (it was killed) is passed over.
func (cl *cluster) keepOpen(t *testing.T, number string) *periodKeeper {
	k := &periodKeeper{targets: slices.Clone(cl.apis), round: "/decisions/" + number + "/participation/1",
		token: cl.apis[0].token(t, "li"), key: cl.apis[0].signingKey(t, "li"),
		stop: make(chan struct{}), done: make(chan struct{})}
	go k.run()
	t.Cleanup(func() { k.halt() })
	return k
}

func (k *periodKeeper) run() {
	defer close(k.done)
	for turn := 0; ; turn++ {
		select {
		case <-k.stop:
			return
		case <-time.After(500 * time.Millisecond):
		}
		p := k.targets[turn%len(k.targets)]
		round, err := k.read(p)
		if err != nil {
			continue // that process may be gone; the next turn asks the other
		}
		if round.PeriodClosed {
			k.problem("the period closed while the keeper kept it open")
			return
		}
		if time.Until(round.Notice.ClosesAt()) > keepAhead {
			continue
		}
		body, _ := json.Marshal(round.Notice.Closes.AddDays(keepDays))
		a, err := postAct(p, k.token, k.key, k.round+"/extend-period", body, fmt.Sprintf("extend-%s", round.Notice.Closes))
		switch {
		case err != nil: // cut off by a kill: the next turn reads the period again
		case a.status != http.StatusOK:
			k.problem("extend-period on %s answered %d %s", p.httpAddr, a.status, a.body)
		default:
			k.extended.Add(1)
		}
	}
}

// read reads the round as its official from process p.
func (k *periodKeeper) read(p *child) (procedure.Participation, error) {
	var round procedure.Participation
	req, err := http.NewRequest(http.MethodGet, p.url("/api/v1"+k.round), nil)
	if err != nil {
		return round, err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	resp, err := actClient.Do(req)
	if err != nil {
		return round, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return round, fmt.Errorf("%s answered %d", k.round, resp.StatusCode)
	}
	return round, json.NewDecoder(resp.Body).Decode(&round)
}

func (k *periodKeeper) problem(format string, args ...any) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.problems = append(k.problems, fmt.Sprintf(format, args...))
}

func (k *periodKeeper) halt() {
	select {
	case <-k.stop:
	default:
		close(k.stop)
	}
	<-k.done
}

// finish stops the keeper and requires that it kept the period open.
func (k *periodKeeper) finish(t *testing.T) {
	k.halt()
	require.Empty(t, k.problems)
	t.Logf("comment period extended %d times by %d statutory days while the comments came in", k.extended.Load(), keepDays)
}

// checkSealed waits until the round's period has closed and requires the count the round
// sealed to be the comments stored, and the search index to find every one of them.
func (f *flood) checkSealed(t *testing.T, cl *cluster, stored int) {
	base := "/api/v1/decisions/" + f.number + "/participation/1"
	var round procedure.Participation
	require.Eventually(t, func() bool {
		round = procedure.Participation{}
		return json.Unmarshal([]byte(cl.nextAPI().get(t, "li", base)), &round) == nil && round.PeriodClosed
	}, keepAhead+keepDays*time.Duration(floodSecondsPerDay)*time.Second+time.Minute, 500*time.Millisecond, "the period closes")
	require.Equal(t, stored, round.Comments, "the round sealed the count of the comments stored")
	require.NotEmpty(t, round.CommentsDigest)

	// Every comment names the east gate (东门): once the index has caught up, a search for it
	// pages through all of them.
	began := time.Now()
	var page api.CommentPage
	require.Eventually(t, func() bool {
		page = api.CommentPage{}
		return json.Unmarshal([]byte(cl.nextAPI().get(t, "li", base+"/comments?q=东门&limit=500")), &page) == nil && page.Unindexed == 0
	}, 2*time.Minute, 500*time.Millisecond, "the search index catches up")
	found := len(page.Items)
	for page.Next != 0 {
		next := fmt.Sprintf("%s/comments?q=东门&limit=500&after=%d", base, page.Next)
		page = api.CommentPage{}
		require.NoError(t, json.Unmarshal([]byte(cl.nextAPI().get(t, "li", next)), &page))
		found += len(page.Items)
	}
	require.Equal(t, stored, found, "the search finds every comment stored")
	t.Logf("round sealed with %d comments, digest %s; the search index had them all %v after the seal was seen",
		round.Comments, round.CommentsDigest, time.Since(began).Round(time.Millisecond))
}
