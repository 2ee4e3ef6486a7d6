package framework

import (
	"fmt"
	"reflect"
	"sync/atomic"

	"go.uber.org/fx"

	"github.com/portcullis/portcullis/security"
)

// contribution is what one Security, Provide, Override or Routes option adds
// to the app. Each reaches the framework through an fx value group, together
// with the fx singletons its functions may ask for.
type contribution struct {
	seq        int64 // registration order; fx hands group values over shuffled
	schemes    []*schemeReg
	schemeCtor []*schemeCtor
	providers  []*provider
	overrides  []*provider
	routes     []*route
	singletons map[reflect.Type]reflect.Value
}

type schemeReg struct {
	value security.Scheme
	site  string
}

// schemeCtor builds a scheme from fx singletons once, at startup.
type schemeCtor struct {
	fn   reflect.Value
	name string
	site string
}

// provider is a per-request dependency: a function whose first result is
// injectable by its type.
type provider struct {
	fn      reflect.Value
	name    string // package-qualified function name
	defSite string // where the function is defined
	site    string // where it was registered
	out     reflect.Type
	scopes  []string
	errIdx  int // index of the error result, or -1
	cleanup int // index of the func() result, or -1
}

func (p *provider) String() string {
	return fmt.Sprintf("%s (%s), registered at %s", p.name, p.defSite, p.site)
}

// Security registers security schemes. A handler or dependency that declares
// a parameter of a scheme's type receives, per request, a copy of the
// registered value carrying the credential; the scheme also appears in the
// OpenAPI document's securitySchemes. Two values of one Go type, or two
// schemes with one name, stop fx.New.
func Security(schemes ...security.Scheme) fx.Option {
	c := &contribution{}
	site := caller(2)
	for _, s := range schemes {
		c.schemes = append(c.schemes, &schemeReg{value: s, site: site})
	}
	return contribute(c, nil)
}

// SecurityFrom registers security schemes built from app services. Each
// constructor's parameters come from the fx container, and its result, a
// scheme value, optionally with an error, is registered as Security would
// register it. Use it when a scheme's check needs a service, such as an API
// key validator that reads a database:
//
//	framework.SecurityFrom(func(keys *store.Keys) security.APIKeyHeader {
//		return security.APIKeyHeader{Name: "X-API-Key", Validate: keys.Check}
//	})
//
// A constructor runs once, while fx.New runs.
func SecurityFrom(ctors ...any) fx.Option {
	site := caller(2)
	c := &contribution{}
	var fns []reflect.Type
	for _, ctor := range ctors {
		v := reflect.ValueOf(ctor)
		if v.Kind() != reflect.Func || v.IsNil() {
			return fx.Error(fmt.Errorf("%w: framework.SecurityFrom at %s: got %T, want a function that returns a scheme, such as func(*Store) security.APIKeyHeader",
				ErrScheme, site, ctor))
		}
		t := v.Type()
		name, def := funcName(v)
		ok := (t.NumOut() == 1 || t.NumOut() == 2 && t.Out(1) == errorType) && t.Out(0).Implements(schemeType) && !t.IsVariadic()
		if !ok {
			return fx.Error(fmt.Errorf("%w: framework.SecurityFrom at %s: %s (%s) returns %s; a scheme constructor returns a scheme value, optionally with an error",
				ErrScheme, site, name, def, resultsString(t)))
		}
		c.schemeCtor = append(c.schemeCtor, &schemeCtor{fn: v, name: name + " (" + def + ")", site: site})
		fns = append(fns, t)
	}
	return contribute(c, fns)
}

// Provide registers per-request dependency functions. Each function's first
// result becomes injectable by its type into handlers and other
// dependencies. Its parameters are resolved like a handler's. It may return
// T, (T, error), (T, func()) or (T, func(), error); the func() is a cleanup
// that runs after the handler, in reverse order of the dependencies.
func Provide(fn any, opts ...ProvideOption) fx.Option {
	p, err := newProvider(fn, caller(2))
	if err != nil {
		return fx.Error(err)
	}
	for _, o := range opts {
		o.applyProvide(p)
	}
	return contribute(&contribution{providers: []*provider{p}}, []reflect.Type{p.fn.Type()})
}

// Override replaces whatever provides the first result type of fn, a
// dependency or a security scheme, with fn. It is meant for tests, where it
// plays the part of FastAPI's dependency_overrides: handlers stay untouched.
func Override(fn any) fx.Option {
	p, err := newProvider(fn, caller(2))
	if err != nil {
		return fx.Error(err)
	}
	return contribute(&contribution{overrides: []*provider{p}}, []reflect.Type{p.fn.Type()})
}

