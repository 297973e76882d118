package model

import (
	"crypto/sha256"
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
// holds no personal data: the holder appears only as a hash of the
// pseudonymous holder id, and the credential itself is not kept.
type CredentialRecord struct {
	IssuerID        string
	ID              string // UUID; the credential's id is "urn:uuid:" + ID
	SectorID        string
	ProfileID       string
	ProfileVersion  int32
	AccreditationID string
	HolderHash      [32]byte // HolderHash(holder id)
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

// HolderHash is the hash under which a pseudonymous holder id is recorded.
// The prefix separates it from any other use of SHA-256 over the same
// string.
func HolderHash(holderID string) [32]byte {
	return sha256.Sum256([]byte("skillpass holder v1\x00" + holderID))
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
