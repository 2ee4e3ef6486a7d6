package framework

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/portcullis/portcullis/security"
)

// schemeEntry is a registered security scheme, checked and described once.
type schemeEntry struct {
	value    security.Scheme
	regVal   reflect.Value
	typ      reflect.Type
	name     string
	site     string
	spec     *openapi3.SecurityScheme
	optional bool
	scoped   bool  // oauth2 or openIdConnect: requirements carry scopes
	embed    []int // index of the embedded scheme when typ wraps one
	scopes   []string
	// tab is the type word of a security.Scheme holding a typ, set when
	// consumers of typ may take a scheme call (see schemecall.go).
	tab unsafe.Pointer
}

// wrap turns what Authenticate returned into a value of the parameter type.
// For a user type that embeds a scheme, the embedded field is replaced.
func (e *schemeEntry) wrap(got security.Scheme) reflect.Value {
	v := reflect.ValueOf(got)
	if v.Type() == e.typ {
		return v
	}
	out := reflect.New(e.typ).Elem()
	out.Set(e.regVal)
	out.FieldByIndex(e.embed).Set(v)
	return out
}

// registry is everything the contributions registered, checked.
type registry struct {
	providers  map[reflect.Type]*provider
	overrides  map[reflect.Type]*provider
	schemes    map[reflect.Type]*schemeEntry
	schemeList []*schemeEntry
	singletons map[reflect.Type]reflect.Value
	scopeNames map[string]bool
}

func newRegistry(contribs []*contribution) (*registry, error) {
	r := &registry{
		providers:  map[reflect.Type]*provider{},
		overrides:  map[reflect.Type]*provider{},
		schemes:    map[reflect.Type]*schemeEntry{},
		singletons: map[reflect.Type]reflect.Value{},
		scopeNames: map[string]bool{},
	}
	var errs []error
	names := map[string]*schemeEntry{}
	for _, c := range contribs {
		for t, v := range c.singletons {
			r.singletons[t] = v
		}
		for _, p := range c.providers {
			if prev, ok := r.providers[p.out]; ok {
				errs = append(errs, fmt.Errorf("%w: %s is provided twice: by %s and by %s; keep one of them",
					ErrDuplicateProvider, p.out, prev, p))
				continue
			}
			r.providers[p.out] = p
		}
		for _, p := range c.overrides {
			if prev, ok := r.overrides[p.out]; ok {
				errs = append(errs, fmt.Errorf("%w: %s is overridden twice: by %s and by %s; keep one of them",
					ErrDuplicateProvider, p.out, prev, p))
				continue
			}
			r.overrides[p.out] = p
		}
		regs := c.schemes
		for _, sc := range c.schemeCtor {
			reg, err := buildScheme(sc, c.singletons)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			regs = append(regs, reg)
		}
		for _, s := range regs {
			e, err := newSchemeEntry(s)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if prev, ok := r.schemes[e.typ]; ok {
				errs = append(errs, fmt.Errorf("%w: two %s values are registered, at %s and at %s; a handler could not tell them apart: declare a named type per scheme, such as type AdminKey struct{ %s }",
					ErrScheme, e.typ, prev.site, e.site, e.typ))
				continue
			}
			if prev, ok := names[e.name]; ok {
				errs = append(errs, fmt.Errorf("%w: schemes %s (registered at %s) and %s (registered at %s) share the name %q in the OpenAPI document; give one a distinct SchemeID",
					ErrScheme, prev.typ, prev.site, e.typ, e.site, e.name))
				continue
			}
			names[e.name] = e
			r.schemes[e.typ] = e
			r.schemeList = append(r.schemeList, e)
			for _, sc := range e.scopes {
				r.scopeNames[sc] = true
			}
		}
	}
	// A type must have one source: a framework dependency or an fx singleton.
	for t, p := range r.providers {
		if _, ok := r.singletons[t]; ok {
			errs = append(errs, fmt.Errorf("%w: %s is provided twice: by %s and by the fx container; keep one of them",
				ErrDuplicateProvider, t, p))
		}
		if e, ok := r.schemes[t]; ok {
			errs = append(errs, fmt.Errorf("%w: %s is provided twice: by %s and as a security scheme registered at %s; keep one of them (use framework.Override in tests)",
				ErrDuplicateProvider, t, p, e.site))
		}
	}
	sort.Slice(r.schemeList, func(i, j int) bool { return r.schemeList[i].name < r.schemeList[j].name })
	return r, errors.Join(errs...)
}

