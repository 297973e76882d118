package keys

import (
	"testing"
	"time"
)

// TestCompromisedKeysKept: a compromised key outlives any retention, so
// what it signed keeps verifying as KEY_COMPROMISED instead of as an
// unknown kid; its private part is wiped; the kept records are bounded.
func TestCompromisedKeysKept(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: 0, Retention: 30 * day, MaxKeys: MaxPublishedKeys}
	k1 := testKey(t, ES256, kek, issuerA, t0)
	set := rotate(t, nil, k1, t0, p)
	tc := t0.Add(time.Hour)
	set, err := Compromise(set, k1.Kid, tc, "laptop stolen")
	if err != nil {
		t.Fatal(err)
	}
	late := t0.Add(10 * 365 * day) // far beyond the retention
	k2 := testKey(t, ES256, kek, issuerA, late)
	rotated := rotate(t, set, k2, late, p)

	// legacy is a set stored before compromised keys were wiped.
	legacy := Set{k1}
	legacy[0].State, legacy[0].CompromiseTime, legacy[0].CompromiseReason = StateCompromised, tc, "old record"

	tests := []struct {
		name string
		set  Set
	}{
		{name: "ok/right after the compromise", set: set},
		{name: "ok/pruned long after the retention", set: Prune(set, late, p.Retention)},
		{name: "ok/rotated long after the retention", set: rotated},
		{name: "ok/stored before wiping, pruned", set: Prune(legacy, tc, p.Retention)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := VerifyingKey(tt.set, k1.Kid, t0.Add(time.Minute))
			checkErr(t, err, ErrKeyCompromised, "")
			if k.Kid != k1.Kid || !k.CompromiseTime.Equal(tc) || k.CompromiseReason == "" || k.PublicJWK.Key == nil {
				t.Fatalf("kept record %+v lacks kid, time, reason or public key", k)
			}
			if k.Sealed.KEKID != "" || len(k.Sealed.Ciphertext) != 0 {
				t.Fatal("the compromised key's private part is still stored")
			}
			jwks, err := JWKS(tt.set)
			if err != nil || len(jwks.Key(k1.Kid)) != 0 {
				t.Fatalf("JWKS (%v) publishes the compromised key", err)
			}
		})
	}
	if len(legacy[0].Sealed.Ciphertext) == 0 {
		t.Fatal("Prune wiped its input set")
	}
}

func TestCompromisedKeysBounded(t *testing.T) {
	kek := testKEK(t)
	p := Policy{PublishDelay: 0, Retention: day, MaxKeys: 2}
	var set Set
	var kids []string
	for i := range MaxCompromisedKeys + 2 {
		now := t0.Add(time.Duration(i) * time.Hour)
		k := testKey(t, ES256, kek, issuerA, now)
		set = rotate(t, set, k, now, p)
		var err error
		if set, err = Compromise(set, k.Kid, now.Add(time.Minute), "lost"); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, k.Kid)
	}
	if len(set) != MaxCompromisedKeys {
		t.Fatalf("set holds %d keys, want %d", len(set), MaxCompromisedKeys)
	}
	tests := []struct {
		name string
		kid  string
		want error
	}{
		{name: "ok/newest kept", kid: kids[len(kids)-1], want: ErrKeyCompromised},
		{name: "ok/oldest kept", kid: kids[2], want: ErrKeyCompromised},
		{name: "error/beyond the bound dropped", kid: kids[1], want: ErrKeyUnknown},
		{name: "error/first dropped", kid: kids[0], want: ErrKeyUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyingKey(set, tt.kid, t0)
			checkErr(t, err, tt.want, "")
		})
	}
}
