package framework

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"
)

// Input marks a struct as request input. Embed it, and tag each field with
// where its value comes from:
//
//	uri:"id"        a path parameter (":id" in the route)
//	form:"q"        a query parameter; on POST, PUT and PATCH a field of a
//	                form-urlencoded body (the query counts too, as in gin)
//	header:"X-Key"  a request header
//	cookie:"sid"    a cookie
//	json:"name"     a field of the JSON body (untagged fields are JSON too)
//
// After binding, gin's validator checks the `binding` tags; failures answer
// 422 with one entry per field. A type may instead bind itself by
// implementing Binder on its pointer.
type Input struct{}

// Binder is implemented by input types that read the request themselves,
// such as security.OAuth2PasswordRequestForm. A type whose pointer
// implements Binder is request input.
type Binder interface {
	BindRequest(r *http.Request) error
}

var (
	inputType  = reflect.TypeFor[Input]()
	binderType = reflect.TypeFor[Binder]()
)

// isInput reports whether t is request input: a struct embedding Input, or a
// type whose pointer implements Binder.
func isInput(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(binderType) {
		return true
	}
	return embedsInput(t)
}

func embedsInput(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous && f.Type == inputType {
			return true
		}
	}
	return false
}

// inputPlan binds one input type. Everything about the type is worked out
// when the route is registered; a request only walks the field lists.
type inputPlan struct {
	typ     reflect.Type
	binder  bool
	path    []inputField
	form    []inputField
	header  []inputField
	cookie  []inputField
	json    bool
	names   map[string]inputField // Go field name to wire name, for 422 messages
	hasBody bool
}

type inputField struct {
	index    []int
	name     string // wire name
	location string
	kind     reflect.Type
}

func compileInput(t reflect.Type, method string) (*inputPlan, error) {
	p := &inputPlan{typ: t, names: map[string]inputField{}}
	if reflect.PointerTo(t).Implements(binderType) {
		p.binder = true
		p.hasBody = true
		return p, nil
	}
	bodyMethod := method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type == inputType {
			continue
		}
		if !f.IsExported() {
			continue
		}
		add := func(list *[]inputField, tag, loc string) error {
			name := strings.Split(tag, ",")[0]
			if name == "" || name == "-" {
				return nil
			}
			if !settable(f.Type) {
				return fmt.Errorf("field %s (%s) of %s cannot be read from the %s: use a string, number, bool, time.Time or a slice of those",
					f.Name, f.Type, t, loc)
			}
			fld := inputField{index: f.Index, name: name, location: loc, kind: f.Type}
			*list = append(*list, fld)
			p.names[f.Name] = fld
			return nil
		}
		tagged := false
		for _, src := range []struct {
			tag  string
			list *[]inputField
			loc  string
		}{{"uri", &p.path, "path"}, {"form", &p.form, "query"}, {"header", &p.header, "header"}, {"cookie", &p.cookie, "cookie"}} {
			tag, ok := f.Tag.Lookup(src.tag)
			if !ok {
				continue
			}
			tagged = true
			loc := src.loc
			if src.tag == "form" && bodyMethod {
				loc = "form"
				p.hasBody = true
			}
			if src.tag == "header" {
				tag = textproto.CanonicalMIMEHeaderKey(strings.Split(tag, ",")[0])
			}
			if err := add(src.list, tag, loc); err != nil {
				return nil, err
			}
		}
		if !tagged {
			name := f.Name
			if tag, ok := f.Tag.Lookup("json"); ok {
				if n := strings.Split(tag, ",")[0]; n == "-" {
					continue
				} else if n != "" {
					name = n
				}
			}
			p.json = true
			p.hasBody = true
			p.names[f.Name] = inputField{index: f.Index, name: name, location: "body", kind: f.Type}
		}
	}
	if p.json && !bodyMethod {
		return nil, fmt.Errorf("%s has JSON body fields, but %s requests carry no body: tag them uri, form, header or cookie",
			t, method)
	}
	return p, nil
}

var timeType = reflect.TypeFor[time.Time]()

func settable(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Slice && settable(t.Elem())
	}
	return false
}