// buildScheme runs a SecurityFrom constructor with its fx singletons.
func buildScheme(sc *schemeCtor, singletons map[reflect.Type]reflect.Value) (*schemeReg, error) {
	t := sc.fn.Type()
	args := make([]reflect.Value, t.NumIn())
	for i := range args {
		v, ok := singletons[t.In(i)]
		if !ok {
			return nil, fmt.Errorf("%w: scheme constructor %s, registered at %s, parameter %d (%s): nothing in the fx container provides it; provide it with fx.Provide",
				ErrUnresolved, sc.name, sc.site, i+1, t.In(i))
		}
		args[i] = v
	}
	out := sc.fn.Call(args)
	if len(out) == 2 && !out[1].IsNil() {
		return nil, fmt.Errorf("%w: scheme constructor %s, registered at %s, failed: %w",
			ErrScheme, sc.name, sc.site, out[1].Interface().(error))
	}
	s, _ := out[0].Interface().(security.Scheme)
	return &schemeReg{value: s, site: sc.site}, nil
}

type scopeNamer interface{ ScopeNames() []string }
type configValidator interface{ Validate() error }

func newSchemeEntry(s *schemeReg) (*schemeEntry, error) {
	if s.value == nil {
		return nil, fmt.Errorf("%w: framework.Security at %s was given a nil scheme", ErrScheme, s.site)
	}
	t := reflect.TypeOf(s.value)
	e := &schemeEntry{value: s.value, regVal: reflect.ValueOf(s.value), typ: t, site: s.site}
	e.tab = schemeTab(t)
	if t.Kind() == reflect.Pointer {
		return nil, fmt.Errorf("%w: framework.Security at %s was given a %s; register the value, %s, so handlers can declare it by value",
			ErrScheme, s.site, t, t.Elem())
	}
	e.name = s.value.SchemeName()
	if e.name == "" {
		e.name = t.Name()
	}
	if v, ok := s.value.(configValidator); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %s registered at %s is misconfigured: %w", ErrScheme, t, s.site, err)
		}
	}
	e.spec = s.value.OpenAPI()
	if e.spec == nil {
		return nil, fmt.Errorf("%w: %s registered at %s describes itself as nil; its OpenAPI method must return the security scheme object",
			ErrScheme, t, s.site)
	}
	if err := e.spec.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("%w: %s registered at %s is incomplete: %w; set the field the message names (for example Name of an API key, TokenURL of an OAuth2 flow, or OpenIDConnectURL)",
			ErrScheme, t, s.site, err)
	}
	e.scoped = e.spec != nil && (e.spec.Type == "oauth2" || e.spec.Type == "openIdConnect")
	if sn, ok := s.value.(scopeNamer); ok {
		e.scopes = sn.ScopeNames()
	}
	// A scheme in optional mode lets a request without credentials through.
	probe := httptest.NewRequest(http.MethodGet, "/", nil)
	if got, err := s.value.Authenticate(probe); err == nil && got != nil && !got.Present() {
		e.optional = true
	}
	// Find the embedded scheme of a user's named type.
	if _, declared := t.MethodByName("Authenticate"); declared && t.Kind() == reflect.Struct {
		cur := t
		var idx []int
		for {
			found := -1
			for i := 0; i < cur.NumField(); i++ {
				f := cur.Field(i)
				if f.Anonymous && f.Type.Implements(schemeType) {
					found = i
					break
				}
			}
			if found < 0 {
				break
			}
			if !cur.Field(found).IsExported() {
				return nil, fmt.Errorf("%w: %s registered at %s embeds the unexported scheme type %s; the framework cannot fill in an unexported field: export the embedded type",
					ErrScheme, t, s.site, cur.Field(found).Type)
			}
			idx = append(idx, found)
			cur = cur.Field(found).Type
		}
		e.embed = idx
	}
	return e, nil
}

