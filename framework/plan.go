package framework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unsafe"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/security"
)

var (
	errorType   = reflect.TypeFor[error]()
	cleanupType = reflect.TypeFor[func()]()
	ginCtxType  = reflect.TypeFor[*gin.Context]()
	ctxType     = reflect.TypeFor[context.Context]()
	reqType     = reflect.TypeFor[*http.Request]()
	scopesType  = reflect.TypeFor[security.SecurityScopes]()
	schemeType  = reflect.TypeFor[security.Scheme]()
)

// isBuiltin reports whether the framework itself supplies values of type t.
func isBuiltin(t reflect.Type) bool {
	return t == ginCtxType || t == ctxType || t == reqType || t == scopesType
}

type argKind uint8

const (
	argSlot   argKind = iota // the value of a node of the plan
	argConst                 // a singleton from the fx container
	argGin                   // *gin.Context
	argCtx                   // the request's context.Context
	argReq                   // *http.Request
	argScopes                // the route's security.SecurityScopes
)

type arg struct {
	kind argKind
	slot int
	val  reflect.Value
	cw   [2]unsafe.Pointer // val's words, for fast calls
	nw   int               // how many of cw it takes: 2 for an interface
}

type nodeKind uint8

const (
	nodeProvider nodeKind = iota
	nodeScheme
	nodeInput
	nodeOptional
	nodeAnyOf
)

// node is one resolver of a plan: a dependency call, a scheme, an input or a
// combinator. Its result is cached per request in the slot of the same index.
type node struct {
	kind  nodeKind
	typ   reflect.Type
	label string

	// nodeProvider
	prov    *provider
	call    call
	cleanup int

	// nodeScheme
	scheme *schemeEntry

	// nodeInput
	input *inputPlan

	// nodeOptional and nodeAnyOf
	alts []int
}

// call is a compiled function call: where each argument comes from and where
// the error result is.
type call struct {
	fn     reflect.Value
	args   []arg
	argOff int // offset of this call's arguments in the request's slab
	errIdx int
	fast   *fastCall // set when the function can skip reflect.Value.Call
	slow   string    // why fast is nil
}

// plan is a compiled route: everything a request needs, worked out once.
type plan struct {
	rt        *route
	cfg       routeConfig
	name      string
	defSite   string
	nodes     []*node
	effects   []call
	handler   call
	result    bool // the handler's first result is written as JSON
	status    int
	scopes    security.SecurityScopes
	scopesVal reflect.Value // scopes, boxed once
	slabSize  int
	log       *slog.Logger
	pool      sync.Pool
	linear    *linearPlan // set when every call takes the fast path
	general   string      // why linear is nil
	mapErr    func(error) error
	guard     guard
	inline    bool // the guard runs in the route's handler
}

// ginHandler returns the gin handler that serves the route. When p.inline
// is set, the handler applies the guard itself: the engine's only
// middleware is the guard, and the route is mounted without it.
func (p *plan) ginHandler() gin.HandlerFunc {
	switch {
	case p.linear != nil:
		return p.serveLinear
	case p.inline:
		return p.serveGuarded
	}
	return p.serve
}

// fail answers err, first through the app's MapErrors function when it has
// one.
func (p *plan) fail(c *gin.Context, err error) {
	if p.mapErr != nil {
		if m := p.mapErr(err); m != nil {
			err = m
		}
	}
	writeError(c, p.log, err)
}

// serveGuarded is serve behind the guard, without a step of gin's chain.
func (p *plan) serveGuarded(c *gin.Context) {
	if p.guard.needsAdmit(c) && !p.guard.admit(c, nil) {
		return
	}
	guarded(c, p.guard.log, p.serve)
}

// slot caches one node's result for the request. A node computed by a fast
// call keeps only the pointer; its reflect.Value is made when a consumer
// that is called through reflect asks for it.
type slot struct {
	v    reflect.Value
	p    unsafe.Pointer
	err  error
	done bool
	ptr  bool // p is set and v may not be
}

