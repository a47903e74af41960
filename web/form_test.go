package web

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"decisionflow/api"
	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
)

// decisionActs are the acts the API sends to a decision or its rounds, an annual catalog or an
// expert pool: the ones the pages offer as forms.
func decisionActs(t *testing.T) []api.ActRoute {
	t.Helper()
	var out []api.ActRoute
	for _, a := range api.New(api.Options{Metrics: prometheus.NewRegistry()}).Acts() {
		if strings.HasPrefix(a.Route, "/api/v1/decisions/:number/") || strings.HasPrefix(a.Route, "/api/v1/catalogs/:organ/:year/") ||
			strings.HasPrefix(a.Route, "/api/v1/expert-pools/:organ/") {
			out = append(out, a)
		}
	}
	require.NotEmpty(t, out, "the API lists its decision acts")
	return out
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// everyField walks a form's fields, a group's children and a list's rows included.
func everyField(fields []formField, f func(formField)) {
	for _, fld := range fields {
		f(fld)
		everyField(fld.Children, f)
		for _, row := range fld.Rows {
			everyField(row, f)
		}
	}
}

func TestForms_EveryActLabelled(t *testing.T) {
	for _, a := range decisionActs(t) {
		t.Run(a.Update, func(t *testing.T) {
			spec, ok := forms[a.Update]
			require.True(t, ok, "%s (%s) has no form", a.Update, a.Route)
			require.True(t, hasHan(spec.Title.ZH), "Chinese title of %s: %q", a.Update, spec.Title.ZH)
			require.NotEmpty(t, spec.Title.EN, "English title of %s", a.Update)
			require.NotEqual(t, a.Update, spec.Title.EN, "the English title is more than the Update's name")
			require.False(t, hasHan(spec.Title.EN), "English title of %s: %q", a.Update, spec.Title.EN)

			// Values in every list row and a second row, so rows are built as a person fills them.
			form := url.Values{}
			fields := buildFields(spec, a.Payload, form)
			everyField(fields, func(f formField) {
				if f.Kind == "list" {
					form.Set("rows."+f.Name, "2")
				}
			})
			fields = buildFields(spec, a.Payload, form)
			n := 0
			var unlabelled []string
			everyField(fields, func(f formField) {
				n++
				last := f.Key[strings.LastIndex(f.Key, ".")+1:]
				raw := []string{f.Key, f.Name, last}
				zh, en := f.Spec.Label.ZH, f.Spec.Label.EN
				if !hasHan(zh) || en == "" || hasHan(en) || slices.Contains(raw, zh) || slices.Contains(raw, en) {
					unlabelled = append(unlabelled, f.Name+" ("+zh+" / "+en+")")
				}
				for _, o := range f.Spec.Options {
					if !hasHan(o.Label.ZH) || o.Label.EN == "" {
						unlabelled = append(unlabelled, f.Name+" option "+o.Value)
					}
				}
			})
			require.Empty(t, unlabelled, "%s: fields shown without a Chinese and an English label", a.Update)
			if a.Payload != nil {
				require.Positive(t, n, "%s takes a payload, so its form asks for something", a.Update)
			}
		})
	}
}

// actSpec is the form of the act an Update names, as the pages pair them.
func actSpec(t *testing.T, update string) (formSpec, reflect.Type) {
	t.Helper()
	for _, a := range decisionActs(t) {
		if a.Update == update {
			return forms[update], a.Payload
		}
	}
	t.Fatalf("no act %s", update)
	return formSpec{}, nil
}

func TestPayloadJSON(t *testing.T) {
	t.Run("Notice", func(t *testing.T) {
		spec, typ := actSpec(t, "notice")
		draft := "sha256:" + strings.Repeat("d", 64)
		form := url.Values{
			"draft":           {draft},
			"explanation":     {" 起草说明 "},
			"how_to_comment":  {"登录区政府网站提交意见"},
			"channels":        {"网站\r\n报纸\r\n"}, // a browser's textarea ends lines with CRLF
			"opens":           {"2026-10-14"},
			"closes":          {"2026-11-13"},
			"urgency_reason":  {""},
			"affected_groups": {"  "},
		}
		body, err := payloadJSON(spec, typ, form)
		require.NoError(t, err)
		require.JSONEq(t, `{"draft":"`+draft+`","explanation":"起草说明","how_to_comment":"登录区政府网站提交意见",
			"channels":["网站","报纸"],"opens":"2026-10-14","closes":"2026-11-13"}`, string(body))
		var n procedure.Notice
		require.NoError(t, json.Unmarshal(body, &n), "the body is the API's payload")
		require.Equal(t, procedure.Date{Year: 2026, Month: 10, Day: 14}, n.Opens)
	})

	t.Run("List", func(t *testing.T) {
		spec, typ := actSpec(t, "start_decision")
		form := url.Values{
			"units.0.name": {"区住建委"},
			"units.0.lead": {"on"},
			"units.1.name": {"区财政局"},
			"officials":    {"li"},
		}
		body, err := payloadJSON(spec, typ, form)
		require.NoError(t, err)
		var got struct {
			Units []map[string]any `json:"units"`
		}
		require.NoError(t, json.Unmarshal(body, &got))
		require.Len(t, got.Units, 2)
		require.Equal(t, map[string]any{"name": "区住建委", "lead": true}, got.Units[0])
		require.Equal(t, "区财政局", got.Units[1]["name"])
		require.NotEqual(t, true, got.Units[1]["lead"], "only the first unit leads")
		var s procedure.StartDecision
		require.NoError(t, json.Unmarshal(body, &s), "the body is the API's payload")
	})

	t.Run("ErrNotWholeNumber", func(t *testing.T) {
		spec, typ := actSpec(t, "hearing_selection")
		_, err := payloadJSON(spec, typ, url.Values{"seats": {"abc"}})
		require.Error(t, err)
		var fe *fieldError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, "seats", fe.Field)
		require.Contains(t, err.Error(), "seats")
		p := asProblem(err)
		require.Equal(t, "seats", fieldOf(p, buildFields(spec, typ, nil)), "the refusal is shown beside the field")
	})

	t.Run("EngineFieldsDropped", func(t *testing.T) {
		spec, typ := actSpec(t, "draft")
		form := url.Values{
			"document":      {"sha256:" + strings.Repeat("a", 64)},
			"explanation":   {"第二稿"},
			"signature":     {`keyId="k1",algorithm="ed25519",signature="AAAA"`},
			"submitted_at":  {"2026-10-14T09:00"},
			"submitted_by":  {"someone-else"},
			"version":       {"9"},
			"changed_share": {"0.01"},
		}
		body, err := payloadJSON(spec, typ, form)
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.Unmarshal(body, &got))
		require.Equal(t, map[string]any{"document": form.Get("document"), "explanation": "第二稿"}, got)
	})

	// Whatever engine-set field a form posts, in any act and at any depth, the body is as
	// if it had not been posted.
	t.Run("EngineFieldsDroppedEverywhere", func(t *testing.T) {
		for _, a := range decisionActs(t) {
			if a.Payload == nil {
				continue
			}
			spec := forms[a.Update]
			posted := url.Values{}
			engineNames(spec, a.Payload, "", "", posted)
			if len(posted) == 0 {
				continue
			}
			got, err := payloadJSON(spec, a.Payload, posted)
			require.NoError(t, err, a.Update)
			want, err := payloadJSON(spec, a.Payload, url.Values{})
			require.NoError(t, err)
			require.JSONEq(t, string(want), string(got), "%s: engine fields %v reached the body", a.Update, posted)
		}
	})
}

