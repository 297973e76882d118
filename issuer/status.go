package issuer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// uuidPattern is a credential id: a canonical, lower-case UUID, the only
// form Issue generates.
var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// statusChange is the fingerprinted content of a ChangeStatus request.
type statusChange struct {
	IssuerID, CredentialID string
	Action                 StatusAction
	Reason                 string
}

// ChangeStatus revokes, suspends or reinstates a credential with a reason.
// A sector authority is told model.ErrNotFound for a credential of another
// sector, as for an id that does not exist.
// The record (with a new history event) and the status list bit change in
// one transaction, so the published list never disagrees with the record.
// REVOKE is final and sets the revocation bit, leaving a suspension bit as
// it is; SUSPEND sets the suspension bit; REINSTATE (only from SUSPENDED)
// clears it.
func (s *Service) ChangeStatus(ctx context.Context, actor model.Principal, requestID, issuerID, credentialID string, action StatusAction, reason string) (*model.CredentialRecord, error) {
	if err := authorize(actor, mayTouchStatus(actor, issuerID), "change the status of credentials of issuer %.80q", issuerID); err != nil {
		return nil, err
	}
	var v model.Violations
	checkCredentialRef(&v, issuerID, credentialID)
	if _, _, _, ok := action.effect(); !ok {
		v.Add("action", "must be REVOKE, SUSPEND or REINSTATE, got %.80q", string(action))
	}
	model.CheckReason(&v, "reason", reason)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *model.CredentialRecord
	err := s.run(ctx, actor, requests.Mutation{
		Op: "ChangeCredentialStatus", RequestID: requestID,
		Input: statusChange{IssuerID: issuerID, CredentialID: credentialID, Action: action, Reason: reason},
		Apply: func(tx store.Tx) (string, error) {
			rec, err := getVisibleRecord(tx, actor, issuerID, credentialID)
			if err != nil {
				return "", err
			}
			// The caller may see the record, so being told it may not
			// change it reveals nothing new.
			if err := authorize(actor, canChangeStatus(actor, issuerID, action, rec.SectorID),
				"%s credential %q of issuer %q in sector %q", action, credentialID, issuerID, rec.SectorID); err != nil {
				return "", err
			}
			if err := s.applyStatus(tx, actor, rec, action, reason); err != nil {
				return "", err
			}
			out = rec
			return credentialName(issuerID, credentialID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = getRecord(tx, issuerID, credentialID)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyStatus moves rec by action, appends the event and flips the bit.
func (s *Service) applyStatus(tx store.Tx, actor model.Principal, rec *model.CredentialRecord, action StatusAction, reason string) error {
	from, to, purpose, _ := action.effect()
	if rec.Status != from && !(action == ActionRevoke && rec.Status == model.CredentialSuspended) {
		return fmt.Errorf("%w: credential %s is %s; %s needs %s", model.ErrInvalidTransition, rec.ID, rec.Status, action, from)
	}
	now := s.clock()
	rec.Status = to
	rec.Events = append(rec.Events, model.CredentialEvent{Status: to, Reason: reason, Time: now, Actor: actor.ID})
	if err := tx.UpdateCredential(rec); err != nil {
		return err
	}
	return setStatusBit(tx, rec, purpose, action != ActionReinstate, now)
}

// effect says what an action needs, what it leads to and which list's bit
// it sets (or, for REINSTATE, clears). REVOKE is also allowed from
// SUSPENDED (see applyStatus).
func (a StatusAction) effect() (from, to model.CredentialStatus, purpose statuslist.Purpose, ok bool) {
	switch a {
	case ActionRevoke:
		return model.CredentialActive, model.CredentialRevoked, statuslist.PurposeRevocation, true
	case ActionSuspend:
		return model.CredentialActive, model.CredentialSuspended, statuslist.PurposeSuspension, true
	case ActionReinstate:
		return model.CredentialSuspended, model.CredentialActive, statuslist.PurposeSuspension, true
	}
	return "", "", "", false
}

// setStatusBit sets or clears the credential's bit in the issuer's list
// for purpose. A list never written is all zeros.
func setStatusBit(tx store.Tx, rec *model.CredentialRecord, purpose statuslist.Purpose, set bool, now time.Time) error {
	l, err := tx.GetStatusList(rec.IssuerID, string(purpose), rec.StatusList)
	switch {
	case errors.Is(err, model.ErrNotFound):
		l = &model.StatusList{IssuerID: rec.IssuerID, Purpose: string(purpose), List: rec.StatusList, Bits: make([]byte, listBits/8)}
	case err != nil:
		return err
	}
	bits, err := statuslist.FromBytes(l.Bits)
	if err != nil {
		return fmt.Errorf("%s status list %d of issuer %q: %w", purpose, rec.StatusList, rec.IssuerID, err)
	}
	if err := bits.Set(int(rec.StatusIndex), set); err != nil {
		return fmt.Errorf("%s status list %d of issuer %q: %w", purpose, rec.StatusList, rec.IssuerID, err)
	}
	l.Bits = bits.Bytes()
	l.UpdateTime = now
	return tx.PutStatusList(l)
}

// GetCredential returns an issuance record (the issuer's client, root, or
// the authority of the credential's sector). Anyone else who may read some
// of the issuer's credentials is told model.ErrNotFound, as for an id that
// does not exist (getVisibleRecord).
func (s *Service) GetCredential(ctx context.Context, actor model.Principal, issuerID, credentialID string) (*model.CredentialRecord, error) {
	if err := authorize(actor, mayRead(actor, issuerID), "read credentials of issuer %.80q", issuerID); err != nil {
		return nil, err
	}
	var v model.Violations
	checkCredentialRef(&v, issuerID, credentialID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var rec *model.CredentialRecord
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		rec, err = getVisibleRecord(tx, actor, issuerID, credentialID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// getVisibleRecord returns a record the actor may read (canRead). A record
// it may not read is reported exactly as a missing one: "permission
// denied" for an existing id and "not found" for any other would let a
// sector authority probe which credential ids exist in other sectors (and
// the denial named the record's sector). Callers refused before any record
// is read (mayRead, mayTouchStatus) get the same denial for every id, which
// reveals nothing either.
func getVisibleRecord(tx store.ReadTx, actor model.Principal, issuerID, credentialID string) (*model.CredentialRecord, error) {
	rec, err := getRecord(tx, issuerID, credentialID)
	if err != nil {
		return nil, err
	}
	if !canRead(actor, issuerID, rec.SectorID) {
		return nil, errNoCredential(issuerID, credentialID)
	}
	return rec, nil
}

func checkCredentialRef(v *model.Violations, issuerID, credentialID string) {
	model.CheckID(v, "issuer_id", issuerID)
	if !uuidPattern.MatchString(credentialID) {
		v.Add("credential_id", "must be a lower-case UUID, got %.80q", credentialID)
	}
}

func getRecord(tx store.ReadTx, issuerID, credentialID string) (*model.CredentialRecord, error) {
	rec, err := tx.GetCredential(issuerID, credentialID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, errNoCredential(issuerID, credentialID)
	}
	return rec, err
}

// errNoCredential is the one answer for a credential that does not exist
// or that the caller may not see.
func errNoCredential(issuerID, credentialID string) error {
	return fmt.Errorf("%w: credential %s", model.ErrNotFound, credentialName(issuerID, credentialID))
}

// credentialName is "issuers/{issuer}/credentials/{id}", the resource name
// recorded with idempotent requests.
func credentialName(issuerID, id string) string {
	return model.IssuerName(issuerID) + "/credentials/" + id
}