type reqState struct {
	c        *gin.Context
	ctx      context.Context // the request's, held for an interface-typed reflect.Value
	slots    []slot
	slab     []reflect.Value
	cleanups []func()
}

func (p *plan) newState() *reqState {
	if st, ok := p.pool.Get().(*reqState); ok {
		return st
	}
	return &reqState{slots: make([]slot, len(p.nodes)), slab: make([]reflect.Value, p.slabSize)}
}

// layoutSlab gives each call that goes through reflect its part of the
// request's argument slab; fast calls need none.
func (p *plan) layoutSlab() {
	p.slabSize = 0
	place := func(cl *call) {
		if cl.fast == nil {
			cl.argOff = p.slabSize
			p.slabSize += len(cl.args)
		}
	}
	for i := range p.effects {
		place(&p.effects[i])
	}
	place(&p.handler)
	for _, n := range p.nodes {
		if n.kind == nodeProvider {
			place(&n.call)
		}
	}
}

// finish runs the cleanups of the request's dependencies, last first, and
// returns the request state to the pool.
func (p *plan) finish(st *reqState) {
	for i := len(st.cleanups) - 1; i >= 0; i-- {
		st.cleanups[i]()
	}
	p.putState(st)
}

func (p *plan) putState(st *reqState) {
	clear(st.slots)
	clear(st.slab)
	clear(st.cleanups)
	st.cleanups = st.cleanups[:0]
	st.c = nil
	st.ctx = nil
	p.pool.Put(st)
}

// serve is the gin handler of a compiled route.
func (p *plan) serve(c *gin.Context) {
	st := p.newState()
	st.c = c
	defer p.finish(st)
	for i := range p.effects {
		var err error
		if e := &p.effects[i]; e.fast != nil {
			_, err = p.fastInvoke(st, e)
		} else {
			var out []reflect.Value
			if out, err = p.invoke(st, e); err == nil {
				err = errResult(out, e.errIdx)
			}
		}
		if err != nil {
			p.fail(c, err)
			return
		}
	}
	var (
		result reflect.Value
		fast   any
		err    error
	)
	if p.handler.fast != nil {
		var rp unsafe.Pointer
		rp, err = p.fastInvoke(st, &p.handler)
		if p.result {
			fast = p.handler.fast.box(rp)
		}
	} else {
		var out []reflect.Value
		out, err = p.invoke(st, &p.handler)
		if err == nil {
			err = errResult(out, p.handler.errIdx)
		}
		if err == nil && p.result {
			result = out[0]
		}
	}
	if err != nil {
		p.fail(c, err)
		return
	}
	if c.Writer.Written() || c.IsAborted() {
		return
	}
	if !p.result {
		c.Status(p.status)
		c.Writer.WriteHeaderNow()
		return
	}
	if p.status == http.StatusNoContent || p.status == http.StatusNotModified {
		c.Status(p.status)
		c.Writer.WriteHeaderNow()
		return
	}
	if p.handler.fast != nil {
		writeJSON(c, p.log, p.status, fast)
		return
	}
	writeJSON(c, p.log, p.status, result.Interface())
}

// fastInvoke resolves the arguments of cl as words and calls it without
// reflect.Value.Call.
func (p *plan) fastInvoke(st *reqState, cl *call) (unsafe.Pointer, error) {
	var (
		w  [maxFastWords]unsafe.Pointer
		sp unsafe.Pointer // the scheme of a scheme call
	)
	n := 0
	for i := range cl.args {
		a := &cl.args[i]
		switch a.kind {
		case argSlot:
			if i == cl.fast.schemeArg {
				var err error
				if sp, err = p.resolveScheme(st, a.slot); err != nil {
					return nil, err
				}
				continue
			}
			ap, err := p.resolvePtr(st, a.slot)
			if err != nil {
				return nil, err
			}
			w[n] = ap
			n++
		case argConst:
			w[n] = a.cw[0]
			if a.nw == 2 {
				w[n+1] = a.cw[1]
			}
			n += a.nw
		case argGin:
			w[n] = unsafe.Pointer(st.c)
			n++
		case argReq:
			w[n] = unsafe.Pointer(st.c.Request)
			n++
		case argCtx:
			w[n], w[n+1] = ctxWords(st.c.Request.Context())
			n += 2
		case argScopes:
			// Only a scheme call takes them, by pointer; see schemecall.go.
		}
	}
	if cl.fast.scheme != nil {
		return cl.fast.scheme(cl.fast, sp, unsafe.Pointer(&p.scopes), w[0], w[1], w[2], w[3], w[4], w[5])
	}
	return cl.fast.call(w[0], w[1], w[2], w[3], w[4], w[5])
}