// engineNames puts a value in form for every engine-set field of payload type t, lists'
// first rows included.
func engineNames(spec formSpec, t reflect.Type, name, key string, form url.Values) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || reflect.PointerTo(t).Implements(textMarshaler) {
		return
	}
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		fname, fkey := join(name, tag), join(key, tag)
		if engine(spec, tag, fkey) {
			form.Set(fname, "1")
			continue
		}
		ft := t.Field(i).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
			engineNames(spec, ft.Elem(), fname+"."+strconv.Itoa(0), fkey, form)
			continue
		}
		engineNames(spec, ft, fname, fkey, form)
	}
}

func engine(spec formSpec, tag, key string) bool {
	for _, e := range engineFields {
		if e == tag {
			return true
		}
	}
	for _, e := range spec.Engine {
		if e == key {
			return true
		}
	}
	return false
}

// TestCommentCurve: a consultation's days on the line, the busiest at the top, one step a day.
func TestCommentCurve(t *testing.T) {
	cc := commentCurve{Days: []store.DayCount{{Day: "2026-12-01", Comments: 5}, {Day: "2026-12-02", Comments: 10}, {Day: "2026-12-03", Comments: 0}}}
	require.Equal(t, "24.0,80.0 280.0,24.0 536.0,136.0", cc.Points())
	require.Equal(t, "24.0,136.0", commentCurve{Days: []store.DayCount{{Day: "2026-12-01", Comments: 0}}}.Points(), "a quiet first day")
}
