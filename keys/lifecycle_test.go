package keys

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

const day = 24 * time.Hour

// rotate is Rotate that fails the test on error.
func rotate(t *testing.T, set Set, k Key, now time.Time, p Policy) Set {
	t.Helper()
	out, err := Rotate(set, k, now, p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRotationTimeline(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: day, Retention: 30 * day, MaxKeys: MaxPublishedKeys}
	first := p
	first.PublishDelay = 0

	k1 := testKey(t, ES256, kek, issuerA, t0)
	k2 := testKey(t, EdDSA, kek, issuerA, t0)
	t1 := t0.Add(10 * day) // rotation starts
	tAct := t1.Add(day)    // k2 takes over
	set := rotate(t, nil, k1, t0, first)
	set = rotate(t, set, k2, t1, p)

	names := map[string]string{k1.Kid: "k1", k2.Kid: "k2"}
	steps := []struct {
		name    string
		at      time.Time
		signing string
		states  map[string]State // by name
	}{
		{name: "first key signs at once", at: t0, signing: "k1", states: map[string]State{"k1": StateActive, "k2": StatePending}},
		{name: "new key is published but does not sign", at: t1, signing: "k1", states: map[string]State{"k1": StateActive, "k2": StatePending}},
		{name: "last instant before the switch", at: tAct.Add(-time.Nanosecond), signing: "k1", states: map[string]State{"k1": StateActive, "k2": StatePending}},
		{name: "switch: new key signs, old retires", at: tAct, signing: "k2", states: map[string]State{"k1": StateRetired, "k2": StateActive}},
		{name: "long after", at: tAct.Add(365 * day), signing: "k2", states: map[string]State{"k1": StateRetired, "k2": StateActive}},
	}
	for _, st := range steps {
		t.Run("ok/"+st.name, func(t *testing.T) {
			sk, err := SigningKey(set, st.at)
			if err != nil {
				t.Fatal(err)
			}
			if names[sk.Kid] != st.signing {
				t.Errorf("signing key %s; want %s", names[sk.Kid], st.signing)
			}
			adv, _ := Advance(set, st.at)
			for _, k := range adv {
				if want := st.states[names[k.Kid]]; k.State != want || k.StateAt(st.at) != want {
					t.Errorf("%s: State %v, StateAt %v; want %v", names[k.Kid], k.State, k.StateAt(st.at), want)
				}
			}
		})
	}

	t.Run("ok/Advance reports changes once", func(t *testing.T) {
		adv, changed := Advance(set, tAct)
		if !changed {
			t.Error("Advance at the switch reported no change")
		}
		if _, again := Advance(adv, tAct.Add(time.Hour)); again {
			t.Error("second Advance reported a change")
		}
	})

	t.Run("error/second rotation while one is pending", func(t *testing.T) {
		_, err := Rotate(set, testKey(t, ES256, kek, issuerA, t1), t1.Add(time.Hour), p)
		checkErr(t, err, ErrRotationPending, "")
	})

	t.Run("ok/next rotation after the switch", func(t *testing.T) {
		k3 := testKey(t, ES256, kek, issuerA, tAct)
		next := rotate(t, set, k3, tAct.Add(time.Hour), p)
		if !set[1].RetireTime.IsZero() || set[1].State != StatePending {
			t.Error("Rotate modified its input set")
		}
		if len(next) != 3 {
			t.Fatalf("%d keys; want 3", len(next))
		}
		if sk, _ := SigningKey(next, tAct.Add(2*time.Hour)); sk.Kid != k2.Kid {
			t.Error("k2 stopped signing before k3's publish delay passed")
		}
	})

	verify := []struct {
		name     string
		kid      string
		signedAt time.Time
		wantErr  error
	}{
		{name: "ok/active key at signing time", kid: k1.Kid, signedAt: t0.Add(time.Hour)},
		{name: "ok/retired key verifies what it signed while active", kid: k1.Kid, signedAt: tAct.Add(-time.Second)},
		{name: "ok/new key after the switch", kid: k2.Kid, signedAt: tAct},
		{name: "error/retired key signing after retirement", kid: k1.Kid, signedAt: tAct, wantErr: ErrKeyNotActive},
		{name: "error/key signing before it was active", kid: k1.Kid, signedAt: t0.Add(-time.Second), wantErr: ErrKeyNotActive},
		{name: "error/pending key signing", kid: k2.Kid, signedAt: t1.Add(time.Hour), wantErr: ErrKeyNotActive},
		{name: "error/unknown kid", kid: "no-such-kid", signedAt: t1, wantErr: ErrKeyUnknown},
	}
	for _, tt := range verify {
		t.Run(tt.name, func(t *testing.T) {
			k, err := VerifyingKey(set, tt.kid, tt.signedAt)
			checkErr(t, err, tt.wantErr, "")
			if tt.wantErr != ErrKeyUnknown && k.Kid != tt.kid {
				t.Errorf("VerifyingKey returned key %q; want %q", k.Kid, tt.kid)
			}
		})
	}
}

func TestFirstKeyWithPublishDelay(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, ES256, kek, issuerA, t0)
	set := rotate(t, nil, k, t0, Policy{PublishDelay: time.Hour, Retention: day, MaxKeys: 2})
	_, err := SigningKey(set, t0.Add(time.Hour-time.Nanosecond))
	checkErr(t, err, ErrNoSigningKey, "")
	if sk, err := SigningKey(set, t0.Add(time.Hour)); err != nil || sk.Kid != k.Kid {
		t.Errorf("SigningKey after the delay = %q, %v; want %q", sk.Kid, err, k.Kid)
	}
}

