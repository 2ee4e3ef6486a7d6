package oas

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// boundField is a struct field that gin binds from the path, the query or
// form, a header or a cookie.
type boundField struct {
	source string // the tag that binds it: uri, form, header or cookie
	name   string // the name in that tag
	opts   []string
	typ    reflect.Type
	tag    reflect.StructTag
	where  string // Type.Field, for messages
}

// ignoredHeaders are header parameters that OpenAPI 3.0 says to ignore:
// Authorization belongs to securitySchemes, and Swagger UI drops a header
// parameter of that name (swagger-ui #7486); Accept and Content-Type belong
// to the media types.
var ignoredHeaders = []string{"Authorization", "Accept", "Content-Type"}

// boundFields lists the fields of struct type t that carry a uri, form,
// header or cookie tag, in declaration order. Like gin's form binding it
// looks inside embedded structs and untagged struct fields.
func boundFields(t reflect.Type) []boundField {
	var out []boundField
	collectBoundFields(t, t.String(), map[reflect.Type]bool{}, &out)
	return out
}

func collectBoundFields(t reflect.Type, prefix string, visiting map[reflect.Type]bool, out *[]boundField) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() && !sf.Anonymous {
			continue
		}
		where := prefix + "." + sf.Name
		found := false
		for _, src := range locationTags {
			v, ok := sf.Tag.Lookup(src)
			if !ok || v == "-" {
				continue
			}
			found = true
			name, opts, _ := strings.Cut(v, ",")
			if name == "" {
				name = sf.Name
			}
			var optList []string
			if opts != "" {
				optList = strings.Split(opts, ",")
			}
			*out = append(*out, boundField{
				source: src, name: name, opts: optList, typ: sf.Type, tag: sf.Tag, where: where,
			})
		}
		if found {
			continue
		}
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if _, hasJSON := sf.Tag.Lookup("json"); !hasJSON && ft.Kind() == reflect.Struct && !isScalar(ft) {
			collectBoundFields(ft, where, visiting, out)
		}
	}
}

// hasJSONField reports whether struct type t has a field with a json tag,
// which makes it contribute to the JSON request body.
func hasJSONField(t reflect.Type) bool {
	for _, f := range jsonFields(t, modeRequest) {
		if f.tagged {
			return true
		}
		if _, ok := f.tag.Lookup("json"); ok {
			return true
		}
	}
	return false
}

// isScalar reports whether gin binds t from a single string: booleans,
// numbers, strings, times and text unmarshalers.
func isScalar(t reflect.Type) bool {
	if t == timeType || implements(t, textUnmarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64:
		return true
	}
	return t.Kind() >= reflect.Int && t.Kind() <= reflect.Uintptr
}

// paramSchema returns the schema of a bound field, with its binding rules
// and default applied. The description and example are left to the caller,
// which puts them on the parameter or on the form property.
func paramSchema(f boundField, tags fieldTags) (*openapi3.Schema, error) {
	t := f.typ
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	elem := t
	list := (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !isScalar(t)
	if list {
		elem = t.Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
	}
	if !isScalar(elem) {
		return nil, typeError(ErrUnsupportedType, f.where, f.typ,
			"a %s %q must be a string, number, boolean, time or a slice of them", sourceNoun(f.source), f.name)
	}
	s := scalarSchema(elem, f.tag)
	if list {
		s = &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: inline(s)}
	}
	if err := applyRules(s, tags.rules); err != nil {
		return nil, typeError(ErrInvalidTag, f.where, f.typ, "%v", err)
	}
	if tags.format != "" {
		s.Format = tags.format
	}
	if tags.hasDefault {
		v, err := parseValue(s, tags.def)
		if err != nil {
			return nil, typeError(ErrInvalidTag, f.where, f.typ, "default: %v", err)
		}
		s.Default = v
	}
	return s, nil
}

// scalarSchema returns the schema of a scalar type bound from text. Times
// follow gin's time_format tag.
func scalarSchema(t reflect.Type, tag reflect.StructTag) *openapi3.Schema {
	if t == timeType {
		switch tf := tag.Get("time_format"); tf {
		case "unix", "unixmilli", "unixmicro", "unixnano":
			return typed(openapi3.TypeInteger, "int64")
		case "2006-01-02", "2006-01-02Z07:00":
			return typed(openapi3.TypeString, "date")
		case "", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00":
			return typed(openapi3.TypeString, "date-time")
		default:
			return typed(openapi3.TypeString, "")
		}
	}
	if implements(t, textUnmarshalerType) {
		return typed(openapi3.TypeString, "")
	}
	// Scalars never become components, so no names are needed.
	ref, _ := newGenerator(nil).schemaFor(t, modeRequest, "")
	return ref.Value
}