// bind reads the input from the request into a new value.
func (p *inputPlan) bind(c *gin.Context) (reflect.Value, error) {
	ptr := reflect.New(p.typ)
	if p.binder {
		if err := ptr.Interface().(Binder).BindRequest(c.Request); err != nil {
			return reflect.Value{}, err
		}
		return ptr.Elem(), nil
	}
	v := ptr.Elem()
	var fields []FieldError
	if p.json {
		if err := decodeJSON(c.Request, ptr.Interface()); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return reflect.Value{}, err
			}
			fields = append(fields, FieldError{Location: "body", Field: jsonField(err), Message: err.Error()})
		}
	}
	for i := range p.path {
		f := &p.path[i]
		fields = setField(v, f, []string{c.Param(f.name)}, fields)
	}
	if len(p.form) > 0 {
		var vals map[string][]string
		if p.hasBody {
			if err := c.Request.ParseForm(); err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return reflect.Value{}, err
				}
				return reflect.Value{}, &HTTPError{Status: http.StatusUnprocessableEntity, Detail: "the form body cannot be parsed"}
			}
			vals = c.Request.Form
		} else {
			vals = c.Request.URL.Query()
		}
		for i := range p.form {
			f := &p.form[i]
			if vs, ok := vals[f.name]; ok {
				fields = setField(v, f, vs, fields)
			}
		}
	}
	for i := range p.header {
		f := &p.header[i]
		if vs := c.Request.Header[f.name]; len(vs) > 0 {
			fields = setField(v, f, vs, fields)
		}
	}
	for i := range p.cookie {
		f := &p.cookie[i]
		if ck, err := c.Request.Cookie(f.name); err == nil {
			fields = setField(v, f, []string{ck.Value}, fields)
		}
	}
	if len(fields) > 0 {
		return reflect.Value{}, &HTTPError{Status: http.StatusUnprocessableEntity, Detail: "the request input is invalid", Fields: fields}
	}
	if err := binding.Validator.ValidateStruct(ptr.Interface()); err != nil {
		return reflect.Value{}, p.validationError(err)
	}
	return v, nil
}

func decodeJSON(r *http.Request, dst any) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.Contains(ct, "+json") {
		return fmt.Errorf("the body must be application/json, not %s", ct)
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(dst); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	if dec.More() {
		return errors.New("the body holds more than one JSON value")
	}
	return nil
}

func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field
	}
	return ""
}

func setField(v reflect.Value, f *inputField, vals []string, errs []FieldError) []FieldError {
	dst := v.FieldByIndex(f.index)
	if err := setValue(dst, vals); err != nil {
		errs = append(errs, FieldError{Location: f.location, Field: f.name, Message: err.Error()})
	}
	return errs
}

func setValue(dst reflect.Value, vals []string) error {
	t := dst.Type()
	if t.Kind() == reflect.Slice {
		s := reflect.MakeSlice(t, len(vals), len(vals))
		for i, raw := range vals {
			if err := setScalar(s.Index(i), raw); err != nil {
				return err
			}
		}
		dst.Set(s)
		return nil
	}
	if len(vals) == 0 {
		return nil
	}
	if t.Kind() == reflect.Pointer {
		n := reflect.New(t.Elem())
		if err := setScalar(n.Elem(), vals[0]); err != nil {
			return err
		}
		dst.Set(n)
		return nil
	}
	return setScalar(dst, vals[0])
}

func setScalar(dst reflect.Value, raw string) error {
	if dst.Type() == timeType {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return errors.New("must be an RFC 3339 date-time")
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("must be true or false")
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, dst.Type().Bits())
		if err != nil {
			return fmt.Errorf("must be an integer of at most %d bits", dst.Type().Bits())
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(raw, 10, dst.Type().Bits())
		if err != nil {
			return errors.New("must be a non-negative integer")
		}
		dst.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(raw, dst.Type().Bits())
		if err != nil {
			return errors.New("must be a number")
		}
		dst.SetFloat(n)
	default:
		return fmt.Errorf("unsupported type %s", dst.Type())
	}
	return nil
}

func (p *inputPlan) validationError(err error) error {
	var ve validator.ValidationErrors
	if !errors.As(err, &ve) {
		return &HTTPError{Status: http.StatusUnprocessableEntity, Detail: "the request input is invalid: " + err.Error()}
	}
	out := &HTTPError{Status: http.StatusUnprocessableEntity, Detail: "the request input is invalid"}
	for _, fe := range ve {
		ns := strings.Split(fe.StructNamespace(), ".")
		loc, name := "body", fe.Field()
		if len(ns) > 1 {
			if f, ok := p.names[ns[1]]; ok {
				loc, name = f.location, f.name
				if len(ns) > 2 {
					name += "." + strings.Join(ns[2:], ".")
				}
			}
		}
		out.Fields = append(out.Fields, FieldError{Location: loc, Field: name, Message: validationMessage(fe)})
	}
	return out
}

func validationMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "oneof":
		return "must be one of: " + fe.Param()
	case "min", "gte":
		return "must be at least " + fe.Param()
	case "max", "lte":
		return "must be at most " + fe.Param()
	case "email":
		return "must be an email address"
	}
	if fe.Param() != "" {
		return "fails the " + fe.Tag() + "=" + fe.Param() + " rule"
	}
	return "fails the " + fe.Tag() + " rule"
}
