package issuer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/internal/uuid7"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// slotAttempts bounds how often one issuance retries after the store
// refused its status slot as taken (memory and store disagreed, e.g. after
// a restore); each retry reloads the allocator from the store.
const slotAttempts = 3

// errSlotTaken marks a commit refused because the status slot was taken.
var errSlotTaken = errors.New("status slot already taken")

// plan is what a snapshot of the registry decided for one issuance.
type plan struct {
	now           time.Time // issuance (and signing) time, whole seconds
	from, until   time.Time
	issuer        *model.Issuer
	sector        *model.Sector
	profile       *model.ProfileVersion
	accreditation *model.Accreditation
	key           keys.Key
}

// Issue issues one credential: it checks the request against the registry
// as it is now, signs outside any transaction and returns once the
// issuance record is durable. With a request id, a retry with the same
// content returns the same credential (byte for byte) and other content is
// model.ErrRequestIDReused.
func (s *Service) Issue(ctx context.Context, actor model.Principal, req IssueRequest) (*Issued, error) {
	p, err := s.prepare(actor, req)
	if err != nil {
		return nil, err
	}
	return s.issue(ctx, p)
}

func (s *Service) issue(ctx context.Context, p *pending) (*Issued, error) {
	for attempt := 1; ; attempt++ {
		out, err := s.issueOnce(ctx, p)
		if (errors.Is(err, errSlotTaken) || errors.Is(err, errSecretChanged)) && attempt < slotAttempts {
			continue
		}
		return out, err
	}
}

func (s *Service) issueOnce(ctx context.Context, p *pending) (*Issued, error) {
	sec, err := s.secrets(ctx)
	if err != nil {
		return nil, err
	}
	p = sec.keyed(p, s.clock())
	pl, replay, err := s.plan(ctx, p, sec)
	if errors.Is(err, errSecretChanged) {
		s.forgetSecrets(sec)
	}
	if err != nil || replay != nil {
		return replay, err
	}
	return s.signAndCommit(ctx, p, pl, sec)
}

// plan applies every issuance rule to one consistent snapshot of the
// registry and the issuer's keys. If the request id was used before with
// the same content, it returns that earlier result instead.
//
// A retry is answered from its record, not judged again by a later clock:
// when the rules refuse, the request id is looked up before the refusal
// is returned. When they pass, the lookup is left to the commit, which
// repeats it in its transaction anyway (signAndCommit): a fresh request,
// by far the common case, then costs no read transaction of its own, and
// a retry only one discarded signature.
func (s *Service) plan(ctx context.Context, p *pending, sec *secrets) (*plan, *Issued, error) {
	pl, err := s.judge(ctx, p.req)
	if err == nil || p.key == "" || ctx.Err() != nil {
		return pl, nil, err
	}
	var replay *Issued
	lookErr := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		replay, err = lookupIssued(tx, p, sec)
		return err
	})
	if lookErr != nil || replay != nil {
		return nil, replay, lookErr
	}
	return nil, nil, err
}

