package bolt

// Conversions for the issuance records: issuer key sets, credential records
// and status lists. Like convert.go, the only place that knows the mapping.

import (
	"encoding/json"
	"fmt"

	"github.com/go-jose/go-jose/v4"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// keyStates are the states a stored key may name. The name, not the number,
// is stored, so reordering keys.State can never reinterpret a database.
var keyStates = []keys.State{
	keys.StateUnspecified, keys.StatePending, keys.StateActive, keys.StateRetired, keys.StateCompromised,
}

func keyStateFromPB(name string) (keys.State, error) {
	for _, s := range keyStates {
		if s.String() == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("corrupt record: unknown key state %q", name)
}

// The zero JWK and the zero Sealed stand for "none" and are stored as empty
// bytes: neither encoder accepts them, and a lossless store must give back
// whatever it was given.
func jwkToPB(k jose.JSONWebKey) ([]byte, error) {
	if k.Key == nil {
		return nil, nil
	}
	return k.MarshalJSON()
}

func jwkFromPB(b []byte) (jose.JSONWebKey, error) {
	var k jose.JSONWebKey
	if len(b) == 0 {
		return k, nil
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return k, fmt.Errorf("corrupt record: public JWK: %w", err)
	}
	// The decoder leaves empty, not nil, certificate fields; a key as
	// keys.NewKey makes it has nil ones, and the round trip must be exact.
	if len(k.Certificates) == 0 {
		k.Certificates = nil
	}
	if len(k.CertificateThumbprintSHA1) == 0 {
		k.CertificateThumbprintSHA1 = nil
	}
	if len(k.CertificateThumbprintSHA256) == 0 {
		k.CertificateThumbprintSHA256 = nil
	}
	return k, nil
}

func sealedToPB(s keys.Sealed) ([]byte, error) {
	if isZeroSealed(s) {
		return nil, nil
	}
	return s.MarshalBinary()
}

func isZeroSealed(s keys.Sealed) bool {
	return s.Version == 0 && s.Alg == "" && s.KEKID == "" && s.IssuerID == "" && s.Kid == "" &&
		len(s.Nonce) == 0 && len(s.Ciphertext) == 0
}

func sealedFromPB(b []byte) (keys.Sealed, error) {
	if len(b) == 0 {
		return keys.Sealed{}, nil
	}
	s, err := keys.ParseSealed(b)
	if err != nil {
		return keys.Sealed{}, fmt.Errorf("corrupt record: sealed private key: %w", err)
	}
	return s, nil
}

func keyToPB(k *keys.Key) (*storagev1.IssuerKey, error) {
	jwk, err := jwkToPB(k.PublicJWK)
	if err != nil {
		return nil, fmt.Errorf("key %s: public JWK: %w", k.Kid, err)
	}
	sealed, err := sealedToPB(k.Sealed)
	if err != nil {
		return nil, fmt.Errorf("key %s: sealed private key: %w", k.Kid, err)
	}
	return &storagev1.IssuerKey{
		Kid:              k.Kid,
		Alg:              string(k.Alg),
		State:            k.State.String(),
		PublicJwk:        jwk,
		Sealed:           sealed,
		CreateTime:       tsToPB(k.CreateTime),
		PublishTime:      tsToPB(k.PublishTime),
		ActivateTime:     tsToPB(k.ActivateTime),
		RetireTime:       tsToPB(k.RetireTime),
		CompromiseTime:   tsToPB(k.CompromiseTime),
		CompromiseReason: k.CompromiseReason,
	}, nil
}

func keyFromPB(p *storagev1.IssuerKey) (keys.Key, error) {
	state, err := keyStateFromPB(p.GetState())
	if err != nil {
		return keys.Key{}, err
	}
	jwk, err := jwkFromPB(p.GetPublicJwk())
	if err != nil {
		return keys.Key{}, err
	}
	sealed, err := sealedFromPB(p.GetSealed())
	if err != nil {
		return keys.Key{}, err
	}
	return keys.Key{
		Kid:              p.GetKid(),
		Alg:              keys.Algorithm(p.GetAlg()),
		State:            state,
		PublicJWK:        jwk,
		Sealed:           sealed,
		CreateTime:       tsFromPB(p.GetCreateTime()),
		PublishTime:      tsFromPB(p.GetPublishTime()),
		ActivateTime:     tsFromPB(p.GetActivateTime()),
		RetireTime:       tsFromPB(p.GetRetireTime()),
		CompromiseTime:   tsFromPB(p.GetCompromiseTime()),
		CompromiseReason: p.GetCompromiseReason(),
	}, nil
}

// issuerKeys is the stored unit: an issuer's whole set.
type issuerKeys struct {
	issuerID string
	set      keys.Set
}

func keySetToPB(ik issuerKeys) (*storagev1.IssuerKeySet, error) {
	out := &storagev1.IssuerKeySet{IssuerId: ik.issuerID}
	for i := range ik.set {
		k, err := keyToPB(&ik.set[i])
		if err != nil {
			return nil, err
		}
		out.Keys = append(out.Keys, k)
	}
	return out, nil
}

func keySetFromPB(p *storagev1.IssuerKeySet) (issuerKeys, error) {
	out := issuerKeys{issuerID: p.GetIssuerId(), set: make(keys.Set, 0, len(p.GetKeys()))}
	for i, k := range p.GetKeys() {
		key, err := keyFromPB(k)
		if err != nil {
			return issuerKeys{}, fmt.Errorf("key %d (%s): %w", i, k.GetKid(), err)
		}
		out.set = append(out.set, key)
	}
	return out, nil
}

func credentialToPB(c *model.CredentialRecord) *storagev1.CredentialRecord {
	out := &storagev1.CredentialRecord{
		IssuerId:        c.IssuerID,
		Id:              c.ID,
		SectorId:        c.SectorID,
		ProfileId:       c.ProfileID,
		ProfileVersion:  c.ProfileVersion,
		AccreditationId: c.AccreditationID,
		HolderHash:      c.HolderHash[:],
		Kid:             c.Kid,
		StatusList:      c.StatusList,
		StatusIndex:     c.StatusIndex,
		IssueTime:       tsToPB(c.IssueTime),
		ValidFrom:       tsToPB(c.ValidFrom),
		ValidUntil:      tsToPB(c.ValidUntil),
		TokenHash:       c.TokenHash[:],
		Status:          string(c.Status),
	}
	for _, e := range c.Events {
		out.Events = append(out.Events, &storagev1.CredentialEvent{
			Status: string(e.Status),
			Reason: e.Reason,
			Time:   tsToPB(e.Time),
			Actor:  e.Actor,
		})
	}
	return out
}

func credentialFromPB(p *storagev1.CredentialRecord) (*model.CredentialRecord, error) {
	holder, err := hashFromPB("credential holder_hash", p.GetHolderHash())
	if err != nil {
		return nil, err
	}
	token, err := hashFromPB("credential token_hash", p.GetTokenHash())
	if err != nil {
		return nil, err
	}
	out := &model.CredentialRecord{
		IssuerID:        p.GetIssuerId(),
		ID:              p.GetId(),
		SectorID:        p.GetSectorId(),
		ProfileID:       p.GetProfileId(),
		ProfileVersion:  p.GetProfileVersion(),
		AccreditationID: p.GetAccreditationId(),
		HolderHash:      holder,
		Kid:             p.GetKid(),
		StatusList:      p.GetStatusList(),
		StatusIndex:     p.GetStatusIndex(),
		IssueTime:       tsFromPB(p.GetIssueTime()),
		ValidFrom:       tsFromPB(p.GetValidFrom()),
		ValidUntil:      tsFromPB(p.GetValidUntil()),
		TokenHash:       token,
		Status:          model.CredentialStatus(p.GetStatus()),
	}
	for _, e := range p.GetEvents() {
		out.Events = append(out.Events, model.CredentialEvent{
			Status: model.CredentialStatus(e.GetStatus()),
			Reason: e.GetReason(),
			Time:   tsFromPB(e.GetTime()),
			Actor:  e.GetActor(),
		})
	}
	return out, nil
}

func statusListToPB(l *model.StatusList) *storagev1.StatusList {
	return &storagev1.StatusList{
		IssuerId:   l.IssuerID,
		Purpose:    l.Purpose,
		List:       l.List,
		Bits:       l.Bits,
		UpdateTime: tsToPB(l.UpdateTime),
	}
}

func statusListFromPB(p *storagev1.StatusList) *model.StatusList {
	return &model.StatusList{
		IssuerID:   p.GetIssuerId(),
		Purpose:    p.GetPurpose(),
		List:       p.GetList(),
		Bits:       p.GetBits(),
		UpdateTime: tsFromPB(p.GetUpdateTime()),
	}
}