// Routes registers routes. The function runs once, while the fx app is being
// assembled, and must only register routes on the router it is given.
func Routes(register func(r *Router)) fx.Option {
	var routes []*route
	register(&Router{routes: &routes})
	var fns []reflect.Type
	for _, rt := range routes {
		if rt.handler != nil {
			fns = append(fns, reflect.TypeOf(rt.handler))
		}
		if rt.raw != nil {
			fns = append(fns, reflect.TypeOf(rt.raw))
		}
		var cfg routeConfig
		for _, o := range rt.opts {
			o.applyRoute(&cfg)
		}
		for _, d := range cfg.deps {
			fns = append(fns, reflect.TypeOf(d.fn))
		}
	}
	return contribute(&contribution{routes: routes}, fns)
}

func newProvider(fn any, site string) (*provider, error) {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return nil, fmt.Errorf("%w: framework.Provide at %s: got %T, want a function such as func(...) (*User, error)",
			ErrBadSignature, site, fn)
	}
	name, def := funcName(v)
	p := &provider{fn: v, name: name, defSite: def, site: site, errIdx: -1, cleanup: -1}
	t := v.Type()
	bad := func(why string) error {
		return fmt.Errorf("%w: dependency %s (%s), registered at %s: %s; a dependency returns T, (T, error), (T, func()) or (T, func(), error)",
			ErrBadSignature, name, def, site, why)
	}
	if t.IsVariadic() {
		return nil, bad("variadic functions are not supported")
	}
	if t.NumOut() == 0 || t.NumOut() > 3 {
		return nil, bad(fmt.Sprintf("it has %d results", t.NumOut()))
	}
	p.out = t.Out(0)
	if p.out == errorType || p.out == cleanupType {
		return nil, bad("its first result must be the provided value, not " + p.out.String())
	}
	for i := 1; i < t.NumOut(); i++ {
		switch {
		case t.Out(i) == errorType && i == t.NumOut()-1:
			p.errIdx = i
		case t.Out(i) == cleanupType && i == 1:
			p.cleanup = i
		default:
			return nil, bad(fmt.Sprintf("result %d has type %s", i+1, t.Out(i)))
		}
	}
	return p, nil
}

// contribute turns c into an fx option. The fx singletons that c's functions
// may need are requested as optional fields of a dig parameter struct built
// at run time, so a missing one is reported by the framework, naming the
// handler, instead of by fx naming a generated function.
func contribute(c *contribution, fnTypes []reflect.Type) fx.Option {
	c.seq = contributionSeq.Add(1)
	cands := candidateTypes(fnTypes)
	fields := []reflect.StructField{{Name: "In", Type: reflect.TypeFor[fx.In](), Anonymous: true}}
	for i, t := range cands {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("F%d", i),
			Type: t,
			Tag:  `optional:"true"`,
		})
	}
	inType := reflect.StructOf(fields)
	ctorType := reflect.FuncOf([]reflect.Type{inType}, []reflect.Type{reflect.TypeFor[*contribution]()}, false)
	ctor := reflect.MakeFunc(ctorType, func(args []reflect.Value) []reflect.Value {
		in := args[0]
		// A copy, so that one option value can serve several apps.
		cc := *c
		cc.singletons = make(map[reflect.Type]reflect.Value, len(cands))
		for i, t := range cands {
			if v := in.Field(i + 1); !v.IsZero() {
				cc.singletons[t] = v
			}
		}
		return []reflect.Value{reflect.ValueOf(&cc)}
	})
	return fx.Provide(fx.Annotated{Group: groupName, Target: ctor.Interface()})
}

// contributionSeq numbers contributions in the order their options were
// made, so that startup messages and route order are deterministic.
var contributionSeq atomic.Int64

// candidateTypes lists the parameter types that may come from the fx
// container: everything the framework does not resolve itself.
func candidateTypes(fnTypes []reflect.Type) []reflect.Type {
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		if inner := wrappedTypes(t); inner != nil {
			for _, it := range inner {
				visit(it)
			}
			return
		}
		if seen[t] || isBuiltin(t) || isInput(t) || t.Implements(schemeType) || !diggable(t) {
			return
		}
		seen[t] = true
		out = append(out, t)
	}
	for _, ft := range fnTypes {
		if ft == nil || ft.Kind() != reflect.Func {
			continue
		}
		for i := 0; i < ft.NumIn(); i++ {
			visit(ft.In(i))
		}
	}
	return out
}

// diggable reports whether fx can be asked for t as an optional field.
func diggable(t reflect.Type) bool {
	if t == errorType {
		return false
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous && (f.Type == reflect.TypeFor[fx.In]() || f.Type == reflect.TypeFor[fx.Out]()) {
				return false
			}
		}
	}
	return true
}