// judge applies the issuance rules to req at the current time.
func (s *Service) judge(ctx context.Context, req IssueRequest) (*plan, error) {
	pl := &plan{now: s.clock()}
	var err error
	if pl.from, pl.until, err = window(req, pl.now, s.maxValidity); err != nil {
		return nil, err
	}
	snap, err := s.snapshot(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := pl.check(snap, req); err != nil {
		return nil, err
	}
	return pl, nil
}

// check applies the rules of trust rule 1 to the request, filling in the
// plan.
func (pl *plan) check(snap *snapshot, req IssueRequest) error {
	pl.issuer, pl.sector, pl.profile = snap.issuer, snap.sector, snap.profile
	if pl.profile.State != model.ProfilePublished {
		return fmt.Errorf("%w: %s is %s; credentials are issued only against PUBLISHED versions",
			model.ErrProfileNotPublished, model.ProfileVersionName(req.SectorID, req.ProfileID, req.Version), pl.profile.State)
	}
	var err error
	if pl.accreditation, err = accreditedAt(snap.accreditations, req, pl.now); err != nil {
		return err
	}
	if err := checkSkillsInProfile(req.Skills, pl.profile); err != nil {
		return err
	}
	if err := checkWindowAccredited(pl.from, pl.accreditation); err != nil {
		return err
	}
	pl.key, err = keys.SigningKey(snap.keys, pl.now)
	return err
}

// accreditedAt returns the accreditation among accs under which the issuer
// may issue for the profile version at each of times, or an
// *AccreditationRefusal.
func accreditedAt(accs []*model.Accreditation, req IssueRequest, times ...time.Time) (*model.Accreditation, error) {
	var best *model.Accreditation
	for _, t := range times {
		var reason string
		best, reason, _ = model.BestAccreditation(accs, req.Version, t)
		if reason != model.CheckAccredited {
			refusal := &AccreditationRefusal{IssuerID: req.IssuerID, SectorID: req.SectorID, ProfileID: req.ProfileID,
				Version: req.Version, Check: reason}
			if best != nil {
				refusal.AccreditationID = best.ID
			}
			return nil, refusal
		}
	}
	return best, nil
}

// signAndCommit allocates a status slot, builds and signs the credential
// outside any transaction, and commits the record through the store's
// group commit. The slot is released unless the record committed.
func (s *Service) signAndCommit(ctx context.Context, p *pending, pl *plan, sec *secrets) (out *Issued, err error) {
	req := p.req
	sl, err := s.allocate(ctx, req.IssuerID)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			s.release(req.IssuerID, sl)
		}
	}()
	// Records are keyed by issuer and credential id, so time-ordered ids
	// make each group commit append to the same few B+tree pages instead
	// of dirtying one page per record at random. The time a version 7 id
	// reveals is no secret: the credential carries its issuance time
	// anyway; the random bits keep ids unguessable.
	id, err := uuid7.New(s.now())
	if err != nil {
		return nil, err
	}
	c, err := credential.New(credential.BuildInput{
		BaseURL: s.baseURL, Issuer: pl.issuer, Sector: pl.sector, Profile: pl.profile,
		CredentialID: id, HolderID: req.HolderID, HolderKey: req.HolderKey, Skills: req.Skills,
		StatusList: sl.list, StatusIndex: sl.index, StatusListBits: listBits,
		ValidFrom: pl.from, ValidUntil: pl.until, IssuedAt: pl.now,
	})
	if err != nil {
		return nil, err
	}
	signer, err := s.signerFor(req.IssuerID, pl.key)
	if err != nil {
		return nil, err
	}
	jws, err := credential.Sign(c, signer, pl.key.Alg, pl.key.Kid)
	if err != nil {
		return nil, err
	}
	name := credentialName(req.IssuerID, id)
	var result []byte // the request's sealed result, with a request id
	if p.key != "" {
		if result, err = sec.sealResult(p.key, p.fp, name, jws); err != nil {
			return nil, err
		}
	}
	rec := &model.CredentialRecord{
		IssuerID: req.IssuerID, ID: id, SectorID: req.SectorID, ProfileID: req.ProfileID, ProfileVersion: req.Version,
		AccreditationID: pl.accreditation.ID, HolderHash: sec.holder.Hash(req.IssuerID, req.HolderID), Kid: pl.key.Kid,
		StatusList: sl.list, StatusIndex: int32(sl.index),
		IssueTime: pl.now, ValidFrom: pl.from, ValidUntil: pl.until,
		TokenHash: sha256.Sum256([]byte(jws)), Status: model.CredentialActive,
		Events: []model.CredentialEvent{{Status: model.CredentialActive, Reason: "issued", Time: pl.now, Actor: p.actorID}},
	}
	var replay *Issued
	err = s.store.Batch(ctx, func(tx store.Tx) error {
		// Batch may run this more than once; it only assigns.
		if err := sec.check(tx); err != nil {
			return err
		}
		var err error
		if replay, err = lookupIssued(tx, p, sec); err != nil || replay != nil {
			return err
		}
		if err := s.recheck(tx, req, pl); err != nil {
			return err
		}
		if err := tx.CreateCredential(rec); err != nil {
			if errors.Is(err, model.ErrAlreadyExists) {
				return fmt.Errorf("%w: list %d index %d: %w", errSlotTaken, sl.list, sl.index, err)
			}
			return err
		}
		if p.key == "" {
			return nil
		}
		return tx.PutRequest(p.key, &model.RequestRecord{Fingerprint: p.fp, ResultName: name, Result: result, CreateTime: pl.now})
	})
	switch {
	case errors.Is(err, errSlotTaken):
		s.reload(req.IssuerID)
		return nil, err
	case errors.Is(err, errSecretChanged):
		s.forgetSecrets(sec)
		return nil, err
	case errors.Is(err, keys.ErrKeyCompromised), errors.Is(err, keys.ErrKeyNotActive):
		// Opened from a snapshot taken before the key's fall; it must
		// not stay in the cache.
		s.signers.forget(req.IssuerID, pl.key.Kid)
		return nil, err
	case err != nil:
		return nil, err
	case replay != nil:
		// A concurrent request with the same id committed first.
		return replay, nil
	}
	committed = true
	return &Issued{Record: rec, JWS: jws}, nil
}

