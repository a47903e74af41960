package api

import (
	"encoding"
	"reflect"
	"regexp"
	"strings"
	"time"

	"decisionflow/procedure"
	"decisionflow/workflows"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

// textAsString makes types that write themselves as text (dates, YYYY-MM-DD or empty when
// unset) strings, as the validator has always seen them.
func textAsString(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	if t != reflect.TypeFor[time.Time]() && (t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)) {
		*s = *openapi3.NewStringSchema()
		s.Description = "日期 YYYY-MM-DD，未定时为空 / a date, YYYY-MM-DD; empty when unset"
	}
	return nil
}

// schemas generates the published document's schemas from Go types: every named struct is a
// component under its Go name, every enumeration a component listing its values (see enums),
// and a property is required when its JSON tag has no omitempty, since the server always writes
// it (and reads its zero value when a client leaves it out).
type schemas struct {
	gen   *openapi3gen.Generator
	comps openapi3.Schemas
	// structs are the struct schemas by component name. openapi3gen keeps in the components
	// only structs with properties; a struct written as text (a date) is kept from here.
	structs map[string]*openapi3.Schema
	// enumOf names the enumeration each generated enum schema stands for.
	enumOf map[*openapi3.Schema]enum
	// names are the component names given, each to one Go type.
	names map[string]reflect.Type
	// grades are the risk grades of the rulebooks the server runs.
	grades []string
}

func newSchemas(grades []string) *schemas {
	s := &schemas{comps: openapi3.Schemas{}, structs: map[string]*openapi3.Schema{}, enumOf: map[*openapi3.Schema]enum{},
		names: map[string]reflect.Type{}, grades: grades}
	s.gen = openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true, ExportTopLevelSchema: true, ExportGenerics: true}),
		openapi3gen.CreateTypeNameGenerator(s.name),
		openapi3gen.SchemaCustomizer(s.customize))
	return s
}

// of is the schema of v's type, a reference when the type is a component.
func (s *schemas) of(v any) *openapi3.SchemaRef {
	ref, err := s.gen.NewSchemaRefForValue(v, s.comps)
	if err != nil || ref == nil {
		// Only a cycle the generator refuses, or a func: the answer is then any JSON.
		return openapi3.NewSchemaRef("", openapi3.NewSchema())
	}
	return ref
}

// answer is the schema of an act's answer (ActResponse) whose state is of state's type:
// <State>Answer, so a client reads the state it sent the act to as a typed value.
func (s *schemas) answer(state any) *openapi3.SchemaRef {
	t := reflect.TypeOf(state)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := s.name(t) + "Answer"
	if _, ok := s.structs[name]; !ok {
		tasks := openapi3.NewArraySchema()
		tasks.Items = s.of([]procedure.Task{}).Value.Items
		a := openapi3.NewObjectSchema().WithPropertyRef("state", s.of(state)).WithProperty("tasks", tasks)
		a.Description = "办理行为的结果：行为后的状态与当前待办 / an act's answer: the state after it and the open tasks"
		a.Required = []string{"state", "tasks"}
		s.structs[name] = a
	}
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

var genericName = regexp.MustCompile(`^([A-Za-z0-9_]+)\[(.*)\]$`)

// name is a Go type's component name: its own name, capitalised; a generic ListResponse[T]
// is TList; a name already given to a type of another package is prefixed with the package's.
func (s *schemas) name(t reflect.Type) string {
	n := t.Name()
	if m := genericName.FindStringSubmatch(n); m != nil {
		var args strings.Builder
		for _, a := range strings.Split(m[2], ",") {
			args.WriteString(a[strings.LastIndexAny(a, "./")+1:])
		}
		n = args.String() + strings.TrimSuffix(m[1], "Response")
	}
	n = upperCamel(n)
	if other, ok := s.names[n]; ok && other != t {
		pkg := t.PkgPath()
		n = upperCamel(pkg[strings.LastIndex(pkg, "/")+1:]) + n
	}
	s.names[n] = t
	return n
}

// customize completes each generated schema: dates as strings, enumerations, required
// properties; struct schemas are kept for the components.
func (s *schemas) customize(field string, t reflect.Type, tag reflect.StructTag, sc *openapi3.Schema) error {
	if err := textAsString(field, t, tag, sc); err != nil {
		return err
	}
	if e, ok := enumTypes[t]; ok {
		sc.Enum = anys(e.values)
		sc.Description = e.description
		s.enumOf[sc] = e
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() || t.Name() == "" {
		return nil
	}
	for _, fe := range s.fieldEnums() {
		if fe.in != t || len(fe.values) == 0 {
			continue
		}
		if p := sc.Properties[fe.field]; p != nil && p.Value != nil {
			p.Value.Enum = anys(fe.values)
			p.Value.Description = fe.description
			s.enumOf[p.Value] = fe.enum
		}
	}
	sc.Required = requiredOf(t, sc.Properties)
	s.structs[s.name(t)] = sc
	return nil
}

// requiredOf lists the JSON properties of t the server always writes: those whose tag has no
// omitempty or omitzero.
func requiredOf(t reflect.Type, props openapi3.Schemas) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		tag, ok := f.Tag.Lookup("json")
		if !ok || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" || props[name] == nil {
			continue
		}
		if !strings.Contains(","+opts+",", ",omitempty,") && !strings.Contains(","+opts+",", ",omitzero,") {
			out = append(out, name)
		}
	}
	return out
}

func anys(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// gather puts the components into the document: the structs openapi3gen left out, and one
// component per enumeration, every inline use of which becomes a reference to it.
func (s *schemas) gather(doc *openapi3.T) {
	for name, sc := range s.structs {
		if _, ok := s.comps[name]; !ok {
			s.comps[name] = &openapi3.SchemaRef{Value: sc}
		}
	}
	visit := func(r *openapi3.SchemaRef) {
		if r == nil || r.Ref != "" || r.Value == nil {
			return
		}
		e, ok := s.enumOf[r.Value]
		if !ok {
			return
		}
		if _, ok := s.comps[e.name]; !ok {
			v := openapi3.NewStringSchema().WithEnum(anys(e.values)...)
			v.Description = e.description
			s.comps[e.name] = &openapi3.SchemaRef{Value: v}
		}
		r.Ref = "#/components/schemas/" + e.name
	}
	for _, r := range s.comps {
		walk(r, visit, true)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				walk(p.Value.Schema, visit, false)
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema, visit, false)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema, visit, false)
					}
				}
			}
		}
	}
	for name, r := range s.comps {
		doc.Components.Schemas[name] = r
	}
}

// walk calls visit on r and every inline schema within it, depth first, stopping at
// references; root is a component's own schema, which is never replaced.
func walk(r *openapi3.SchemaRef, visit func(*openapi3.SchemaRef), root bool) {
	if r == nil || r.Ref != "" || r.Value == nil {
		return
	}
	v := r.Value
	for _, p := range v.Properties {
		walk(p, visit, false)
	}
	walk(v.Items, visit, false)
	walk(v.AdditionalProperties.Schema, visit, false)
	for _, list := range []openapi3.SchemaRefs{v.AllOf, v.AnyOf, v.OneOf} {
		for _, x := range list {
			walk(x, visit, false)
		}
	}
	if !root {
		visit(r)
	}
}

// implementationState is a value of the implementation round's state: the round answers with
// its whole input, carried across continue-as-new, a type the workflows package keeps to itself.
var implementationState = reflect.Zero(reflect.TypeOf(workflows.Implementation).In(1)).Interface()
