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

// TestRulebook_Floor: a rulebook below a statutory minimum fails to load with the field named;
// units count: 7 calendar days are not 7 working days.
func TestRulebook_Floor(t *testing.T) {
	for field, body := range map[string]string{
		"comment_period":         `"comment_period":{"rule":"R-06","days":20,"unit":"calendar_days"}`,
		"hearing_materials_lead": `"hearing_materials_lead":{"rule":"R-08","days":5,"unit":"calendar_days"}`,
		"legality_review":        `"legality_review":{"rule":"R-20","days":7,"unit":"calendar_days"}`,
		"sources":                `"sources":[]`,
	} {
		_, err := procedure.LoadRulebooks(fstest.MapFS{
			"lax.json": {Data: []byte(`{"id":"lax","version":"1","inherits":"national-2019","name":"宽松规则",` + body + `}`)},
		})
		require.ErrorContains(t, err, field, field)
	}
	books, err := procedure.LoadRulebooks(fstest.MapFS{
		"strict.json": {Data: []byte(`{"id":"strict","version":"1","inherits":"national-2019","name":"从严规则","comment_period":{"rule":"R-06","days":30,"unit":"working_days"}}`)},
	})
	require.NoError(t, err, "30 working days are more than 30 days")
	require.Equal(t, "2019-09-01", books["strict"].EffectiveFrom.String(), "inherited")
}

// TestJurisdictions: the organ decides the rulebook, from the day it binds.
func TestJurisdictions(t *testing.T) {
	books, err := procedure.LoadRulebooks(nil)
	require.NoError(t, err)
	js, err := procedure.LoadJurisdictions(nil, books)
	require.NoError(t, err)
	day := func(s string) procedure.Date { d, _ := procedure.ParseDate(s); return d }
	for organ, want := range map[string]string{
		"天津市宝坻区人民政府": "tianjin",
		"宝坻区人民政府 ":   "tianjin",
		"天津市人民政府":    "tianjin",
		"北京市朝阳区人民政府": "national-2019",
	} {
		got, source, err := js.RulebookFor(organ, day("2026-03-02"))
		require.NoError(t, err)
		require.Equal(t, want, got, organ)
		require.NotEmpty(t, source)
	}
	got, _, err := js.RulebookFor("天津市宝坻区人民政府", day("2020-06-01"))
	require.NoError(t, err)
	require.Equal(t, "national-2019", got, "before Tianjin's rules took effect")
	_, _, err = js.RulebookFor("宝坻区人民政府", day("2019-01-01"))
	require.Error(t, err, "before the Decree")

	_, err = procedure.LoadJurisdictions([]byte(`[{"rulebook":"tianjin","from":"2019-01-01","prefixes":["天津市"],"source":"x"}]`), books)
	require.ErrorContains(t, err, "before rulebook tianjin takes effect")
	_, err = procedure.LoadJurisdictions([]byte(`[{"rulebook":"atlantis","from":"2021-01-01","prefixes":[""],"source":"x"}]`), books)
	require.ErrorContains(t, err, "atlantis")
}