// resolveScheme is resolve for a scheme call: a pointer to the value of
// scheme node i.
func (p *plan) resolveScheme(st *reqState, i int) (unsafe.Pointer, error) {
	s := &st.slots[i]
	if !s.done {
		p.resolve(st, i)
	}
	if s.err != nil {
		return nil, s.err
	}
	return s.p, nil
}

// resolvePtr is resolve for a consumer that wants the pointer a node holds.
// A node computed by a fast call never needs a reflect.Value on this path.
func (p *plan) resolvePtr(st *reqState, i int) (unsafe.Pointer, error) {
	s := &st.slots[i]
	if s.done {
		if s.ptr {
			return s.p, s.err
		}
		if s.err != nil {
			return nil, s.err
		}
		return s.v.UnsafePointer(), nil
	}
	if n := p.nodes[i]; n.kind == nodeProvider && n.call.fast != nil {
		rp, err := p.fastInvoke(st, &n.call)
		*s = slot{p: rp, err: err, done: true, ptr: true}
		return rp, err
	}
	v, err := p.resolve(st, i)
	if err != nil {
		return nil, err
	}
	return v.UnsafePointer(), nil
}

func errResult(out []reflect.Value, idx int) error {
	if idx < 0 {
		return nil
	}
	if e := out[idx]; !e.IsNil() {
		return e.Interface().(error)
	}
	return nil
}

// invoke resolves the arguments of cl and calls it.
func (p *plan) invoke(st *reqState, cl *call) ([]reflect.Value, error) {
	args := st.slab[cl.argOff : cl.argOff+len(cl.args)]
	for i := range cl.args {
		a := &cl.args[i]
		switch a.kind {
		case argSlot:
			v, err := p.resolve(st, a.slot)
			if err != nil {
				return nil, err
			}
			args[i] = v
		case argConst:
			args[i] = a.val
		case argGin:
			args[i] = reflect.ValueOf(st.c)
		case argCtx:
			// A Value of type context.Context itself, not of the context's
			// concrete type, spares reflect.Value.Call an interface check
			// on every call.
			st.ctx = st.c.Request.Context()
			args[i] = reflect.ValueOf(&st.ctx).Elem()
		case argReq:
			args[i] = reflect.ValueOf(st.c.Request)
		case argScopes:
			args[i] = p.scopesVal
		}
	}
	return cl.fn.Call(args), nil
}

