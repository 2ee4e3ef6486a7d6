package framework

import (
	"fmt"
	"net/http"
	"unsafe"

	"github.com/gin-gonic/gin"
)

// A linear plan is the fastest way through a route. It applies when every
// function the route calls, its dependencies and the handler, takes the
// fast call path (see fastcall.go), and it has no route dependencies. Such a route
// needs no per-request cache: its calls are laid out once, in the order in
// which the general path would first reach them, and each request runs them
// in that order with their values in an array on the stack. Each call runs
// at most once because it appears once; the first error stops the request,
// as on the general path.

// maxLinearVals bounds the words of a linear plan: the request's
// *gin.Context, *http.Request and context, the route's scopes, the
// singletons its calls take,
// and one word per dependency. Larger plans take the general path.
const maxLinearVals = 16

const (
	valGin = 0 // vals[0] is the *gin.Context
	valReq = 1 // vals[1] is the *http.Request
	valCtx = 2 // vals[2] and vals[3] are the request's context.Context
)

// linearStep is one fast call of a linear plan: where its argument words
// come from and where its result goes, as indexes into the request's words.
type linearStep struct {
	fc     *fastCall
	args   [maxFastWords]uint8
	out    uint8
	auth   *schemeEntry // set for a step that authenticates a scheme
	sarg   uint8        // the scheme of a scheme call
	effect bool         // a route dependency: a bare call, nothing to keep
}

// valScopes is where a linear plan keeps a pointer to the route's
// SecurityScopes, for scheme calls that take them.
const valScopes = 4

// linearPlan is the compiled form of a route that qualifies.
type linearPlan struct {
	steps   []linearStep // schemes and dependencies, in order
	handler linearStep
	consts  []unsafe.Pointer // singletons' words, copied per request
	constAt []uint8          // where each of consts goes
	usesGin bool             // some call takes the *gin.Context and may answer itself
	usesCtx bool             // some call takes the request's context
}

// buildLinear lays out p as a linear plan when every call qualifies, and
// otherwise leaves p.linear nil and says why in p.general.
func (p *plan) buildLinear() {
	p.general = ""
	switch {
	case noFastPaths:
		p.general = "fast paths are off"
	}
	for _, e := range p.effects {
		if p.general == "" && e.fast == nil {
			name, _ := funcName(e.fn)
			p.general = "route dependency " + name + " is called through reflect: " + e.slow
		}
	}
	for _, n := range p.nodes {
		if p.general == "" && (n.kind == nodeInput || n.kind == nodeOptional || n.kind == nodeAnyOf) {
			p.general = n.generalWhy()
		}
	}
	if p.general == "" && p.handler.fast == nil {
		p.general = "the handler is called through reflect: " + p.handler.slow
	}
	if p.general != "" {
		return
	}
	lp := &linearPlan{}
	nvals := 5
	at := make(map[int]uint8) // node index to word index
	// fail records the first reason the plan cannot be linear.
	fail := func(why string) {
		if p.general == "" {
			p.general = why
		}
	}
	tooMany := func() { fail(fmt.Sprintf("its calls need more than %d words", maxLinearVals)) }
	var place func(cl *call) (linearStep, bool)
	visit := func(i int) (uint8, bool) {
		if v, done := at[i]; done {
			return v, true
		}
		n := p.nodes[i]
		if n.kind == nodeScheme && n.scheme.tab != nil {
			if nvals >= maxLinearVals {
				tooMany()
				return 0, false
			}
			st := linearStep{auth: n.scheme, out: uint8(nvals)}
			nvals++
			at[i] = st.out
			lp.steps = append(lp.steps, st)
			return st.out, true
		}
		if n.kind != nodeProvider || n.call.fast == nil {
			fail(n.generalWhy())
			return 0, false
		}
		st, good := place(&n.call)
		if !good {
			return 0, false
		}
		if nvals >= maxLinearVals {
			tooMany()
			return 0, false
		}
		st.out = uint8(nvals)
		nvals++
		at[i] = st.out
		lp.steps = append(lp.steps, st)
		return st.out, true
	}
	place = func(cl *call) (linearStep, bool) {
		st := linearStep{fc: cl.fast}
		w := 0
		for ai, a := range cl.args {
			if ai == cl.fast.schemeArg {
				v, good := visit(a.slot)
				if !good {
					return st, false
				}
				st.sarg = v
				continue
			}
			switch a.kind {
			case argGin:
				st.args[w] = valGin
				lp.usesGin = true
				w++
			case argReq:
				st.args[w] = valReq
				w++
			case argCtx:
				st.args[w], st.args[w+1] = valCtx, valCtx+1
				lp.usesCtx = true
				w += 2
			case argScopes:
				if !cl.fast.scoped {
					fail("a call takes security.SecurityScopes other than right after a scheme")
					return st, false
				}
			case argConst:
				if nvals+a.nw > maxLinearVals {
					tooMany()
					return st, false
				}
				for k := 0; k < a.nw; k++ {
					lp.consts = append(lp.consts, a.cw[k])
					lp.constAt = append(lp.constAt, uint8(nvals))
					st.args[w] = uint8(nvals)
					nvals++
					w++
				}
			case argSlot:
				v, good := visit(a.slot)
				if !good {
					return st, false
				}
				st.args[w] = v
				w++
			default:
				fail("a call takes an argument a linear plan cannot hold")
				return st, false
			}
		}
		return st, true
	}
	// Route dependencies run first, as on the general path: bare steps,
	// with no result to keep.
	for i := range p.effects {
		st, good := place(&p.effects[i])
		if !good {
			return
		}
		st.effect = true
		lp.steps = append(lp.steps, st)
	}
	h, good := place(&p.handler)
	if !good {
		return
	}
	lp.handler = h
	p.linear = lp
}

