package docsui

import (
	"fmt"
	"sync"

	"github.com/swaggo/swag"
)

// provider is what this package registers in swag's registry: it returns
// the JSON document of the latest Mount under its instance name.
type provider struct {
	mu  sync.RWMutex
	doc string
}

// ReadDoc implements swag.Swagger.
func (p *provider) ReadDoc() string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.doc
}

func (p *provider) set(doc []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doc = string(doc)
}

// registerMu serialises the look-up and registration below; swag's
// registry is process-wide and panics on a second registration.
var registerMu sync.Mutex

// register makes swag.ReadDoc(name) return doc. swag keeps one document
// per name for the whole process, so a second Mount under the same name
// replaces the document of the first; a name registered by someone else is
// an error rather than a panic.
func register(name string, doc []byte) error {
	registerMu.Lock()
	defer registerMu.Unlock()
	switch s := swag.GetSwagger(name).(type) {
	case nil:
		p := &provider{}
		p.set(doc)
		return swagRegister(name, p)
	case *provider:
		s.set(doc)
		return nil
	default:
		return fmt.Errorf("%w: %q holds a %T; choose another Config.InstanceName", ErrInstanceTaken, name, s)
	}
}

// swagRegister calls swag.Register, turning its panic into an error.
func swagRegister(name string, s swag.Swagger) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %q: %v", ErrInstanceTaken, name, r)
		}
	}()
	swag.Register(name, s)
	return nil
}
