package oas

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// mode says which direction a JSON schema describes. A type can be
// documented differently as a request body and as a response: see the
// package documentation, section "Required properties".
type mode uint8

const (
	modeResponse mode = iota
	modeRequest
)

func (m mode) String() string {
	if m == modeRequest {
		return "request"
	}
	return "response"
}

// locationTags are the tags that bind a field from somewhere other than the
// JSON body: gin's uri, form and header, and the framework's cookie.
var locationTags = []string{"uri", "form", "header", "cookie"}

// jsonField is one property that encoding/json writes or reads for a struct.
type jsonField struct {
	name      string
	goPath    string // Go field names from the struct down, for messages
	index     []int
	typ       reflect.Type
	tag       reflect.StructTag
	omitEmpty bool // omitempty or omitzero
	asString  bool // the ",string" option
	tagged    bool // the JSON name came from a tag
}

// jsonFields lists the properties of struct type t as encoding/json sees
// them: exported fields, embedded structs promoted, the "-" name skipped,
// and a name claimed by several fields resolved by depth and tags the way
// encoding/json resolves it. In request mode a field that carries a uri,
// form, header or cookie tag but no json tag is not a body property.
func jsonFields(t reflect.Type, m mode) []jsonField {
	var all []jsonField
	collectJSONFields(t, m, nil, "", map[reflect.Type]bool{}, &all)

	byName := map[string][]jsonField{}
	for _, f := range all {
		byName[f.name] = append(byName[f.name], f)
	}
	var out []jsonField
	for _, f := range all {
		if dominant, ok := dominantField(byName[f.name]); ok && slices.Equal(dominant.index, f.index) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

func collectJSONFields(t reflect.Type, m mode, index []int, prefix string, visiting map[reflect.Type]bool, out *[]jsonField) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)

	for i := range t.NumField() {
		sf := t.Field(i)
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous {
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		tag, hasTag := sf.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !validJSONName(name) {
			name = ""
		}
		idx := append(slices.Clone(index), i)
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			collectJSONFields(ft, m, idx, prefix+sf.Name+".", visiting, out)
			continue
		}
		if m == modeRequest && !hasTag && hasLocationTag(sf.Tag) {
			continue
		}
		f := jsonField{
			name:   name,
			goPath: prefix + sf.Name,
			index:  idx,
			typ:    sf.Type,
			tag:    sf.Tag,
			tagged: name != "",
		}
		if f.name == "" {
			f.name = sf.Name
		}
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty", "omitzero":
				f.omitEmpty = true
			case "string":
				f.asString = true
			}
		}
		*out = append(*out, f)
	}
}

// dominantField picks the field that encoding/json keeps among those that
// share a name: the shallowest, and among equally shallow ones the single
// tagged one. ok is false when the name is ambiguous and so dropped.
func dominantField(fs []jsonField) (jsonField, bool) {
	if len(fs) == 1 {
		return fs[0], true
	}
	slices.SortStableFunc(fs, func(a, b jsonField) int {
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return 0
	})
	if len(fs[0].index) < len(fs[1].index) || fs[0].tagged && !fs[1].tagged {
		return fs[0], true
	}
	return jsonField{}, false
}

// validJSONName reports whether encoding/json accepts name from a tag.
func validJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) &&
			!unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// hasLocationTag reports whether tag binds the field from the path, the
// query or form, a header or a cookie.
func hasLocationTag(tag reflect.StructTag) bool {
	for _, k := range locationTags {
		if v, ok := tag.Lookup(k); ok && v != "-" {
			return true
		}
	}
	return false
}
