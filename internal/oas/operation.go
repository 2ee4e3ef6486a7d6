package oas

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operation is one route as the framework compiled it: plain data from
// which the builder writes an OpenAPI operation.
type Operation struct {
	// Method is the HTTP method, such as "GET". Case does not matter.
	Method string
	// Path is the gin route, such as /users/:id/items/*rest. It becomes the
	// OpenAPI path /users/{id}/items/{rest}.
	Path string
	// OperationID identifies the operation. When empty it is derived from
	// the method and path: GET /users/me/items gives get_users_me_items.
	OperationID string
	// Summary is a one-line title. When empty it is derived from the
	// operationId: readMyItems gives "Read my items".
	Summary string
	// Description is longer CommonMark text.
	Description string
	// Tags group operations in the UI.
	Tags []string
	// Deprecated marks the operation as deprecated.
	Deprecated bool
	// Inputs are the request input struct types of the handler. Their
	// fields are read by tag: `uri` (path), `form` (query, or form body when
	// FormBody is set on POST, PUT and PATCH), `header`, `cookie` and `json`
	// (JSON body). See the package documentation for the other tags.
	Inputs []reflect.Type
	// FormBody sends form fields in an application/x-www-form-urlencoded
	// body, as OAuth2 token requests do.
	FormBody bool
	// Result is the type written as JSON on success; nil means no body.
	Result reflect.Type
	// Status is the success status. Zero means 200, or 204 without Result.
	Status int
	// Security lists the alternative requirements (OR); each maps scheme
	// names to scopes, all of which apply together (AND). An empty map
	// allows anonymous access. Nil or empty makes the operation public,
	// written as `security: []`.
	Security []map[string][]string
	// Problems are the error statuses to document as problem+json bodies.
	Problems []int
	// HTML documents that the operation answers browsers with HTML pages:
	// the success response and every problem also list text/html.
	HTML bool
}

// openAPIMethods are the operations a Path Item Object can hold in 3.0.
var openAPIMethods = []string{
	http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace,
}

// route is an Operation after AddOperation checked and normalised it.
type route struct {
	Operation
	oasPath    string
	pathParams []string
}

func (r *route) String() string { return r.Method + " " + r.Path }

// formBody reports whether form fields travel in the request body.
func (r *route) formBody() bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return r.FormBody
	}
	return false
}

// opError puts the route in front of an error's text while keeping the
// sentinel it wraps: "oas: GET /users/:id: unsupported type: ...".
type opError struct {
	route string
	err   error
}

func (e *opError) Error() string {
	msg := e.err.Error()
	if rest, ok := strings.CutPrefix(msg, "oas: "); ok {
		return "oas: " + e.route + ": " + rest
	}
	return "oas: " + e.route + ": " + msg
}

func (e *opError) Unwrap() error { return e.err }

// convertPath turns a gin path into an OpenAPI path and lists its
// parameters. Gin's :name and *name become {name}.
func convertPath(p string) (string, []string, error) {
	if !strings.HasPrefix(p, "/") {
		return "", nil, fmt.Errorf("%w: path %q must start with /", ErrInvalidOperation, p)
	}
	if strings.ContainsAny(p, "{}") {
		return "", nil, fmt.Errorf("%w: path %q has a brace, which OpenAPI reserves for parameters", ErrInvalidOperation, p)
	}
	var b strings.Builder
	var params []string
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != ':' && c != '*' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(p[i:], '/')
		if end < 0 {
			end = len(p) - i
		}
		name := p[i+1 : i+end]
		switch {
		case name == "" || strings.ContainsAny(name, ":*"):
			return "", nil, fmt.Errorf("%w: path %q has a parameter without a valid name", ErrInvalidOperation, p)
		case c == '*' && i+end != len(p):
			return "", nil, fmt.Errorf("%w: path %q has a catch-all parameter before its end", ErrInvalidOperation, p)
		case slices.Contains(params, name):
			return "", nil, fmt.Errorf("%w: path %q names parameter %q twice", ErrInvalidOperation, p, name)
		}
		params = append(params, name)
		b.WriteString("{" + name + "}")
		i += end - 1
	}
	return b.String(), params, nil
}

