package procedure_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func TestNewDecision(t *testing.T) {
	opened := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	tests := []struct {
		name, number, title string
		wantCode            string
	}{
		{"valid", "BD-2026-007", "宝坻区老旧小区改造实施方案", ""},
		{"long prefix", "TJBD-2026-1", "标题", ""},
		{"lower-case prefix", "bd-2026-007", "标题", procedure.EInvalid},
		{"missing year", "BD-007", "标题", procedure.EInvalid},
		{"path characters", "BD-2026-007/x", "标题", procedure.EInvalid},
		{"empty title", "BD-2026-007", "   ", procedure.EInvalid},
		{"title at limit", "BD-2026-007", strings.Repeat("决", procedure.MaxTitleLength), ""},
		{"title over limit", "BD-2026-007", strings.Repeat("决", procedure.MaxTitleLength+1), procedure.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := procedure.NewDecision(tt.number, tt.title, opened)
			require.Equal(t, tt.wantCode, procedure.ErrorCode(err))
			if tt.wantCode != "" {
				return
			}
			require.Equal(t, procedure.StageStart, d.Stage)
			require.Equal(t, strings.TrimSpace(tt.title), d.Title)
			require.Equal(t, time.UTC, d.OpenedAt.Location())
			require.True(t, d.OpenedAt.Equal(opened.Truncate(time.Microsecond)))
		})
	}
}

func TestError(t *testing.T) {
	err := procedure.Errorf(procedure.EConflict, "决策 %s 已存在", "decision %s exists", "BD-2026-1")
	require.Equal(t, "决策 BD-2026-1 已存在 / decision BD-2026-1 exists", err.Error())
	wrapped := fmt.Errorf("load: %w", err)
	require.Equal(t, procedure.EConflict, procedure.ErrorCode(wrapped))
	require.True(t, procedure.IsCode(wrapped, procedure.EConflict))
	require.Equal(t, procedure.EInternal, procedure.ErrorCode(errors.New("disk full")))
	require.Equal(t, "", procedure.ErrorCode(nil))
}

func TestParseStage(t *testing.T) {
	s, err := procedure.ParseStage("legality_review")
	require.NoError(t, err)
	require.Equal(t, "合法性审查", s.Label())
	require.Equal(t, "legality review", s.LabelEN())
	_, err = procedure.ParseStage("nonsense")
	require.Equal(t, procedure.EInvalid, procedure.ErrorCode(err))
}
