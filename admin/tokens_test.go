package admin

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func TestCreateToken(t *testing.T) {
	tests := []struct {
		name       string
		actor      model.Principal
		principal  string
		ttl        time.Duration
		wantErr    error
		wantExpire time.Time
	}{
		{name: "ok/root for another principal, default ttl", actor: root, principal: "otib", wantExpire: day0.Add(90 * 24 * time.Hour)},
		{name: "ok/own token", actor: client, principal: "roc-client", ttl: time.Hour, wantExpire: day0.Add(time.Hour)},
		{name: "ok/minimum ttl", actor: authority, principal: "otib", ttl: time.Minute, wantExpire: day0.Add(time.Minute)},
		{name: "ok/maximum ttl", actor: root, principal: "root", ttl: MaxTokenTTL, wantExpire: day0.Add(MaxTokenTTL)},
		{name: "error/someone else's token", actor: authority, principal: "roc-client", wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, principal: "anonymous", wantErr: model.ErrUnauthenticated},
		{name: "error/ttl too short", actor: root, principal: "otib", ttl: 59 * time.Second, wantErr: errValidation},
		{name: "error/ttl too long", actor: root, principal: "otib", ttl: MaxTokenTTL + time.Second, wantErr: errValidation},
		{name: "error/negative ttl", actor: root, principal: "otib", ttl: -time.Hour, wantErr: errValidation},
		{name: "error/unknown principal", actor: root, principal: "ghost", wantErr: model.ErrPrincipalUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newService(t)
			tok, secret, err := s.CreateToken(ctx, tt.actor, "", tt.principal, "laptop", tt.ttl)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			raw, derr := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
			if !strings.HasPrefix(secret, SecretPrefix) || derr != nil || len(raw) != 32 {
				t.Errorf("secret %q is not skp_ + base64url of 32 bytes", secret)
			}
			if tok.SecretHash != model.HashSecret(secret) || !tok.ExpireTime.Equal(tt.wantExpire) || len(tok.ID) != 16 || tok.PrincipalID != tt.principal {
				t.Errorf("token %+v, want the secret's hash, expiry %s, a 16-hex id", tok, tt.wantExpire)
			}
			p, err := s.Authenticate(ctx, secret)
			checkErr(t, err, nil)
			if p.ID != tt.principal {
				t.Errorf("authenticated as %q, want %q", p.ID, tt.principal)
			}
		})
	}
}

func TestCreateTokenReplay(t *testing.T) {
	s, _, _ := newService(t)
	first, secret, err := s.CreateToken(ctx, root, "tok-1", "otib", "ci", time.Hour)
	checkErr(t, err, nil)
	again, secret2, err := s.CreateToken(ctx, root, "tok-1", "otib", "ci", time.Hour)
	checkErr(t, err, nil)
	if again.ID != first.ID || secret2 != "" || secret == "" {
		t.Errorf("replay gave token %s secret %q, want token %s and no secret", again.ID, secret2, first.ID)
	}
	_, _, err = s.CreateToken(ctx, root, "tok-1", "otib", "ci", 2*time.Hour)
	checkErr(t, err, model.ErrRequestIDReused)
	list, _, err := s.ListTokens(ctx, authority, "otib", Page{})
	checkErr(t, err, nil)
	if len(list) != 1 {
		t.Errorf("%d tokens after a replay, want 1", len(list))
	}
}

func TestAuthenticate(t *testing.T) {
	s, clk, st := newService(t)
	_, valid, err := s.CreateToken(ctx, root, "", "otib", "", time.Hour)
	checkErr(t, err, nil)
	revokedTok, revoked, err := s.CreateToken(ctx, root, "", "otib", "", time.Hour)
	checkErr(t, err, nil)
	_, err = s.RevokeToken(ctx, root, "", "otib", revokedTok.ID)
	checkErr(t, err, nil)
	_, expiring, err := s.CreateToken(ctx, root, "", "otib", "", time.Minute)
	checkErr(t, err, nil)
	// A token whose principal is gone can only arise from a damaged or
	// hand-edited database; it must still not authenticate.
	orphan := "skp_" + strings.Repeat("A", 43)
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateToken(&model.Token{PrincipalID: "gone", ID: "00000000000000aa", SecretHash: model.HashSecret(orphan), ExpireTime: day0.Add(time.Hour)})
	})
	checkErr(t, err, nil)
	clk.Set(day0.Add(2 * time.Minute))

	tests := []struct {
		name    string
		secret  string
		wantID  string
		wantErr error
	}{
		{name: "ok", secret: valid, wantID: "otib"},
		{name: "error/empty", secret: "", wantErr: model.ErrUnauthenticated},
		{name: "error/unknown", secret: "skp_" + strings.Repeat("B", 43), wantErr: model.ErrUnauthenticated},
		{name: "error/wrong prefix", secret: "xyz_" + valid[4:], wantErr: model.ErrUnauthenticated},
		{name: "error/truncated", secret: valid[:len(valid)-1], wantErr: model.ErrUnauthenticated},
		{name: "error/revoked", secret: revoked, wantErr: model.ErrUnauthenticated},
		{name: "error/expired", secret: expiring, wantErr: model.ErrUnauthenticated},
		{name: "error/principal gone", secret: orphan, wantErr: model.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Authenticate(ctx, tt.secret)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
					t.Errorf("error %q contains the secret", err)
				}
				return
			}
			if p.ID != tt.wantID {
				t.Errorf("authenticated as %q, want %q", p.ID, tt.wantID)
			}
		})
	}
}

