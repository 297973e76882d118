package issuer

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/skillpass-nl/skillpass/model"
)

// An idempotent issuance keeps its credential in the request record, so a
// retry gets it byte for byte (the signature is randomised and cannot be
// made again). The credential names the holder, so it is kept sealed
// (AES-256-GCM under a key derived from the deployment secret, which is
// sealed under the KEK), never in plain text.

// resultAADLabel separates sealed results from anything else sealed under
// a key derived from the same secret.
const resultAADLabel = "skillpass issued credential result v1\x00"

// resultAAD binds a sealed result to its request record: the request key
// (caller, operation, request id), the fingerprint of the request content
// and the credential's resource name. A sealed result copied onto another
// record, or a record edited to name another credential, fails to open.
func resultAAD(key string, fp [32]byte, resultName string) []byte {
	b := make([]byte, 0, len(resultAADLabel)+4+len(key)+len(fp)+len(resultName))
	b = append(b, resultAADLabel...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = append(b, fp[:]...)
	return append(b, resultName...)
}

// sealResult seals an issued credential for the request record stored
// under key.
func (sec *secrets) sealResult(key string, fp [32]byte, resultName, jws string) ([]byte, error) {
	return sec.results.Seal([]byte(jws), resultAAD(key, fp, resultName))
}

// openResult returns the credential kept in r, the request record stored
// under key, and checks it against the issuance record's token hash.
func (sec *secrets) openResult(key string, r *model.RequestRecord, rec *model.CredentialRecord) (string, error) {
	plain, err := sec.results.Open(r.Result, resultAAD(key, r.Fingerprint, r.ResultName))
	if err != nil {
		return "", fmt.Errorf("result of request record for %s: %w", r.ResultName, err)
	}
	if sha256.Sum256(plain) != rec.TokenHash {
		return "", fmt.Errorf("result of request record for %s is not the credential its issuance record names", r.ResultName)
	}
	return string(plain), nil
}
