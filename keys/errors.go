package keys

import "github.com/skillpass-nl/skillpass/model"

// Sentinel errors of this package. They are *model.Error values so the
// transport maps them through its one table by their stable reason; wrap them
// with fmt.Errorf("%w: ...") to add detail. No error produced here ever
// contains key material: messages name key ids, KEK ids and lengths only.
var (
	// ErrKEKInvalid: a KEK could not be loaded (bad file mode, encoding or length).
	ErrKEKInvalid = &model.Error{Reason: "KEK_INVALID", Msg: "key-encryption key is invalid"}
	// ErrWrongKEK: a sealed key was sealed under a different KEK than the one given.
	ErrWrongKEK = &model.Error{Reason: "KEK_MISMATCH", Msg: "sealed key was sealed under another key-encryption key"}
	// ErrSealedMalformed: a sealed key's encoding is truncated or unknown.
	ErrSealedMalformed = &model.Error{Reason: "SEALED_KEY_MALFORMED", Msg: "sealed key is malformed"}
	// ErrUnsealFailed: authentication of a sealed key failed (tampered
	// ciphertext or header, or a key moved onto another issuer or kid).
	ErrUnsealFailed = &model.Error{Reason: "SEALED_KEY_AUTHENTICATION_FAILED", Msg: "sealed key failed authentication"}
	// ErrKeyBinding: a sealed key belongs to another issuer, kid or algorithm
	// than the caller expects, or its key does not match its kid.
	ErrKeyBinding = &model.Error{Reason: "KEY_BINDING_MISMATCH", Msg: "key does not belong to this issuer, kid or algorithm"}
	// ErrKeyUnknown: no key with that kid is in the issuer's key set.
	ErrKeyUnknown = &model.Error{Reason: "KEY_UNKNOWN", Msg: "no such key in the issuer's key set"}
	// ErrKeyCompromised: the key was marked compromised; nothing it signed is trusted.
	ErrKeyCompromised = &model.Error{Reason: "KEY_COMPROMISED", Msg: "key is compromised"}
	// ErrKeyNotActive: the key was not the signing key at the time in question.
	ErrKeyNotActive = &model.Error{Reason: "KEY_NOT_ACTIVE_AT_SIGNING_TIME", Msg: "key was not active at the signing time"}
	// ErrNoSigningKey: the issuer has no key that may sign now.
	ErrNoSigningKey = &model.Error{Reason: "NO_SIGNING_KEY", Msg: "issuer has no active signing key"}
	// ErrRotationPending: a rotation was requested while a new key is still pending.
	ErrRotationPending = &model.Error{Reason: "KEY_ROTATION_PENDING", Msg: "a key rotation is already in progress"}
	// ErrKeySetFull: the published key set would exceed its bound even after
	// dropping retired keys past their retention period.
	ErrKeySetFull = &model.Error{Reason: "KEY_SET_FULL", Msg: "issuer key set is full"}
)