// resolve returns the value of node i, computing it at most once per request.
func (p *plan) resolve(st *reqState, i int) (reflect.Value, error) {
	s := &st.slots[i]
	if s.done {
		if s.ptr && s.err == nil && !s.v.IsValid() {
			s.v = p.nodes[i].call.fast.value(s.p)
		}
		return s.v, s.err
	}
	n := p.nodes[i]
	var (
		v   reflect.Value
		err error
	)
	switch n.kind {
	case nodeProvider:
		if n.call.fast != nil {
			var rp unsafe.Pointer
			rp, err = p.fastInvoke(st, &n.call)
			if err == nil {
				v = n.call.fast.value(rp)
			}
			break
		}
		var out []reflect.Value
		out, err = p.invoke(st, &n.call)
		if err == nil {
			if n.cleanup >= 0 {
				if f := out[n.cleanup]; !f.IsNil() {
					st.cleanups = append(st.cleanups, f.Interface().(func()))
				}
			}
			err = errResult(out, n.call.errIdx)
			v = out[0]
		}
	case nodeScheme:
		var got security.Scheme
		got, err = n.scheme.value.Authenticate(st.c.Request)
		if err == nil {
			v = n.scheme.wrap(got)
			if n.scheme.tab != nil {
				// Kept for scheme calls; v does not hold it.
				*s = slot{v: v, p: schemeData(n.scheme, got), done: true}
				return v, nil
			}
		}
	case nodeInput:
		v, err = n.input.bind(st.c)
	case nodeOptional:
		var iv reflect.Value
		iv, err = p.resolve(st, n.alts[0])
		ptr := reflect.New(n.typ)
		switch {
		case err == nil:
			ptr.Interface().(optionalSetter).set(iv.Interface())
		case errors.Is(err, security.ErrNoCredentials):
			err = nil
		}
		v = ptr.Elem()
	case nodeAnyOf:
		v, err = p.resolveAnyOf(st, n)
	}
	*s = slot{v: v, err: err, done: true}
	return v, err
}

func (p *plan) resolveAnyOf(st *reqState, n *node) (reflect.Value, error) {
	var errs []error
	for ai, slot := range n.alts {
		av, err := p.resolve(st, slot)
		if err == nil {
			ptr := reflect.New(n.typ)
			ptr.Interface().(altSetter).setAlt(ai, av.Interface())
			return ptr.Elem(), nil
		}
		errs = append(errs, err)
	}
	// Nothing succeeded. A credential that was sent and refused wins, so it
	// is never mistaken for an absent one; otherwise every challenge is sent.
	for _, err := range errs {
		if !errors.Is(err, security.ErrNoCredentials) {
			return reflect.Value{}, err
		}
	}
	combined := &security.Error{Status: http.StatusUnauthorized, Err: security.ErrNoCredentials}
	var details []string
	for _, err := range errs {
		var se *security.Error
		if errors.As(err, &se) {
			combined.Challenges = append(combined.Challenges, se.Challenges...)
			details = append(details, se.Detail)
		}
	}
	combined.Detail = "none of the accepted credentials was sent"
	if len(details) > 0 {
		combined.Detail += ": " + strings.Join(details, "; ")
	}
	return reflect.Value{}, combined
}

// describe lists the plan for the startup log: the handler and its resolvers.
func (p *plan) describe() string {
	return shortNames(p.describeLong())
}

// shortNames shortens the import paths in the type names of s.
func shortNames(s string) string { return shortPaths.ReplaceAllString(s, "$1.") }

// shortPaths matches the import paths that reflect writes into the names
// of generic types, as in framework.Optional[*example.com/app/store.User],
// so that describe can leave the package name alone, as outside brackets.
var shortPaths = regexp.MustCompile(`(?:[A-Za-z0-9_.~-]+/)+([A-Za-z0-9_-]+)\.`)

func (p *plan) describeLong() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(", p.name)
	for i, a := range p.handler.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.argLabel(a))
	}
	b.WriteString(")")
	if p.handler.fast == nil {
		b.WriteString(" via reflect")
	}
	if len(p.nodes) > 0 {
		b.WriteString(" resolvers:")
		for i, n := range p.nodes {
			fmt.Fprintf(&b, " [%d]%s", i, n.label)
			if n.kind == nodeProvider && n.call.fast == nil {
				b.WriteString(" via reflect")
			}
		}
	}
	if p.linear != nil {
		b.WriteString("; linear")
	} else {
		b.WriteString("; general: " + p.general)
	}
	return b.String()
}

func (p *plan) argLabel(a arg) string {
	switch a.kind {
	case argSlot:
		return p.nodes[a.slot].typ.String()
	case argConst:
		return a.val.Type().String() + " (singleton)"
	case argGin:
		return "*gin.Context"
	case argCtx:
		return "context.Context"
	case argReq:
		return "*http.Request"
	default:
		return "security.SecurityScopes"
	}
}
