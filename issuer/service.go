package issuer

import (
	"errors"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// defaultStatusListTTL is how long verifiers may cache a status list
// credential unless configured otherwise: short enough that a revocation
// is seen within minutes, long enough that lists are served from caches.
const defaultStatusListTTL = 5 * time.Minute

// Service implements issuance. Every method takes the authenticated caller
// and enforces the policy itself (policy.go): an issuer's own client
// issues, revokes, suspends and reinstates its credentials and manages its
// keys; root manages keys of any issuer; a sector authority may revoke
// (only revoke) any credential of its sector, for cause.
type Service struct {
	store       store.Store
	kek         *keys.KEK
	baseURL     string
	keyPolicy   keys.Policy
	maxValidity time.Duration
	statusTTL   time.Duration
	now         func() time.Time

	signers     signerCache     // opened private keys, per issuer
	secretCache secretCache     // keys derived from the deployment secret
	slots       allocators      // random status list indexes, per issuer
	snapshots   snapshotCache   // registry records and key sets issuance reads
	published   statusListCache // signed status list credentials
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Service{
		store:       cfg.Store,
		kek:         cfg.KEK,
		baseURL:     cfg.BaseURL,
		keyPolicy:   cfg.KeyPolicy,
		maxValidity: cfg.MaxValidity,
		statusTTL:   cfg.StatusListTTL,
		now:         cfg.Now,
	}, nil
}

// withDefaults fills in zero settings and names every invalid one.
func (cfg Config) withDefaults() (Config, error) {
	var v model.Violations
	if cfg.Store == nil {
		v.Add("store", "is required")
	}
	if cfg.KEK == nil {
		v.Add("kek", "is required: issuer keys are sealed under it")
	}
	if err := credential.CheckBaseURL("base_url", cfg.BaseURL); err != nil {
		v.Add("base_url", "%s", fieldDescription(err))
	}
	if cfg.KeyPolicy == (keys.Policy{}) {
		cfg.KeyPolicy = keys.DefaultPolicy()
	}
	if err := cfg.KeyPolicy.Validate(); err != nil {
		v.Add("key_policy", "%v", err)
	}
	// A key signs until it retires and is dropped Retention later; the
	// last credential it signs may start MaxStartAhead after signing and
	// then run MaxValidity. Both must fit in the retention, or a worker's
	// credential would lose the key that verifies it while still valid.
	// The daemon checks its flags the same way; an embedding gets the
	// guarantee here.
	if cfg.MaxValidity == 0 {
		cfg.MaxValidity = cfg.KeyPolicy.Retention - MaxStartAhead
	}
	if cfg.MaxValidity <= 0 || cfg.MaxValidity+MaxStartAhead > cfg.KeyPolicy.Retention {
		v.Add("max_validity", "is %s; it must be positive, and it plus the start-ahead allowance %s (max_start_ahead) must be at most the key retention %s (key_policy.retention), or a credential could outlive the key that verifies it",
			cfg.MaxValidity, MaxStartAhead, cfg.KeyPolicy.Retention)
	}
	if cfg.StatusListTTL == 0 {
		cfg.StatusListTTL = defaultStatusListTTL
	}
	if cfg.StatusListTTL < time.Second {
		v.Add("status_list_ttl", "is %s; it must be at least 1s", cfg.StatusListTTL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, v.Err()
}

// clock returns the current time in UTC, without a monotonic reading and
// truncated to seconds: everything that enters a credential has whole
// seconds, and records must agree with the credential they describe.
func (s *Service) clock() time.Time { return s.now().UTC().Round(0).Truncate(time.Second) }

// fieldDescription is the description of a single-field validation error,
// so it can be re-filed among the violations of a larger check.
func fieldDescription(err error) string {
	var ve *model.ValidationError
	if errors.As(err, &ve) && len(ve.Violations) == 1 {
		return ve.Violations[0].Description
	}
	return err.Error()
}
