package oas

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Version is the OpenAPI version of the documents the builder writes.
const Version = "3.0.3"

// Info describes the API in the document's info and servers sections.
type Info struct {
	// Title and Version are required by OpenAPI.
	Title, Version string
	// Description is CommonMark text shown above the operations.
	Description string
	// Servers are the base URLs of the API. None means "/", the server that
	// serves the document.
	Servers []string
	// License is optional; strict linters warn when it is missing.
	License License
}

// License names the license of the API. It is written only when Name is set.
type License struct {
	Name, URL string
}

// Builder collects security schemes, tags and operations, then writes and
// validates an OpenAPI 3.0.3 document. Add everything, then call Document;
// each call builds a new document from what was added so far. A Builder is
// not safe for concurrent use.
type Builder struct {
	info      Info
	tags      []*openapi3.Tag
	schemes   map[string]*openapi3.SecurityScheme
	routes    []*route
	byRoute   map[string]*route // "GET /users/{id}"
	templates map[string]*route // path with unnamed parameters
	ids       map[string]*route // operationId
}

// NewBuilder returns a Builder for an API described by info.
func NewBuilder(info Info) *Builder {
	info.Servers = slices.Clone(info.Servers)
	return &Builder{
		info:      info,
		schemes:   map[string]*openapi3.SecurityScheme{},
		byRoute:   map[string]*route{},
		templates: map[string]*route{},
		ids:       map[string]*route{},
	}
}

// AddTag declares a tag at the top level of the document, in the order of
// the calls. Adding a tag again keeps its place and replaces its
// description when the new one is not empty. Tags that operations use
// without being added are declared after these, without a description.
func (b *Builder) AddTag(name, description string) {
	for _, t := range b.tags {
		if t.Name == name {
			if description != "" {
				t.Description = description
			}
			return
		}
	}
	b.tags = append(b.tags, &openapi3.Tag{Name: name, Description: description})
}

// AddScheme adds a security scheme under name. Adding the same definition
// again is a no-op; a different definition under a name already taken is
// an error that describes both, since one would silently replace the other.
// The document lists only the schemes that some operation requires: an
// unused one would document nothing, and linters flag it.
func (b *Builder) AddScheme(name string, s *openapi3.SecurityScheme) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("%w: name %q must match %s", ErrInvalidScheme, name, validName)
	}
	if s == nil {
		return fmt.Errorf("%w: %q has no definition", ErrInvalidScheme, name)
	}
	if err := s.Validate(context.Background()); err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidScheme, name, err)
	}
	clone, err := cloneScheme(s)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrInvalidScheme, name, err)
	}
	if old, ok := b.schemes[name]; ok {
		if sameScheme(old, clone) {
			return nil
		}
		first, then := describeScheme(old), describeScheme(clone)
		if first == then {
			then += " with a different description or scope list"
		}
		return fmt.Errorf("%w: %q is added twice, first as %s, then as %s; give each scheme its own name",
			ErrConflictingScheme, name, first, then)
	}
	b.schemes[name] = clone
	return nil
}

