package issuer

import (
	"fmt"

	"github.com/skillpass-nl/skillpass/model"
)

// The issuance authorisation policy. The transport only authenticates;
// these rules decide. model.Authorize turns a "no" into
// ErrUnauthenticated for a caller without a token and ErrPermissionDenied
// for everyone else.

// ownsIssuer: the issuer's own client acts for it.
func ownsIssuer(p model.Principal, issuerID string) bool {
	return p.Kind == model.KindIssuerClient && p.IssuerID == issuerID
}

// canIssue: only the issuer's own client signs in its name.
func canIssue(p model.Principal, issuerID string) bool { return ownsIssuer(p, issuerID) }

// canManageKeys: the issuer's client, or the operator (who must be able to
// replace a compromised key when the issuer cannot).
func canManageKeys(p model.Principal, issuerID string) bool {
	return ownsIssuer(p, issuerID) || p.Kind == model.KindRoot
}

// canChangeStatus: the issuer's client may revoke, suspend and reinstate
// its own credentials; a sector authority may only revoke, for cause, a
// credential of a sector it governs (trust rule 2). The operator may not:
// withdrawing for cause is the sector's call, not the operator's.
func canChangeStatus(p model.Principal, issuerID string, action StatusAction, sectorID string) bool {
	if ownsIssuer(p, issuerID) {
		return true
	}
	return action == ActionRevoke && p.Kind == model.KindSectorAuthority && p.GovernsSector(sectorID)
}

// mayTouchStatus tells, before the record is read, whether the caller
// could be allowed any status change of the issuer's credentials; only a
// sector authority needs the record's sector to decide.
func mayTouchStatus(p model.Principal, issuerID string) bool {
	return ownsIssuer(p, issuerID) || p.Kind == model.KindSectorAuthority
}

// canRead: the issuer's client, the operator, or the authority of the
// credential's sector.
func canRead(p model.Principal, issuerID, sectorID string) bool {
	return ownsIssuer(p, issuerID) || p.Kind == model.KindRoot ||
		(p.Kind == model.KindSectorAuthority && p.GovernsSector(sectorID))
}

// mayRead is canRead before the record's sector is known.
func mayRead(p model.Principal, issuerID string) bool {
	return ownsIssuer(p, issuerID) || p.Kind == model.KindRoot || p.Kind == model.KindSectorAuthority
}

func authorize(p model.Principal, allowed bool, format string, args ...any) error {
	if allowed {
		return nil
	}
	return model.Authorize(p, false, fmt.Sprintf(format, args...))
}
