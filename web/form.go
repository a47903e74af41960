package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"decisionflow/procedure"
)

// formSpec describes an act's form: what it is, and each field's label and the rule behind it.
// Fields are named by their JSON path without list indices, e.g. "units.name".
type formSpec struct {
	// Title names the act.
	Title Text
	// Intro says what the act does and which rule governs it.
	Intro Text
	// Fields label the payload's fields; a field without its own label takes commonFields'.
	Fields map[string]fieldSpec
	// Engine lists fields the engine sets from the actor and its clock: never asked for.
	Engine []string
	// Value labels a payload that is one bare value (a string or a date).
	Value fieldSpec
	// When lists the stages in which a decision's own act is offered beside its tasks; the
	// procedure still decides when it is sent. Empty offers it in every stage.
	When []procedure.Stage
}

// fieldSpec labels one field.
type fieldSpec struct {
	// Label names the field.
	Label Text
	// Hint explains it, with the rule behind it.
	Hint Text
	// Rule is the rule (R-…) that checks the field; a refusal under it is shown beside it.
	Rule string
	// Long asks for a multi-line text box.
	Long bool
	// Options, when set, offer a choice: each value with its label.
	Options []option
}

// option is one choice of a select.
type option struct {
	Value string
	Label Text
}

// engineFields are set by the engine from the actor or its clock in every act.
var engineFields = []string{"signature", "late", "by", "at", "submitted_by", "submitted_at", "answered_at", "handed_over_at",
	"reviewer", "recorder", "adviser", "approved", "flagged", "clock", "version", "changed_share"}

// commonFields label fields that mean the same in every act.
var commonFields = map[string]fieldSpec{
	"document":  {Label: T("文件", "Document"), Hint: T("上传文件，或选择本事项已归集的文件（以 SHA-256 引用）", "Upload a file, or choose one already filed for this decision (cited by SHA-256)")},
	"reason":    {Label: T("理由", "Reason"), Long: true},
	"reasons":   {Label: T("理由", "Reasons"), Long: true},
	"opinion":   {Label: T("意见", "Opinion"), Long: true},
	"basis":     {Label: T("依据", "Basis"), Long: true},
	"date":      {Label: T("日期", "Date")},
	"kind":      {Label: T("类别", "Kind")},
	"channels":  {Label: T("渠道（每行一个）", "Channels (one per line)")},
	"summary":   {Label: T("摘要", "Summary"), Long: true},
	"outcome":   {Label: T("结论", "Outcome")},
	"evidence":  {Label: T("证明材料", "Evidence"), Hint: T("送达凭证等，可为文件引用", "Proof of delivery etc.; may cite a document")},
	"officials": {Label: T("承办人员（用户 ID，每行一个）", "Officials (user IDs, one per line)")},
}

// formField is one field of a rendered form, with what was typed into it.
type formField struct {
	// Name is the form field's name: the JSON path with list indices, e.g. "units.0.name".
	Name string
	// Key is the JSON path without indices, which labels it.
	Key  string
	Spec fieldSpec
	// Kind is text, long, date, bool, int, number, lines, map, select, document, group or list.
	Kind string
	// Required is true for a field the payload does not mark optional.
	Required bool
	// Value is what the field holds.
	Value string
	// Children are a group's fields, or a list's rows' fields in Rows.
	Children []formField
	Rows     [][]formField
	// Error is the refusal shown beside the field.
	Error Text
}

var (
	textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	timeType      = reflect.TypeOf(time.Time{})
)

// listRows is how many rows a list field shows when nothing has been typed into it yet.
const listRows = 1

// buildFields lays out the form of payload type t with the values of form (nil for an empty
// form). rows asks for more rows of a list, by its field name.
func buildFields(spec formSpec, t reflect.Type, form url.Values) []formField {
	if t == nil {
		return nil
	}
	if t.Kind() != reflect.Struct || t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		f := formField{Name: "value", Key: "value", Spec: spec.Value, Kind: kindOf(t, spec.Value), Required: true, Value: form.Get("value")}
		return []formField{f}
	}
	return structFields(spec, t, "", "", form)
}

func structFields(spec formSpec, t reflect.Type, name, key string, form url.Values) []formField {
	var out []formField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || tag == "-" || tag == "" {
			continue
		}
		fname, fkey := join(name, tag), join(key, tag)
		if slices.Contains(engineFields, tag) || slices.Contains(spec.Engine, fkey) {
			continue
		}
		fs := spec.field(fkey)
		ft := sf.Type
		optional := strings.Contains(opts, "omitempty") || ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Bool
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		f := formField{Name: fname, Key: fkey, Spec: fs, Required: !optional}
		switch {
		case ft.Kind() == reflect.Struct && ft != timeType && !ft.Implements(textMarshaler) && !reflect.PointerTo(ft).Implements(textMarshaler):
			f.Kind = "group"
			f.Children = structFields(spec, ft, fname, fkey, form)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			f.Kind = "list"
			n := max(listRows, rowsIn(form, fname))
			if extra, err := strconv.Atoi(form.Get("rows." + fname)); err == nil && extra > n && extra <= 50 {
				n = extra
			}
			for r := range n {
				f.Rows = append(f.Rows, structFields(spec, ft.Elem(), fname+"."+strconv.Itoa(r), fkey, form))
			}
		default:
			f.Kind = kindOf(ft, fs)
			f.Value = form.Get(fname)
		}
		out = append(out, f)
	}
	return out
}