func TestCompromise(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: day, Retention: 30 * day, MaxKeys: MaxPublishedKeys}
	immediate := p
	immediate.PublishDelay = 0
	k1 := testKey(t, ES256, kek, issuerA, t0)
	k2 := testKey(t, ES256, kek, issuerA, t0)
	t1 := t0.Add(10 * day)
	tc := t1.Add(time.Hour) // compromise while k2 is pending, before it activates at t1+day
	base := rotate(t, nil, k1, t0, immediate)
	base = rotate(t, base, k2, t1, p)
	snapshot := slices.Clone(base)

	tests := []struct {
		name    string
		kid     string
		at      time.Time
		reason  string
		wantErr error
		field   string
		check   func(t *testing.T, set Set)
	}{
		{
			name: "ok/active key", kid: k1.Kid, at: tc, reason: "HSM backup tape lost",
			check: func(t *testing.T, set Set) {
				_, err := SigningKey(set, tc)
				checkErr(t, err, ErrNoSigningKey, "")
				// What k1 signed before the compromise is no longer trusted.
				_, err = VerifyingKey(set, k1.Kid, t0.Add(time.Hour))
				checkErr(t, err, ErrKeyCompromised, "")
				k, _ := Find(set, k1.Kid)
				if k.State != StateCompromised || !k.CompromiseTime.Equal(tc) || k.CompromiseReason != "HSM backup tape lost" {
					t.Errorf("key state %v time %v reason %q", k.State, k.CompromiseTime, k.CompromiseReason)
				}
				// k2 still takes over as scheduled.
				if sk, err := SigningKey(set, t1.Add(day)); err != nil || sk.Kid != k2.Kid {
					t.Errorf("SigningKey after k2's activation = %q, %v; want k2", sk.Kid, err)
				}
			},
		},
		{
			name: "ok/pending key calls off the rotation", kid: k2.Kid, at: tc, reason: "generated on a compromised host",
			check: func(t *testing.T, set Set) {
				sk, err := SigningKey(set, t1.Add(2*day))
				if err != nil || sk.Kid != k1.Kid {
					t.Fatalf("SigningKey after the planned switch = %q, %v; want k1 to keep signing", sk.Kid, err)
				}
				if !sk.RetireTime.IsZero() {
					t.Errorf("k1 still scheduled to retire at %v", sk.RetireTime)
				}
				// A new rotation may start at once.
				k3 := testKey(t, ES256, kek, issuerA, tc)
				next := rotate(t, set, k3, tc, p)
				if sk, _ := SigningKey(next, tc.Add(day)); sk.Kid != k3.Kid {
					t.Error("replacement key does not sign after its publish delay")
				}
			},
		},
		{
			name: "ok/emergency rotation after compromise of the active key", kid: k1.Kid, at: t1.Add(2 * day), reason: "key exfiltrated",
			check: func(t *testing.T, set Set) {
				now := t1.Add(2 * day)
				k3 := testKey(t, EdDSA, kek, issuerA, now)
				next := rotate(t, set, k3, now, immediate)
				if sk, err := SigningKey(next, now); err != nil || sk.Kid != k3.Kid {
					// k2 was active (k1 had retired); with no delay k3 takes over now.
					t.Errorf("SigningKey = %q, %v; want the emergency key", sk.Kid, err)
				}
				_, err := VerifyingKey(next, k1.Kid, t0.Add(time.Hour))
				checkErr(t, err, ErrKeyCompromised, "")
			},
		},
		{name: "error/empty reason", kid: k1.Kid, at: tc, reason: "  ", wantErr: errInvalid, field: "reason"},
		{name: "error/unknown kid", kid: "no-such-kid", at: tc, reason: "x", wantErr: ErrKeyUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Compromise(base, tt.kid, tt.at, tt.reason)
			checkErr(t, err, tt.wantErr, tt.field)
			if !equalSets(base, snapshot) {
				t.Fatal("Compromise modified its input set")
			}
			if err == nil {
				tt.check(t, set)
			}
		})
	}

	t.Run("error/already compromised", func(t *testing.T) {
		set, err := Compromise(base, k1.Kid, tc, "first report")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compromise(set, k1.Kid, tc.Add(time.Hour), "second report")
		checkErr(t, err, model.ErrInvalidTransition, "")
	})
}