func TestRevokeToken(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		owner   string
		id      string // "" means the token created for owner
		wantErr error
	}{
		{name: "ok/own token", actor: authority, owner: "otib"},
		{name: "ok/root", actor: root, owner: "otib"},
		{name: "error/someone else's", actor: client, owner: "otib", wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, owner: "otib", wantErr: model.ErrUnauthenticated},
		{name: "error/unknown token", actor: root, owner: "otib", id: "0123456789abcdef", wantErr: model.ErrNotFound},
		{name: "error/malformed id", actor: root, owner: "otib", id: "../x", wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk, _ := newService(t)
			tok, _, err := s.CreateToken(ctx, root, "", tt.owner, "", time.Hour)
			checkErr(t, err, nil)
			id := tt.id
			if id == "" {
				id = tok.ID
			}
			clk.Set(day0.Add(time.Minute))
			got, err := s.RevokeToken(ctx, tt.actor, "", tt.owner, id)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			if !got.RevokeTime.Equal(day0.Add(time.Minute)) {
				t.Errorf("revoked at %s, want %s", got.RevokeTime, day0.Add(time.Minute))
			}
			// Revoking again is fine and keeps the first time.
			clk.Set(day0.Add(time.Hour / 2))
			again, err := s.RevokeToken(ctx, tt.actor, "", tt.owner, id)
			checkErr(t, err, nil)
			if !again.RevokeTime.Equal(day0.Add(time.Minute)) {
				t.Errorf("second revocation moved the time to %s", again.RevokeTime)
			}
		})
	}
}

func TestListTokens(t *testing.T) {
	tests := []struct {
		name      string
		actor     model.Principal
		principal string
		wantErr   error
	}{
		{"ok/own", authority, "otib", nil},
		{"ok/root", root, "otib", nil},
		{"error/someone else's", client, "otib", model.ErrPermissionDenied},
		{"error/anonymous", anonymous, "otib", model.ErrUnauthenticated},
		{"error/unknown principal", root, "ghost", model.ErrPrincipalUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newService(t)
			for range 3 {
				if _, _, err := s.CreateToken(ctx, root, "", "otib", "", time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			page, next, err := s.ListTokens(ctx, tt.actor, tt.principal, Page{Size: 2})
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			rest, _, err := s.ListTokens(ctx, tt.actor, tt.principal, Page{Size: 2, Token: next})
			checkErr(t, err, nil)
			if len(page)+len(rest) != 3 {
				t.Errorf("listed %d+%d tokens, want 3", len(page), len(rest))
			}
			for _, tok := range append(page, rest...) {
				if tok.SecretHash == ([32]byte{}) {
					t.Error("a listed token lost its secret hash")
				}
			}
		})
	}
}

func TestBootstrap(t *testing.T) {
	s, _, _ := newService(t)
	// The seeded database has principals: nothing to do.
	secret, created, err := s.Bootstrap(ctx)
	checkErr(t, err, nil)
	if created || secret != "" {
		t.Errorf("Bootstrap on a populated database = %q, %v; want \"\", false", secret, created)
	}

	empty := emptyService(t)
	secret, created, err = empty.Bootstrap(ctx)
	checkErr(t, err, nil)
	if !created || !strings.HasPrefix(secret, SecretPrefix) {
		t.Fatalf("Bootstrap on an empty database = %q, %v; want a secret and true", secret, created)
	}
	p, err := empty.Authenticate(ctx, secret)
	checkErr(t, err, nil)
	if p.ID != "root" || p.Kind != model.KindRoot || p.DisplayName != "operator" {
		t.Errorf("bootstrap principal %+v, want root/ROOT/operator", p)
	}
	toks, _, err := empty.ListTokens(ctx, p, "root", Page{})
	checkErr(t, err, nil)
	if len(toks) != 1 || !toks[0].ExpireTime.Equal(day0.Add(365*24*time.Hour)) {
		t.Errorf("bootstrap tokens %+v, want one expiring after 365 days", toks)
	}
	secret, created, err = empty.Bootstrap(ctx)
	checkErr(t, err, nil)
	if created || secret != "" {
		t.Errorf("second Bootstrap = %q, %v; want \"\", false", secret, created)
	}
}

func TestBackupRestore(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		wantErr error
	}{
		{"ok/root", root, nil},
		{"error/sector authority", authority, model.ErrPermissionDenied},
		{"error/issuer client", client, model.ErrPermissionDenied},
		{"error/anonymous", anonymous, model.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newService(t)
			var buf bytes.Buffer
			n, err := s.Backup(ctx, tt.actor, &buf)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				if buf.Len() != 0 {
					t.Errorf("refused backup wrote %d bytes", buf.Len())
				}
				_, err = s.Restore(ctx, tt.actor, strings.NewReader("junk"))
				checkErr(t, err, tt.wantErr)
				return
			}
			if n != int64(buf.Len()) || n == 0 {
				t.Fatalf("Backup reported %d bytes, wrote %d", n, buf.Len())
			}
			// Changes after the backup disappear on restore.
			if _, err := s.CreatePrincipal(ctx, root, "", &model.Principal{ID: "later", Kind: model.KindRoot, DisplayName: "later"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Restore(ctx, tt.actor, bytes.NewReader(buf.Bytes())); err != nil {
				t.Fatalf("Restore: %v", err)
			}
			_, err = s.GetPrincipal(ctx, root, "later")
			checkErr(t, err, model.ErrNotFound)
			_, err = s.Restore(ctx, tt.actor, strings.NewReader("not a database"))
			checkErr(t, err, model.ErrBackupInvalid)
		})
	}
}
