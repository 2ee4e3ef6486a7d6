package framework

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portcullis/portcullis/internal/docsui"
	"github.com/portcullis/portcullis/internal/oas"
)

// requirement is one alternative of an operation's security: scheme names
// that must all be satisfied (AND).
type requirement []string

// alternatives computes the security requirements of a plan from its graph:
// the parameters of one call combine with AND, AnyOf gives alternatives (OR),
// Optional adds the empty alternative, and a scheme is one requirement.
func (p *plan) alternatives() []requirement {
	memo := map[int][]requirement{}
	var ofNode func(i int) []requirement
	var ofCall func(cl *call) []requirement
	ofCall = func(cl *call) []requirement {
		out := []requirement{{}}
		for _, a := range cl.args {
			if a.kind == argSlot {
				out = and(out, ofNode(a.slot))
			}
		}
		return out
	}
	ofNode = func(i int) []requirement {
		if r, ok := memo[i]; ok {
			return r
		}
		n := p.nodes[i]
		var out []requirement
		switch n.kind {
		case nodeScheme:
			out = []requirement{{n.scheme.name}}
			if n.scheme.optional {
				out = append(out, requirement{})
			}
		case nodeProvider:
			out = ofCall(&n.call)
		case nodeOptional:
			out = append(slices.Clone(ofNode(n.alts[0])), requirement{})
		case nodeAnyOf:
			for _, s := range n.alts {
				out = append(out, ofNode(s)...)
			}
		default:
			out = []requirement{{}}
		}
		out = dedupe(out)
		memo[i] = out
		return out
	}
	all := []requirement{{}}
	for i := range p.effects {
		all = and(all, ofCall(&p.effects[i]))
	}
	all = and(all, ofCall(&p.handler))
	all = dedupe(all)
	if len(all) == 1 && len(all[0]) == 0 {
		return nil // public
	}
	return all
}

func and(a, b []requirement) []requirement {
	var out []requirement
	for _, x := range a {
		for _, y := range b {
			m := append(slices.Clone(x), y...)
			slices.Sort(m)
			out = append(out, slices.Compact(m))
		}
	}
	return dedupe(out)
}

func dedupe(rs []requirement) []requirement {
	seen := map[string]bool{}
	var out []requirement
	for _, r := range rs {
		k := strings.Join(r, "\x00")
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) && len(out[j]) == 0 })
	return out
}

// schemesOf lists the scheme entries a plan reaches.
func (p *plan) schemesOf() []*schemeEntry {
	var out []*schemeEntry
	for _, n := range p.nodes {
		if n.kind == nodeScheme && !slices.Contains(out, n.scheme) {
			out = append(out, n.scheme)
		}
	}
	return out
}

