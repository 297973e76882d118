// Package statuslist implements the W3C Bitstring Status List v1.0 codec
// (https://www.w3.org/TR/vc-bitstring-status-list/): the bitstring itself,
// its GZIP + multibase base64url encoding, the JSON shapes of a status entry
// and of a status list credential's subject, and a random index allocator.
//
// The rules that matter for interoperability and privacy live here so that
// issuance and verification cannot get them subtly wrong:
//   - index 0 is the left-most bit, the most significant bit of the first byte;
//   - a list holds at least 131,072 entries (16 KiB), smaller lists are refused
//     because they give holders too little herd privacy;
//   - decoding is strict (prefix, alphabet, a single gzip member, no trailing
//     data) and bounded (a hard cap on the decompressed size against gzip
//     bombs), because encoded lists arrive from outside;
//   - indexes are handed out uniformly at random, so a position reveals
//     neither issuance order nor how full a list is.
//
// Errors carry the names the specification gives them (RANGE_ERROR,
// STATUS_LIST_LENGTH_ERROR, MALFORMED_VALUE_ERROR) and are matched with
// errors.Is against the sentinels in errors.go. Signing the status list
// credential is not this package's concern; it imports no transport or
// storage code.
package statuslist
