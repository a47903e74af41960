package api

import (
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

// TestCheckJurisdiction: a decision that ran under a rulebook other than its organ's is a
// finding of the replay; the right one, or no organ, is none.
func TestCheckJurisdiction(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	js, err := procedure.LoadJurisdictions(nil, books)
	require.NoError(t, err)
	s := &Server{jurisdictions: js}
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, procedure.China)
	d := procedure.Decision{Number: "BD-2026-1", Organ: "天津市宝坻区人民政府", OpenedAt: opened, Rulebook: procedure.RulebookRef{ID: "national-2019"}}
	require.Contains(t, s.checkJurisdiction(d), "tianjin", "a laxer rulebook than the organ's")
	d.Rulebook.ID = "tianjin"
	require.Empty(t, s.checkJurisdiction(d))
	d.Organ = ""
	require.Empty(t, s.checkJurisdiction(d), "a decision naming no organ ran under the default")
}