func (a *App) buildOpenAPI() ([]byte, error) {
	b := oas.NewBuilder(oas.Info{
		Title:       a.cfg.Title,
		Version:     a.cfg.Version,
		Description: a.cfg.Description,
		Servers:     a.cfg.Servers,
		License:     oas.License{Name: a.cfg.LicenseName, URL: a.cfg.LicenseURL},
	})
	tags := make([]string, 0, len(a.cfg.TagDescriptions))
	for t := range a.cfg.TagDescriptions {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	for _, t := range tags {
		b.AddTag(t, a.cfg.TagDescriptions[t])
	}
	used := map[string]bool{}
	byName := map[string]*schemeEntry{}
	for _, e := range a.reg.schemeList {
		byName[e.name] = e
	}
	for _, pl := range a.plans {
		op := oas.Operation{
			Method:      pl.rt.method,
			Path:        pl.rt.path,
			OperationID: pl.cfg.operationID,
			Summary:     pl.cfg.summary,
			Description: pl.cfg.description,
			Tags:        pl.cfg.tags,
			Deprecated:  pl.cfg.deprecated,
			Status:      pl.status,
			HTML:        pl.cfg.html,
		}
		if pl.result {
			op.Result = pl.handler.fn.Type().Out(0)
		}
		hasInput, hasBody := false, false
		for _, n := range pl.nodes {
			if n.kind == nodeInput {
				op.Inputs = append(op.Inputs, n.typ)
				hasInput = true
				if n.input.hasBody {
					hasBody = true
				}
				if n.input.binder || len(n.input.form) > 0 && n.input.hasBody {
					op.FormBody = true
				}
			}
		}
		alts := pl.alternatives()
		for _, alt := range alts {
			m := map[string][]string{}
			for _, name := range alt {
				used[name] = true
				scopes := []string{}
				if byName[name].scoped {
					scopes = append(scopes, pl.scopes.Scopes...)
				}
				m[name] = scopes
			}
			op.Security = append(op.Security, m)
		}
		op.Problems = problemStatuses(len(alts) > 0, len(pl.scopes.Scopes) > 0 || hasScoped(pl), hasInput, hasBody, pl.cfg.problems)
		if err := b.AddOperation(op); err != nil {
			return nil, fmt.Errorf("framework: OpenAPI for %s %s (registered at %s): %w", pl.rt.method, pl.rt.path, pl.rt.site, err)
		}
	}
	for _, rr := range a.raws {
		op := oas.Operation{
			Method:      rr.rt.method,
			Path:        rr.rt.path,
			OperationID: rr.cfg.operationID,
			Summary:     rr.cfg.summary,
			Description: rr.cfg.description,
			Tags:        rr.cfg.tags,
			Deprecated:  rr.cfg.deprecated,
			Status:      rr.cfg.status,
			Inputs:      rr.cfg.docInputs,
			Result:      rr.cfg.docResult,
			HTML:        rr.cfg.html,
		}
		if op.Status == 0 {
			op.Status = http.StatusOK
		}
		for _, t := range rr.cfg.docInputs {
			if isBinderOrForm(t) && bodyMethod(rr.rt.method) {
				op.FormBody = true
			}
		}
		op.Problems = problemStatuses(false, false, len(op.Inputs) > 0, bodyMethod(rr.rt.method), rr.cfg.problems)
		if err := b.AddOperation(op); err != nil {
			return nil, fmt.Errorf("framework: OpenAPI for %s %s (registered at %s): %w", rr.rt.method, rr.rt.path, rr.rt.site, err)
		}
	}
	for _, e := range a.reg.schemeList {
		if !used[e.name] {
			continue
		}
		if err := b.AddScheme(e.name, e.spec); err != nil {
			return nil, fmt.Errorf("framework: OpenAPI scheme %s registered at %s: %w", e.typ, e.site, err)
		}
	}
	doc, err := b.Document()
	if err != nil {
		return nil, fmt.Errorf("framework: the generated OpenAPI document is invalid: %w", err)
	}
	return oas.Marshal(doc)
}

func hasScoped(p *plan) bool {
	for _, e := range p.schemesOf() {
		if e.scoped {
			return true
		}
	}
	return false
}

func bodyMethod(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch
}

func isBinderOrForm(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(binderType) {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if _, ok := t.Field(i).Tag.Lookup("form"); ok {
			return true
		}
	}
	return false
}

// problemStatuses lists the error answers an operation documents.
func problemStatuses(secured, scoped, input, body bool, extra []int) []int {
	var out []int
	if body {
		out = append(out, http.StatusRequestEntityTooLarge)
	}
	if secured {
		out = append(out, http.StatusUnauthorized)
	}
	if scoped {
		out = append(out, http.StatusForbidden)
	}
	if input {
		out = append(out, http.StatusUnprocessableEntity)
	}
	out = append(out, extra...)
	out = append(out, http.StatusInternalServerError)
	slices.Sort(out)
	return slices.Compact(out)
}

func (a *App) mountDocs(e *gin.Engine) error {
	if a.cfg.OpenAPIPath != "" {
		serve := docsui.ServeDocument(a.openapi)
		e.GET(a.cfg.OpenAPIPath, serve)
		e.HEAD(a.cfg.OpenAPIPath, serve)
	}
	if a.cfg.DocsPath == "" {
		return nil
	}
	return docsui.Mount(e, a.cfg.DocsPath, docsui.Config{
		Title:                a.cfg.Title,
		DocPath:              a.cfg.OpenAPIPath,
		InstanceName:         "portcullis-" + a.cfg.Title,
		PersistAuthorization: a.cfg.PersistAuthorization,
		OAuth2ClientID:       a.cfg.OAuth2ClientID,
		UsePKCE:              a.cfg.OAuth2UsePKCE,
	}, a.openapi)
}