// pathTemplate replaces parameter names by "{}", so that paths OpenAPI
// considers identical compare equal.
func pathTemplate(oasPath string) string {
	var b strings.Builder
	skip := false
	for _, c := range oasPath {
		switch {
		case c == '{':
			skip = true
			b.WriteString("{}")
		case c == '}':
			skip = false
		case !skip:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// deriveOperationID builds a stable operationId from the method and path:
// GET /users/:id/items gives get_users_id_items.
func deriveOperationID(method, ginPath string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	under := false
	for _, c := range ginPath {
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			if under {
				b.WriteByte('_')
				under = false
			}
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		under = true
	}
	if b.Len() == len(method) {
		b.WriteString("_root")
	}
	return b.String()
}

// deriveSummary makes a sentence of an operationId: readMyItems and
// read_my_items both give "Read my items".
func deriveSummary(id string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(id)
	for i, c := range runes {
		switch {
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			flush()
		case unicode.IsUpper(c) && len(cur) > 0 &&
			(!unicode.IsUpper(cur[len(cur)-1]) || i+1 < len(runes) && unicode.IsLower(runes[i+1])):
			flush()
			cur = append(cur, c)
		default:
			cur = append(cur, c)
		}
	}
	flush()
	if len(words) == 0 {
		return id
	}
	s := []rune(strings.Join(words, " "))
	s[0] = unicode.ToUpper(s[0])
	return string(s)
}

// normalize checks op and fills in its defaults.
func normalize(op Operation) (*route, error) {
	r := &route{Operation: op}
	r.Method = strings.ToUpper(op.Method)
	if !slices.Contains(openAPIMethods, r.Method) {
		return nil, fmt.Errorf("%w: method %q is not one of %s", ErrInvalidOperation, op.Method,
			strings.Join(openAPIMethods, ", "))
	}
	var err error
	if r.oasPath, r.pathParams, err = convertPath(op.Path); err != nil {
		return nil, err
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
		if r.Result == nil {
			r.Status = http.StatusNoContent
		}
	}
	switch {
	case r.Status < 200 || r.Status > 299:
		return nil, fmt.Errorf("%w: success status %d is not 2xx", ErrInvalidOperation, r.Status)
	case r.Result != nil && (r.Status == http.StatusNoContent || r.Status == http.StatusResetContent):
		return nil, fmt.Errorf("%w: status %d has no body, but the result is %s", ErrInvalidOperation, r.Status, r.Result)
	}
	r.Problems = nil
	for _, p := range op.Problems {
		if p < 400 || p > 599 {
			return nil, fmt.Errorf("%w: problem status %d is not 4xx or 5xx", ErrInvalidOperation, p)
		}
		if !slices.Contains(r.Problems, p) {
			r.Problems = append(r.Problems, p)
		}
	}
	slices.Sort(r.Problems)
	r.Tags = nil
	for _, t := range op.Tags {
		if t == "" {
			return nil, fmt.Errorf("%w: empty tag", ErrInvalidOperation)
		}
		if !slices.Contains(r.Tags, t) {
			r.Tags = append(r.Tags, t)
		}
	}
	if r.OperationID == "" {
		r.OperationID = deriveOperationID(r.Method, op.Path)
	}
	if r.Summary == "" {
		r.Summary = deriveSummary(r.OperationID)
	}
	for _, alt := range op.Security {
		for name := range alt {
			if name == "" {
				return nil, fmt.Errorf("%w: a security requirement names an empty scheme", ErrInvalidOperation)
			}
		}
	}
	r.Inputs = slices.Clone(op.Inputs)
	r.Security = cloneSecurity(op.Security)
	return r, nil
}

func cloneSecurity(in []map[string][]string) []map[string][]string {
	out := make([]map[string][]string, 0, len(in))
	for _, alt := range in {
		m := make(map[string][]string, len(alt))
		for k, v := range alt {
			m[k] = append([]string{}, v...)
		}
		out = append(out, m)
	}
	return out
}

// build writes the OpenAPI operation of r. JSON schemas come from g;
// shared problem schemas are added to schemas.
func build(r *route, g *generator, schemas openapi3.Schemas) (*openapi3.Operation, error) {
	in, err := readInputs(r.Inputs, r.pathParams, r.formBody())
	if err != nil {
		return nil, err
	}
	op := &openapi3.Operation{
		OperationID: r.OperationID,
		Summary:     r.Summary,
		Description: r.Description,
		Tags:        r.Tags,
		Deprecated:  r.Deprecated,
		Parameters:  in.params,
	}

	content := openapi3.Content{}
	if len(in.jsonBody) > 0 {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return nil, fmt.Errorf("%w: %s has json fields, but a %s request has no body in OpenAPI tools",
				ErrInvalidOperation, in.jsonBody[0], r.Method)
		}
		var refs openapi3.SchemaRefs
		for _, t := range in.jsonBody {
			ref, err := g.root(t, modeRequest)
			if err != nil {
				return nil, err
			}
			refs = append(refs, ref)
		}
		body := refs[0]
		if len(refs) > 1 {
			body = inline(&openapi3.Schema{AllOf: refs})
		}
		content["application/json"] = openapi3.NewMediaType().WithSchemaRef(body)
	}
	if in.form != nil {
		content["application/x-www-form-urlencoded"] = openapi3.NewMediaType().WithSchema(in.form)
	}
	if len(content) > 0 {
		op.RequestBody = &openapi3.RequestBodyRef{Value: &openapi3.RequestBody{
			Required: len(in.jsonBody) > 0 || in.form != nil && len(in.form.Required) > 0,
			Content:  content,
		}}
	}

	op.Responses = openapi3.NewResponses()
	success := openapi3.NewResponse().WithDescription(statusDescription(r.Status))
	if r.Result != nil {
		ref, err := g.root(r.Result, modeResponse)
		if err != nil {
			return nil, err
		}
		success.Content = openapi3.NewContentWithJSONSchemaRef(ref)
	}
	if r.HTML {
		if success.Content == nil {
			success.Content = openapi3.Content{}
		}
		success.Content["text/html"] = htmlMedia()
	}
	op.Responses.Set(strconv.Itoa(r.Status), &openapi3.ResponseRef{Value: success})
	for _, p := range r.Problems {
		resp := problemResponse(p, schemas)
		if r.HTML {
			resp.Value.Content["text/html"] = htmlMedia()
		}
		op.Responses.Set(strconv.Itoa(p), resp)
	}

	reqs := openapi3.SecurityRequirements{}
	for _, alt := range r.Security {
		req := openapi3.SecurityRequirement{}
		for name, scopes := range alt {
			req[name] = append([]string{}, scopes...)
		}
		reqs = append(reqs, req)
	}
	op.Security = &reqs
	return op, nil
}

// htmlMedia describes an HTML page.
func htmlMedia() *openapi3.MediaType {
	return openapi3.NewMediaType().WithSchema(typed(openapi3.TypeString, ""))
}
