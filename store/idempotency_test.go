package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"decisionflow/store"

	"github.com/stretchr/testify/require"
)

// TestStore_Claim: of many requests with one key, from any number of API processes sharing
// the database, exactly one runs; the others get the claim's holder (in progress) or, once it
// answered, its answer; a failed request releases the key; a dead holder's claim is taken over.
func TestStore_Claim(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		req := store.Answer{Method: "POST", Path: "/api/v1/decisions/BD-2026-1/participation/1/dispositions"}
		var won atomic.Int32
		var holder atomic.Value
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				first, claimed, err := st.Claim(ctx, "li", "k1", req, time.Minute)
				require.NoError(t, err)
				if claimed {
					won.Add(1)
					holder.Store(first.Claim)
				} else {
					require.Zero(t, first.Status, "in progress")
				}
			}()
		}
		wg.Wait()
		require.EqualValues(t, 1, won.Load(), "exactly one request runs")
		_, found, err := st.Answered(ctx, "li", "k1")
		require.NoError(t, err)
		require.False(t, found, "a claim is no answer")

		require.NoError(t, st.SaveAnswer(ctx, "li", "k1", store.Answer{Method: req.Method, Path: req.Path, Status: 200, Body: `{"ok":true}`,
			Claim: holder.Load().(string)}))
		first, claimed, err := st.Claim(ctx, "li", "k1", req, time.Minute)
		require.NoError(t, err)
		require.False(t, claimed)
		require.Equal(t, 200, first.Status)
		require.Equal(t, `{"ok":true}`, first.Body)
		require.NoError(t, st.SaveAnswer(ctx, "li", "k1", store.Answer{Method: req.Method, Path: req.Path, Status: 201, Body: "second",
			Claim: holder.Load().(string)}))
		first, _, _ = st.Claim(ctx, "li", "k1", req, time.Minute)
		require.Equal(t, `{"ok":true}`, first.Body, "the first answer stays")

		held, claimed, err := st.Claim(ctx, "li", "k2", req, time.Minute)
		require.NoError(t, err)
		require.True(t, claimed)
		require.NoError(t, st.Release(ctx, "li", "k2", held.Claim))
		held, claimed, err = st.Claim(ctx, "li", "k2", req, time.Minute)
		require.NoError(t, err)
		require.True(t, claimed, "a released key runs again")

		taken, claimed, err := st.Claim(ctx, "li", "k2", req, -time.Second)
		require.NoError(t, err)
		require.True(t, claimed, "a claim older than the limit is taken over")
		require.NoError(t, st.Release(ctx, "li", "k2", held.Claim), "the slow holder's release")
		_, claimed, err = st.Claim(ctx, "li", "k2", req, time.Minute)
		require.NoError(t, err)
		require.False(t, claimed, "does not free the key its successor holds")
		require.NoError(t, st.SaveAnswer(ctx, "li", "k2", store.Answer{Method: req.Method, Path: req.Path, Status: 200, Body: "late", Claim: held.Claim}))
		first, _, _ = st.Claim(ctx, "li", "k2", req, time.Minute)
		require.Zero(t, first.Status, "nor answers for it")
		require.NoError(t, st.SaveAnswer(ctx, "li", "k2", store.Answer{Method: req.Method, Path: req.Path, Status: 200, Body: "mine", Claim: taken.Claim}))
		first, _, _ = st.Claim(ctx, "li", "k2", req, time.Minute)
		require.Equal(t, "mine", first.Body)
		_, claimed, err = st.Claim(ctx, "wang", "k1", req, time.Minute)
		require.NoError(t, err)
		require.True(t, claimed, "keys are each person's own")
	})
}