// compiler compiles one route.
type compiler struct {
	reg   *registry
	p     *plan
	slots map[reflect.Type]int
	stack []reflect.Type
	scope []string
}

type owner struct {
	what string // "handler main.readMe (main.go:12)" or "dependency ..."
}

func (a *App) compileRoute(rt *route, cfg routeConfig) (*plan, error) {
	p := &plan{rt: rt, cfg: cfg, log: a.log, mapErr: a.cfg.MapError}
	fn := reflect.ValueOf(rt.handler)
	where := fmt.Sprintf("%s %s (registered at %s)", rt.method, rt.path, rt.site)
	if fn.Kind() != reflect.Func || fn.IsNil() {
		return nil, fmt.Errorf("%w: %s: the handler is a %T, not a function; pass a function such as func(*User) (*Item, error)",
			ErrBadSignature, where, rt.handler)
	}
	p.name, p.defSite = funcName(fn)
	ft := fn.Type()
	handlerWhat := fmt.Sprintf("handler %s (%s) of %s", p.name, p.defSite, where)
	if ft.IsVariadic() {
		return nil, fmt.Errorf("%w: %s: variadic handlers are not supported", ErrBadSignature, handlerWhat)
	}
	switch {
	case ft.NumOut() == 0:
		p.handler.errIdx = -1
	case ft.NumOut() == 1 && ft.Out(0) == errorType:
		p.handler.errIdx = 0
	case ft.NumOut() == 1:
		p.handler.errIdx, p.result = -1, true
	case ft.NumOut() == 2 && ft.Out(1) == errorType && ft.Out(0) != errorType:
		p.handler.errIdx, p.result = 1, true
	default:
		return nil, fmt.Errorf("%w: %s returns %s; a handler returns (T, error), T, error or nothing",
			ErrBadSignature, handlerWhat, resultsString(ft))
	}
	c := &compiler{reg: a.reg, p: p, slots: map[reflect.Type]int{}, scope: append([]string(nil), cfg.scopes...)}
	for _, d := range cfg.deps {
		dv := reflect.ValueOf(d.fn)
		if dv.Kind() != reflect.Func || dv.IsNil() {
			return nil, fmt.Errorf("%w: %s: framework.Dependencies at %s was given a %T, not a function",
				ErrBadSignature, where, d.site, d.fn)
		}
		name, def := funcName(dv)
		what := fmt.Sprintf("route dependency %s (%s) of %s", name, def, where)
		cl, err := c.compileCall(dv, what)
		if err != nil {
			return nil, err
		}
		cl.errIdx = -1
		dt := dv.Type()
		if n := dt.NumOut(); n > 0 && dt.Out(n-1) == errorType {
			cl.errIdx = n - 1
		}
		switch {
		case dt.NumOut() > 1 || (dt.NumOut() == 1 && dt.Out(0) != errorType):
			cl.slow = "it returns a value"
		default:
			if cl.slow = fastArgs(cl.args, dt); cl.slow == "" {
				cl.fast, cl.slow = prepareBareCall(dv)
			}
		}
		p.effects = append(p.effects, cl)
	}
	hc, err := c.compileCall(fn, handlerWhat)
	if err != nil {
		return nil, err
	}
	hc.errIdx = p.handler.errIdx
	if p.result {
		if hc.slow = fastArgs(hc.args, ft); hc.slow == "" {
			hc.fast, hc.slow = prepareFastCall(fn, true)
		}
	} else if hc.slow = fastArgs(hc.args, ft); hc.slow == "" {
		hc.fast, hc.slow = prepareBareCall(fn)
	}
	p.handler = hc
	p.status = cfg.status
	if p.status == 0 {
		p.status = http.StatusOK
		if !p.result {
			p.status = http.StatusNoContent
		}
	}
	p.layoutSlab()
	p.buildLinear()
	p.scopes = security.NewSecurityScopes(c.scope)
	p.scopesVal = reflect.ValueOf(p.scopes)
	for _, s := range p.scopes.Scopes {
		if !a.reg.scopeNames[s] {
			known := make([]string, 0, len(a.reg.scopeNames))
			for k := range a.reg.scopeNames {
				known = append(known, k)
			}
			slices.Sort(known)
			return nil, fmt.Errorf("%w: %s requires scope %q, which no registered OAuth2 or OpenID Connect scheme declares (declared: %s); add it to the scheme's Scopes",
				ErrUnknownScope, where, s, strings.Join(known, ", "))
		}
	}
	return p, nil
}

