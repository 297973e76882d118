package daemon

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// buildIssuance reads the KEK and the key and credential policy. The
// rules are those issuer.New enforces, checked here so that each names
// its flag before anything starts.
func (c *Config) buildIssuance(raw func(string) string, kekText string, errs *problems) {
	bad := errs.flag
	c.KEKFile = raw("kek-file")
	switch {
	case c.KEKFile != "" && kekText != "":
		bad("kek-file", "and %s are both set; give the KEK one way only", kekEnv)
	case c.KEKFile != "":
		k, err := keys.LoadKEKFile(c.KEKFile)
		if err != nil {
			bad("kek-file", "%v", err)
		}
		c.kek, c.kekSource = k, "file "+c.KEKFile
	case kekText != "":
		// ParseKEK's errors never repeat the text.
		k, err := keys.ParseKEK(kekText)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: %w", kekEnv, err))
		}
		c.kek, c.kekSource = k, "environment "+kekEnv
	}

	c.PublicBaseURL = raw("public-base-url")
	if err := credential.CheckBaseURL("public-base-url", c.PublicBaseURL); err != nil {
		bad("public-base-url", "%s", violationText(err))
	}
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{"key-publish-delay", &c.KeyPublishDelay},
		{"key-retention", &c.KeyRetention},
		{"status-list-ttl", &c.StatusListTTL},
		{"request-retention", &c.RequestRetention},
	}
	for _, d := range durations {
		v, err := parseLongDuration(raw(d.name))
		if err != nil {
			bad(d.name, "%v", err)
		}
		*d.dst = v
	}
	if err := (keys.Policy{PublishDelay: c.KeyPublishDelay, Retention: c.KeyRetention, MaxKeys: keys.MaxPublishedKeys}).Validate(); err != nil {
		var ve *model.ValidationError
		if errors.As(err, &ve) {
			for _, v := range ve.Violations {
				bad("key-"+strings.ReplaceAll(v.Field, "_", "-"), "%s", v.Description)
			}
		}
	}
	// A key signs until it retires and is dropped Retention later; what it
	// signed last may start issuer.MaxStartAhead later and then run
	// MaxValidity. So MaxValidity + MaxStartAhead <= Retention, or a
	// worker's credential could lose its key while still valid.
	longest := c.KeyRetention - issuer.MaxStartAhead
	if c.KeyRetention > 0 && longest <= 0 {
		bad("key-retention", "got %s, want more than %s: credentials may start up to %s after they are signed",
			c.KeyRetention, issuer.MaxStartAhead, issuer.MaxStartAhead)
	}
	c.MaxCredentialValidity = longest
	if s := raw("max-credential-validity"); s != "" {
		v, err := parseLongDuration(s)
		switch {
		case err != nil:
			bad("max-credential-validity", "%v", err)
		case v <= 0 || v > longest:
			bad("max-credential-validity", "got %s, want more than 0 and at most --key-retention minus %s (%s): a credential must not outlive the key that verifies it",
				v, issuer.MaxStartAhead, longest)
		}
		c.MaxCredentialValidity = v
	}
	if c.StatusListTTL < time.Second {
		bad("status-list-ttl", "got %s, want at least 1s", c.StatusListTTL)
	}
	// Clients retry within minutes; a day is the least that still makes a
	// lost answer recoverable by hand.
	if c.RequestRetention != 0 && c.RequestRetention < 24*time.Hour {
		bad("request-retention", "got %s, want 0 (keep forever) or at least 24h", c.RequestRetention)
	}
}

// violationText is the description of a single-field validation error.
func violationText(err error) string {
	var ve *model.ValidationError
	if errors.As(err, &ve) && len(ve.Violations) == 1 {
		return ve.Violations[0].Description
	}
	return err.Error()
}

// parseLongDuration accepts a Go duration ("36h", "90m") or a whole number
// of days or years ("30d", "5y", a year being 365 days): key retention is
// naturally said in years.
func parseLongDuration(s string) (time.Duration, error) {
	const day = 24 * time.Hour
	units := map[byte]time.Duration{'d': day, 'y': 365 * day}
	if n := len(s); n > 1 {
		if unit, ok := units[s[n-1]]; ok {
			v, err := strconv.ParseUint(s[:n-1], 10, 32)
			if err != nil || time.Duration(v) > math.MaxInt64/unit {
				return 0, fmt.Errorf("got %q, want a duration such as 24h, 30d or 5y", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("got %q, want a duration such as 24h, 30d or 5y", s)
	}
	return d, nil
}
