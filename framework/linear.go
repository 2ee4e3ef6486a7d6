package framework

import (
	"net/http"
	"unsafe"

	"github.com/gin-gonic/gin"
)

// A linear plan is the fastest way through a route. It applies when every
// function the route calls, its dependencies, its route dependencies and
// the handler, takes the fast call path (see fastcall.go). Such a route
// needs no per-request cache: its calls are laid out once, in the order in
// which the general path would first reach them, and each request runs them
// in that order with their values in an array on the stack. Each call runs
// at most once because it appears once; the first error stops the request,
// as on the general path.

// maxLinearVals bounds the values of a linear plan: the request's
// *gin.Context and *http.Request, the singletons its calls take, and one
// value per dependency. Larger plans take the general path.
const maxLinearVals = 16

const (
	valGin  = 0             // vals[0] is the *gin.Context
	valReq  = 1             // vals[1] is the *http.Request
	valSink = maxLinearVals // where a route dependency's result goes
)

// linearStep is one fast call of a linear plan: where its arguments come
// from and where its result goes, as indexes into the request's values.
type linearStep struct {
	fc   *fastCall
	args [3]uint8
	out  uint8
}

// linearPlan is the compiled form of a route that qualifies.
type linearPlan struct {
	steps   []linearStep // dependencies and route dependencies, in order
	handler linearStep
	consts  []unsafe.Pointer // singletons, copied to vals[2:] per request
	usesGin bool             // some call takes the *gin.Context and may answer itself
}

// buildLinear lays out p as a linear plan when every call qualifies, and
// leaves p.linear nil otherwise.
func (p *plan) buildLinear() {
	if noFastPaths || p.handler.fast == nil {
		return
	}
	lp := &linearPlan{}
	nvals := 2
	at := make(map[int]uint8) // node index to value index
	var place func(cl *call) (linearStep, bool)
	visit := func(i int) (uint8, bool) {
		if v, done := at[i]; done {
			return v, true
		}
		n := p.nodes[i]
		if n.kind != nodeProvider || n.call.fast == nil {
			return 0, false
		}
		st, good := place(&n.call)
		if !good || nvals >= maxLinearVals {
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
		for ai, a := range cl.args {
			switch a.kind {
			case argGin:
				st.args[ai] = valGin
				lp.usesGin = true
			case argReq:
				st.args[ai] = valReq
			case argConst:
				if nvals >= maxLinearVals {
					return st, false
				}
				lp.consts = append(lp.consts, a.ptr)
				st.args[ai] = uint8(nvals)
				nvals++
			case argSlot:
				v, good := visit(a.slot)
				if !good {
					return st, false
				}
				st.args[ai] = v
			default:
				return st, false
			}
		}
		return st, true
	}
	for i := range p.effects {
		if p.effects[i].fast == nil {
			return
		}
		st, good := place(&p.effects[i])
		if !good {
			return
		}
		st.out = valSink
		lp.steps = append(lp.steps, st)
	}
	h, good := place(&p.handler)
	if !good {
		return
	}
	lp.handler = h
	p.linear = lp
}

// serveLinear is the gin handler of a route with a linear plan, with the
// guard inline when p.inline is set.
func (p *plan) serveLinear(c *gin.Context) {
	if p.inline {
		if p.guard.needsAdmit(c) && !p.guard.admit(c, nil) {
			return
		}
		defer recoverPanic(c, p.guard.log)
	}
	lp := p.linear
	var vals [maxLinearVals + 1]unsafe.Pointer
	vals[valGin] = unsafe.Pointer(c)
	vals[valReq] = unsafe.Pointer(c.Request)
	copy(vals[2:], lp.consts)
	for i := range lp.steps {
		s := &lp.steps[i]
		// The plain fast calls are spelled out here rather than made
		// through fastCall.call, which saves a call per dependency.
		var (
			r   unsafe.Pointer
			err error
		)
		f := s.fc
		code := f.code
		a0, a1, a2 := vals[s.args[0]], vals[s.args[1]], vals[s.args[2]]
		switch {
		case f.shape != nil:
			r, err = f.call(a0, a1, a2)
		case f.arity == 0 && !f.err:
			r = (*(*fast0)(unsafe.Pointer(&code)))()
		case f.arity == 1 && !f.err:
			r = (*(*fast1)(unsafe.Pointer(&code)))(a0)
		case f.arity == 2 && !f.err:
			r = (*(*fast2)(unsafe.Pointer(&code)))(a0, a1)
		case f.arity == 3 && !f.err:
			r = (*(*fast3)(unsafe.Pointer(&code)))(a0, a1, a2)
		default:
			r, err = f.call(a0, a1, a2)
		}
		if err != nil {
			writeError(c, p.log, err)
			return
		}
		vals[s.out] = r
	}
	h := &lp.handler
	r, err := h.fc.call(vals[h.args[0]], vals[h.args[1]], vals[h.args[2]])
	if err != nil {
		writeError(c, p.log, err)
		return
	}
	if lp.usesGin && (c.Writer.Written() || c.IsAborted()) {
		return
	}
	if p.status == http.StatusNoContent || p.status == http.StatusNotModified {
		c.Status(p.status)
		c.Writer.WriteHeaderNow()
		return
	}
	c.JSON(p.status, h.fc.box(r))
}
