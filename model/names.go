package model

import (
	"strconv"
	"strings"
)

// Resource names as the API spells them (AIP-122). The domain records
// them as the results of idempotent requests, so that a replay can find the
// resource a request created even when its id was generated.

// SectorName returns "sectors/{sector}".
func SectorName(id string) string { return "sectors/" + id }

// ProfileName returns "sectors/{sector}/profiles/{profile}".
func ProfileName(sectorID, profileID string) string {
	return SectorName(sectorID) + "/profiles/" + profileID
}

// ProfileVersionName returns
// "sectors/{sector}/profiles/{profile}/versions/{version}".
func ProfileVersionName(sectorID, profileID string, version int32) string {
	return ProfileName(sectorID, profileID) + "/versions/" + strconv.Itoa(int(version))
}

// IssuerName returns "issuers/{issuer}".
func IssuerName(id string) string { return "issuers/" + id }

// AccreditationName returns "issuers/{issuer}/accreditations/{id}".
func AccreditationName(issuerID, id string) string {
	return IssuerName(issuerID) + "/accreditations/" + id
}

// PrincipalName returns "principals/{principal}".
func PrincipalName(id string) string { return "principals/" + id }

// TokenName returns "principals/{principal}/tokens/{token}".
func TokenName(principalID, id string) string {
	return PrincipalName(principalID) + "/tokens/" + id
}

// ParseName splits a resource name into the ids that follow each of the
// given collection segments, e.g. ParseName("issuers/x/accreditations/y",
// "issuers", "accreditations") returns ["x", "y"]. ok is false if the name
// has another shape or an empty id.
func ParseName(name string, collections ...string) (ids []string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 2*len(collections) {
		return nil, false
	}
	ids = make([]string, len(collections))
	for i, c := range collections {
		if parts[2*i] != c || parts[2*i+1] == "" {
			return nil, false
		}
		ids[i] = parts[2*i+1]
	}
	return ids, true
}

// ParseProfileVersionName splits
// "sectors/{sector}/profiles/{profile}/versions/{version}".
func ParseProfileVersionName(name string) (sectorID, profileID string, version int32, ok bool) {
	ids, ok := ParseName(name, "sectors", "profiles", "versions")
	if !ok {
		return "", "", 0, false
	}
	n, err := strconv.ParseInt(ids[2], 10, 32)
	if err != nil || n < 1 || strconv.Itoa(int(n)) != ids[2] {
		return "", "", 0, false
	}
	return ids[0], ids[1], int32(n), true
}
