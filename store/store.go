// Package store declares the small role interfaces through which the domain
// packages read and write Skillpass records. A backend (store/bolt today,
// etcd later) implements them and must pass the conformance suite in
// store/storetest.
//
// Every read happens inside View and every write inside Update: one Update
// is one atomic, durable transaction, including any secondary indexes the
// backend keeps. Backends return the sentinel errors of package model
// (model.ErrNotFound, model.ErrAlreadyExists), never transport codes.
//
// List methods page by an opaque cursor: pass "" for the first page and the
// returned next cursor for the following one; next is "" after the last page.
package store

import (
	"context"
	"io"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// Store is a transactional Skillpass database.
type Store interface {
	Reader
	// Update runs fn in a read-write transaction. If fn returns an error
	// nothing it wrote is kept; if Update returns nil everything is durable.
	Update(ctx context.Context, fn func(Tx) error) error
	// Batch is Update for many small concurrent writers: calls made at
	// about the same time are committed together in one transaction
	// (group commit), so durability does not cap throughput. If one fn of
	// a group fails, it is run again alone and the others are committed
	// without it, so fn may run more than once and must have no effect
	// outside tx. When Batch returns nil the change is durable.
	Batch(ctx context.Context, fn func(Tx) error) error
	Snapshotter
	Close() error
}

// Reader is the read-only side of a Store; the verification path gets only
// this, so it cannot write.
type Reader interface {
	// View runs fn in a read-only transaction that sees one consistent state.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Version returns a counter that grows whenever a committed
	// transaction (or a Restore) changed records of the topic. Caches of
	// the read path compare it to drop what may be stale; it is in-memory
	// and starts again at process start.
	Version(t Topic) uint64
}

// Topic is a class of records whose changes invalidate read-path caches.
type Topic int

// Topics.
const (
	// TopicRegistry: sectors, profile versions, issuers, accreditations.
	TopicRegistry Topic = iota
	// TopicKeys: issuer key sets.
	TopicKeys
	// TopicStatus: status lists (revocation, suspension).
	TopicStatus
	// NumTopics is the number of topics.
	NumTopics
)

// Snapshotter makes and restores whole-database snapshots.
type Snapshotter interface {
	// Backup writes a consistent snapshot to w while the store keeps
	// serving, and returns the number of bytes written.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// Restore replaces the whole database with a snapshot read from r. The
	// snapshot is checked before anything is replaced; on any error the old
	// database stays in place. It returns model.ErrBackupInvalid (wrapped)
	// for a snapshot that is not a Skillpass database.
	Restore(ctx context.Context, r io.Reader) (int64, error)
}

// ReadTx is what a read-only transaction offers.
type ReadTx interface {
	SectorReader
	ProfileReader
	IssuerReader
	AccreditationReader
	PrincipalReader
	TokenReader
	RequestReader
	KeyReader
	CredentialReader
	StatusListReader
	SecretReader
}

// Tx is what a read-write transaction offers.
type Tx interface {
	ReadTx
	SectorWriter
	ProfileWriter
	IssuerWriter
	AccreditationWriter
	PrincipalWriter
	TokenWriter
	RequestWriter
	KeyWriter
	CredentialWriter
	StatusListWriter
	SecretWriter
}

// SectorReader reads sectors.
type SectorReader interface {
	GetSector(id string) (*model.Sector, error)
	ListSectors(cursor string, limit int) (sectors []*model.Sector, next string, err error)
}

// SectorWriter writes sectors.
type SectorWriter interface {
	// CreateSector fails with model.ErrAlreadyExists if the id is taken.
	CreateSector(s *model.Sector) error
	// UpdateSector replaces a sector; model.ErrNotFound if there is none.
	UpdateSector(s *model.Sector) error
}

// ProfileReader reads competency profile versions.
type ProfileReader interface {
	GetProfileVersion(sectorID, profileID string, version int32) (*model.ProfileVersion, error)
	// ListProfileVersions lists the versions of one profile, or of every
	// profile of the sector when profileID is "", ordered by profile id then
	// version number.
	ListProfileVersions(sectorID, profileID, cursor string, limit int) (versions []*model.ProfileVersion, next string, err error)
	// LatestProfileVersion returns the highest version number of a profile,
	// or 0 if the profile has no versions.
	LatestProfileVersion(sectorID, profileID string) (int32, error)
}

// ProfileWriter writes competency profile versions.
type ProfileWriter interface {
	// CreateProfileVersion fails with model.ErrAlreadyExists if that version
	// exists.
	CreateProfileVersion(p *model.ProfileVersion) error
	// UpdateProfileVersion replaces a version; model.ErrNotFound if there is
	// none. Immutability of published versions is the domain's rule.
	UpdateProfileVersion(p *model.ProfileVersion) error
}

// IssuerReader reads issuers.
type IssuerReader interface {
	GetIssuer(id string) (*model.Issuer, error)
	ListIssuers(cursor string, limit int) (issuers []*model.Issuer, next string, err error)
}

// IssuerWriter writes issuers.
type IssuerWriter interface {
	CreateIssuer(i *model.Issuer) error
	UpdateIssuer(i *model.Issuer) error
}

// AccreditationReader reads accreditations with their history.
type AccreditationReader interface {
	GetAccreditation(issuerID, id string) (*model.Accreditation, error)
	ListAccreditations(issuerID, cursor string, limit int) (accs []*model.Accreditation, next string, err error)
	// AccreditationsFor returns every accreditation of the issuer for the
	// profile, through a secondary index kept in the same transaction as
	// the records.
	AccreditationsFor(issuerID, sectorID, profileID string) ([]*model.Accreditation, error)
}

// AccreditationWriter writes accreditations. There is no update: history is
// append-only.
type AccreditationWriter interface {
	// CreateAccreditation stores a new accreditation with its first events
	// and indexes it; model.ErrAlreadyExists if the id is taken.
	CreateAccreditation(a *model.Accreditation) error
	// AppendAccreditationEvent adds ev to the end of the history and
	// returns the accreditation as it now is. Earlier events never change.
	AppendAccreditationEvent(issuerID, id string, ev model.AccreditationEvent) (*model.Accreditation, error)
}

// PrincipalReader reads principals.
type PrincipalReader interface {
	GetPrincipal(id string) (*model.Principal, error)
	ListPrincipals(cursor string, limit int) (ps []*model.Principal, next string, err error)
}

// PrincipalWriter writes principals.
type PrincipalWriter interface {
	CreatePrincipal(p *model.Principal) error
}

// TokenReader reads tokens.
type TokenReader interface {
	GetToken(principalID, id string) (*model.Token, error)
	// TokenBySecretHash finds a token by the hash of its secret, through a
	// secondary index; model.ErrNotFound if none.
	TokenBySecretHash(hash [32]byte) (*model.Token, error)
	ListTokens(principalID, cursor string, limit int) (ts []*model.Token, next string, err error)
}

// TokenWriter writes tokens.
type TokenWriter interface {
	// CreateToken stores a token and its secret-hash index entry;
	// model.ErrAlreadyExists if the id or the hash is taken.
	CreateToken(t *model.Token) error
	// UpdateToken replaces a token (to revoke it); the secret hash never
	// changes.
	UpdateToken(t *model.Token) error
}

// RequestReader reads the outcomes of earlier mutating requests.
type RequestReader interface {
	// GetRequest returns the record stored under key; model.ErrNotFound if
	// none.
	GetRequest(key string) (*model.RequestRecord, error)
}

// RequestWriter records the outcome of a mutating request, in the same
// transaction as the mutation, so a retry gets the same answer.
type RequestWriter interface {
	PutRequest(key string, r *model.RequestRecord) error
	// DeleteRequestsBefore deletes up to limit records whose CreateTime is
	// before cutoff, oldest first, and returns how many it deleted. A
	// request is only idempotent for as long as its record is kept; the
	// sweep keeps the records of a busy deployment from growing forever.
	DeleteRequestsBefore(cutoff time.Time, limit int) (int, error)
}

// SecretReader reads deployment secrets: small values the domain has
// already sealed under the KEK (e.g. the secret holder hashes and stored
// request results are keyed from). The store never sees them in clear.
type SecretReader interface {
	// GetSecret returns the sealed secret stored under name;
	// model.ErrNotFound if none.
	GetSecret(name string) ([]byte, error)
}

// SecretWriter stores sealed deployment secrets. They live in their own
// place, apart from request records, so that no pruning of those can
// touch them; they are in every backup like all data.
type SecretWriter interface {
	// PutSecret stores sealed under name, replacing what was there.
	PutSecret(name string, sealed []byte) error
}

// KeyReader reads issuer key sets.
type KeyReader interface {
	// IssuerKeys returns the issuer's key set in the order keys were
	// added, or an empty set (and no error) if it has none.
	IssuerKeys(issuerID string) (keys.Set, error)
}

// KeyWriter writes issuer key sets. A key set is small (bounded by
// keys.MaxPublishedKeys + keys.MaxCompromisedKeys) and is written whole.
type KeyWriter interface {
	PutIssuerKeys(issuerID string, set keys.Set) error
}

// CredentialReader reads issuance records.
type CredentialReader interface {
	GetCredential(issuerID, id string) (*model.CredentialRecord, error)
	ListCredentials(issuerID, cursor string, limit int) (cs []*model.CredentialRecord, next string, err error)
	// StatusIndexes returns every index allocated in the issuer's status
	// list number list, ascending, from a secondary index kept in the same
	// transaction as the records.
	StatusIndexes(issuerID string, list int32) ([]int, error)
	// StatusListCount returns how many status list numbers the issuer has
	// used (the highest list number + 1), or 0 if none.
	StatusListCount(issuerID string) (int32, error)
}

// CredentialWriter writes issuance records.
type CredentialWriter interface {
	// CreateCredential stores a record and claims its (issuer, list,
	// index) slot; model.ErrAlreadyExists if the id or the slot is taken.
	CreateCredential(c *model.CredentialRecord) error
	// UpdateCredential replaces a record (status changes); model.ErrNotFound
	// if there is none. The status slot never changes.
	UpdateCredential(c *model.CredentialRecord) error
}

// StatusListReader reads status lists.
type StatusListReader interface {
	// GetStatusList returns model.ErrNotFound for a list never written,
	// which callers treat as all bits clear.
	GetStatusList(issuerID, purpose string, list int32) (*model.StatusList, error)
}

// StatusListWriter writes status lists.
type StatusListWriter interface {
	PutStatusList(l *model.StatusList) error
}
