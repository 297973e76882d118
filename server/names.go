package server

import (
	"fmt"

	"github.com/skillpass-nl/skillpass/model"
)

// Parsing of resource names (AIP-122) with got/want messages. The shapes
// come from package model (which also builds the names); this file only adds
// the pattern a client should have sent. Whether an id is well-formed (lower
// case, length...) is the domain's rule and is checked there, once.

const (
	patternSector         = "sectors/{sector}"
	patternProfile        = "sectors/{sector}/profiles/{profile}"
	patternProfileVersion = "sectors/{sector}/profiles/{profile}/versions/{version}"
	patternIssuer         = "issuers/{issuer}"
	patternAccreditation  = "issuers/{issuer}/accreditations/{accreditation}"
	patternPrincipal      = "principals/{principal}"
	patternToken          = "principals/{principal}/tokens/{token}"
	patternCredential     = "issuers/{issuer}/credentials/{credential}"
)

// nameError says which pattern a name should have matched.
type nameError struct {
	got, want string
}

func (e *nameError) Error() string { return fmt.Sprintf("got %q, want %s", e.got, e.want) }

// parseName returns the ids of name, which must have the shape of pattern
// with the given collection words.
func parseName(name, pattern string, collections ...string) ([]string, error) {
	ids, ok := model.ParseName(name, collections...)
	if !ok {
		return nil, &nameError{got: name, want: pattern}
	}
	return ids, nil
}

func parseSectorName(name string) (sectorID string, err error) {
	ids, err := parseName(name, patternSector, "sectors")
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

func parseProfileName(name string) (sectorID, profileID string, err error) {
	ids, err := parseName(name, patternProfile, "sectors", "profiles")
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}

// versionRef identifies one profile version.
type versionRef struct {
	sectorID, profileID string
	version             int32
}

func parseProfileVersionName(name string) (versionRef, error) {
	s, p, v, ok := model.ParseProfileVersionName(name)
	if !ok {
		return versionRef{}, &nameError{got: name, want: patternProfileVersion + " with {version} a positive integer without leading zeros"}
	}
	return versionRef{sectorID: s, profileID: p, version: v}, nil
}

// parseProfileParent accepts the parent of ListProfileVersions: a sector
// (profileID "") or one of its profiles.
func parseProfileParent(name string) (sectorID, profileID string, err error) {
	if sectorID, err := parseSectorName(name); err == nil {
		return sectorID, "", nil
	}
	if sectorID, profileID, err := parseProfileName(name); err == nil {
		return sectorID, profileID, nil
	}
	return "", "", &nameError{got: name, want: patternSector + " or " + patternProfile}
}

func parseIssuerName(name string) (issuerID string, err error) {
	ids, err := parseName(name, patternIssuer, "issuers")
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

func parseAccreditationName(name string) (issuerID, accreditationID string, err error) {
	ids, err := parseName(name, patternAccreditation, "issuers", "accreditations")
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}

func parsePrincipalName(name string) (principalID string, err error) {
	ids, err := parseName(name, patternPrincipal, "principals")
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

func parseTokenName(name string) (principalID, tokenID string, err error) {
	ids, err := parseName(name, patternToken, "principals", "tokens")
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}

func parseCredentialName(name string) (issuerID, credentialID string, err error) {
	ids, err := parseName(name, patternCredential, "issuers", "credentials")
	if err != nil {
		return "", "", err
	}
	return ids[0], ids[1], nil
}