// rowsIn counts the rows of a list the form holds values for.
func rowsIn(form url.Values, list string) int {
	n := 0
	for k := range form {
		rest, ok := strings.CutPrefix(k, list+".")
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); err == nil && i+1 > n {
			n = i + 1
		}
	}
	return n
}

func kindOf(t reflect.Type, fs fieldSpec) string {
	switch {
	case len(fs.Options) > 0:
		return "select"
	case t == timeType:
		return "datetime"
	case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		return "date"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "int"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.Slice:
		return "lines"
	case reflect.Map:
		return "map"
	}
	if fs.Long {
		return "long"
	}
	return "text"
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// field returns the spec of the field at key: the act's own, else the common one by its last
// name, else the name itself (a test makes sure no form shows one).
func (s formSpec) field(key string) fieldSpec {
	if fs, ok := s.Fields[key]; ok {
		return fs
	}
	last := key[strings.LastIndex(key, ".")+1:]
	if fs, ok := s.Fields[last]; ok {
		return fs
	}
	if fs, ok := commonFields[last]; ok {
		return fs
	}
	return fieldSpec{Label: T(key, key)}
}

// fieldError is a value that cannot be sent as typed, found before the act is sent.
type fieldError struct {
	Field string
	Text  Text
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Text.EN }

// payloadJSON builds the act's JSON body from a submitted form, following the payload type:
// empty optional fields are left out, lists keep the rows that hold something.
func payloadJSON(spec formSpec, t reflect.Type, form url.Values) ([]byte, error) {
	if t == nil {
		return []byte("{}"), nil
	}
	var v any
	var err error
	if t.Kind() != reflect.Struct || t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		v, err = scalar(t, "value", strings.TrimSpace(form.Get("value")))
	} else {
		v, err = structValue(spec, t, "", "", form)
	}
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = map[string]any{}
	}
	return json.Marshal(v)
}

func structValue(spec formSpec, t reflect.Type, name, key string, form url.Values) (map[string]any, error) {
	out := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || tag == "-" || tag == "" {
			continue
		}
		fname, fkey := join(name, tag), join(key, tag)
		if slices.Contains(engineFields, tag) || slices.Contains(spec.Engine, fkey) {
			continue
		}
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		var v any
		var err error
		switch {
		case ft.Kind() == reflect.Struct && ft != timeType && !ft.Implements(textMarshaler) && !reflect.PointerTo(ft).Implements(textMarshaler):
			var m map[string]any
			if m, err = structValue(spec, ft, fname, fkey, form); len(m) > 0 {
				v = m
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			var rows []any
			for r := range rowsIn(form, fname) {
				m, rerr := structValue(spec, ft.Elem(), fname+"."+strconv.Itoa(r), fkey, form)
				if rerr != nil {
					return nil, rerr
				}
				if len(m) > 0 {
					rows = append(rows, m)
				}
			}
			if len(rows) > 0 {
				v = rows
			}
		default:
			v, err = scalar(ft, fname, strings.TrimSpace(form.Get(fname)))
		}
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[tag] = v
		}
	}
	return out, nil
}

// scalar reads one field's text as the JSON value of type t; empty text is no value.
func scalar(t reflect.Type, name, s string) (any, error) {
	switch {
	case t == timeType:
		if s == "" {
			return nil, nil
		}
		at, err := time.ParseInLocation("2006-01-02T15:04", s, shanghai)
		if err != nil {
			return nil, &fieldError{name, T("须为日期和时间", "must be a date and time")}
		}
		return at, nil
	case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		if s == "" {
			return nil, nil
		}
		return s, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if s == "" {
			return nil, nil
		}
		return s == "on" || s == "true", nil
	case reflect.Int, reflect.Int64, reflect.Int32:
		if s == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, &fieldError{name, T("须为整数", "must be a whole number")}
		}
		return n, nil
	case reflect.Float64, reflect.Float32:
		if s == "" {
			return nil, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, &fieldError{name, T("须为数字", "must be a number")}
		}
		return f, nil
	case reflect.Slice:
		var items []any
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			item, err := scalar(t.Elem(), name, line)
			if err != nil {
				return nil, err
			}
			items = append(items, item)
		}
		if len(items) == 0 {
			return nil, nil
		}
		return items, nil
	case reflect.Map:
		m := map[string]string{}
		for _, line := range strings.Split(s, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
			if !ok {
				if strings.TrimSpace(line) != "" {
					return nil, &fieldError{name, T("每行须为“名称=内容”", "each line must be name=value")}
				}
				continue
			}
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		if len(m) == 0 {
			return nil, nil
		}
		return m, nil
	case reflect.String:
		if s == "" {
			return nil, nil
		}
		return s, nil
	}
	return nil, fmt.Errorf("field %s: unsupported type %s", name, t)
}

// forms are every act's form, by the Update the act becomes.
var forms = mergeForms(catalogForms, poolForms, draftingForms, participationForms, expertForms, riskForms, legalityForms, meetingForms,
	publicationForms, archiveForms, implementationForms)

func mergeForms(sets ...map[string]formSpec) map[string]formSpec {
	out := map[string]formSpec{}
	for _, set := range sets {
		for k, v := range set {
			out[k] = v
		}
	}
	return out
}
