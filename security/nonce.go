package security

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Nonce layout, before base64url encoding: the issue time in Unix
// nanoseconds (8 bytes, big endian), random bytes that make every nonce
// unique, then an HMAC-SHA256 over both and the realm.
const (
	nonceTimeLen   = 8
	nonceRandLen   = 12
	nonceMACLen    = sha256.Size
	nonceRawLen    = nonceTimeLen + nonceRandLen + nonceMACLen
	nonceMinKeyLen = 16

	// DefaultDigestNonceTTL is how long a digest nonce stays fresh when
	// NewDigestNonces is given a ttl of zero or less.
	DefaultDigestNonceTTL = 5 * time.Minute
	// DefaultDigestNonceLimit is how many nonces a DigestNonces tracks for
	// replay protection before it starts to retire the oldest ones.
	DefaultDigestNonceLimit = 1 << 16
)

// nonceState is the result of checking a nonce's integrity and age.
type nonceState int

const (
	nonceValid   nonceState = iota // issued by us for this realm, still fresh
	nonceStale                     // issued by us for this realm, but expired or retired
	nonceInvalid                   // not issued by us, or for another realm
)

// nonceUse is what DigestNonces remembers about a nonce a client has used.
type nonceUse struct {
	nc     uint32 // the highest nonce-count accepted so far
	issued int64  // Unix nanoseconds, from the nonce itself
}

// DigestNonces issues and checks the nonces of an [HTTPDigest] scheme.
//
// A nonce needs no server state to be checked: it carries its issue time and
// an HMAC-SHA256 over that time, random bytes and the realm, keyed with the
// server key. A nonce is fresh for the ttl given to [NewDigestNonces]; an
// older one is stale, and the scheme answers it with stale=true so that the
// client retries with a new nonce without asking the user again.
//
// Replay protection does need state: DigestNonces remembers the highest
// nonce-count (nc) accepted for each nonce and refuses a repeated or lower
// one. The record is bounded. Entries are dropped once their nonce expires,
// and when the limit is reached before that the oldest nonces are retired
// (treated as stale), so that forgetting an entry never re-opens a replay.
//
// A DigestNonces is safe for concurrent use. Schemes that share one must
// have different realms, or share the same realm and user database.
type DigestNonces struct {
	key   []byte
	ttl   time.Duration
	now   func() time.Time
	limit int
	err   error // a configuration problem, reported by HTTPDigest.Validate

	mu        sync.Mutex
	seen      map[string]nonceUse
	floor     int64 // nonces issued at or before this instant are retired
	lastPurge int64
}

// NewDigestNonces returns a nonce store keyed with key. The key must be at
// least 16 bytes and secret; servers behind one load balancer share it so
// that each accepts the others' nonces. An empty key makes a random one,
// which is right for a single process. A ttl of zero or less means
// [DefaultDigestNonceTTL], and a nil now means time.Now.
//
// A key of 1 to 15 bytes is a configuration error: the store then refuses to
// work, and [HTTPDigest.Validate] reports it.
func NewDigestNonces(key []byte, ttl time.Duration, now func() time.Time) *DigestNonces {
	n := &DigestNonces{
		ttl:   ttl,
		now:   now,
		limit: DefaultDigestNonceLimit,
		seen:  make(map[string]nonceUse),
	}
	if n.ttl <= 0 {
		n.ttl = DefaultDigestNonceTTL
	}
	if n.now == nil {
		n.now = time.Now
	}
	switch {
	case len(key) == 0:
		n.key = make([]byte, 32)
		_, _ = rand.Read(n.key) // crypto/rand.Read never fails
	case len(key) < nonceMinKeyLen:
		n.err = fmt.Errorf("DigestNonces key has %d bytes, want at least %d: %w",
			len(key), nonceMinKeyLen, ErrSchemeMisconfigured)
	default:
		n.key = slices.Clone(key)
	}
	return n
}

// TTL returns how long a nonce stays fresh.
func (n *DigestNonces) TTL() time.Duration { return n.ttl }

