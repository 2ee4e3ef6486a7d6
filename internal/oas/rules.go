package oas

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// fieldTags is what the documentation tags of one struct field say.
type fieldTags struct {
	rules      ruleSet
	doc        string // `doc:"..."`: the description
	format     string // `format:"..."`: overrides a format implied by the rules
	example    string // `example:"..."`
	hasExample bool
	def        string // `default:"..."`, or gin's `form:"name,default=..."`
	hasDefault bool
}

// ruleSet is the part of a gin `binding` tag that OpenAPI can express.
// Rules after `dive` apply to the elements of a slice, array or map.
type ruleSet struct {
	required bool
	oneof    []string
	bounds   []bound
	format   string
	items    *ruleSet
}

// bound is one size rule: min, max, len, gt or lt (gte and lte are min and
// max). Its meaning depends on the schema: a value for numbers, a length for
// strings, a count for arrays and objects.
type bound struct {
	op    string
	value float64
}

// ruleFormats maps validator rules to the OpenAPI formats they imply.
var ruleFormats = map[string]string{
	"email":    "email",
	"url":      "uri",
	"uri":      "uri",
	"http_url": "uri",
	"uuid":     "uuid",
	"uuid4":    "uuid",
	"ipv4":     "ipv4",
	"ipv6":     "ipv6",
	"hostname": "hostname",
}

// parseFieldTags reads the tags of f. formOpts are the options after the
// name in a form tag, where gin accepts `default=...`.
func parseFieldTags(tag reflect.StructTag, formOpts []string) (fieldTags, error) {
	var ft fieldTags
	rs, err := parseBinding(tag.Get("binding"))
	if err != nil {
		return ft, err
	}
	ft.rules = rs
	ft.doc = tag.Get("doc")
	ft.format = tag.Get("format")
	ft.example, ft.hasExample = tag.Lookup("example")
	ft.def, ft.hasDefault = tag.Lookup("default")
	for _, o := range formOpts {
		if v, ok := strings.CutPrefix(o, "default="); ok && !ft.hasDefault {
			ft.def, ft.hasDefault = v, true
		}
	}
	return ft, nil
}

// parseBinding reads a gin (go-playground/validator) rule list. Rules that
// OpenAPI cannot express, and alternatives written with "|", are ignored.
func parseBinding(tag string) (ruleSet, error) {
	var rs ruleSet
	if tag == "" {
		return rs, nil
	}
	parts := strings.Split(tag, ",")
	for i, part := range parts {
		name, param, _ := strings.Cut(part, "=")
		switch {
		case name == "dive":
			items, err := parseBinding(strings.Join(parts[i+1:], ","))
			if err != nil {
				return rs, err
			}
			rs.items = &items
			return rs, nil
		case strings.Contains(part, "|"):
			continue
		case name == "required":
			rs.required = true
		case name == "oneof":
			rs.oneof = splitOneOf(param)
			if len(rs.oneof) == 0 {
				return rs, fmt.Errorf("binding rule %q has no values", part)
			}
		case name == "min" || name == "max" || name == "len" || name == "gt" ||
			name == "gte" || name == "lt" || name == "lte":
			v, err := strconv.ParseFloat(param, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return rs, fmt.Errorf("binding rule %q needs a number", part)
			}
			op := name
			switch name {
			case "gte":
				op = "min"
			case "lte":
				op = "max"
			}
			rs.bounds = append(rs.bounds, bound{op: op, value: v})
		default:
			if f, ok := ruleFormats[name]; ok {
				rs.format = f
			}
		}
	}
	return rs, nil
}

// splitOneOf splits the values of a oneof rule: separated by spaces, and
// single-quoted when they contain spaces, as the validator reads them.
func splitOneOf(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if rest, ok := strings.CutPrefix(s, "'"); ok {
			v, after, found := strings.Cut(rest, "'")
			if found {
				out = append(out, v)
				s = after
				continue
			}
		}
		v, after, _ := strings.Cut(s, " ")
		out = append(out, v)
		s = after
	}
	return out
}

// schemaType returns the single type of s, or "" when it has none.
func schemaType(s *openapi3.Schema) string {
	if s == nil || s.Type == nil || len(*s.Type) != 1 {
		return ""
	}
	return (*s.Type)[0]
}