func equalSets(a, b Set) bool {
	return slices.EqualFunc(a, b, func(x, y Key) bool {
		return x.Kid == y.Kid && x.State == y.State && x.RetireTime.Equal(y.RetireTime) &&
			x.ActivateTime.Equal(y.ActivateTime) && x.CompromiseTime.Equal(y.CompromiseTime)
	})
}

func TestKeySetBound(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: 0, Retention: 30 * day, MaxKeys: 3}
	var ks []Key
	for range 5 {
		ks = append(ks, testKey(t, ES256, kek, issuerA, t0))
	}
	// k0 signs from day 0, k1 from day 1 (k0 retires), k2 from day 2.
	set := rotate(t, nil, ks[0], t0, p)
	set = rotate(t, set, ks[1], t0.Add(day), p)
	set = rotate(t, set, ks[2], t0.Add(2*day), p)
	tests := []struct {
		name    string
		set     Set
		key     Key
		at      time.Time
		wantErr error
		wantIn  []int // indexes of ks expected in the result
	}{
		{name: "error/full while retired keys are within retention", set: set, key: ks[3], at: t0.Add(3 * day), wantErr: ErrKeySetFull},
		{name: "error/one instant before retention ends", set: set, key: ks[3], at: t0.Add(31*day - time.Nanosecond), wantErr: ErrKeySetFull},
		{name: "ok/oldest retired key dropped after retention", set: set, key: ks[3], at: t0.Add(31 * day), wantIn: []int{1, 2, 3}},
		{
			// k2 compromised leaves k0 and k1 (retired) published; with k4
			// that is 3, within the bound, so the replacement goes through.
			name: "ok/compromised keys do not count against the bound",
			set: func() Set {
				s, err := Compromise(set, ks[2].Kid, t0.Add(3*day), "leaked")
				if err != nil {
					t.Fatal(err)
				}
				return s
			}(),
			key: ks[4], at: t0.Add(3 * day), wantIn: []int{0, 1, 2, 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rotate(tt.set, tt.key, tt.at, p)
			checkErr(t, err, tt.wantErr, "")
			if err != nil {
				return
			}
			var kids []string
			for _, i := range tt.wantIn {
				kids = append(kids, ks[i].Kid)
			}
			var gotKids []string
			for _, k := range got {
				gotKids = append(gotKids, k.Kid)
			}
			if !slices.Equal(gotKids, kids) {
				t.Errorf("set holds %d keys %v; want %v", len(gotKids), gotKids, kids)
			}
			if sk, err := SigningKey(got, tt.at); err != nil || sk.Kid != tt.key.Kid {
				t.Errorf("SigningKey = %q, %v; want the new key", sk.Kid, err)
			}
		})
	}
}

func TestPrune(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: day, Retention: 10 * day, MaxKeys: 4}
	k0, k1 := testKey(t, ES256, kek, issuerA, t0), testKey(t, ES256, kek, issuerA, t0)
	set := rotate(t, nil, k0, t0, Policy{Retention: p.Retention, MaxKeys: 4})
	set = rotate(t, set, k1, t0, p) // k0 retires at t0+day
	tests := []struct {
		name string
		at   time.Time
		want int
	}{
		{name: "ok/pending and active kept", at: t0.Add(time.Hour), want: 2},
		{name: "ok/retired key kept within retention", at: t0.Add(11*day - time.Nanosecond), want: 2},
		{name: "ok/retired key dropped at end of retention", at: t0.Add(11 * day), want: 1},
		{name: "ok/active key never dropped", at: t0.Add(100 * 365 * day), want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Prune(set, tt.at, p.Retention)
			if len(got) != tt.want {
				t.Errorf("%d keys left; want %d", len(got), tt.want)
			}
			if len(set) != 2 {
				t.Fatal("Prune modified its input set")
			}
		})
	}
}

