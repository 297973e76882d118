package bolt

import (
	"fmt"
	"strconv"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var keySetCodec = codec[issuerKeys, *storagev1.IssuerKeySet]{
	kind:   "issuer key set",
	newMsg: func() *storagev1.IssuerKeySet { return new(storagev1.IssuerKeySet) },
	toPB:   keySetToPB,
	fromPB: keySetFromPB,
}

// IssuerKeys reads the issuer's one key-set record, decoded once per
// stored content (keyset_cache.go). A record filed under
// another issuer than its own content names means the file was damaged or
// edited, and is reported rather than trusted: the verifier would otherwise
// accept one issuer's signatures for another.
func (t *tx) IssuerKeys(issuerID string) (keys.Set, error) {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketIssuerKeys)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(issuerID))
	if v == nil {
		return keys.Set{}, nil
	}
	if set, ok := t.keySets.get(issuerID, v); ok {
		return set, nil
	}
	ik, err := keySetCodec.decode(v)
	if err != nil {
		return nil, fmt.Errorf("issuer %q: %w", issuerID, err)
	}
	if ik.issuerID != issuerID {
		return nil, fmt.Errorf("corrupt record: the key set filed under issuer %q belongs to issuer %q", issuerID, ik.issuerID)
	}
	t.keySets.put(issuerID, v, ik.set)
	return ik.set, nil
}

// PutIssuerKeys replaces the issuer's whole key set; an empty set removes
// the record, so "no keys" reads back the same however it came about.
func (t *tx) PutIssuerKeys(issuerID string, set keys.Set) error {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return err
	}
	if err := checkKeySet(issuerID, set); err != nil {
		return err
	}
	b, err := t.bucket(bucketIssuerKeys)
	if err != nil {
		return err
	}
	t.touch(store.TopicKeys)
	if len(set) == 0 {
		return b.Delete([]byte(issuerID))
	}
	return keySetCodec.put(b, []byte(issuerID), issuerKeys{issuerID: issuerID, set: set})
}

// checkKeySet refuses sets a verifier could not use unambiguously: every
// key needs a kid, kids are unique, and a sealed private key must be filed
// under the issuer and kid it was sealed for (it would never open
// otherwise, and the mistake is cheaper to catch here than at signing).
func checkKeySet(issuerID string, set keys.Set) error {
	var v model.Violations
	seen := make(map[string]bool, len(set))
	for i, k := range set {
		field := "keys[" + strconv.Itoa(i) + "]"
		switch {
		case k.Kid == "":
			v.Add(field+".kid", "must not be empty")
		case seen[k.Kid]:
			v.Add(field+".kid", "%s appears twice in the set", k.Kid)
		}
		seen[k.Kid] = true
		if isZeroSealed(k.Sealed) {
			continue
		}
		if k.Sealed.IssuerID != issuerID || k.Sealed.Kid != k.Kid {
			v.Add(field+".sealed", "is sealed for issuer %q kid %q, not issuer %q kid %q",
				k.Sealed.IssuerID, k.Sealed.Kid, issuerID, k.Kid)
		}
	}
	return v.Err()
}
