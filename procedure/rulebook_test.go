package procedure_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"decisionflow/procedure"

	"github.com/stretchr/testify/require"
)

func TestLoadRulebooks(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	national, err := books.Get("national-2019")
	require.NoError(t, err)
	tianjin, err := books.Get("tianjin")
	require.NoError(t, err)

	require.Equal(t, 30, national.CommentPeriod.Days)
	require.Equal(t, procedure.WorkingDays, national.LegalityReview.Unit)
	require.Equal(t, national.LegalityReview, tianjin.LegalityReview, "inherited")
	require.Equal(t, 5, tianjin.ExpertPanel.MinSize, "overridden")
	require.True(t, tianjin.UnitLegalityOpinionRequired)
	require.NotEqual(t, national.Hash, tianjin.Hash)
	require.Len(t, tianjin.Hash, 64)
	require.True(t, tianjin.NotControllable("high"))
	require.False(t, tianjin.NotControllable("medium"))

	require.Equal(t, []string{procedure.OfficeHead, procedure.OfficeDeputyHead, procedure.OfficeSecretaryGeneral},
		national.MeetingComposition[procedure.MeetingExecutive], "Local Organic Law, Art. 78")
	require.Contains(t, national.MeetingComposition[procedure.MeetingPlenary], procedure.OfficeDepartmentHead, "all members of the government")
	require.Equal(t, 0.5, national.MeetingQuorum)
	require.Equal(t, national.MeetingComposition, tianjin.MeetingComposition, "inherited")
	require.Contains(t, tianjin.Unverified, "meeting_quorum")

	again, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	require.Equal(t, tianjin.Hash, again["tianjin"].Hash, "the hash is stable")

	_, err = books.Get("atlantis")
	require.Equal(t, procedure.EInvalid, procedure.ErrorCode(err))
}

func TestLoadRulebooks_Operator(t *testing.T) {
	books, err := procedure.LoadRulebooks(fstest.MapFS{
		"baodi.json": {Data: []byte(`{"id":"baodi","version":"2026-1","inherits":"tianjin","name":"宝坻区规则","comment_period":{"rule":"R-06","days":45,"unit":"calendar_days"}}`)},
	})
	require.NoError(t, err)
	baodi := books["baodi"]
	require.Equal(t, 45, baodi.CommentPeriod.Days)
	require.Equal(t, 5, baodi.ExpertPanel.MinSize, "inherits through tianjin")
	require.Equal(t, procedure.RulebookRef{ID: "baodi", Version: "2026-1", Hash: baodi.Hash}, baodi.Ref())

	for name, data := range map[string]string{
		"below the floor":   `{"id":"x","inherits":"national-2019","comment_period":{"rule":"R-06","days":20,"unit":"calendar_days"}}`,
		"unknown parent":    `{"id":"x","inherits":"nowhere"}`,
		"cycle":             `{"id":"x","inherits":"x"}`,
		"unknown field":     `{"id":"x","inherits":"national-2019","comment_days":40}`,
		"bad grade":         `{"id":"x","inherits":"national-2019","not_controllable_grades":["extreme"]}`,
		"quorum below half": `{"id":"x","inherits":"national-2019","meeting_quorum":0.4}`,
		"no quorum":         `{"id":"x","inherits":"national-2019","meeting_quorum":0}`,
		"head alone":        `{"id":"x","inherits":"national-2019","meeting_composition":{"executive":["head"],"plenary":["head","deputy_head"]}}`,
		"no head":           `{"id":"x","inherits":"national-2019","meeting_composition":{"executive":["deputy_head","secretary_general"],"plenary":["head","deputy_head"]}}`,
		"no plenary":        `{"id":"x","inherits":"national-2019","meeting_composition":{"executive":["head","deputy_head"]}}`,
		"unknown office":    `{"id":"x","inherits":"national-2019","meeting_composition":{"executive":["head","mayor_friend"],"plenary":["head","deputy_head"]}}`,
		"circulated":        `{"id":"x","inherits":"national-2019","meeting_composition":{"executive":["head","deputy_head"],"plenary":["head","deputy_head"],"circulated":["head","deputy_head"]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := procedure.LoadRulebooks(fstest.MapFS{"x.json": {Data: []byte(data)}})
			require.Error(t, err)
			if strings.Contains(data, "meeting_") {
				require.ErrorContains(t, err, "meeting_", "the field is named")
			}
		})
	}
}
