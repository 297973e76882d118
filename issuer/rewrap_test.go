package issuer

import (
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/store"
)

// sealedUnder counts the stored keys of roc and other sealed under kek.
func (w *world) sealedUnder(t *testing.T, kek *keys.KEK) (under, total int) {
	t.Helper()
	err := w.st.View(ctx, func(tx store.ReadTx) error {
		for _, id := range []string{"roc", "other"} {
			set, err := tx.IssuerKeys(id)
			if err != nil {
				return err
			}
			for _, k := range set {
				total++
				if k.Sealed.KEKID == kek.ID() {
					under++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return under, total
}

// serviceWith builds a fresh Service (no cached signers) with kek.
func (w *world) serviceWith(t *testing.T, kek *keys.KEK) *Service {
	t.Helper()
	s, err := New(Config{Store: w.st, KEK: kek, BaseURL: base, Now: w.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRewrapKeys(t *testing.T) {
	newKEK, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	wrongKEK, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		old, new  func(w *world) *keys.KEK
		want      error
		moved     int
		signsWith func(w *world) *keys.KEK // the KEK that opens the keys afterwards
	}{
		{name: "ok/right old KEK", old: func(w *world) *keys.KEK { return w.kek }, new: func(*world) *keys.KEK { return newKEK },
			moved: 2, signsWith: func(*world) *keys.KEK { return newKEK }},
		{name: "error/wrong old KEK writes nothing", old: func(*world) *keys.KEK { return wrongKEK }, new: func(*world) *keys.KEK { return newKEK },
			want: keys.ErrWrongKEK, signsWith: func(w *world) *keys.KEK { return w.kek }},
		{name: "error/same KEK twice", old: func(w *world) *keys.KEK { return w.kek }, new: func(w *world) *keys.KEK { return w.kek },
			want: errValidation, signsWith: func(w *world) *keys.KEK { return w.kek }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			n, err := RewrapKeys(ctx, w.st, tc.old(w), tc.new(w))
			checkErr(t, err, tc.want)
			if n != tc.moved {
				t.Fatalf("re-sealed %d keys, want %d", n, tc.moved)
			}
			kek := tc.signsWith(w)
			if under, total := w.sealedUnder(t, kek); under != total {
				t.Fatalf("%d of %d keys sealed under the expected KEK", under, total)
			}
			if _, err := w.serviceWith(t, kek).Issue(ctx, rocClient, request()); err != nil {
				t.Fatalf("issue with the KEK in force: %v", err)
			}
			if kek != w.kek {
				_, err := w.serviceWith(t, w.kek).Issue(ctx, rocClient, request())
				checkErr(t, err, keys.ErrWrongKEK)
				// Running it again finds nothing left to move.
				if n, err := RewrapKeys(ctx, w.st, w.kek, kek); err != nil || n != 0 {
					t.Fatalf("second re-wrap: %d keys, %v; want 0, nil", n, err)
				}
			}
		})
	}
}
