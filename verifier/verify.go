package verifier

import (
	"context"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// DefaultCacheEntries is the verdict cache size when Config leaves it 0.
// A cached verdict holds ~5 KB of small objects that every garbage
// collection marks: at 10,000 entries they were 55 of the daemon's 64 MB
// of live heap, and verifying distinct credentials (each of which enters
// the cache) cost 11% more server CPU than at 2,000 (skillpass-load, two
// interleaved pairs), with a mark phase of 23-33 ms instead of ~5 ms.
const DefaultCacheEntries = 2000

func newService(cfg Config) (*Service, error) {
	var v model.Violations
	if cfg.Store == nil {
		v.Add("store", "is required")
	}
	if err := credential.CheckBaseURL("base_url", cfg.BaseURL); err != nil {
		v.Add("base_url", "%v", err)
	}
	if cfg.CacheEntries < 0 {
		v.Add("cache_entries", "is %d; it must not be negative", cfg.CacheEntries)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	n := cfg.CacheEntries
	if n == 0 {
		n = DefaultCacheEntries
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	s := &Service{st: cfg.Store, base: cfg.BaseURL, now: now, cache: newVerdictCache(n)}
	s.reg.fresh = func() *registrySnap { return new(registrySnap) }
	s.keys.fresh = func() *keysSnap { return new(keysSnap) }
	s.stat.fresh = func() *statusSnap { return new(statusSnap) }
	return s, nil
}

// clock is the current time in UTC without a monotonic reading.
func (s *Service) clock() time.Time { return s.now().UTC().Round(0) }

// verifyCached serves a verdict from the cache while nothing it depends
// on changed, and otherwise computes and caches it. The store's versions
// are read before anything else, so a verdict is never cached under
// versions newer than the records it was computed from.
func (s *Service) verifyCached(ctx context.Context, token string) (*Verdict, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	at := readVersions(s.st)
	now := s.clock()
	// An oversized token is refused before it is hashed, let alone read:
	// hashing arbitrary amounts of input for the cache is a cost hostile
	// callers could impose. The one hash of the token serves both the
	// cache and the signature check.
	tok := credential.Digest(token)
	h, cacheable := tok.Hash()
	if cacheable {
		if v, ok := s.cache.get(h, at, now); ok {
			return v, nil
		}
	}
	v, expiry, err := s.verify(ctx, tok, at, now)
	if err != nil {
		return nil, err
	}
	v.TokenHash = h
	if cacheable {
		s.cache.put(h, v, at, expiry)
	}
	return v, nil
}

// verify computes a verdict and the time until which it holds.
func (s *Service) verify(ctx context.Context, token credential.Digested, at versions, now time.Time) (*Verdict, time.Time, error) {
	r := &run{
		reads: &reads{ctx: ctx, st: s.st, base: s.base,
			reg: s.reg.at(at[store.TopicRegistry]), keys: s.keys.at(at[store.TopicKeys]), stat: s.stat.at(at[store.TopicStatus])},
		now:    now,
		expiry: now.Add(maxCacheLifetime),
	}
	r.format(token)
	// An unparsed token stops at FORMAT (or ALGORITHM): every later check
	// depends on it and is skipped.
	if err := r.runSteps(); err != nil {
		return nil, time.Time{}, err
	}
	v := r.verdict()
	if r.p == nil {
		return v, r.expiry, nil
	}
	c, err := r.content()
	if err != nil {
		return nil, time.Time{}, err
	}
	v.Content = c
	return v, r.expiry, nil
}
