package oauth2server

import (
	"container/list"
	"crypto/sha256"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps one token bucket per key (a username or a client address)
// in a map bounded by an LRU list: when it is full, the key seen least
// recently is forgotten. Keys are stored as SHA-256 digests so that a long
// username costs no more memory than a short one.
type limiter struct {
	limit rate.Limit
	burst int
	max   int

	mu    sync.Mutex
	byKey map[[sha256.Size]byte]*list.Element
	order *list.List // front: most recently used
}

type limiterEntry struct {
	key [sha256.Size]byte
	lim *rate.Limiter
}

func newLimiter(limit rate.Limit, burst, entries int) *limiter {
	return &limiter{
		limit: limit,
		burst: burst,
		max:   entries,
		byKey: make(map[[sha256.Size]byte]*list.Element),
		order: list.New(),
	}
}

// userKey and addrKey keep the two kinds of keys apart. Usernames are folded
// to lower case, so that a store that ignores case cannot be attacked with
// "Alice", "ALICE" and "alice" as three budgets.
func userKey(username string) string { return "user\x00" + strings.ToLower(username) }
func addrKey(addr string) string     { return "addr\x00" + addr }

// wait takes one attempt from key's bucket at time now. It returns zero when
// the attempt may go ahead, or else how long the caller should wait; a
// refused attempt takes nothing from the bucket.
func (l *limiter) wait(key string, now time.Time) time.Duration {
	if l.limit == rate.Inf {
		return 0
	}
	lim := l.get(sha256.Sum256([]byte(key)))
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		// Only possible with a burst below one, which New rules out.
		return time.Minute
	}
	d := r.DelayFrom(now)
	if d > 0 {
		r.CancelAt(now)
	}
	return d
}

func (l *limiter) get(k [sha256.Size]byte) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.byKey[k]; ok {
		l.order.MoveToFront(el)
		return el.Value.(*limiterEntry).lim
	}
	e := &limiterEntry{key: k, lim: rate.NewLimiter(l.limit, l.burst)}
	l.byKey[k] = l.order.PushFront(e)
	for l.order.Len() > l.max {
		last := l.order.Back()
		l.order.Remove(last)
		delete(l.byKey, last.Value.(*limiterEntry).key)
	}
	return e.lim
}

// len reports how many keys the limiter remembers.
func (l *limiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// retryAfterSeconds rounds d up to whole seconds, at least one, as the
// Retry-After header wants them.
func retryAfterSeconds(d time.Duration) int {
	s := math.Ceil(d.Seconds())
	if s < 1 {
		return 1
	}
	if s > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(s)
}

// tooManyAttempts is the answer of the token endpoint to a limited attempt.
func tooManyAttempts(d time.Duration) *oauthError {
	return &oauthError{
		status:      http.StatusTooManyRequests,
		code:        codeSlowDown,
		description: "too many attempts; retry later",
		retryAfter:  retryAfterSeconds(d),
	}
}

// checkRate takes one attempt from the client address's bucket and, when
// username is not empty, from the username's. It returns a slow_down error
// when either is exhausted.
func (s *Server) checkRate(addr, username string) *oauthError {
	now := s.cfg.Now()
	if d := s.limiter.wait(addrKey(addr), now); d > 0 {
		s.cfg.Logger.Info("oauth2server: rate limit reached", "by", "address", "address", addr)
		return tooManyAttempts(d)
	}
	if username == "" {
		return nil
	}
	if d := s.limiter.wait(userKey(username), now); d > 0 {
		s.cfg.Logger.Info("oauth2server: rate limit reached", "by", "username", "address", addr)
		return tooManyAttempts(d)
	}
	return nil
}
