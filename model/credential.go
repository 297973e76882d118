package model

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// CredentialStatus is where an issued credential stands.
type CredentialStatus string

// Credential statuses. ACTIVE and SUSPENDED alternate; REVOKED is final.
const (
	CredentialActive    CredentialStatus = "ACTIVE"
	CredentialSuspended CredentialStatus = "SUSPENDED"
	CredentialRevoked   CredentialStatus = "REVOKED"
)

// Status list purposes (W3C Bitstring Status List statusPurpose values).
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
)

// CredentialEvent is one entry of a credential's append-only status
// history.
type CredentialEvent struct {
	Status CredentialStatus
	Reason string
	Time   time.Time
	Actor  string // principal id
}

// CredentialRecord is what Skillpass keeps of an issued credential. It
// holds no personal data: the holder appears only as a keyed, per-issuer
// hash of the pseudonymous holder id (HolderHashKey.Hash), and the
// credential itself is not kept.
type CredentialRecord struct {
	IssuerID        string
	ID              string // UUID; the credential's id is "urn:uuid:" + ID
	SectorID        string
	ProfileID       string
	ProfileVersion  int32
	AccreditationID string
	HolderHash      [32]byte // HolderHashKey.Hash(IssuerID, holder id)
	Kid             string   // key that signed it
	StatusList      int32    // number of the issuer's status list pair (revocation, suspension)
	StatusIndex     int32    // index in both lists
	IssueTime       time.Time
	ValidFrom       time.Time
	ValidUntil      time.Time // zero: no end
	TokenHash       [32]byte  // SHA-256 of the compact JWS
	Status          CredentialStatus
	Events          []CredentialEvent // first: ACTIVE at IssueTime
}

// HolderHashKey is the secret key of holder hashes. Skillpass derives it
// from the deployment secret (keys.DeploymentSecret), which is stored
// sealed under the KEK: the database alone, or a backup, does not hold it.
type HolderHashKey [32]byte

// holderHashLabel separates holder hashes from any other HMAC under a key
// derived from the same secret.
const holderHashLabel = "skillpass holder v2\x00"

// Hash is the value under which a pseudonymous holder id is recorded for
// one issuer: HMAC-SHA-256 under k over the issuer id and the holder id.
// Keyed, so whoever has the database but not the key cannot confirm a
// guessed holder id by hashing it; scoped to the issuer, so one holder's
// records at two issuers carry unrelated values and cannot be linked.
// The issuer id is length-prefixed, so ("ab", "c") and ("a", "bc") differ.
func (k *HolderHashKey) Hash(issuerID, holderID string) [32]byte {
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(holderHashLabel))
	m.Write(binary.BigEndian.AppendUint32(nil, uint32(len(issuerID))))
	m.Write([]byte(issuerID))
	m.Write([]byte(holderID))
	var out [32]byte
	m.Sum(out[:0])
	return out
}

// StatusList is one of an issuer's Bitstring Status Lists: the raw,
// uncompressed bits (index 0 is the most significant bit of Bits[0]).
type StatusList struct {
	IssuerID   string
	Purpose    string // PurposeRevocation or PurposeSuspension
	List       int32
	Bits       []byte
	UpdateTime time.Time
}