func resultsString(ft reflect.Type) string {
	var parts []string
	for i := 0; i < ft.NumOut(); i++ {
		parts = append(parts, ft.Out(i).String())
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// compileCall compiles the arguments of fn.
func (c *compiler) compileCall(fn reflect.Value, what string) (call, error) {
	ft := fn.Type()
	cl := call{fn: fn, errIdx: -1}
	for i := 0; i < ft.NumIn(); i++ {
		a, err := c.argFor(ft.In(i), i+1, what)
		if err != nil {
			return call{}, err
		}
		cl.args = append(cl.args, a)
	}
	return cl, nil
}

func (c *compiler) argFor(t reflect.Type, pos int, what string) (arg, error) {
	switch t {
	case ginCtxType:
		return arg{kind: argGin}, nil
	case ctxType:
		return arg{kind: argCtx}, nil
	case reqType:
		return arg{kind: argReq}, nil
	case scopesType:
		return arg{kind: argScopes}, nil
	}
	slot, ok, err := c.nodeFor(t, pos, what)
	if err != nil {
		return arg{}, err
	}
	if ok {
		return arg{kind: argSlot, slot: slot}, nil
	}
	if v, ok := c.reg.singletons[t]; ok {
		a := arg{kind: argConst, val: v}
		if a.nw = argWords(t); a.nw > 0 {
			a.cw = constWords(v)
		}
		return a, nil
	}
	return arg{}, c.unresolved(t, pos, what)
}

// nodeFor returns the slot of the node that produces t, compiling it on first
// use. ok is false when t is not produced per request.
func (c *compiler) nodeFor(t reflect.Type, pos int, what string) (int, bool, error) {
	if s, ok := c.slots[t]; ok {
		return s, true, nil
	}
	if slices.Contains(c.stack, t) {
		var chain []string
		for _, s := range c.stack[slices.Index(c.stack, t):] {
			chain = append(chain, s.String())
		}
		chain = append(chain, t.String())
		return 0, false, fmt.Errorf("%w: %s, parameter %d: %s; break the loop by removing one of these parameters",
			ErrCycle, what, pos, strings.Join(chain, " -> "))
	}
	n := &node{typ: t, label: t.String(), cleanup: -1}
	switch {
	case wrappedTypes(t) != nil:
		n.kind = nodeOptional
		if reflect.Zero(t).Interface().(combinator).combinator() == kindAnyOf {
			n.kind = nodeAnyOf
		}
		c.stack = append(c.stack, t)
		for _, at := range wrappedTypes(t) {
			s, ok, err := c.nodeFor(at, pos, what)
			if err != nil {
				return 0, false, err
			}
			if !ok {
				return 0, false, fmt.Errorf("%w: %s, parameter %d (%s): %s is not a dependency or a security scheme, so it cannot be optional or an alternative; register it with framework.Provide or framework.Security",
					ErrUnresolved, what, pos, t, at)
			}
			n.alts = append(n.alts, s)
		}
		c.stack = c.stack[:len(c.stack)-1]
	case c.reg.overrides[t] != nil:
		if err := c.providerNode(n, c.reg.overrides[t]); err != nil {
			return 0, false, err
		}
	case c.reg.schemes[t] != nil:
		n.kind = nodeScheme
		n.scheme = c.reg.schemes[t]
		n.label = t.String() + " (scheme " + n.scheme.name + ")"
	case c.reg.providers[t] != nil:
		if err := c.providerNode(n, c.reg.providers[t]); err != nil {
			return 0, false, err
		}
	case isInput(t):
		ip, err := compileInput(t, c.p.rt.method)
		if err != nil {
			return 0, false, fmt.Errorf("%w: %s, parameter %d (%s): %w", ErrBadSignature, what, pos, t, err)
		}
		n.kind = nodeInput
		n.input = ip
		n.label = t.String() + " (input)"
	case t.Implements(schemeType):
		return 0, false, fmt.Errorf("%w: %s, parameter %d (%s): the scheme is not registered; register it with framework.Security(%s{...})",
			ErrScheme, what, pos, t, t)
	default:
		return 0, false, nil
	}
	c.p.nodes = append(c.p.nodes, n)
	s := len(c.p.nodes) - 1
	c.slots[t] = s
	return s, true, nil
}

func (c *compiler) providerNode(n *node, p *provider) error {
	n.kind = nodeProvider
	n.prov = p
	n.label = p.out.String() + " (" + p.name + ")"
	n.cleanup = p.cleanup
	c.scope = append(c.scope, p.scopes...)
	c.stack = append(c.stack, p.out)
	cl, err := c.compileCall(p.fn, fmt.Sprintf("dependency %s (%s), reached from %s %s", p.name, p.defSite, c.p.rt.method, c.p.rt.path))
	c.stack = c.stack[:len(c.stack)-1]
	if err != nil {
		return err
	}
	cl.errIdx = p.errIdx
	switch at := c.schemeArg(cl.args, p.fn.Type()); {
	case p.cleanup >= 0:
		cl.slow = "it returns a cleanup function"
	case at >= 0:
		cl.fast, cl.slow = newSchemeFastCall(p.fn, at)
	default:
		if cl.slow = fastArgs(cl.args, p.fn.Type()); cl.slow == "" {
			cl.fast, cl.slow = prepareFastCall(p.fn, false)
		}
	}
	n.call = cl
	return nil
}

// unresolved explains a parameter nothing provides, with a suggestion.
func (c *compiler) unresolved(t reflect.Type, pos int, what string) error {
	hint := ""
	var alts []reflect.Type
	if t.Kind() == reflect.Pointer {
		alts = append(alts, t.Elem())
	} else {
		alts = append(alts, reflect.PointerTo(t))
	}
	for _, at := range alts {
		if c.reg.providers[at] != nil || c.reg.schemes[at] != nil || c.reg.singletons[at].IsValid() {
			hint = fmt.Sprintf("; did you mean %s?", at)
		}
	}
	if hint == "" {
		for pt := range c.reg.providers {
			if pt.Name() == t.Name() || (pt.Kind() == reflect.Pointer && t.Kind() == reflect.Pointer && pt.Elem().Name() == t.Elem().Name()) {
				hint = fmt.Sprintf("; did you mean %s?", pt)
			}
		}
	}
	return fmt.Errorf("%w: %s, parameter %d (%s): nothing provides it; register a dependency that returns it with framework.Provide, provide it with fx.Provide, or, for request input, embed framework.Input in it%s",
		ErrUnresolved, what, pos, t, hint)
}
