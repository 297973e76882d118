package issuer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

func TestNewConfig(t *testing.T) {
	w := newWorld(t)
	ok := func() Config { return Config{Store: w.st, KEK: w.kek, BaseURL: base} }
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{name: "ok"},
		{name: "ok/base URL with a path", edit: func(c *Config) { c.BaseURL = "https://example.nl/skillpass" }},
		{name: "error/no store", edit: func(c *Config) { c.Store = nil }, field: "store"},
		{name: "error/no KEK", edit: func(c *Config) { c.KEK = nil }, field: "kek"},
		{name: "error/http base URL", edit: func(c *Config) { c.BaseURL = "http://skillpass.example" }, field: "base_url"},
		{name: "error/base URL with trailing slash", edit: func(c *Config) { c.BaseURL = base + "/" }, field: "base_url"},
		{name: "error/validity beyond key retention", edit: func(c *Config) { c.MaxValidity = keys.DefaultPolicy().Retention + time.Hour }, field: "max_validity"},
		{name: "ok/validity plus start ahead exactly the retention", edit: func(c *Config) {
			c.KeyPolicy = keys.DefaultPolicy()
			c.MaxValidity = c.KeyPolicy.Retention - MaxStartAhead
		}},
		{name: "error/validity plus start ahead beyond key retention", edit: func(c *Config) {
			c.KeyPolicy = keys.DefaultPolicy()
			c.MaxValidity = c.KeyPolicy.Retention - MaxStartAhead + time.Second
		}, field: "max_validity"},
		{name: "error/retention shorter than the start ahead leaves no default", edit: func(c *Config) {
			c.KeyPolicy = keys.DefaultPolicy()
			c.KeyPolicy.Retention = MaxStartAhead
		}, field: "max_validity"},
		{name: "error/negative validity", edit: func(c *Config) { c.MaxValidity = -time.Hour }, field: "max_validity"},
		{name: "error/invalid key policy", edit: func(c *Config) { c.KeyPolicy = keys.Policy{PublishDelay: -1} }, field: "key_policy"},
		{name: "error/sub-second status list ttl", edit: func(c *Config) { c.StatusListTTL = time.Millisecond }, field: "status_list_ttl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok()
			if tc.edit != nil {
				tc.edit(&cfg)
			}
			s, err := New(cfg)
			if tc.field == "" {
				if err != nil || s == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			checkField(t, err, tc.field)
		})
	}
}

// TestNewKeyRetentionCoversCredentials: the last credential a key signs
// may start MaxStartAhead after signing and run MaxValidity; the key must
// still be in the set then, so New refuses a retention shorter than both
// together, naming both, and defaults MaxValidity to what fits.
func TestNewKeyRetentionCoversCredentials(t *testing.T) {
	w := newWorld(t)
	p := keys.DefaultPolicy()
	s, err := New(Config{Store: w.st, KEK: w.kek, BaseURL: base, KeyPolicy: p})
	if err != nil {
		t.Fatal(err)
	}
	if s.maxValidity+MaxStartAhead != p.Retention {
		t.Fatalf("default max validity %s + start ahead %s, want the retention %s", s.maxValidity, MaxStartAhead, p.Retention)
	}
	tooLong := p.Retention - time.Hour
	_, err = New(Config{Store: w.st, KEK: w.kek, BaseURL: base, KeyPolicy: p, MaxValidity: tooLong})
	checkField(t, err, "max_validity")
	for _, want := range []string{tooLong.String(), MaxStartAhead.String(), p.Retention.String()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// TestCommitRechecks: what changes between the snapshot and the commit (a
// suspension, a key compromise) is caught inside the committing
// transaction, and the status index goes back to the pool.
func TestCommitRechecks(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *world, kid string) error
		want   error
	}{
		{name: "ok/nothing changed", change: func(*world, string) error { return nil }},
		{name: "error/accreditation suspended meanwhile", want: ErrNotAccredited, change: func(w *world, _ string) error {
			_, err := w.reg.ChangeAccreditation(ctx, root, "", "roc", w.accID, model.AccreditationSuspended, "audit", time.Time{})
			return err
		}},
		{name: "error/key compromised meanwhile", want: keys.ErrKeyCompromised, change: func(w *world, kid string) error {
			_, err := w.svc.CompromiseKey(ctx, rocClient, "", "roc", kid, "leaked")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.issue(nil) // loads the allocator
			p, err := w.svc.prepare(rocClient, request())
			if err != nil {
				t.Fatal(err)
			}
			sec, err := w.svc.secrets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pl, _, err := w.svc.plan(ctx, p, sec)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.change(w, pl.key.Kid); err != nil {
				t.Fatal(err)
			}
			alloc := w.svc.slots.issuer("roc").alloc
			free := alloc.Free()
			out, err := w.svc.signAndCommit(ctx, p, pl, sec)
			checkErr(t, err, tc.want)
			wantFree := free
			if err == nil {
				wantFree--
				if _, err := w.svc.GetCredential(ctx, rocClient, "roc", out.Record.ID); err != nil {
					t.Fatalf("committed record: %v", err)
				}
			}
			if got := alloc.Free(); got != wantFree {
				t.Fatalf("%d free indexes, want %d (a refused issuance must release its index)", got, wantFree)
			}
			if hit, ok := w.svc.signers.m["roc"]; errors.Is(err, keys.ErrKeyCompromised) && ok && hit.kid == pl.key.Kid {
				t.Fatal("the compromised key's signer stayed cached")
			}
		})
	}
}

func TestRefusalErrors(t *testing.T) {
	err := refuse(ErrNoSkills, "skills", "needs at least one skill")
	var ve *model.ValidationError
	if !errors.Is(err, ErrNoSkills) || !errors.As(err, &ve) || ve.Violations[0].Field != "skills" {
		t.Fatalf("refusal %v must match its sentinel and carry the field violation", err)
	}
	ar := &AccreditationRefusal{IssuerID: "roc", SectorID: "s", ProfileID: "p", Version: 2, Check: model.CheckWithdrawn, AccreditationID: "a1"}
	if !errors.Is(ar, ErrNotAccredited) {
		t.Fatal("AccreditationRefusal must match ErrNotAccredited")
	}
	if got, want := ar.Error(), `issuer is not accredited for this profile version now: issuer "roc" for sectors/s/profiles/p/versions/2 (WITHDRAWN); closest accreditation issuers/roc/accreditations/a1`; got != want {
		t.Fatalf("message\n got %s\nwant %s", got, want)
	}
}
