package issuer

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/verifier"
)

// TestCompromisedKeyOutlivesRetention: long after the retention period,
// and after later rotations pruned the set, a credential signed with a
// compromised key still verifies as KEY_COMPROMISED, not as an unknown
// kid, and the key's private part is gone from the store.
func TestCompromisedKeyOutlivesRetention(t *testing.T) {
	w := newWorld(t)
	issued := w.issue(nil)
	kid := issued.Record.Kid
	if _, err := w.svc.CompromiseKey(ctx, rocClient, "", "roc", kid, "laptop stolen"); err != nil {
		t.Fatal(err)
	}
	ver, err := verifier.New(verifier.Config{Store: w.st, BaseURL: base, Now: w.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	zero := time.Duration(0)
	tests := []struct {
		name    string
		advance time.Duration
		rotate  bool
	}{
		{name: "ok/right after the compromise"},
		{name: "ok/after a rotation within the retention", advance: time.Hour, rotate: true},
		{name: "ok/after a rotation beyond the retention", advance: keys.DefaultPolicy().Retention + time.Hour, rotate: true},
		{name: "ok/after another rotation much later", advance: 3 * keys.DefaultPolicy().Retention, rotate: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w.clk.Advance(tc.advance)
			if tc.rotate {
				if _, err := w.svc.RotateKey(ctx, rocClient, "", "roc", "", &zero); err != nil {
					t.Fatal(err)
				}
			}
			v, err := ver.Verify(ctx, issued.JWS)
			if err != nil {
				t.Fatal(err)
			}
			if got := checkReason(v, verifier.CheckKey); v.Verdict != verifier.Invalid || got != verifier.ReasonKeyCompromised {
				t.Fatalf("verdict %s, key check %s; want INVALID with %s", v.Verdict, got, verifier.ReasonKeyCompromised)
			}
			var set keys.Set
			if err := w.st.View(ctx, func(tx store.ReadTx) (err error) { set, err = tx.IssuerKeys("roc"); return err }); err != nil {
				t.Fatal(err)
			}
			if k, ok := keys.Find(set, kid); !ok || k.Sealed.KEKID != "" || len(k.Sealed.Ciphertext) != 0 {
				t.Fatalf("stored compromised key: present %v, private part kept %v", ok, ok && k.Sealed.KEKID != "")
			}
		})
	}
}

func checkReason(v *verifier.Verdict, name verifier.CheckName) string {
	for _, c := range v.Checks {
		if c.Name == name {
			return c.Reason
		}
	}
	return ""
}

// TestRewrapWipesCompromisedKeys: a compromised key stored with its
// private part (before keys were wiped at compromise) loses it at the
// next re-wrap instead of being re-sealed under the new KEK.
func TestRewrapWipesCompromisedKeys(t *testing.T) {
	w := newWorld(t)
	kid := w.issue(nil).Record.Kid
	err := w.st.Update(ctx, func(tx store.Tx) error {
		set, err := tx.IssuerKeys("roc")
		if err != nil {
			return err
		}
		for i := range set {
			set[i].State, set[i].CompromiseTime, set[i].CompromiseReason = keys.StateCompromised, w.clk.Now(), "old record"
		}
		return tx.PutIssuerKeys("roc", set)
	})
	if err != nil {
		t.Fatal(err)
	}
	newKEK, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	n, err := RewrapKeys(ctx, w.st, w.kek, newKEK)
	if err != nil || n != 1 {
		t.Fatalf("RewrapKeys = %d, %v; want 1 (other's key), nil", n, err)
	}
	var set keys.Set
	if err := w.st.View(ctx, func(tx store.ReadTx) (err error) { set, err = tx.IssuerKeys("roc"); return err }); err != nil {
		t.Fatal(err)
	}
	if k, ok := keys.Find(set, kid); !ok || k.Sealed.KEKID != "" {
		t.Fatalf("compromised key: present %v, still sealed under %q", ok, k.Sealed.KEKID)
	}
}