func cloneScheme(s *openapi3.SecurityScheme) (*openapi3.SecurityScheme, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out openapi3.SecurityScheme
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func sameScheme(a, b *openapi3.SecurityScheme) bool {
	x, errX := json.Marshal(a)
	y, errY := json.Marshal(b)
	return errX == nil && errY == nil && string(x) == string(y)
}

// describeScheme says what a scheme is in a few words, for messages.
func describeScheme(s *openapi3.SecurityScheme) string {
	switch s.Type {
	case "apiKey":
		return fmt.Sprintf("apiKey in %s %q", s.In, s.Name)
	case "http":
		d := "http " + s.Scheme
		if s.BearerFormat != "" {
			d += " (" + s.BearerFormat + ")"
		}
		return d
	case "openIdConnect":
		return fmt.Sprintf("openIdConnect at %q", s.OpenIdConnectUrl)
	case "oauth2":
		var flows []string
		if f := s.Flows; f != nil {
			if f.Password != nil {
				flows = append(flows, fmt.Sprintf("password (tokenUrl %q)", f.Password.TokenURL))
			}
			if f.ClientCredentials != nil {
				flows = append(flows, fmt.Sprintf("clientCredentials (tokenUrl %q)", f.ClientCredentials.TokenURL))
			}
			if f.AuthorizationCode != nil {
				flows = append(flows, fmt.Sprintf("authorizationCode (authorizationUrl %q)", f.AuthorizationCode.AuthorizationURL))
			}
			if f.Implicit != nil {
				flows = append(flows, fmt.Sprintf("implicit (authorizationUrl %q)", f.Implicit.AuthorizationURL))
			}
		}
		return "oauth2 with flows " + strings.Join(flows, ", ")
	default:
		return fmt.Sprintf("%q", s.Type)
	}
}

// AddOperation adds one route. It checks everything it can at once: the
// method and path, a duplicate method and path, paths that differ only in
// parameter names, a taken operationId, and every input, body and result
// type with its tags. Errors name the route, the type and the field.
// Security requirements are checked by Document, once every scheme is in.
func (b *Builder) AddOperation(op Operation) error {
	where := strings.ToUpper(op.Method) + " " + op.Path
	r, err := normalize(op)
	if err != nil {
		return &opError{route: where, err: err}
	}
	key := r.Method + " " + r.oasPath
	if old, ok := b.byRoute[key]; ok {
		return &opError{route: where, err: fmt.Errorf("%w: %s is already documented (as %s)",
			ErrDuplicateOperation, key, old)}
	}
	if old, ok := b.templates[pathTemplate(r.oasPath)]; ok && old.oasPath != r.oasPath {
		return &opError{route: where, err: fmt.Errorf(
			"%w: %s and %s differ only in parameter names; use the same names in both routes",
			ErrConflictingPath, r.oasPath, old.oasPath)}
	}
	if old, ok := b.ids[r.OperationID]; ok {
		return &opError{route: where, err: fmt.Errorf("%w: %q is already used by %s",
			ErrDuplicateOperationID, r.OperationID, old)}
	}
	// Build once with throwaway names to find every type and tag error now.
	if _, err := build(r, newGenerator(func(reflect.Type, mode) string { return "T" }), openapi3.Schemas{}); err != nil {
		return &opError{route: where, err: err}
	}
	b.routes = append(b.routes, r)
	b.byRoute[key] = r
	b.templates[pathTemplate(r.oasPath)] = r
	b.ids[r.OperationID] = r
	return nil
}

// Document builds the document from everything added, and validates it
// with kin-openapi. A validation failure is returned wrapped in
// ErrInvalidDocument, together with kin-openapi's error.
func (b *Builder) Document() (*openapi3.T, error) {
	if err := b.checkSecurity(); err != nil {
		return nil, err
	}
	names, err := b.schemaNames()
	if err != nil {
		return nil, err
	}
	g := newGenerator(names)
	schemas := openapi3.Schemas{}
	doc := &openapi3.T{
		OpenAPI: Version,
		Info: &openapi3.Info{
			Title:       b.info.Title,
			Version:     b.info.Version,
			Description: b.info.Description,
		},
		Paths:      openapi3.NewPaths(),
		Components: &openapi3.Components{Schemas: schemas, SecuritySchemes: openapi3.SecuritySchemes{}},
	}
	if b.info.License.Name != "" {
		doc.Info.License = &openapi3.License{Name: b.info.License.Name, URL: b.info.License.URL}
	}
	servers := b.info.Servers
	if len(servers) == 0 {
		servers = []string{"/"}
	}
	for _, s := range servers {
		doc.Servers = append(doc.Servers, &openapi3.Server{URL: s})
	}
	tags := make([]*openapi3.Tag, 0, len(b.tags))
	for _, t := range b.tags {
		tags = append(tags, &openapi3.Tag{Name: t.Name, Description: t.Description})
	}
	for _, r := range b.routes {
		op, err := build(r, g, schemas)
		if err != nil {
			return nil, &opError{route: r.String(), err: err}
		}
		doc.AddOperation(r.oasPath, r.Method, op)
		for _, t := range r.Tags {
			if !slices.ContainsFunc(tags, func(x *openapi3.Tag) bool { return x.Name == t }) {
				tags = append(tags, &openapi3.Tag{Name: t})
			}
		}
	}
	doc.Tags = tags
	for k, body := range g.bodies {
		schemas[names(k.t, k.m)] = inline(body)
	}
	for _, r := range b.routes {
		for _, alt := range r.Security {
			for name := range alt {
				doc.Components.SecuritySchemes[name] = &openapi3.SecuritySchemeRef{Value: b.schemes[name]}
			}
		}
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	return doc, nil
}

// checkSecurity checks that every requirement names an added scheme, that
// OAuth2 scopes are declared by the scheme's flows, and that other kinds
// of scheme get no scopes, as OpenAPI 3.0 requires.
func (b *Builder) checkSecurity() error {
	for _, r := range b.routes {
		for _, alt := range r.Security {
			for _, name := range slices.Sorted(maps.Keys(alt)) {
				s, ok := b.schemes[name]
				if !ok {
					return &opError{route: r.String(), err: fmt.Errorf("%w: %q was never added (added: %s)",
						ErrUnknownScheme, name, strings.Join(slices.Sorted(maps.Keys(b.schemes)), ", "))}
				}
				for _, scope := range alt[name] {
					switch {
					case s.Type == "openIdConnect":
					case s.Type != "oauth2":
						return &opError{route: r.String(), err: fmt.Errorf(
							"%w: scheme %q is %s, and OpenAPI 3.0 allows scopes only for oauth2 and openIdConnect (got %q)",
							ErrInvalidOperation, name, describeScheme(s), scope)}
					case !declaresScope(s, scope):
						return &opError{route: r.String(), err: fmt.Errorf(
							"%w: scope %q is not declared by any flow of oauth2 scheme %q",
							ErrUnknownScheme, scope, name)}
					}
				}
			}
		}
	}
	return nil
}

func declaresScope(s *openapi3.SecurityScheme, scope string) bool {
	if s.Flows == nil {
		return false
	}
	for _, f := range []*openapi3.OAuthFlow{s.Flows.Password, s.Flows.ClientCredentials,
		s.Flows.AuthorizationCode, s.Flows.Implicit} {
		if f != nil {
			if _, ok := f.Scopes[scope]; ok {
				return true
			}
		}
	}
	return false
}

// schemaNames decides the component name of every type the operations
// use, in each direction. A first pass with provisional names finds the
// types, which of them serve both as request and as response, and whether
// their two schemas differ; see the package documentation.
func (b *Builder) schemaNames() (func(reflect.Type, mode) string, error) {
	provisional := map[reflect.Type]string{}
	g := newGenerator(func(t reflect.Type, _ mode) string {
		n, ok := provisional[t]
		if !ok {
			n = fmt.Sprintf("T%d", len(provisional))
			provisional[t] = n
		}
		return n
	})
	for _, r := range b.routes {
		if _, err := build(r, g, openapi3.Schemas{}); err != nil {
			return nil, &opError{route: r.String(), err: err}
		}
	}
	var types []reflect.Type
	used := map[reflect.Type]*[2]bool{}
	for _, k := range g.order {
		if used[k.t] == nil {
			used[k.t] = &[2]bool{}
			types = append(types, k.t)
		}
		used[k.t][k.m] = true
	}
	both := func(t reflect.Type) bool {
		u := used[t]
		return u != nil && u[modeRequest] && u[modeResponse]
	}
	differs := map[reflect.Type]bool{}
	for _, t := range types {
		if both(t) {
			req, errReq := json.Marshal(g.bodies[compKey{t, modeRequest}])
			resp, errResp := json.Marshal(g.bodies[compKey{t, modeResponse}])
			if errReq != nil || errResp != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrInvalidDocument, t, cmpErr(errReq, errResp))
			}
			differs[t] = string(req) != string(resp)
		}
	}
	// A type whose request schema refers to a split type must split too.
	for changed := true; changed; {
		changed = false
		for _, t := range types {
			if !both(t) || differs[t] {
				continue
			}
			for _, e := range g.edges[compKey{t, modeRequest}] {
				if differs[e.t] {
					differs[t], changed = true, true
					break
				}
			}
		}
	}
	base := componentNames(types, map[string]bool{ProblemSchema: true, ValidationProblemSchema: true})
	return func(t reflect.Type, m mode) string {
		if m == modeRequest && both(t) && differs[t] {
			return base[t] + inputSuffix
		}
		return base[t]
	}, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
