package bolt

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/skillpass-nl/skillpass/model"
)

// maxSecretBytes bounds a sealed secret: a 32-byte key sealed with its
// header, nonce and tag is well under 200 bytes; anything near this bound
// is a caller's mistake, not a secret.
const maxSecretBytes = 4 << 10

func checkSecretName(name string) error {
	if !model.ValidID(name) {
		return model.Invalid("secret_name", "must be a lowercase id of letters, digits and hyphens, got %s", strconv.Quote(name))
	}
	return nil
}

func (t *tx) GetSecret(name string) ([]byte, error) {
	if err := checkSecretName(name); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketSecrets)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(name))
	if v == nil {
		return nil, fmt.Errorf("%w: secret %s", model.ErrNotFound, strconv.Quote(name))
	}
	// bbolt's value is valid only during the transaction.
	return bytes.Clone(v), nil
}

func (t *tx) PutSecret(name string, sealed []byte) error {
	if err := checkSecretName(name); err != nil {
		return err
	}
	switch {
	case len(sealed) == 0:
		return model.Invalid("secret", "must not be empty")
	case len(sealed) > maxSecretBytes:
		return model.Invalid("secret", "must be at most %d bytes, got %d", maxSecretBytes, len(sealed))
	}
	b, err := t.bucket(bucketSecrets)
	if err != nil {
		return err
	}
	return b.Put([]byte(name), bytes.Clone(sealed))
}
