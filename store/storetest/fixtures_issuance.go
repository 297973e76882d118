package storetest

import (
	"crypto/sha256"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// credential returns a fully populated issuance record in status slot
// (list, index).
func credential(issuerID, id string, list, index int32) *model.CredentialRecord {
	return &model.CredentialRecord{
		IssuerID:        issuerID,
		ID:              id,
		SectorID:        "s1",
		ProfileID:       "p",
		ProfileVersion:  2,
		AccreditationID: "a1",
		HolderHash:      sha256.Sum256([]byte("holder of " + id)),
		Kid:             "kid-" + issuerID,
		StatusList:      list,
		StatusIndex:     index,
		IssueTime:       at(1),
		ValidFrom:       at(2),
		ValidUntil:      at(730),
		TokenHash:       model.HashSecret("jws of " + id),
		Status:          model.CredentialActive,
		Events: []model.CredentialEvent{
			{Status: model.CredentialActive, Reason: "issued", Time: at(1), Actor: "client-" + issuerID},
		},
	}
}

// suspended is an edit for with(): the record after a suspension.
func suspended(c *model.CredentialRecord) {
	c.Status = model.CredentialSuspended
	c.Events = append(c.Events, model.CredentialEvent{Status: model.CredentialSuspended, Reason: "under investigation", Time: at(9), Actor: "client-" + c.IssuerID})
}

// statusList returns a list of the minimum size with bits set at both ends
// and one that depends on list, so lists are told apart.
func statusList(issuerID, purpose string, list int32) *model.StatusList {
	bits := make([]byte, statuslist.MinBytes)
	bits[0] = 0x80
	bits[100+int(list)] = 0x24
	bits[len(bits)-1] = 0x01
	return &model.StatusList{IssuerID: issuerID, Purpose: purpose, List: list, Bits: bits, UpdateTime: at(3)}
}

// keySetFor returns three real keys of issuerID in the states a set goes
// through: one retired, one active, one compromised (an EdDSA key). Every
// field of keys.Key is set on at least one of them. The keys are fresh each
// time, so compare a stored set with the one that was written.
func keySetFor(issuerID string) (keys.Set, error) {
	kek, err := keys.GenerateKEK()
	if err != nil {
		return nil, err
	}
	set := make(keys.Set, 3)
	for i, alg := range []keys.Algorithm{keys.ES256, keys.ES256, keys.EdDSA} {
		if set[i], err = keys.NewKey(alg, kek, issuerID, at(0)); err != nil {
			return nil, err
		}
	}
	retired, active, compromised := &set[0], &set[1], &set[2]
	retired.State, retired.PublishTime, retired.ActivateTime, retired.RetireTime = keys.StateRetired, at(0), at(1), at(30)
	active.State, active.PublishTime, active.ActivateTime = keys.StateActive, at(29), at(30)
	compromised.State, compromised.PublishTime = keys.StateCompromised, at(31)
	compromised.CompromiseTime, compromised.CompromiseReason = at(32), "private key found in a public repository"
	return set, nil
}

func keySet(t *testing.T, issuerID string) keys.Set {
	t.Helper()
	set, err := keySetFor(issuerID)
	if err != nil {
		t.Fatalf("key set fixture: %v", err)
	}
	return set
}
