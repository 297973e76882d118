// Package p256verify checks ECDSA P-256 signatures (JOSE ES256) faster than
// crypto/ecdsa for public keys that are used again and again.
//
// Skillpass verifies very many credentials against a small set of issuer keys.
// crypto/ecdsa spends about two thirds of a verification in the variable-base
// multiplication u2*Q (about 255 doublings and 50 additions). A Key instead
// holds a fixed-base comb table of multiples of Q, so u2*Q becomes 37 point
// additions and no doublings; u1*G uses the standard library's own precomputed
// generator table (via filippo.io/nistec, the exported copy of
// crypto/internal/fips140/nistec with the same assembly and complete addition
// formulas).
//
// On amd64 the tables of G and Q are held in affine form instead and added
// with the standard library's mixed-addition assembly (vendored in
// p256_amd64.s, unchanged), without nistec's constant-time table scans and
// doublings, and R.x = r is checked without an inversion: 0.25x crypto/ecdsa
// rather than 0.43x. Mixed addition is incomplete, but every case it gets
// wrong leaves a zero Z, which then sends the signature to the complete
// formulas (fast_amd64.go explains why); so the decision is the same.
//
// The accept/reject decision is exactly that of crypto/ecdsa.Verify (FIPS
// 186-5 section 6.4.2, SEC 1 section 4.1.4), including how digests of any
// length are turned into an integer; the tests compare the two differentially
// and run Project Wycheproof's vectors.
//
// The point arithmetic runs in filippo.io/nistec, outside the Go
// Cryptographic Module, so Skillpass's credential package uses crypto/ecdsa
// instead whenever FIPS 140 mode is on (GODEBUG=fips140=on). The daemon as a
// whole does not run under fips140=only: its AES-GCM sealing chooses its own
// nonces, which that mode refuses.
//
// Everything handled here is public (keys, digests, signatures), so the
// arithmetic is deliberately not constant time.
package p256verify
