package token

import (
	"context"
	"sync"
	"time"
)

// RevocationGrace is how long a [RevocationList] keeps an entry after the
// token it names expires. It must exceed the verifiers' leeway, which lets a
// token through for a while after its exp.
const RevocationGrace = 10 * time.Minute

// RevocationList is an in-memory [RevocationChecker] for a single process.
// Each revoked id is kept until [RevocationGrace] after the token it names
// expires, since an expired token is refused anyway. It is safe for
// concurrent use. Several processes need a shared store instead; implement
// RevocationChecker on it.
type RevocationList struct {
	mu      sync.Mutex
	now     func() time.Time
	revoked map[string]time.Time // jti -> when the token expires
}

// NewRevocationList returns an empty list. now is the clock used to forget
// expired entries; nil means time.Now.
func NewRevocationList(now func() time.Time) *RevocationList {
	if now == nil {
		now = time.Now
	}
	return &RevocationList{now: now, revoked: make(map[string]time.Time)}
}

// Revoke revokes the token with id jti that expires at expiresAt. Pass the
// claims' ExpiresAt; the entry is dropped RevocationGrace after that time.
// Each call also drops the entries that are due.
func (l *RevocationList) Revoke(jti string, expiresAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune()
	if old, ok := l.revoked[jti]; !ok || expiresAt.After(old) {
		l.revoked[jti] = expiresAt
	}
}

// IsRevoked reports whether jti is on the list. It never fails.
func (l *RevocationList) IsRevoked(_ context.Context, jti string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.revoked[jti]
	return ok, nil
}

// Len returns the number of entries, including those due to be dropped by
// the next Revoke.
func (l *RevocationList) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.revoked)
}

// prune drops the entries whose token expired more than RevocationGrace
// ago. The caller holds the lock.
func (l *RevocationList) prune() {
	now := l.now()
	for jti, expiresAt := range l.revoked {
		if now.After(expiresAt.Add(RevocationGrace)) {
			delete(l.revoked, jti)
		}
	}
}
