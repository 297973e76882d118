package bolt

import (
	"bytes"
	"fmt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
)

var tokenCodec = codec[*model.Token, *storagev1.Token]{
	kind:   "token",
	newMsg: func() *storagev1.Token { return new(storagev1.Token) },
	toPB:   infallible(tokenToPB),
	fromPB: tokenFromPB,
}

func tokenRef(principalID, id string) string {
	return fmt.Sprintf("%q of principal %q", id, principalID)
}

func (t *tx) GetToken(principalID, id string) (*model.Token, error) {
	if err := checkIDs("principal_id", principalID, "token_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketTokens)
	if err != nil {
		return nil, err
	}
	return tokenCodec.get(b, joinKey(principalID, id), tokenRef(principalID, id))
}

// TokenBySecretHash is on the path of every authenticated call: one index
// lookup and one record read. The error never contains the hash, so logs
// of failed logins do not collect material about secrets.
func (t *tx) TokenBySecretHash(hash [32]byte) (*model.Token, error) {
	bs, err := t.buckets(bucketTokensByHash, bucketTokens)
	if err != nil {
		return nil, err
	}
	key := bs[0].Get(hash[:])
	if key == nil {
		return nil, fmt.Errorf("%w: no token has this secret", model.ErrNotFound)
	}
	v := bs[1].Get(key)
	if v == nil {
		return nil, fmt.Errorf("index %s names token %q, which does not exist", bucketTokensByHash, bytes.ReplaceAll(key, []byte{sep}, []byte("/")))
	}
	tok, err := tokenCodec.decode(v)
	if err != nil {
		return nil, err
	}
	// A record whose hash differs from its index entry would authenticate
	// the wrong secret; refuse it rather than trust the index alone.
	if tok.SecretHash != hash {
		return nil, fmt.Errorf("index %s and token %s disagree on the secret hash", bucketTokensByHash, tokenRef(tok.PrincipalID, tok.ID))
	}
	return tok, nil
}

func (t *tx) ListTokens(principalID, cursor string, limit int) ([]*model.Token, string, error) {
	if err := checkIDs("principal_id", principalID); err != nil {
		return nil, "", err
	}
	b, err := t.bucket(bucketTokens)
	if err != nil {
		return nil, "", err
	}
	return tokenCodec.list(b, prefixKey(principalID), cursor, limit)
}

// CreateToken checks both the id and the hash before writing either, so a
// refused token leaves nothing behind even if the caller goes on with the
// transaction.
func (t *tx) CreateToken(tok *model.Token) error {
	if err := checkToken(tok); err != nil {
		return err
	}
	bs, err := t.buckets(bucketTokens, bucketTokensByHash)
	if err != nil {
		return err
	}
	records, index := bs[0], bs[1]
	if index.Get(tok.SecretHash[:]) != nil {
		return fmt.Errorf("%w: a token with this secret hash", model.ErrAlreadyExists)
	}
	key := joinKey(tok.PrincipalID, tok.ID)
	if err := tokenCodec.insert(records, key, tok, tokenRef(tok.PrincipalID, tok.ID)); err != nil {
		return err
	}
	return index.Put(tok.SecretHash[:], key)
}

// UpdateToken refuses to change the secret hash: the index entry was
// written for the old one and would otherwise point at the wrong secret.
func (t *tx) UpdateToken(tok *model.Token) error {
	if err := checkToken(tok); err != nil {
		return err
	}
	b, err := t.bucket(bucketTokens)
	if err != nil {
		return err
	}
	key := joinKey(tok.PrincipalID, tok.ID)
	old, err := tokenCodec.get(b, key, tokenRef(tok.PrincipalID, tok.ID))
	if err != nil {
		return err
	}
	if old.SecretHash != tok.SecretHash {
		return model.Invalid("token.secret_hash", "cannot change once the token exists")
	}
	return tokenCodec.put(b, key, tok)
}

func checkToken(tok *model.Token) error {
	if tok == nil {
		return model.Invalid("token", "must be set")
	}
	if err := checkIDs("token.principal_id", tok.PrincipalID, "token.id", tok.ID); err != nil {
		return err
	}
	if tok.SecretHash == ([32]byte{}) {
		return model.Invalid("token.secret_hash", "must be set")
	}
	return nil
}
