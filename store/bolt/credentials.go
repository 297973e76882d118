package bolt

import (
	"bytes"
	"encoding/binary"
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

// slotListPrefix is the prefix of every slot of one status list. List and
// index are non-negative, so their big-endian bytes sort numerically.
func slotListPrefix(issuerID string, list int32) []byte {
	return binary.BigEndian.AppendUint32(prefixKey(issuerID), uint32(list))
}

func slotKey(issuerID string, list, index int32) []byte {
	return binary.BigEndian.AppendUint32(slotListPrefix(issuerID, list), uint32(index))
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

// StatusIndexes reads the slot index of one list; the records themselves
// are not touched, so rebuilding an allocator stays cheap.
func (t *tx) StatusIndexes(issuerID string, list int32) ([]int, error) {
	if err := fieldProblems("issuer_id", idProblem(issuerID), "list", listProblem(list)); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketCredentialSlots)
	if err != nil {
		return nil, err
	}
	prefix := slotListPrefix(issuerID, list)
	var out []int
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) != len(prefix)+4 {
			return nil, fmt.Errorf("index %s holds a key of %d bytes under issuer %q, want %d", bucketCredentialSlots, len(k), issuerID, len(prefix)+4)
		}
		out = append(out, int(binary.BigEndian.Uint32(k[len(prefix):])))
	}
	return out, nil
}

// StatusListCount seeks just past the issuer's slots and steps back once:
// the last slot is in the highest list. No counter record is needed, so
// there is nothing that could drift from the index.
func (t *tx) StatusListCount(issuerID string) (int32, error) {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return 0, err
	}
	b, err := t.bucket(bucketCredentialSlots)
	if err != nil {
		return 0, err
	}
	prefix := prefixKey(issuerID)
	// The issuer's keys all continue the prefix with its separator byte
	// (0x00); the first key that could follow them has 0x01 there.
	beyond := append(joinKey(issuerID), sep+1)
	c := b.Cursor()
	k, _ := c.Seek(beyond)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return 0, nil
	}
	if len(k) != len(prefix)+8 {
		return 0, fmt.Errorf("index %s holds a key of %d bytes under issuer %q, want %d", bucketCredentialSlots, len(k), issuerID, len(prefix)+8)
	}
	return int32(binary.BigEndian.Uint32(k[len(prefix):])) + 1, nil
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
	slot := slotKey(c.IssuerID, c.StatusList, c.StatusIndex)
	if owner := slots.Get(slot); owner != nil {
		return fmt.Errorf("%w: status slot (list %d, index %d) of issuer %q is held by credential %q",
			model.ErrAlreadyExists, c.StatusList, c.StatusIndex, c.IssuerID, owner)
	}
	if err := credentialCodec.put(records, key, c); err != nil {
		return err
	}
	return slots.Put(slot, []byte(c.ID))
}

// UpdateCredential refuses to move the record to another slot: the slot
// index was written for the old one, and the status bits of a credential
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
	bs, err := t.buckets(bucketCredentials, bucketCredentialSlots)
	if err != nil {
		return nil, nil, err
	}
	return bs[0], bs[1], nil
}
