package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

// TestSearch_Million stores a million comments on one round through the intake — 700,000
// copies of one campaign, 300,000 of random text — then logs how long the search index takes
// to catch up after the last one, the first page's latency of a search for the campaign's
// words and for a rare word, and the plans Postgres chose (EXPLAIN ANALYZE). A measurement
// of minutes: it runs only with DECISIONFLOW_SEARCH_MILLION=1 (or a smaller count); the
// figures are in docs/benchmarks.md.
func TestSearch_Million(t *testing.T) {
	v := os.Getenv("DECISIONFLOW_SEARCH_MILLION")
	if v == "" {
		t.Skip("a measurement of minutes: run with DECISIONFLOW_SEARCH_MILLION=1")
	}
	total := 1_000_000
	if n, err := strconv.Atoi(v); err == nil && n > 1 {
		total = n
	}
	st := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	const number = "BD-2026-900"
	wf := openRound(t, st, number)

	in := st.StartIntake(store.IntakeOptions{QueueSize: 50000, BatchSize: 5000})
	const campaign = "我们强烈建议学校周边停车场优先保障儿童上学接送车辆临时停放，早晚高峰免费十五分钟。"
	const han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
	runes := []rune(han)
	randomText := func(r *rand.Rand) string {
		b := make([]rune, 30+r.IntN(60))
		for i := range b {
			b[i] = runes[r.IntN(len(runes))]
		}
		return string(b)
	}
	began := time.Now()
	var failed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for s := range 256 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(s), 7))
			for {
				i := next.Add(1) - 1
				if i >= int64(total) {
					return
				}
				text := campaign
				if i%10 >= 7 {
					text = randomText(r)
				}
				if _, err := in.Submit(ctx, number, fmt.Sprintf("10.0.%d.%d", s/250, s%250), procedure.Comment{Text: text}); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	stored := time.Now()
	require.Zero(t, failed.Load())
	t.Logf("%d comments stored in %v", total, stored.Sub(began).Round(time.Millisecond))
	for {
		n, err := st.UnindexedComments(ctx, wf)
		require.NoError(t, err)
		if n == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("search index caught up %v after the last comment", time.Since(stored).Round(time.Millisecond))
	in.Close()
	require.NoError(t, st.ExecForTest(ctx, "ANALYZE"))

	rare := string([]rune(randomText(rand.New(rand.NewPCG(1, 7))))[:2])
	for _, query := range []string{"儿童上学", rare} {
		f := store.CommentFilter{Query: query, Limit: 50}
		var took []time.Duration
		var page []procedure.CommentView
		for range 20 {
			t0 := time.Now()
			var err error
			page, err = st.Comments(ctx, wf, f)
			require.NoError(t, err)
			took = append(took, time.Since(t0))
		}
		slices.Sort(took)
		plan, err := st.ExplainCommentsForTest(ctx, wf, f)
		require.NoError(t, err)
		t.Logf("search %q over %d comments, first page (%d found): p50 %v, p99 %v\n%s", query, total, len(page),
			took[len(took)/2].Round(100*time.Microsecond), took[len(took)*99/100].Round(100*time.Microsecond), plan)
	}
}