// generalWhy says why a node keeps its route off the linear path.
func (n *node) generalWhy() string {
	switch n.kind {
	case nodeInput:
		return "it takes request input " + n.typ.String()
	case nodeOptional, nodeAnyOf:
		return "it takes " + n.typ.String()
	case nodeScheme:
		return "scheme " + n.typ.String() + " is a type of its own, which only the general path passes"
	}
	return "dependency " + n.prov.name + " is called through reflect: " + n.call.slow
}

// serveLinear is the gin handler of a route with a linear plan, with the
// guard inline when p.inline is set. The guard's recovery is spelled out
// here rather than through guarded, which would add a call per request.
func (p *plan) serveLinear(c *gin.Context) {
	if !p.inline {
		p.runLinear(c)
		return
	}
	if p.guard.needsAdmit(c) && !p.guard.admit(c, nil) {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			answerPanic(c, p.guard.log, r)
		}
	}()
	p.runLinear(c)
}

// runLinear runs the calls of a linear plan and writes the answer.
func (p *plan) runLinear(c *gin.Context) {
	lp := p.linear
	var vals [maxLinearVals]unsafe.Pointer
	vals[valGin] = unsafe.Pointer(c)
	vals[valReq] = unsafe.Pointer(c.Request)
	if lp.usesCtx {
		vals[valCtx], vals[valCtx+1] = ctxWords(c.Request.Context())
	}
	vals[valScopes] = unsafe.Pointer(&p.scopes)
	for i, at := range lp.constAt {
		vals[at] = lp.consts[i]
	}
	for i := range lp.steps {
		s := &lp.steps[i]
		if s.auth != nil {
			got, err := s.auth.value.Authenticate(c.Request)
			if err != nil {
				p.fail(c, err)
				return
			}
			vals[s.out] = schemeData(s.auth, got)
			continue
		}
		a := &s.args
		f := s.fc
		if s.effect {
			if err := f.callBare(vals[a[0]], vals[a[1]], vals[a[2]], vals[a[3]], vals[a[4]], vals[a[5]]); err != nil {
				p.fail(c, err)
				return
			}
			continue
		}
		var (
			r   unsafe.Pointer
			err error
		)
		// The commonest signatures are called here rather than through
		// fastCall.call, which saves a call and a switch per dependency.
		code := f.code
		switch {
		case f.scheme != nil:
			r, err = f.scheme(f, vals[s.sarg], vals[valScopes], vals[a[0]], vals[a[1]], vals[a[2]], vals[a[3]], vals[a[4]], vals[a[5]])
		case f.sig == 0:
			r = (*(*func() unsafe.Pointer)(unsafe.Pointer(&code)))()
		case f.sig == 2:
			r = (*(*func(unsafe.Pointer) unsafe.Pointer)(unsafe.Pointer(&code)))(vals[a[0]])
		case f.sig == 4:
			r = (*(*func(unsafe.Pointer, unsafe.Pointer) unsafe.Pointer)(unsafe.Pointer(&code)))(vals[a[0]], vals[a[1]])
		default:
			r, err = f.call(vals[a[0]], vals[a[1]], vals[a[2]], vals[a[3]], vals[a[4]], vals[a[5]])
		}
		if err != nil {
			p.fail(c, err)
			return
		}
		vals[s.out] = r
	}
	h := &lp.handler
	a := &h.args
	r, err := h.fc.call(vals[a[0]], vals[a[1]], vals[a[2]], vals[a[3]], vals[a[4]], vals[a[5]])
	if err != nil {
		p.fail(c, err)
		return
	}
	if lp.usesGin && (c.Writer.Written() || c.IsAborted()) {
		return
	}
	if !p.result || p.status == http.StatusNoContent || p.status == http.StatusNotModified {
		c.Status(p.status)
		c.Writer.WriteHeaderNow()
		return
	}
	writeJSON(c, p.log, p.status, h.fc.box(r))
}
