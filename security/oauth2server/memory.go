package oauth2server

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultMemoryLimit is how many entries each memory store holds at most.
const DefaultMemoryLimit = 100000

// MemoryOption configures the stores of [NewMemoryStores].
type MemoryOption func(*memoryConfig)

type memoryConfig struct {
	now   func() time.Time
	limit int
}

// WithMemoryClock sets the clock the stores use to drop expired entries. Pass
// the same clock as [Config.Now] when the server runs on an injected clock.
func WithMemoryClock(now func() time.Time) MemoryOption {
	return func(c *memoryConfig) { c.now = now }
}

// WithMemoryLimit sets how many entries each store holds at most
// (DefaultMemoryLimit). A save beyond it fails with [ErrStoreFull].
func WithMemoryLimit(n int) MemoryOption {
	return func(c *memoryConfig) {
		if n > 0 {
			c.limit = n
		}
	}
}

// NewMemoryStores returns an in-memory [CodeStore] and [RefreshStore], safe
// for concurrent use. They suit a single instance and tests: everything is
// lost on restart, and replicas do not share it. Expired entries are dropped
// as new ones arrive, and each store holds at most DefaultMemoryLimit
// entries.
func NewMemoryStores(opts ...MemoryOption) (*MemoryCodes, *MemoryRefresh) {
	cfg := memoryConfig{now: time.Now, limit: DefaultMemoryLimit}
	for _, o := range opts {
		o(&cfg)
	}
	return &MemoryCodes{cfg: cfg, codes: map[string]AuthCode{}},
		&MemoryRefresh{cfg: cfg, tokens: map[string]RefreshToken{}, revoked: map[string]time.Time{}}
}

// sweepAt returns the store size at which the next sweep for expired entries
// runs: twice the size after the last one, so sweeping costs amortised
// constant time per save.
func sweepAt(n int) int { return max(2*n, 1024) }

// MemoryCodes is an in-memory [CodeStore].
type MemoryCodes struct {
	cfg   memoryConfig
	mu    sync.Mutex
	codes map[string]AuthCode
	next  int
}

// SaveCode implements [CodeStore].
func (m *MemoryCodes) SaveCode(_ context.Context, c AuthCode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.codes[c.Code]; ok {
		return fmt.Errorf("%w: authorization code", ErrDuplicate)
	}
	if len(m.codes) >= m.next || len(m.codes) >= m.cfg.limit {
		now := m.cfg.now()
		for k, v := range m.codes {
			if !now.Before(v.ExpiresAt) {
				delete(m.codes, k)
			}
		}
		m.next = sweepAt(len(m.codes))
	}
	if len(m.codes) >= m.cfg.limit {
		return fmt.Errorf("%w: %d authorization codes", ErrStoreFull, len(m.codes))
	}
	c.Scopes = slices.Clone(c.Scopes)
	m.codes[c.Code] = c
	return nil
}

// TakeCode implements [CodeStore].
func (m *MemoryCodes) TakeCode(_ context.Context, code string) (AuthCode, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[code]
	if ok {
		used := c
		used.Used = true
		m.codes[code] = used
	}
	return c, ok, nil
}

// Len reports how many codes the store holds.
func (m *MemoryCodes) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.codes)
}

// MemoryRefresh is an in-memory [RefreshStore]. Used tokens stay until they
// expire, so that reuse can be detected; the family of a reused token that
// has already expired is not revoked.
type MemoryRefresh struct {
	cfg    memoryConfig
	mu     sync.Mutex
	tokens map[string]RefreshToken
	// revoked maps a revoked family to the time after which no token of it
	// can be alive any more.
	revoked map[string]time.Time
	next    int
}

// SaveRefresh implements [RefreshStore].
func (m *MemoryRefresh) SaveRefresh(_ context.Context, t RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tokens[t.ID]; ok {
		return fmt.Errorf("%w: refresh token", ErrDuplicate)
	}
	if len(m.tokens) >= m.next || len(m.tokens) >= m.cfg.limit {
		m.sweep()
	}
	if len(m.tokens) >= m.cfg.limit {
		return fmt.Errorf("%w: %d refresh tokens", ErrStoreFull, len(m.tokens))
	}
	if _, ok := m.revoked[t.FamilyID]; ok {
		t.Revoked = true
	}
	t.Scopes = slices.Clone(t.Scopes)
	m.tokens[t.ID] = t
	return nil
}

func (m *MemoryRefresh) sweep() {
	now := m.cfg.now()
	for k, v := range m.tokens {
		if !now.Before(v.ExpiresAt) {
			delete(m.tokens, k)
		}
	}
	for f, until := range m.revoked {
		if now.After(until) {
			delete(m.revoked, f)
		}
	}
	m.next = sweepAt(len(m.tokens))
}

// UseRefresh implements [RefreshStore].
func (m *MemoryRefresh) UseRefresh(_ context.Context, id string) (RefreshToken, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[id]
	if !ok {
		return RefreshToken{}, false, nil
	}
	used := t
	used.Used = true
	m.tokens[id] = used
	t.Scopes = slices.Clone(t.Scopes)
	return t, true, nil
}

// RevokeFamily implements [RefreshStore].
func (m *MemoryRefresh) RevokeFamily(_ context.Context, familyID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	// A rotation racing with this revocation saves its token within
	// moments; the margin keeps the family marked until it has.
	until := m.cfg.now().Add(time.Minute)
	for k, v := range m.tokens {
		if v.FamilyID == familyID {
			v.Revoked = true
			m.tokens[k] = v
			if v.ExpiresAt.After(until) {
				until = v.ExpiresAt
			}
		}
	}
	if prev, ok := m.revoked[familyID]; !ok || until.After(prev) {
		m.revoked[familyID] = until
	}
	return nil
}

// Len reports how many refresh tokens, used ones included, the store holds.
func (m *MemoryRefresh) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tokens)
}