// mac computes the nonce's HMAC over its time and random parts and the realm.
func (n *DigestNonces) mac(prefix []byte, realm string) []byte {
	m := hmac.New(sha256.New, n.key)
	m.Write(prefix)
	m.Write([]byte(realm))
	return m.Sum(nil)
}

// issue returns a new nonce for realm.
func (n *DigestNonces) issue(realm string) string {
	raw := make([]byte, nonceTimeLen+nonceRandLen, nonceRawLen)
	binary.BigEndian.PutUint64(raw, uint64(n.now().UnixNano()))
	_, _ = rand.Read(raw[nonceTimeLen:]) // crypto/rand.Read never fails
	raw = append(raw, n.mac(raw, realm)...)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// check reports whether nonce was issued by n for realm, and whether it is
// still fresh. It returns the issue time of a nonce that was issued by n.
func (n *DigestNonces) check(nonce, realm string) (int64, nonceState) {
	if base64.RawURLEncoding.DecodedLen(len(nonce)) != nonceRawLen {
		return 0, nonceInvalid
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(nonce)
	if err != nil || len(raw) != nonceRawLen {
		return 0, nonceInvalid
	}
	prefix, sum := raw[:nonceTimeLen+nonceRandLen], raw[nonceTimeLen+nonceRandLen:]
	if !hmac.Equal(sum, n.mac(prefix, realm)) {
		return 0, nonceInvalid
	}
	issued := int64(binary.BigEndian.Uint64(prefix))
	if n.now().UnixNano()-issued > int64(n.ttl) {
		return issued, nonceStale
	}
	n.mu.Lock()
	retired := issued <= n.floor
	n.mu.Unlock()
	if retired {
		return issued, nonceStale
	}
	return issued, nonceValid
}

// use records that a request with nonce-count nc used nonce, issued at
// issued. It returns nonceValid when nc is higher than any count seen for
// nonce before, nonceInvalid when it is not (a replay), and nonceStale when
// the nonce was retired to keep the record bounded.
func (n *DigestNonces) use(nonce string, issued int64, nc uint32) nonceState {
	now := n.now().UnixNano()
	n.mu.Lock()
	defer n.mu.Unlock()
	if now-n.lastPurge >= int64(n.ttl) {
		n.purgeExpired(now)
	}
	if issued <= n.floor {
		return nonceStale
	}
	if u, ok := n.seen[nonce]; ok {
		if nc <= u.nc {
			return nonceInvalid
		}
		n.seen[nonce] = nonceUse{nc: nc, issued: issued}
		return nonceValid
	}
	if len(n.seen) >= n.limit {
		n.purgeExpired(now)
		if len(n.seen) >= n.limit {
			n.retireOldest()
			if issued <= n.floor {
				return nonceStale
			}
		}
	}
	n.seen[nonce] = nonceUse{nc: nc, issued: issued}
	return nonceValid
}

// purgeExpired drops the entries of expired nonces: check refuses them
// anyway, so forgetting their counts re-opens nothing. n.mu must be held.
func (n *DigestNonces) purgeExpired(now int64) {
	n.lastPurge = now
	for k, u := range n.seen {
		if now-u.issued > int64(n.ttl) {
			delete(n.seen, k)
		}
	}
}

// retireOldest forgets the older half of the tracked nonces and raises the
// floor to the newest issue time among them, so that every forgotten nonce
// is stale from now on. n.mu must be held.
func (n *DigestNonces) retireOldest() {
	times := make([]int64, 0, len(n.seen))
	for _, u := range n.seen {
		times = append(times, u.issued)
	}
	slices.Sort(times)
	cut := times[(len(times)-1)/2]
	if cut > n.floor {
		n.floor = cut
	}
	for k, u := range n.seen {
		if u.issued <= n.floor {
			delete(n.seen, k)
		}
	}
}

// tracked returns how many nonces are recorded, for tests.
func (n *DigestNonces) tracked() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.seen)
}