func TestRotateRefusesBadInput(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, ES256, kek, issuerA, t0)
	other := testKey(t, ES256, kek, issuerA, t0)
	immediate := DefaultPolicy()
	immediate.PublishDelay = 0
	set := rotate(t, nil, k, t0, immediate)
	tests := []struct {
		name    string
		key     Key
		policy  Policy
		wantErr error
		field   string
	}{
		{name: "ok", key: other, policy: DefaultPolicy()},
		{name: "error/key already in the set", key: k, policy: DefaultPolicy(), wantErr: model.ErrAlreadyExists},
		{name: "error/key already placed in a set", key: set[0], policy: DefaultPolicy(), wantErr: errInvalid, field: "key.state"},
		{name: "error/empty kid", key: func() Key { c := other; c.Kid = ""; return c }(), policy: DefaultPolicy(), wantErr: errInvalid, field: "key.kid"},
		{name: "error/unsupported algorithm", key: func() Key { c := other; c.Alg = "RS256"; return c }(), policy: DefaultPolicy(), wantErr: errInvalid, field: "key.alg"},
		{name: "error/kid not the thumbprint", key: func() Key { c := other; c.Kid = k.Kid + "x"; return c }(), policy: DefaultPolicy(), wantErr: ErrKeyBinding},
		{name: "error/sealed key of another kid", key: func() Key { c := other; c.Sealed = k.Sealed; return c }(), policy: DefaultPolicy(), wantErr: ErrKeyBinding},
		{name: "error/negative publish delay", key: other, policy: Policy{PublishDelay: -1, Retention: day, MaxKeys: 2}, wantErr: errInvalid, field: "publish_delay"},
		{name: "error/no retention", key: other, policy: Policy{MaxKeys: 2}, wantErr: errInvalid, field: "retention"},
		{name: "error/bound too small to rotate", key: other, policy: Policy{Retention: day, MaxKeys: 1}, wantErr: errInvalid, field: "max_keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Rotate(set, tt.key, t0.Add(time.Hour), tt.policy)
			checkErr(t, err, tt.wantErr, tt.field)
		})
	}
}

func TestSigningKeyRefusesInconsistentSet(t *testing.T) {
	kek := testKEK(t)
	a, b := testKey(t, ES256, kek, issuerA, t0), testKey(t, ES256, kek, issuerA, t0)
	for _, k := range []*Key{&a, &b} {
		k.State, k.PublishTime, k.ActivateTime = StateActive, t0, t0
	}
	if _, err := SigningKey(Set{a, b}, t0); err == nil {
		t.Fatal("SigningKey chose one of two overlapping active keys; want an error")
	}
}

func TestJWKS(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: day, Retention: 30 * day, MaxKeys: MaxPublishedKeys}
	retired, active, pending, bad := testKey(t, ES256, kek, issuerA, t0), testKey(t, EdDSA, kek, issuerA, t0),
		testKey(t, ES256, kek, issuerA, t0), testKey(t, EdDSA, kek, issuerA, t0)
	set := rotate(t, nil, retired, t0, Policy{Retention: p.Retention, MaxKeys: MaxPublishedKeys})
	set = rotate(t, set, bad, t0, p)
	set, err := Compromise(set, bad.Kid, t0.Add(time.Hour), "leaked")
	if err != nil {
		t.Fatal(err)
	}
	set = rotate(t, set, active, t0.Add(time.Hour), p)
	set = rotate(t, set, pending, t0.Add(3*day), p)

	jwks, err := JWKS(set)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(jwks)
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"kty": true, "crv": true, "x": true, "y": true, "kid": true, "alg": true, "use": true}
	var kids []string
	for _, k := range parsed.Keys {
		for member := range k {
			if !allowed[member] {
				t.Errorf("published key %v has member %q; only public parameters, kid, alg and use may appear", k["kid"], member)
			}
		}
		if k["use"] != "sig" || k["alg"] == nil || k["kid"] == nil {
			t.Errorf("published key %v lacks use sig, alg or kid", k)
		}
		kids = append(kids, k["kid"].(string))
	}
	want := []string{retired.Kid, active.Kid, pending.Kid}
	if !slices.Equal(kids, want) {
		t.Errorf("published kids %v; want retired, active and pending %v (not the compromised key)", kids, want)
	}
}