func sourceNoun(source string) string {
	switch source {
	case "uri":
		return "path parameter"
	case "form":
		return "query or form field"
	default:
		return source
	}
}

// inputs is what the input types of one operation document outside the
// JSON body.
type inputs struct {
	params   openapi3.Parameters
	form     *openapi3.Schema // the form-urlencoded body, nil when none
	jsonBody []reflect.Type   // the types that contribute JSON properties
}

// readInputs reads the input struct types of an operation. pathParams are
// the parameter names of the route, in order; formBody says whether form
// fields travel in the request body.
func readInputs(types []reflect.Type, pathParams []string, formBody bool) (inputs, error) {
	var in inputs
	byPath := map[string]*openapi3.Parameter{}
	for _, name := range pathParams {
		p := openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())
		byPath[name] = p
	}
	var others []*openapi3.Parameter
	seen := map[string]*openapi3.Parameter{}
	fromInput := map[string]bool{}
	for i, t := range types {
		if t == nil {
			return in, fmt.Errorf("%w: input %d is nil", ErrUnsupportedType, i)
		}
		st := t
		for st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() != reflect.Struct {
			return in, fmt.Errorf("%w: input %s is a %s, not a struct", ErrUnsupportedType, t, st.Kind())
		}
		for _, f := range boundFields(st) {
			tags, err := parseFieldTags(f.tag, f.opts)
			if err != nil {
				return in, typeError(ErrInvalidTag, f.where, f.typ, "%v", err)
			}
			s, err := paramSchema(f, tags)
			if err != nil {
				return in, err
			}
			switch {
			case f.source == "uri":
				p, ok := byPath[f.name]
				if !ok {
					return in, typeError(ErrInvalidTag, f.where, f.typ,
						"uri:%q names no parameter of the path (it has %s)", f.name, listOrNone(pathParams))
				}
				if !fromInput[f.name] {
					fromInput[f.name] = true
					if err := setParam(p, s, tags); err != nil {
						return in, typeError(ErrInvalidTag, f.where, f.typ, "%v", err)
					}
				}
			case f.source == "form" && formBody:
				if in.form == nil {
					in.form = typed(openapi3.TypeObject, "")
					in.form.Properties = openapi3.Schemas{}
				}
				if _, dup := in.form.Properties[f.name]; dup {
					continue
				}
				if err := annotate(s, fieldTags{doc: tags.doc, example: tags.example, hasExample: tags.hasExample}, s); err != nil {
					return in, typeError(ErrInvalidTag, f.where, f.typ, "%v", err)
				}
				in.form.Properties[f.name] = inline(s)
				if tags.rules.required {
					in.form.Required = append(in.form.Required, f.name)
				}
			default:
				loc := map[string]string{"form": openapi3.ParameterInQuery, "header": openapi3.ParameterInHeader,
					"cookie": openapi3.ParameterInCookie}[f.source]
				if loc == openapi3.ParameterInHeader && slices.ContainsFunc(ignoredHeaders, func(h string) bool {
					return strings.EqualFold(h, f.name)
				}) {
					continue
				}
				key := loc + " " + f.name
				if loc == openapi3.ParameterInHeader {
					key = loc + " " + http.CanonicalHeaderKey(f.name)
				}
				if p, dup := seen[key]; dup {
					p.Required = p.Required || tags.rules.required
					continue
				}
				p := &openapi3.Parameter{Name: f.name, In: loc, Required: tags.rules.required}
				if err := setParam(p, s, tags); err != nil {
					return in, typeError(ErrInvalidTag, f.where, f.typ, "%v", err)
				}
				seen[key] = p
				others = append(others, p)
			}
		}
		if hasJSONField(st) {
			in.jsonBody = append(in.jsonBody, t)
		}
	}
	for _, name := range pathParams {
		in.params = append(in.params, &openapi3.ParameterRef{Value: byPath[name]})
	}
	for _, p := range others {
		in.params = append(in.params, &openapi3.ParameterRef{Value: p})
	}
	return in, nil
}

// setParam gives p its schema, description and example.
func setParam(p *openapi3.Parameter, s *openapi3.Schema, tags fieldTags) error {
	p.Schema = inline(s)
	p.Description = tags.doc
	if tags.hasExample {
		v, err := parseValue(s, tags.example)
		if err != nil {
			return fmt.Errorf("example: %w", err)
		}
		p.Example = v
	}
	return nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return ":" + strings.Join(names, ", :")
}
