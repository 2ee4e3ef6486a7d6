package oas

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

var (
	timeType            = reflect.TypeFor[time.Time]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	jsonMarshalerType   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	setSchemarType      = reflect.TypeFor[openapi3gen.SetSchemar]()
)

// compKey identifies one component schema: a named struct type documented
// in one direction.
type compKey struct {
	t reflect.Type
	m mode
}

// generator turns Go types into JSON schemas. Named struct types become
// component schemas referenced with $ref; everything else is inline. The
// generator only records bodies and references: the names come from the
// name function, so the same code serves the first pass, which discovers
// the types, and the second, which writes the final names.
type generator struct {
	name   func(reflect.Type, mode) string
	bodies map[compKey]*openapi3.Schema
	order  []compKey
	edges  map[compKey][]compKey
	stack  []compKey
}

func newGenerator(name func(reflect.Type, mode) string) *generator {
	return &generator{
		name:   name,
		bodies: map[compKey]*openapi3.Schema{},
		edges:  map[compKey][]compKey{},
	}
}

// typeError is a problem with a type, found at a place described by where.
func typeError(sentinel error, where string, t reflect.Type, format string, args ...any) error {
	return fmt.Errorf("%w: %s (%s): %s", sentinel, where, t, fmt.Sprintf(format, args...))
}

// root returns the schema of a request body or a result of type t. Pointers
// at the top are followed without making the schema nullable: a handler
// that succeeds writes the value.
func (g *generator) root(t reflect.Type, m mode) (*openapi3.SchemaRef, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return g.schemaFor(t, m, t.String())
}

// valueSchema returns the schema of a value of type t, nullable when t is
// a pointer.
func (g *generator) valueSchema(t reflect.Type, m mode, where string) (*openapi3.SchemaRef, error) {
	ptr := false
	for t.Kind() == reflect.Pointer {
		t, ptr = t.Elem(), true
	}
	ref, err := g.schemaFor(t, m, where)
	if err != nil || !ptr {
		return ref, err
	}
	return nullable(ref), nil
}

// nullable marks ref as accepting null. A $ref cannot carry siblings in
// OpenAPI 3.0, so a reference is wrapped in allOf.
func nullable(ref *openapi3.SchemaRef) *openapi3.SchemaRef {
	if ref.Ref == "" {
		ref.Value.Nullable = true
		return ref
	}
	return openapi3.NewSchemaRef("", &openapi3.Schema{
		Type:     &openapi3.Types{openapi3.TypeObject},
		Nullable: true,
		AllOf:    openapi3.SchemaRefs{ref},
	})
}

func inline(s *openapi3.Schema) *openapi3.SchemaRef { return openapi3.NewSchemaRef("", s) }

func typed(typ, format string) *openapi3.Schema {
	return &openapi3.Schema{Type: &openapi3.Types{typ}, Format: format}
}

// implements reports whether t or *t implements one of the interfaces.
func implements(t reflect.Type, ifaces ...reflect.Type) bool {
	for _, i := range ifaces {
		if t.Implements(i) || reflect.PointerTo(t).Implements(i) {
			return true
		}
	}
	return false
}

// schemaFor returns the schema of a non-pointer type t.
func (g *generator) schemaFor(t reflect.Type, m mode, where string) (*openapi3.SchemaRef, error) {
	switch {
	case t == timeType:
		return inline(typed(openapi3.TypeString, "date-time")), nil
	case implements(t, setSchemarType):
		s := &openapi3.Schema{}
		reflect.New(t).Interface().(openapi3gen.SetSchemar).SetSchema(s)
		return inline(s), nil
	case t == rawMessageType:
		return inline(&openapi3.Schema{}), nil
	case implements(t, jsonMarshalerType, jsonUnmarshalerType):
		// The type writes its own JSON, whose shape reflection cannot see.
		return inline(&openapi3.Schema{}), nil
	case implements(t, textMarshalerType, textUnmarshalerType):
		return inline(typed(openapi3.TypeString, "")), nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return inline(typed(openapi3.TypeBoolean, "")), nil
	case reflect.Int, reflect.Int64:
		return inline(typed(openapi3.TypeInteger, "int64")), nil
	case reflect.Int32:
		return inline(typed(openapi3.TypeInteger, "int32")), nil
	case reflect.Int8:
		return inline(rangeSchema(math.MinInt8, math.MaxInt8)), nil
	case reflect.Int16:
		return inline(rangeSchema(math.MinInt16, math.MaxInt16)), nil
	case reflect.Uint8:
		return inline(rangeSchema(0, math.MaxUint8)), nil
	case reflect.Uint16:
		return inline(rangeSchema(0, math.MaxUint16)), nil
	case reflect.Uint32:
		return inline(rangeSchema(0, math.MaxUint32)), nil
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		s := typed(openapi3.TypeInteger, "")
		s.Min = ptrTo(0.0)
		return inline(s), nil
	case reflect.Float32:
		return inline(typed(openapi3.TypeNumber, "float")), nil
	case reflect.Float64:
		return inline(typed(openapi3.TypeNumber, "double")), nil
	case reflect.String:
		return inline(typed(openapi3.TypeString, "")), nil
	case reflect.Interface:
		return inline(&openapi3.Schema{}), nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !implements(t.Elem(), jsonMarshalerType, textMarshalerType) {
			return inline(typed(openapi3.TypeString, "byte")), nil
		}
		return g.arraySchema(t, m, where)
	case reflect.Array:
		ref, err := g.arraySchema(t, m, where)
		if err != nil {
			return nil, err
		}
		n := uint64(t.Len())
		ref.Value.MinItems, ref.Value.MaxItems = n, &n
		return ref, nil
	case reflect.Map:
		k := t.Key()
		switch {
		case k.Kind() == reflect.String, k.Kind() >= reflect.Int && k.Kind() <= reflect.Uintptr,
			implements(k, textMarshalerType):
		default:
			return nil, typeError(ErrUnsupportedType, where, t, "encoding/json cannot use %s as a map key", k)
		}
		items, err := g.valueSchema(t.Elem(), m, where+"[]")
		if err != nil {
			return nil, err
		}
		s := typed(openapi3.TypeObject, "")
		s.AdditionalProperties = openapi3.AdditionalProperties{Schema: items}
		return inline(s), nil
	case reflect.Struct:
		if t.Name() == "" {
			s, err := g.structSchema(t, m, where)
			return inline(s), err
		}
		return g.component(t, m, where)
	default:
		return nil, typeError(ErrUnsupportedType, where, t, "encoding/json cannot carry a %s", t.Kind())
	}
}