// applyRules writes the constraints of rs into the inline schema s.
func applyRules(s *openapi3.Schema, rs ruleSet) error {
	typ := schemaType(s)
	for _, b := range rs.bounds {
		if err := applyBound(s, typ, b); err != nil {
			return err
		}
	}
	if rs.format != "" && typ == "string" {
		s.Format = rs.format
	}
	if len(rs.oneof) > 0 {
		s.Enum = s.Enum[:0]
		for _, raw := range rs.oneof {
			v, err := parseValue(s, raw)
			if err != nil {
				return fmt.Errorf("oneof value %q: %w", raw, err)
			}
			s.Enum = append(s.Enum, v)
		}
	}
	if rs.items != nil {
		var inner *openapi3.SchemaRef
		switch typ {
		case "array":
			inner = s.Items
		case "object":
			inner = s.AdditionalProperties.Schema
		}
		if inner == nil {
			return fmt.Errorf("binding rule dive needs a slice, array or map, not %s", describeType(s))
		}
		if inner.Ref == "" {
			return applyRules(inner.Value, *rs.items)
		}
	}
	return nil
}

// applyBound writes one size rule according to the schema's type.
func applyBound(s *openapi3.Schema, typ string, b bound) error {
	switch typ {
	case "integer", "number":
		v := b.value
		switch b.op {
		case "min":
			s.Min = &v
		case "max":
			s.Max = &v
		case "len":
			s.Min, s.Max = &v, ptrTo(v)
		case "gt":
			s.Min, s.ExclusiveMin = &v, openapi3.ExclusiveBound{Bool: ptrTo(true)}
		case "lt":
			s.Max, s.ExclusiveMax = &v, openapi3.ExclusiveBound{Bool: ptrTo(true)}
		}
		return nil
	case "string", "array", "object":
		n, err := count(b)
		if err != nil {
			return err
		}
		lo, hi := sizeBounds(s, typ)
		switch b.op {
		case "min":
			*lo = n
		case "gt":
			*lo = n + 1
		case "max":
			*hi = &n
		case "lt":
			if n == 0 {
				return fmt.Errorf("binding rule lt=0 allows nothing")
			}
			*hi = ptrTo(n - 1)
		case "len":
			*lo, *hi = n, ptrTo(n)
		}
		return nil
	default:
		return fmt.Errorf("binding rule %s needs a number, string, slice or map, not %s", b.op, describeType(s))
	}
}

// sizeBounds returns the lower and upper size fields of s for its type.
func sizeBounds(s *openapi3.Schema, typ string) (*uint64, **uint64) {
	switch typ {
	case "string":
		return &s.MinLength, &s.MaxLength
	case "array":
		return &s.MinItems, &s.MaxItems
	default:
		return &s.MinProps, &s.MaxProps
	}
}

// count converts a size rule's value to a length.
func count(b bound) (uint64, error) {
	if b.value < 0 || b.value != math.Trunc(b.value) || b.value > math.MaxInt32 {
		return 0, fmt.Errorf("binding rule %s=%v needs a whole, non-negative size", b.op, b.value)
	}
	return uint64(b.value), nil
}

// parseValue converts the text of an example, default or enum value to the
// JSON value it stands for in schema s. Strings stay as they are; numbers
// and booleans are parsed; arrays take comma-separated items or JSON; other
// schemas take JSON.
func parseValue(s *openapi3.Schema, raw string) (any, error) {
	switch schemaType(s) {
	case "string":
		return raw, nil
	case "integer":
		if v, err := strconv.ParseInt(raw, 10, 64); err == nil {
			return v, nil
		}
		v, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", raw)
		}
		return v, nil
	case "number":
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a number", raw)
		}
		return v, nil
	case "boolean":
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, fmt.Errorf("%q is not a boolean", raw)
		}
		return v, nil
	case "array":
		if !strings.HasPrefix(strings.TrimSpace(raw), "[") && s.Items != nil && s.Items.Ref == "" {
			out := []any{}
			if raw == "" {
				return out, nil
			}
			for _, part := range strings.Split(raw, ",") {
				v, err := parseValue(s.Items.Value, part)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		}
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("%q is not JSON", raw)
	}
	return v, nil
}

// describeType names the type of s for error messages.
func describeType(s *openapi3.Schema) string {
	if t := schemaType(s); t != "" {
		return "type " + t
	}
	return "a schema without a type"
}

func ptrTo[T any](v T) *T { return &v }
