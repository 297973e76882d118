package bolt

import (
	"fmt"
	"math"

	bbolt "go.etcd.io/bbolt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
)

// Issuance records bump no version: issuing changes nothing a verifier
// caches (status bits live in the status lists), and bumping on every
// issuance would empty the verifier's caches thousands of times a second.

var credentialCodec = codec[*model.CredentialRecord, *storagev1.CredentialRecord]{
	kind:   "credential",
	newMsg: func() *storagev1.CredentialRecord { return new(storagev1.CredentialRecord) },
	toPB:   infallible(credentialToPB),
	fromPB: credentialFromPB,
}

func credentialRef(issuerID, id string) string {
	return fmt.Sprintf("%q of issuer %q", id, issuerID)
}

// negativeProblem says what is wrong with a status index that becomes part
// of a key, or returns "" if nothing is.
func negativeProblem(n int32) string {
	if n < 0 {
		return fmt.Sprintf("must not be negative, got %d", n)
	}
	return ""
}

// listProblem is negativeProblem for a status list number, which must also
// leave room for StatusListCount (the highest number + 1) in an int32.
func listProblem(n int32) string {
	if n == math.MaxInt32 {
		return fmt.Sprintf("must be less than %d", n)
	}
	return negativeProblem(n)
}

func checkCredential(c *model.CredentialRecord) error {
	if c == nil {
		return model.Invalid("credential", "must be set")
	}
	return fieldProblems(
		"credential.issuer_id", idProblem(c.IssuerID),
		"credential.id", idProblem(c.ID),
		"credential.status_list", listProblem(c.StatusList),
		"credential.status_index", negativeProblem(c.StatusIndex),
	)
}

func (t *tx) GetCredential(issuerID, id string) (*model.CredentialRecord, error) {
	if err := checkIDs("issuer_id", issuerID, "credential_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketCredentials)
	if err != nil {
		return nil, err
	}
	return credentialCodec.get(b, joinKey(issuerID, id), credentialRef(issuerID, id))
}

func (t *tx) ListCredentials(issuerID, cursor string, limit int) ([]*model.CredentialRecord, string, error) {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return nil, "", err
	}
	b, err := t.bucket(bucketCredentials)
	if err != nil {
		return nil, "", err
	}
	return credentialCodec.list(b, prefixKey(issuerID), cursor, limit)
}

// CreateCredential checks both the id and the slot before writing either,
// so a refused record leaves nothing behind even if the caller goes on with
// the transaction (Batch groups do exactly that with other callers' work).
func (t *tx) CreateCredential(c *model.CredentialRecord) error {
	if err := checkCredential(c); err != nil {
		return err
	}
	records, slots, err := t.credentialBuckets()
	if err != nil {
		return err
	}
	key := joinKey(c.IssuerID, c.ID)
	if records.Get(key) != nil {
		return fmt.Errorf("%w: credential %s", model.ErrAlreadyExists, credentialRef(c.IssuerID, c.ID))
	}
	chunkKey := slotChunkKey(c.IssuerID, c.StatusList, c.StatusIndex)
	chunk, err := slotChunk(slots, chunkKey)
	if err != nil {
		return err
	}
	at, mask := slotBit(c.StatusIndex)
	if chunk[at]&mask != 0 {
		return fmt.Errorf("%w: status slot (list %d, index %d) of issuer %q is taken",
			model.ErrAlreadyExists, c.StatusList, c.StatusIndex, c.IssuerID)
	}
	if err := credentialCodec.put(records, key, c); err != nil {
		return err
	}
	chunk[at] |= mask
	return slots.Put(chunkKey, chunk)
}

// UpdateCredential refuses to move the record to another slot: the slot
// bit was set for the old one, and the status bits of a credential
// already handed out live at the slot printed in it.
func (t *tx) UpdateCredential(c *model.CredentialRecord) error {
	if err := checkCredential(c); err != nil {
		return err
	}
	records, _, err := t.credentialBuckets()
	if err != nil {
		return err
	}
	key := joinKey(c.IssuerID, c.ID)
	old, err := credentialCodec.get(records, key, credentialRef(c.IssuerID, c.ID))
	if err != nil {
		return err
	}
	if old.StatusList != c.StatusList || old.StatusIndex != c.StatusIndex {
		return model.Invalid("credential.status_index", "cannot move from (list %d, index %d) to (list %d, index %d); the slot is fixed at issuance",
			old.StatusList, old.StatusIndex, c.StatusList, c.StatusIndex)
	}
	return credentialCodec.put(records, key, c)
}

func (t *tx) credentialBuckets() (records, slots *bbolt.Bucket, err error) {
	bs, err := t.buckets(bucketCredentials, bucketStatusSlots)
	if err != nil {
		return nil, nil, err
	}
	return bs[0], bs[1], nil
}