func rangeSchema(lo, hi float64) *openapi3.Schema {
	s := typed(openapi3.TypeInteger, "")
	s.Min, s.Max = &lo, &hi
	return s
}

func (g *generator) arraySchema(t reflect.Type, m mode, where string) (*openapi3.SchemaRef, error) {
	items, err := g.valueSchema(t.Elem(), m, where+"[]")
	if err != nil {
		return nil, err
	}
	s := typed(openapi3.TypeArray, "")
	s.Items = items
	return inline(s), nil
}

// component returns a reference to the component schema of the named
// struct type t, generating the body on first use. The body is registered
// before its fields are generated, so recursive types end in a reference.
func (g *generator) component(t reflect.Type, m mode, where string) (*openapi3.SchemaRef, error) {
	key := compKey{t, m}
	if len(g.stack) > 0 {
		from := g.stack[len(g.stack)-1]
		g.edges[from] = append(g.edges[from], key)
	}
	body, ok := g.bodies[key]
	if !ok {
		body = &openapi3.Schema{}
		g.bodies[key] = body
		g.order = append(g.order, key)
		g.stack = append(g.stack, key)
		s, err := g.structSchema(t, m, t.String())
		g.stack = g.stack[:len(g.stack)-1]
		if err != nil {
			return nil, err
		}
		*body = *s
	}
	return openapi3.NewSchemaRef("#/components/schemas/"+g.name(t, m), body), nil
}

// structSchema returns the object schema of struct type t in mode m.
func (g *generator) structSchema(t reflect.Type, m mode, where string) (*openapi3.Schema, error) {
	s := typed(openapi3.TypeObject, "")
	for _, f := range jsonFields(t, m) {
		ref, required, err := g.fieldSchema(f, m, where+"."+f.goPath)
		if err != nil {
			return nil, err
		}
		if s.Properties == nil {
			s.Properties = openapi3.Schemas{}
		}
		s.Properties[f.name] = ref
		if required {
			s.Required = append(s.Required, f.name)
		}
	}
	return s, nil
}

// fieldSchema returns the schema of one JSON property and whether the
// property is required in mode m.
func (g *generator) fieldSchema(f jsonField, m mode, where string) (*openapi3.SchemaRef, bool, error) {
	tags, err := parseFieldTags(f.tag, nil)
	if err != nil {
		return nil, false, typeError(ErrInvalidTag, where, f.typ, "%v", err)
	}
	t, ptr := f.typ, false
	for t.Kind() == reflect.Pointer {
		t, ptr = t.Elem(), true
	}
	ref, err := g.schemaFor(t, m, where)
	if err != nil {
		return nil, false, err
	}
	if f.asString && ref.Ref == "" {
		switch schemaType(ref.Value) {
		case openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean:
			ref = inline(typed(openapi3.TypeString, ""))
		}
	}
	required := tags.rules.required || m == modeResponse && !ptr && !f.omitEmpty
	isNullable := ptr && !(m == modeRequest && tags.rules.required)
	ref, err = decorate(ref, tags, isNullable)
	if err != nil {
		return nil, false, typeError(ErrInvalidTag, where, f.typ, "%v", err)
	}
	return ref, required, nil
}

// decorate applies a field's tags to its schema. A reference is wrapped in
// allOf when something must sit beside it, since OpenAPI 3.0 ignores the
// siblings of $ref.
func decorate(ref *openapi3.SchemaRef, tags fieldTags, isNullable bool) (*openapi3.SchemaRef, error) {
	if ref.Ref != "" {
		if !isNullable && tags.doc == "" && !tags.hasExample && !tags.hasDefault {
			return ref, nil
		}
		if isNullable {
			ref = nullable(ref)
		} else {
			ref = inline(&openapi3.Schema{AllOf: openapi3.SchemaRefs{ref}})
		}
		return ref, annotate(ref.Value, tags, ref.Value.AllOf[0].Value)
	}
	s := ref.Value
	s.Nullable = s.Nullable || isNullable
	if err := applyRules(s, tags.rules); err != nil {
		return nil, err
	}
	if tags.format != "" {
		s.Format = tags.format
	}
	return ref, annotate(s, tags, s)
}

// annotate sets the description, example and default of s, parsing the
// values as the type of valueSchema.
func annotate(s *openapi3.Schema, tags fieldTags, valueSchema *openapi3.Schema) error {
	if tags.doc != "" {
		s.Description = tags.doc
	}
	if tags.hasExample {
		v, err := parseValue(valueSchema, tags.example)
		if err != nil {
			return fmt.Errorf("example: %w", err)
		}
		s.Example = v
	}
	if tags.hasDefault {
		v, err := parseValue(valueSchema, tags.def)
		if err != nil {
			return fmt.Errorf("default: %w", err)
		}
		s.Default = v
	}
	return nil
}
