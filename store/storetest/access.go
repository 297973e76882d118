package storetest

import (
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func testPrincipals(t *testing.T, open Opener) {
	get := func(id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetPrincipal(id) }
	}
	issuerClient := &model.Principal{ID: "client", Kind: model.KindIssuerClient, DisplayName: "ROC client", IssuerID: "i1", CreateTime: at(2)}
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreatePrincipal(principal("alice")) }, []crudCase{
		{name: "ok/get", read: get("alice"), want: principal("alice")},
		{name: "ok/create issuer client", write: func(tx store.Tx) error { return tx.CreatePrincipal(issuerClient) }, read: get("client"), want: issuerClient},
		{
			name: "error/create existing",
			write: func(tx store.Tx) error {
				return tx.CreatePrincipal(with(principal("alice"), func(p *model.Principal) { p.Kind = model.KindRoot }))
			},
			writeErr: model.ErrAlreadyExists, read: get("alice"), want: principal("alice"),
		},
		{name: "error/get missing", read: get("bob"), readErr: model.ErrNotFound},
	})
}

func testTokens(t *testing.T, open Opener) {
	get := func(principalID, id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetToken(principalID, id) }
	}
	revoked := func(tok *model.Token) { tok.RevokeTime, tok.Description = at(5), "revoked: laptop lost" }
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreateToken(token("alice", "t1")) }, []crudCase{
		{name: "ok/get", read: get("alice", "t1"), want: token("alice", "t1")},
		{name: "ok/create", write: func(tx store.Tx) error { return tx.CreateToken(token("alice", "t2")) }, read: get("alice", "t2"), want: token("alice", "t2")},
		{name: "ok/revoke", write: func(tx store.Tx) error { return tx.UpdateToken(with(token("alice", "t1"), revoked)) }, read: get("alice", "t1"), want: with(token("alice", "t1"), revoked)},
		{
			name:  "error/create existing id",
			write: func(tx store.Tx) error { return tx.CreateToken(with(token("alice", "t1"), newSecret("other"))) }, writeErr: model.ErrAlreadyExists,
			read: get("alice", "t1"), want: token("alice", "t1"),
		},
		{
			name:  "error/create duplicate secret hash",
			write: func(tx store.Tx) error { return tx.CreateToken(with(token("bob", "t9"), sameSecretAs("alice", "t1"))) }, writeErr: model.ErrAlreadyExists,
			read: get("bob", "t9"), readErr: model.ErrNotFound,
		},
		{name: "error/update missing", write: func(tx store.Tx) error { return tx.UpdateToken(token("alice", "t3")) }, writeErr: model.ErrNotFound, read: get("alice", "t3"), readErr: model.ErrNotFound},
		{name: "error/get under another principal", read: get("bob", "t1"), readErr: model.ErrNotFound},
	})
}

func newSecret(secret string) func(*model.Token) {
	return func(tok *model.Token) { tok.SecretHash = model.HashSecret(secret) }
}

func sameSecretAs(principalID, id string) func(*model.Token) {
	return func(tok *model.Token) { tok.SecretHash = token(principalID, id).SecretHash }
}

func testTokenBySecretHash(t *testing.T, open Opener) {
	s := open(t)
	update(t, s, func(tx store.Tx) error {
		for _, tok := range []*model.Token{token("alice", "t1"), token("alice", "t2"), token("bob", "t1")} {
			if err := tx.CreateToken(tok); err != nil {
				return err
			}
		}
		return nil
	})
	revoked := with(token("alice", "t2"), func(tok *model.Token) { tok.RevokeTime = at(3) })
	update(t, s, func(tx store.Tx) error { return tx.UpdateToken(revoked) })
	cases := []struct {
		name    string
		hash    [32]byte
		want    *model.Token
		wantErr error
	}{
		{name: "ok/first token", hash: token("alice", "t1").SecretHash, want: token("alice", "t1")},
		{name: "ok/same id other principal", hash: token("bob", "t1").SecretHash, want: token("bob", "t1")},
		{name: "ok/sees the update", hash: token("alice", "t2").SecretHash, want: revoked},
		{name: "error/unknown secret", hash: model.HashSecret("guess"), wantErr: model.ErrNotFound},
		{name: "error/zero hash", wantErr: model.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			view(t, s, func(tx store.ReadTx) error {
				got, err := tx.TokenBySecretHash(tc.hash)
				if checkErr(t, "TokenBySecretHash", err, tc.wantErr) && tc.wantErr == nil {
					assertEqual(t, got, tc.want)
				}
				return nil
			})
		})
	}
}

func testRequests(t *testing.T, open Opener) {
	get := func(key string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetRequest(key) }
	}
	// Keys as internal/requests builds them: parts joined by NUL.
	const key = "alice\x00CreateSector\x00req-1"
	runCRUD(t, open, func(tx store.Tx) error { return tx.PutRequest(key, request("sectors/s1")) }, []crudCase{
		{name: "ok/get", read: get(key), want: request("sectors/s1")},
		{name: "ok/put another", write: func(tx store.Tx) error { return tx.PutRequest("bob\x00CreateSector\x00req-1", request("sectors/s2")) }, read: get("bob\x00CreateSector\x00req-1"), want: request("sectors/s2")},
		{name: "error/get other operation", read: get("alice\x00UpdateSector\x00req-1"), readErr: model.ErrNotFound},
		{name: "error/get missing", read: get("nobody\x00x\x00y"), readErr: model.ErrNotFound},
	})
}

func testSecrets(t *testing.T, open Opener) {
	get := func(name string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetSecret(name) }
	}
	sealed := []byte("sealed\x00bytes\xff")
	runCRUD(t, open, func(tx store.Tx) error { return tx.PutSecret("deployment", sealed) }, []crudCase{
		{name: "ok/get", read: get("deployment"), want: sealed},
		{name: "ok/put replaces", write: func(tx store.Tx) error { return tx.PutSecret("deployment", []byte("rewrapped")) }, read: get("deployment"), want: []byte("rewrapped")},
		{name: "ok/put another", write: func(tx store.Tx) error { return tx.PutSecret("other", []byte("x")) }, read: get("other"), want: []byte("x")},
		{name: "error/get missing", read: get("missing"), readErr: model.ErrNotFound},
		{name: "error/get bad name", read: get("Not An Id"), readErr: errInvalid},
		{name: "error/put empty", write: func(tx store.Tx) error { return tx.PutSecret("deployment", nil) }, writeErr: errInvalid, read: get("deployment"), want: sealed},
		{name: "error/put oversized", write: func(tx store.Tx) error { return tx.PutSecret("deployment", make([]byte, 64<<10)) }, writeErr: errInvalid, read: get("deployment"), want: sealed},
		{name: "error/put bad name", write: func(tx store.Tx) error { return tx.PutSecret("a\x00b", sealed) }, writeErr: errInvalid, read: get("deployment"), want: sealed},
	})
}
