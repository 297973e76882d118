// Package keys manages issuer signing keys: generation (ES256 by default,
// Ed25519 on request), RFC 7638 thumbprint key ids, encryption of private
// keys at rest under a key-encryption key (KEK), signing through
// crypto.Signer, and the staged-rotation lifecycle of an issuer's key set.
// It also holds the deployment secret (sealed under the KEK like issuer
// keys) from which non-signing keys are derived, and DataKey, which seals
// small records at rest under such a key.
//
// The package is pure domain code: it holds no storage and imports neither
// gRPC nor the store. Lifecycle operations are functions from a key set and a
// clock reading to a new key set, so callers persist the result in their own
// transaction and tests run on a fixed clock.
package keys