// recheck repeats, inside the committing transaction, the two checks a
// concurrent change can invalidate between snapshot and commit: the
// accreditation (withdrawn or suspended meanwhile; judged at signing time,
// as a verifier will, and at commit time, so nothing is issued after a
// withdrawal took effect) and the signing key (compromised meanwhile).
func (s *Service) recheck(tx store.ReadTx, req IssueRequest, pl *plan) error {
	accs, err := tx.AccreditationsFor(req.IssuerID, req.SectorID, req.ProfileID)
	if err != nil {
		return err
	}
	if _, err := accreditedAt(accs, req, pl.now, s.clock()); err != nil {
		return err
	}
	set, err := tx.IssuerKeys(req.IssuerID)
	if err != nil {
		return err
	}
	_, err = keys.VerifyingKey(set, pl.key.Kid, pl.now)
	return err
}

// lookupIssued returns the credential an earlier request with the same
// request id issued, nil if there was none, and model.ErrRequestIDReused
// if that request had other content. sec opens the sealed credential.
func lookupIssued(tx store.ReadTx, p *pending, sec *secrets) (*Issued, error) {
	out, err := lookupIssuedAt(tx, p, p.key, sec)
	if out != nil || err != nil || p.altKey == "" {
		return out, err
	}
	return lookupIssuedAt(tx, p, p.altKey, sec)
}

// lookupIssuedAt is lookupIssued for the request record stored under key.
func lookupIssuedAt(tx store.ReadTx, p *pending, key string, sec *secrets) (*Issued, error) {
	if key == "" {
		return nil, nil
	}
	name, found, err := requests.Lookup(tx, key, p.req.RequestID, p.fp)
	if err != nil || !found {
		return nil, err
	}
	r, err := tx.GetRequest(key)
	if err != nil {
		return nil, err
	}
	ids, ok := model.ParseName(name, "issuers", "credentials")
	if !ok || len(r.Result) == 0 {
		return nil, fmt.Errorf("request record %q is not that of an issued credential: result %q", p.req.RequestID, name)
	}
	rec, err := getRecord(tx, ids[0], ids[1])
	if err != nil {
		return nil, err
	}
	if err := sec.check(tx); err != nil {
		return nil, err
	}
	jws, err := sec.openResult(key, r, rec)
	if err != nil {
		return nil, err
	}
	return &Issued{Record: rec, JWS: jws}, nil
}
