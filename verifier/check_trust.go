package verifier

import (
	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
)

// The checks that decide whether the content is the issuer's word:
// ALGORITHM, SIGNATURE and KEY_STATE. Keys are looked up only in the key
// set of the issuer the credential names, never by kid alone, so a key of
// issuer A can never vouch for a credential that claims to be B's.

// algorithm finds the key (kept for SIGNATURE) and checks that the
// header's algorithm is the key's. Parse has already refused algorithms
// outside the allow-list; a token may still name an ES256 key with an
// EdDSA header or the reverse.
func (r *run) algorithm() error {
	if id, err := credential.ParseIssuerURL(r.base, r.c.Issuer.ID); err == nil {
		r.issuerID = id
		set, err := r.keySet(id)
		if err != nil {
			return err
		}
		r.key = set[r.p.Header.Kid]
	}
	alg := r.p.Header.Alg
	if r.key != nil && string(r.key.Alg) != alg {
		r.fail(CheckAlgorithm, ReasonAlgorithmKeyMismatch, "alg", alg, "keyalg", string(r.key.Alg))
		return nil
	}
	r.pass(CheckAlgorithm, ReasonOK, "alg", alg)
	return nil
}

// signature checks the signature with the key algorithm found, or says
// why there is no key to check it with.
func (r *run) signature() error {
	if r.key == nil {
		return r.noKey()
	}
	if err := r.p.Verify(&r.key.PublicJWK); err != nil {
		r.fail(CheckSignature, credential.ErrSignatureInvalid.Reason)
		return nil
	}
	name, err := r.issuerName(r.issuerID)
	if err != nil {
		return err
	}
	r.pass(CheckSignature, ReasonOK, "issuer", name)
	return nil
}

// noKey explains a kid missing from the named issuer's key set: it is
// another issuer's, the named issuer is not Skillpass's, or the kid is
// simply unknown.
func (r *run) noKey() error {
	owner, err := r.kidOwner(r.p.Header.Kid)
	if err != nil {
		return err
	}
	if owner != "" && owner != r.issuerID {
		name, err := r.issuerName(owner)
		if err != nil {
			return err
		}
		r.fail(CheckSignature, ReasonKidOfOtherIssuer, "owner", name)
		return nil
	}
	var named string
	if r.issuerID != "" {
		iss, err := r.issuer(r.issuerID)
		if err != nil {
			return err
		}
		if iss != nil {
			named = iss.LegalName
		}
	}
	if named == "" {
		r.fail(CheckSignature, ReasonIssuerUnknown)
		return nil
	}
	r.fail(CheckSignature, ReasonKidUnknown, "issuer", named)
	return nil
}

// issuerName is the registered legal name of an issuer, or its id if it
// is not (or no longer) registered.
func (r *run) issuerName(id string) (string, error) {
	iss, err := r.issuer(id)
	if err != nil || iss == nil {
		return id, err
	}
	return iss.LegalName, nil
}

// keyState judges the key at the signing time iat (trust rule 3): a
// retired key still vouches for what it signed while active; a compromised
// key vouches for nothing, whatever time the credential claims.
func (r *run) keyState() error {
	k, iat := r.key, r.c.IssuedAt()
	state := k.StateAt(iat)
	switch {
	case state == keys.StateCompromised:
		r.fail(CheckKey, ReasonKeyCompromised, "compromised", day(k.CompromiseTime))
	case iat.After(r.now.Add(clockSkew)):
		r.until(iat.Add(-clockSkew))
		r.fail(CheckKey, ReasonIssuedInFuture, "iat", day(iat))
	case state == keys.StatePending:
		r.fail(CheckKey, ReasonKeyNotYetActive, "iat", day(iat), "activated", day(k.ActivateTime))
	case state == keys.StateRetired:
		r.fail(CheckKey, ReasonKeyRetiredAtSigned, "iat", day(iat), "retired", day(k.RetireTime))
	case k.StateAt(r.now) == keys.StateRetired:
		r.pass(CheckKey, ReasonKeyRetiredSince, "iat", day(iat), "retired", day(k.RetireTime))
	default:
		if !k.RetireTime.IsZero() {
			r.until(k.RetireTime) // the sentence changes when the key retires
		}
		r.pass(CheckKey, ReasonOK, "iat", day(iat))
	}
	return nil
}
