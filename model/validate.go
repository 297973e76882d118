package model

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on registry content. They keep records small enough to hold every
// registry in memory on a verifier, and reject obvious garbage early.
const (
	MaxNameLength        = 200  // display names, legal names, authorities, in characters
	MaxDescriptionLength = 2000 // descriptions, in characters
	MaxReasonLength      = 500  // accreditation state-change reasons
	MaxCompetencies      = 500  // per profile version
	MaxLevels            = 20   // per competency scale
	MaxAlignments        = 20   // per competency
	maxFrameworkRef      = 200  // framework versions, codes, URLs
)

var (
	// idPattern is the shape of every resource id: it must be safe in a
	// resource name, a URL path and a bbolt key without escaping.
	idPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)
	// levelIDPattern is looser than idPattern because level scales are
	// commonly numbered ("1", "2", ...).
	levelIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	// escoSkillPattern is an ESCO skill URI with a canonical (lower-case)
	// UUID; ESCO publishes its URIs in exactly this form, so anything else
	// would never match a lookup in ESCO.
	escoSkillPattern = regexp.MustCompile(`^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// escoVersionPattern is an ESCO release such as "1.2.0".
	escoVersionPattern = regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?$`)
	kvkPattern         = regexp.MustCompile(`^[0-9]{8}$`)
	phonePattern       = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{5,24}$`)
)

// ValidID reports whether id has the shape of a resource id: exactly what
// idPattern matches (TestValidIDMatchesPattern), without a regular
// expression, because a verification checks several ids of every
// credential it reads.
func ValidID(id string) bool {
	if len(id) < 2 || len(id) > 63 || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for i := 1; i < len(id); i++ {
		if c := id[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// CheckID records a violation if id is not a valid resource id.
func CheckID(v *Violations, field, id string) {
	switch {
	case id == "":
		v.Add(field, "is required")
	case !ValidID(id):
		v.Add(field, "must match %s (lower-case letters, digits and dashes, 2-63 characters, starting with a letter), got %q", idPattern, clip(id))
	}
}

// checkString checks a free-text field: valid UTF-8, at most max
// characters, and no control characters except, where multiline is set,
// line breaks and tabs.
func checkString(v *Violations, field, s string, required bool, max int, multiline bool) {
	if s == "" {
		if required {
			v.Add(field, "is required")
		}
		return
	}
	if !utf8.ValidString(s) {
		v.Add(field, "must be valid UTF-8")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.Add(field, "must be at most %d characters, got %d", max, n)
	}
	if strings.TrimSpace(s) == "" {
		v.Add(field, "must not be blank")
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			v.Add(field, "must not contain control characters")
			break
		}
	}
}

// checkText checks a Dutch/English text: Dutch is required when the text
// is, English is always optional.
func checkText(v *Violations, field string, t Text, required bool, max int, multiline bool) {
	checkString(v, field+".nl", t.NL, required, max, multiline)
	checkString(v, field+".en", t.EN, false, max, multiline)
	if !required && t.NL == "" && t.EN != "" {
		v.Add(field+".nl", "is required when %s.en is set: Dutch is the primary language", field)
	}
}

// CheckName checks a required single-line name such as a display name.
func CheckName(v *Violations, field, s string) {
	checkString(v, field, s, true, MaxNameLength, false)
}

// ValidateSector checks a sector's content (not its id) under prefix,
// e.g. "sector".
func ValidateSector(v *Violations, prefix string, s *Sector) {
	checkText(v, prefix+".display_name", s.Name, true, MaxNameLength, false)
	CheckName(v, prefix+".authority", s.Authority)
}

// ValidateProfileContent checks the content of a profile version (not its
// ids, state or times) under prefix, e.g. "profile_version".
func ValidateProfileContent(v *Violations, prefix string, p *ProfileVersion) {
	checkText(v, prefix+".display_name", p.Name, true, MaxNameLength, false)
	checkText(v, prefix+".description", p.Description, false, MaxDescriptionLength, true)
	if !p.NLQFLevel.Valid() {
		v.Add(prefix+".nlqf_level", "must be entry or 1..8, got %q", clip(string(p.NLQFLevel)))
	}
	checkDate(v, prefix+".review_by", p.ReviewBy)
	field := prefix + ".competencies"
	switch n := len(p.Competencies); {
	case n == 0:
		v.Add(field, "needs at least one competency")
	case n > MaxCompetencies:
		v.Add(field, "must have at most %d competencies, got %d", MaxCompetencies, n)
	}
	seen := make(map[string]int, len(p.Competencies))
	for i := range p.Competencies {
		c := &p.Competencies[i]
		cf := fmt.Sprintf("%s[%d]", field, i)
		validateCompetency(v, cf, c)
		if j, dup := seen[c.ID]; dup && c.ID != "" {
			v.Add(cf+".id", "duplicates the id of %s[%d]: %q", field, j, c.ID)
		} else {
			seen[c.ID] = i
		}
	}
}

func validateCompetency(v *Violations, field string, c *Competency) {
	CheckID(v, field+".id", c.ID)
	checkText(v, field+".display_name", c.Name, true, MaxNameLength, false)
	checkText(v, field+".description", c.Description, false, MaxDescriptionLength, true)
	switch n := len(c.Alignments); {
	case n == 0:
		v.Add(field+".alignments", "needs at least one alignment (ESCO or CompetentNL)")
	case n > MaxAlignments:
		v.Add(field+".alignments", "must have at most %d alignments, got %d", MaxAlignments, n)
	}
	for i := range c.Alignments {
		validateAlignment(v, fmt.Sprintf("%s.alignments[%d]", field, i), &c.Alignments[i])
	}
	switch n := len(c.Levels); {
	case n == 0:
		v.Add(field+".levels", "needs at least one level")
	case n > MaxLevels:
		v.Add(field+".levels", "must have at most %d levels, got %d", MaxLevels, n)
	}
	seen := make(map[string]int, len(c.Levels))
	for i, l := range c.Levels {
		lf := fmt.Sprintf("%s.levels[%d]", field, i)
		switch {
		case l.ID == "":
			v.Add(lf+".id", "is required")
		case !levelIDPattern.MatchString(l.ID):
			v.Add(lf+".id", "must match %s, got %q", levelIDPattern, clip(l.ID))
		}
		if j, dup := seen[l.ID]; dup && l.ID != "" {
			v.Add(lf+".id", "duplicates the id of %s.levels[%d]: %q", field, j, l.ID)
		} else {
			seen[l.ID] = i
		}
		checkText(v, lf+".display_name", l.Name, true, MaxNameLength, false)
		checkText(v, lf+".description", l.Description, false, MaxDescriptionLength, true)
	}
}

func validateAlignment(v *Violations, field string, a *Alignment) {
	checkString(v, field+".target_name", a.TargetName, false, MaxNameLength, false)
	switch a.Framework {
	case FrameworkESCO:
		switch {
		case a.TargetURL == "":
			v.Add(field+".target_url", "is required for ESCO: an ESCO skill URI")
		case !escoSkillPattern.MatchString(a.TargetURL):
			v.Add(field+".target_url", "must be an ESCO skill URI http://data.europa.eu/esco/skill/<lower-case uuid>, got %q", clip(a.TargetURL))
		}
		switch {
		case a.FrameworkVersion == "":
			v.Add(field+".framework_version", "is required for ESCO, e.g. \"1.2.0\"")
		case !escoVersionPattern.MatchString(a.FrameworkVersion):
			v.Add(field+".framework_version", "must be an ESCO release like \"1.2.0\", got %q", clip(a.FrameworkVersion))
		}
		checkString(v, field+".target_code", a.TargetCode, false, maxFrameworkRef, false)
	case FrameworkCompetentNL:
		checkString(v, field+".target_code", a.TargetCode, true, maxFrameworkRef, false)
		checkString(v, field+".framework_version", a.FrameworkVersion, true, maxFrameworkRef, false)
		if a.TargetURL != "" {
			checkHTTPURL(v, field+".target_url", a.TargetURL, false)
		}
	case "":
		v.Add(field+".framework", "is required: ESCO or CompetentNL")
	default:
		v.Add(field+".framework", "must be ESCO or CompetentNL, got %q", clip(string(a.Framework)))
	}
}

// checkDate checks a required calendar date in YYYY-MM-DD form; time.Parse
// rejects impossible dates such as 2025-02-30.
func checkDate(v *Violations, field, s string) {
	if s == "" {
		v.Add(field, "is required (YYYY-MM-DD)")
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
		v.Add(field, "must be a date as YYYY-MM-DD, got %q", clip(s))
	}
}

// ValidateIssuer checks an issuer's content (not its id) under prefix,
// e.g. "issuer".
func ValidateIssuer(v *Violations, prefix string, i *Issuer) {
	CheckName(v, prefix+".legal_name", i.LegalName)
	switch {
	case i.KvKNumber == "":
		v.Add(prefix+".kvk_number", "is required")
	case !kvkPattern.MatchString(i.KvKNumber):
		v.Add(prefix+".kvk_number", "must be exactly 8 digits, got %q", clip(i.KvKNumber))
	}
	c := i.Contact
	if c.Email != "" {
		// The whole value must be the bare address: a display name would
		// smuggle personal data into a public record.
		a, err := mail.ParseAddress(c.Email)
		if err != nil || a.Name != "" || a.Address != c.Email || len(c.Email) > 254 {
			v.Add(prefix+".contact.email", "must be a plain e-mail address such as info@example.nl, got %q", clip(c.Email))
		}
	}
	if c.Website != "" {
		checkHTTPURL(v, prefix+".contact.website", c.Website, true)
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		v.Add(prefix+".contact.phone", "must be a telephone number such as +31 30 123 4567, got %q", clip(c.Phone))
	}
}

// checkHTTPURL checks an absolute web URL; httpsOnly demands https.
func checkHTTPURL(v *Violations, field, s string, httpsOnly bool) {
	u, err := url.Parse(s)
	ok := err == nil && u.Host != "" && u.User == nil && len(s) <= maxFrameworkRef*10
	if httpsOnly {
		ok = ok && u.Scheme == "https"
	} else {
		ok = ok && (u.Scheme == "https" || u.Scheme == "http")
	}
	if !ok {
		want := "an absolute http(s) URL"
		if httpsOnly {
			want = "an absolute https URL"
		}
		v.Add(field, "must be %s, got %q", want, clip(s))
	}
}

// ValidateAccreditationTerms checks an accreditation's version range and
// validity window under prefix, e.g. "accreditation". ValidFrom must have
// been defaulted by the caller.
func ValidateAccreditationTerms(v *Violations, prefix string, a *Accreditation) {
	if a.MinVersion < 1 {
		v.Add(prefix+".min_version", "must be at least 1, got %d", a.MinVersion)
	}
	if a.MaxVersion != 0 && a.MaxVersion < a.MinVersion {
		v.Add(prefix+".max_version", "must be 0 (open-ended) or at least min_version %d, got %d", a.MinVersion, a.MaxVersion)
	}
	if a.ValidFrom.IsZero() {
		v.Add(prefix+".valid_from", "is required")
	}
	if !a.ValidUntil.IsZero() && !a.ValidUntil.After(a.ValidFrom) {
		v.Add(prefix+".valid_until", "must be after valid_from (%s), got %s",
			a.ValidFrom.UTC().Format(time.RFC3339), a.ValidUntil.UTC().Format(time.RFC3339))
	}
}

// CheckReason checks the reason of an accreditation state change.
func CheckReason(v *Violations, field, reason string) {
	checkString(v, field, reason, true, MaxReasonLength, true)
}

// clip shortens user input echoed in an error message, so an error never
// carries a megabyte of somebody's payload.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// ValidatePrincipal checks a new principal's kind, display name and scopes
// under prefix, e.g. "principal". Whether the scoped sectors and issuer
// exist is for the caller to check in its transaction.
func ValidatePrincipal(v *Violations, prefix string, p *Principal) {
	CheckName(v, prefix+".display_name", p.DisplayName)
	switch p.Kind {
	case KindRoot:
		if len(p.SectorIDs) > 0 {
			v.Add(prefix+".sectors", "must be empty for ROOT, which governs every sector")
		}
		if p.IssuerID != "" {
			v.Add(prefix+".issuer", "must be empty for ROOT")
		}
	case KindSectorAuthority:
		if len(p.SectorIDs) == 0 {
			v.Add(prefix+".sectors", "needs at least one sector for SECTOR_AUTHORITY")
		}
		seen := make(map[string]bool, len(p.SectorIDs))
		for i, id := range p.SectorIDs {
			f := fmt.Sprintf("%s.sectors[%d]", prefix, i)
			CheckID(v, f, id)
			if seen[id] {
				v.Add(f, "lists sector %q twice", id)
			}
			seen[id] = true
		}
		if p.IssuerID != "" {
			v.Add(prefix+".issuer", "must be empty for SECTOR_AUTHORITY")
		}
	case KindIssuerClient:
		CheckID(v, prefix+".issuer", p.IssuerID)
		if len(p.SectorIDs) > 0 {
			v.Add(prefix+".sectors", "must be empty for ISSUER_CLIENT")
		}
	case "":
		v.Add(prefix+".kind", "is required: ROOT, SECTOR_AUTHORITY or ISSUER_CLIENT")
	default:
		v.Add(prefix+".kind", "must be ROOT, SECTOR_AUTHORITY or ISSUER_CLIENT, got %q", clip(string(p.Kind)))
	}
}

// ValidateID returns a validation error if id is not a valid resource id.
func ValidateID(field, id string) error {
	var v Violations
	CheckID(&v, field, id)
	return v.Err()
}
