package registry

import (
	"fmt"

	"github.com/skillpass-nl/skillpass/model"
)

// The registry's authorisation policy. Reads are public (drafts aside);
// every write names the principals that may make it. The transport only
// authenticates; these rules decide.

func isRoot(p model.Principal) bool { return p.Kind == model.KindRoot }

// canCreateSector: only the operator creates sectors and so decides who
// governs what.
func canCreateSector(p model.Principal) bool { return isRoot(p) }

// canGovern: root, or an authority of the sector, may change the sector, its
// profiles and the accreditations for them.
func canGovern(p model.Principal, sectorID string) bool { return p.GovernsSector(sectorID) }

// canCreateIssuer: any sector authority may register an issuer it wants to
// accredit; issuers are shared between sectors.
func canCreateIssuer(p model.Principal) bool {
	return isRoot(p) || p.Kind == model.KindSectorAuthority
}

// canUpdateIssuer: root, or the issuer's own client keeping its details
// current.
func canUpdateIssuer(p model.Principal, issuerID string) bool {
	return isRoot(p) || (p.Kind == model.KindIssuerClient && p.IssuerID == issuerID)
}

// canSeeDraft: drafts are work in progress of the sector's authority; to
// everyone else they do not exist yet.
func canSeeDraft(p model.Principal, v *model.ProfileVersion) bool {
	return v.State != model.ProfileDraft || canGovern(p, v.SectorID)
}

// authorize applies a policy decision; see model.Authorize.
func authorize(p model.Principal, allowed bool, action string) error {
	return model.Authorize(p, allowed, action)
}

// checkIdentityChange lets only root change who an issuer is (its legal
// name and KvK number). Verifiers show the registered name for every
// credential the issuer signed, so an issuer renaming itself could make
// its credentials read as another organisation's; its own client may keep
// its contact details current.
func checkIdentityChange(actor model.Principal, cur, in *model.Issuer, mask fieldSet) error {
	if isRoot(actor) {
		return nil
	}
	for _, f := range []struct {
		field    string
		old, new string
	}{{"legal_name", cur.LegalName, in.LegalName}, {"kvk_number", cur.KvKNumber, in.KvKNumber}} {
		if mask[f.field] && f.old != f.new {
			return fmt.Errorf("%w: only the operator (root) changes an issuer's %s: verifiers show it for every credential the issuer signed",
				model.ErrPermissionDenied, f.field)
		}
	}
	return nil
}
