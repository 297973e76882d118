package verifier

import (
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
)

// Reasons a verdict item carries besides those of package credential's
// sentinel errors (FORMAT) and "OK". They are stable machine-readable
// codes: clients switch on them, so a code is never renamed or reused.
const (
	ReasonOK         = "OK"
	ReasonNotChecked = "NOT_CHECKED"

	ReasonAlgorithmKeyMismatch = "ALGORITHM_KEY_MISMATCH"

	ReasonIssuerUnknown    = "ISSUER_UNKNOWN"
	ReasonKidUnknown       = "KID_UNKNOWN"
	ReasonKidOfOtherIssuer = "KID_OF_OTHER_ISSUER"

	ReasonKeyRetiredSince    = "KEY_RETIRED_SINCE"
	ReasonKeyCompromised     = "KEY_COMPROMISED"
	ReasonKeyNotYetActive    = "KEY_NOT_YET_ACTIVE"
	ReasonKeyRetiredAtSigned = "KEY_RETIRED_AT_SIGNING"
	ReasonIssuedInFuture     = "ISSUED_IN_FUTURE"

	ReasonIssuerNotRegistered = "ISSUER_NOT_REGISTERED"
	ReasonIssuerNameChanged   = "ISSUER_NAME_CHANGED"

	ReasonNotAccredited          = "NOT_ACCREDITED_AT_ISSUANCE"
	ReasonVersionNotCovered      = "VERSION_NOT_COVERED"
	ReasonOutsideAccreditation   = "OUTSIDE_ACCREDITATION_PERIOD"
	ReasonAccreditationSuspended = "ACCREDITATION_SUSPENDED_AT_ISSUANCE"
	ReasonAccreditationWithdrawn = "ACCREDITATION_WITHDRAWN_AT_ISSUANCE"

	ReasonProfileRetired     = "PROFILE_RETIRED"
	ReasonProfileRefInvalid  = "PROFILE_REFERENCE_INVALID"
	ReasonProfileNotFound    = "PROFILE_NOT_FOUND"
	ReasonProfileDraft       = "PROFILE_DRAFT"
	ReasonProfileDigest      = "PROFILE_DIGEST_MISMATCH"
	ReasonCompetencyUnknown  = "COMPETENCY_NOT_IN_PROFILE"
	ReasonLevelOffScale      = "LEVEL_NOT_ON_SCALE"
	ReasonAchievementDiffers = "ACHIEVEMENT_MISMATCH"

	ReasonNotYetValid = "NOT_YET_VALID"
	ReasonExpired     = "EXPIRED"

	ReasonRevoked          = "REVOKED"
	ReasonSuspended        = "SUSPENDED"
	ReasonStatusRefInvalid = "STATUS_REFERENCE_INVALID"
	ReasonStatusOutOfRange = "STATUS_INDEX_OUT_OF_RANGE"

	ReasonStandingAccredited = "STANDING_ACCREDITED"
	ReasonStandingSuspended  = "STANDING_SUSPENDED"
	ReasonStandingWithdrawn  = "STANDING_WITHDRAWN"
	ReasonStandingEnded      = "STANDING_ACCREDITATION_ENDED"
	ReasonStandingNone       = "STANDING_NOT_ACCREDITED"

	// The passport's own items.
	ReasonNoValidCredential    = "NO_VALID_CREDENTIAL"
	ReasonHoldersDiffer        = "HOLDERS_DIFFER"
	ReasonOtherHolderInInvalid = "OTHER_HOLDER_IN_INVALID"
	ReasonDuplicateCredentials = "DUPLICATE_CREDENTIALS"
)

// checkLabels name the checks in sentences.
var checkLabels = map[CheckName]model.Text{
	CheckFormat:          {NL: "vorm", EN: "format"},
	CheckAlgorithm:       {NL: "algoritme", EN: "algorithm"},
	CheckSignature:       {NL: "handtekening", EN: "signature"},
	CheckKey:             {NL: "sleutelstatus", EN: "key state"},
	CheckIssuer:          {NL: "uitgever geregistreerd", EN: "issuer registered"},
	CheckAccreditation:   {NL: "accreditatie bij uitgifte", EN: "accreditation at issuance"},
	CheckProfile:         {NL: "competentieprofiel", EN: "competency profile"},
	CheckCompetencies:    {NL: "competenties en niveaus", EN: "competencies and levels"},
	CheckValidity:        {NL: "geldigheidsperiode", EN: "validity period"},
	CheckStatus:          {NL: "intrekking en schorsing", EN: "revocation and suspension"},
	CheckCurrentStanding: {NL: "huidige positie van de uitgever", EN: "issuer's current standing"},

	CheckPassportHolder:     {NL: "één houder", EN: "one holder"},
	CheckPassportDuplicates: {NL: "herhaalde credentials", EN: "repeated credentials"},
}

// msgOpenEnded is the sentence of a passing validity period without an
// end; its reason is ReasonOK.
const msgOpenEnded = "OK_OPEN_ENDED"

// msgKey selects a sentence: the same reason ("OK") reads differently per
// check. An empty check is the fallback for reasons any check may give.
type msgKey struct {
	check  CheckName
	reason string
}

// messages holds every sentence a verdict can carry, in Dutch and English.
// Placeholders in braces are filled by msg; the values are facts from the
// registry or the credential (names, dates), never the holder id, which a
// verdict's reader may pass on.
var messages = map[msgKey]model.Text{
	{"", ReasonNotChecked}: {
		NL: "Niet gecontroleerd, omdat de controle \"{blocker}\" niet is geslaagd.",
		EN: "Not checked, because the \"{blocker}\" check did not pass."},

	{CheckFormat, ReasonOK}: {
		NL: "Het bewijs is een goed gevormde Skillpass-credential (VC-JOSE, compacte JWS).",
		EN: "The token is a well-formed Skillpass credential (VC-JOSE, compact JWS)."},
	{CheckFormat, credential.ErrTooLarge.Reason}: {
		NL: "Het bewijs is groter dan toegestaan en is niet gelezen.",
		EN: "The token is larger than allowed and was not read."},
	{CheckFormat, credential.ErrMalformed.Reason}: {
		NL: "Het bewijs is geen geldige compacte JWS (header.payload.handtekening).",
		EN: "The token is not a valid compact JWS (header.payload.signature)."},
	{CheckFormat, credential.ErrForbiddenHeader.Reason}: {
		NL: "De JWS-header bevat een parameter die niet is toegestaan, zoals jku, x5u, jwk, crit of b64.",
		EN: "The JWS header carries a parameter that is not allowed, such as jku, x5u, jwk, crit or b64."},
	{CheckFormat, credential.ErrWrongType.Reason}: {
		NL: "Het type in de JWS-header (typ/cty) is niet dat van een verifieerbare credential (vc+jwt, vc).",
		EN: "The JWS header's typ or cty is not that of a verifiable credential (vc+jwt, vc)."},
	{CheckFormat, credential.ErrMissingKid.Reason}: {
		NL: "De JWS-header noemt geen sleutel (kid).",
		EN: "The JWS header names no key (kid)."},
	{CheckFormat, credential.ErrMultipleSignatures.Reason}: {
		NL: "Het bewijs draagt meer dan één handtekening.",
		EN: "The token carries more than one signature."},
	{CheckFormat, credential.ErrPayloadNotJSON.Reason}: {
		NL: "De inhoud van het bewijs is geen enkel JSON-object.",
		EN: "The token's payload is not a single JSON object."},
	{CheckFormat, credential.ErrDuplicateKey.Reason}: {
		NL: "De inhoud van het bewijs herhaalt een veldnaam, zodat niet vaststaat wat er staat.",
		EN: "The token's payload repeats a member name, so what it says is ambiguous."},
	{CheckFormat, credential.ErrNotCredential.Reason}: {
		NL: "De inhoud van het bewijs is geen geldige Skillpass-credential.",
		EN: "The token's payload is not a valid Skillpass credential."},
	{CheckFormat, credential.ErrIssuerMismatch.Reason}: {
		NL: "De claim iss wijkt af van de uitgever (issuer) van de credential.",
		EN: "The iss claim differs from the credential's issuer."},

	{CheckAlgorithm, ReasonOK}: {
		NL: "Ondertekend met {alg}, een toegestaan algoritme.",
		EN: "Signed with {alg}, an allowed algorithm."},
	{CheckAlgorithm, credential.ErrUnsupportedAlg.Reason}: {
		NL: "Het handtekeningalgoritme is niet toegestaan; alleen ES256 en EdDSA worden aanvaard.",
		EN: "The signature algorithm is not allowed; only ES256 and EdDSA are accepted."},
	{CheckAlgorithm, ReasonAlgorithmKeyMismatch}: {
		NL: "Het bewijs zegt met {alg} ondertekend te zijn, maar de genoemde sleutel is een {keyalg}-sleutel.",
		EN: "The token claims to be signed with {alg}, but the key it names is an {keyalg} key."},

	{CheckSignature, ReasonOK}: {
		NL: "De handtekening is geldig en gezet met een sleutel van {issuer}.",
		EN: "The signature is valid and was made with a key of {issuer}."},
	{CheckSignature, ReasonIssuerUnknown}: {
		NL: "De credential noemt een uitgever die niet bij deze Skillpass is geregistreerd; er is geen sleutel om mee te controleren.",
		EN: "The credential names an issuer that is not registered with this Skillpass; there is no key to verify it with."},
	{CheckSignature, ReasonKidUnknown}: {
		NL: "De sleutel die het bewijs noemt, hoort niet bij de sleutels van {issuer}.",
		EN: "The key the token names is not one of {issuer}'s keys."},
	{CheckSignature, ReasonKidOfOtherIssuer}: {
		NL: "De sleutel die het bewijs noemt, is van een andere uitgever ({owner}) dan de uitgever die de credential noemt.",
		EN: "The key the token names belongs to another issuer ({owner}) than the issuer the credential names."},
	{CheckSignature, credential.ErrSignatureInvalid.Reason}: {
		NL: "De handtekening klopt niet: het bewijs is na ondertekening gewijzigd of niet met deze sleutel ondertekend.",
		EN: "The signature does not verify: the token was changed after signing or not signed with this key."},

	{CheckKey, ReasonOK}: {
		NL: "De sleutel was actief toen de credential op {iat} werd ondertekend.",
		EN: "The key was active when the credential was signed on {iat}."},
	{CheckKey, ReasonKeyRetiredSince}: {
		NL: "De sleutel was actief toen de credential op {iat} werd ondertekend; hij is sinds {retired} buiten gebruik, maar blijft geldig voor wat hij ondertekende.",
		EN: "The key was active when the credential was signed on {iat}; it was retired on {retired} but still vouches for what it signed."},
	{CheckKey, ReasonKeyCompromised}: {
		NL: "De sleutel is op {compromised} als gecompromitteerd gemeld. Alles wat hij ondertekende wordt als ongeldig behandeld, zolang het tijdstip van uitgifte niet onafhankelijk bewezen kan worden.",
		EN: "The key was reported compromised on {compromised}. Everything it signed is treated as invalid until its issuance time can be proven independently."},
	{CheckKey, ReasonKeyNotYetActive}: {
		NL: "De credential zegt op {iat} ondertekend te zijn, maar de sleutel was toen nog niet actief (actief vanaf {activated}).",
		EN: "The credential claims to be signed on {iat}, but the key was not yet active then (active from {activated})."},
	{CheckKey, ReasonKeyRetiredAtSigned}: {
		NL: "De credential zegt op {iat} ondertekend te zijn, maar de sleutel was al op {retired} buiten gebruik gesteld.",
		EN: "The credential claims to be signed on {iat}, but the key had been retired on {retired}."},
	{CheckKey, ReasonIssuedInFuture}: {
		NL: "De credential zegt op {iat} ondertekend te zijn, een tijdstip in de toekomst.",
		EN: "The credential claims to be signed on {iat}, a time in the future."},

	{CheckIssuer, ReasonOK}: {
		NL: "De uitgever {issuer} is geregistreerd.",
		EN: "The issuer {issuer} is registered."},
	{CheckIssuer, ReasonIssuerNotRegistered}: {
		NL: "De uitgever die de credential noemt, is niet geregistreerd.",
		EN: "The issuer the credential names is not registered."},
	{CheckIssuer, ReasonIssuerNameChanged}: {
		NL: "De uitgever is geregistreerd, nu als \"{issuer}\"; de credential noemt de naam bij uitgifte, \"{claimed}\".",
		EN: "The issuer is registered, now as \"{issuer}\"; the credential gives its name at issuance, \"{claimed}\"."},

	{CheckAccreditation, ReasonOK}: {
		NL: "{issuer} was op {iat} geaccrediteerd voor {profile} versie {version}.",
		EN: "{issuer} was accredited for {profile} version {version} on {iat}."},
	{CheckAccreditation, ReasonNotAccredited}: {
		NL: "{issuer} heeft geen accreditatie voor het profiel {profile}.",
		EN: "{issuer} holds no accreditation for the profile {profile}."},
	{CheckAccreditation, ReasonVersionNotCovered}: {
		NL: "De accreditatie van {issuer} dekt versie {version} van {profile} niet.",
		EN: "{issuer}'s accreditation does not cover version {version} of {profile}."},
	{CheckAccreditation, ReasonOutsideAccreditation}: {
		NL: "Op {iat} viel de uitgifte buiten de geldigheidsperiode van de accreditatie van {issuer} voor {profile}.",
		EN: "On {iat} the issuance fell outside the validity period of {issuer}'s accreditation for {profile}."},
	{CheckAccreditation, ReasonAccreditationSuspended}: {
		NL: "Op {iat} was de accreditatie van {issuer} voor {profile} geschorst.",
		EN: "On {iat} {issuer}'s accreditation for {profile} was suspended."},
	{CheckAccreditation, ReasonAccreditationWithdrawn}: {
		NL: "Op {iat} was de accreditatie van {issuer} voor {profile} ingetrokken of nog niet van kracht.",
		EN: "On {iat} {issuer}'s accreditation for {profile} was withdrawn or not yet in force."},

	{CheckProfile, ReasonOK}: {
		NL: "Het competentieprofiel {profile} versie {version} is gepubliceerd en de vingerafdruk klopt.",
		EN: "The competency profile {profile} version {version} is published and its digest matches."},
	{CheckProfile, ReasonProfileRetired}: {
		NL: "Het competentieprofiel {profile} versie {version} is sinds {retired} vervangen; de vingerafdruk klopt en de credential blijft geldig.",
		EN: "The competency profile {profile} version {version} was retired on {retired}; its digest matches and the credential stays valid."},
	{CheckProfile, ReasonProfileRefInvalid}: {
		NL: "De credential verwijst niet op de juiste manier naar een competentieprofiel van deze Skillpass.",
		EN: "The credential does not properly refer to a competency profile of this Skillpass."},
	{CheckProfile, ReasonProfileNotFound}: {
		NL: "Het competentieprofiel waarnaar de credential verwijst, bestaat niet.",
		EN: "The competency profile the credential refers to does not exist."},
	{CheckProfile, ReasonProfileDraft}: {
		NL: "Het competentieprofiel {profile} versie {version} is een concept en nooit gepubliceerd.",
		EN: "The competency profile {profile} version {version} is a draft and was never published."},
	{CheckProfile, ReasonProfileDigest}: {
		NL: "De vingerafdruk in de credential komt niet overeen met die van {profile} versie {version}.",
		EN: "The digest in the credential does not match that of {profile} version {version}."},

	{CheckCompetencies, ReasonOK}: {
		NL: "Alle {count} competenties en niveaus komen overeen met het profiel.",
		EN: "All {count} competencies and levels match the profile."},
	{CheckCompetencies, ReasonCompetencyUnknown}: {
		NL: "De competentie {competency} komt niet voor in {profile} versie {version}.",
		EN: "The competency {competency} is not part of {profile} version {version}."},
	{CheckCompetencies, ReasonLevelOffScale}: {
		NL: "Niveau {level} staat niet op de schaal van de competentie \"{competency}\".",
		EN: "Level {level} is not on the scale of the competency \"{competency}\"."},
	{CheckCompetencies, ReasonAchievementDiffers}: {
		NL: "De beschrijving van de competentie \"{competency}\" wijkt af van het geregistreerde profiel.",
		EN: "The description of the competency \"{competency}\" differs from the registered profile."},

	{CheckValidity, ReasonOK}: {
		NL: "De credential is geldig van {from} tot {until}.",
		EN: "The credential is valid from {from} until {until}."},
	{CheckValidity, msgOpenEnded}: {
		NL: "De credential is geldig vanaf {from}, zonder einddatum.",
		EN: "The credential is valid from {from}, without an end date."},
	{CheckValidity, ReasonNotYetValid}: {
		NL: "De credential is pas geldig vanaf {from}.",
		EN: "The credential is not valid before {from}."},
	{CheckValidity, ReasonExpired}: {
		NL: "De credential is verlopen op {until}.",
		EN: "The credential expired on {until}."},

	{CheckStatus, ReasonOK}: {
		NL: "De credential is niet ingetrokken en niet geschorst.",
		EN: "The credential is neither revoked nor suspended."},
	{CheckStatus, ReasonRevoked}: {
		NL: "De credential is ingetrokken.",
		EN: "The credential has been revoked."},
	{CheckStatus, ReasonSuspended}: {
		NL: "De credential is geschorst.",
		EN: "The credential is suspended."},
	{CheckStatus, ReasonStatusRefInvalid}: {
		NL: "De statusvermelding van de credential wijst niet naar de statuslijsten van de eigen uitgever.",
		EN: "The credential's status entries do not point at its own issuer's status lists."},
	{CheckStatus, ReasonStatusOutOfRange}: {
		NL: "De statusvermelding van de credential valt buiten de statuslijst van de uitgever.",
		EN: "The credential's status entry lies outside the issuer's status list."},

	{CheckCurrentStanding, ReasonStandingAccredited}: {
		NL: "{issuer} is nu geaccrediteerd voor {profile}.",
		EN: "{issuer} is currently accredited for {profile}."},
	{CheckCurrentStanding, ReasonStandingSuspended}: {
		NL: "De accreditatie van {issuer} voor {profile} is nu geschorst, sinds {since}. Dat raakt credentials die daarvóór zijn uitgegeven niet.",
		EN: "{issuer}'s accreditation for {profile} is currently suspended since {since}. That does not affect credentials issued before."},
	{CheckCurrentStanding, ReasonStandingWithdrawn}: {
		NL: "De accreditatie van {issuer} voor {profile} is ingetrokken, sinds {since}. Dat raakt credentials die daarvóór zijn uitgegeven niet.",
		EN: "{issuer}'s accreditation for {profile} has been withdrawn since {since}. That does not affect credentials issued before."},
	{CheckCurrentStanding, ReasonStandingEnded}: {
		NL: "De accreditatie van {issuer} voor {profile} is nu niet van kracht (geldigheidsperiode voorbij of nog niet begonnen).",
		EN: "{issuer}'s accreditation for {profile} is not in force now (its validity period is over or has not begun)."},
	{CheckCurrentStanding, ReasonStandingNone}: {
		NL: "{issuer} is nu niet geaccrediteerd voor deze versie van {profile}.",
		EN: "{issuer} is not currently accredited for this version of {profile}."},

	{CheckPassportHolder, ReasonOK}: {
		NL: "Alle geldige credentials noemen dezelfde houder; de samenvatting gaat over die houder.",
		EN: "Every valid credential names the same holder; the summary is about that holder."},
	{CheckPassportHolder, ReasonOtherHolderInInvalid}: {
		NL: "Alle geldige credentials noemen dezelfde houder; de samenvatting gaat over die houder. Een ongeldige credential noemt een andere houder en telt niet mee.",
		EN: "Every valid credential names the same holder; the summary is about that holder. An invalid credential names another holder and does not count."},
	{CheckPassportHolder, ReasonHoldersDiffer}: {
		NL: "De geldige credentials noemen {count} verschillende houders. Een paspoort is van één persoon; omdat niet vaststaat van wie, worden geen competenties samengevat.",
		EN: "The valid credentials name {count} different holders. A passport is one person's; as it is unclear whose, no competencies are summarised."},
	{CheckPassportHolder, ReasonNoValidCredential}: {
		NL: "Geen enkele credential is geldig, dus er is geen houder vast te stellen en niets samen te vatten.",
		EN: "No credential is valid, so there is no holder to establish and nothing to summarise."},
	{CheckPassportDuplicates, ReasonOK}: {
		NL: "Geen credential is meer dan eens aangeboden.",
		EN: "No credential was given more than once."},
	{CheckPassportDuplicates, ReasonDuplicateCredentials}: {
		NL: "Herhalingen van een eerder aangeboden credential: {count}. Elke credential telt maar één keer mee.",
		EN: "Repeats of a credential given earlier: {count}. Each credential counts only once."},
}

// msg fills the sentences for a check's reason; args are placeholder
// name and value pairs, a value being a string or a model.Text (whose
// Dutch goes into the Dutch sentence). A reason without its own sentence
// for the check falls back to the check-independent one; a test
// guarantees that every reason the package gives has one.
func msg(check CheckName, reason string, args ...any) model.Text {
	t, ok := messages[msgKey{check, reason}]
	if !ok {
		t = messages[msgKey{"", reason}]
	}
	if len(args) == 0 {
		return t
	}
	// Both sentences go into one string, which they then share: one
	// allocation per message rather than one per language (a verdict has
	// a dozen messages with placeholders).
	nl, en := fill(nil, t.NL, dutch, args), fill(nil, t.EN, english, args)
	var b strings.Builder
	b.Grow(nl + en)
	fill(&b, t.NL, dutch, args)
	fill(&b, t.EN, english, args)
	both := b.String()
	return model.Text{NL: both[:nl], EN: both[nl:]}
}

// fill writes tmpl to b with each {name} replaced by its value in args,
// choosing a model.Text's language with lang, and returns the length it
// wrote; with a nil b it only measures. It runs on every verification, so
// it scans by hand instead of building a strings.Replacer per call; an
// unknown placeholder is left as it is (and fails the message tests).
func fill(b *strings.Builder, tmpl string, lang func(model.Text) string, args []any) int {
	n := 0
	write := func(s string) {
		n += len(s)
		if b != nil {
			b.WriteString(s)
		}
	}
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			write(tmpl)
			return n
		}
		write(tmpl[:i])
		write(argValue(tmpl[i+1:i+j], lang, args, tmpl[i:i+j+1]))
		tmpl = tmpl[i+j+1:]
	}
}

func argValue(name string, lang func(model.Text) string, args []any, orig string) string {
	for k := 0; k+1 < len(args); k += 2 {
		if n, _ := args[k].(string); n != name {
			continue
		}
		switch v := args[k+1].(type) {
		case string:
			return v
		case model.Text:
			return lang(v)
		}
	}
	return orig
}

// english is a text's English version, or the Dutch one if it has none
// (Dutch is the registry's required language); dutch the reverse.
func english(t model.Text) string {
	if t.EN != "" {
		return t.EN
	}
	return t.NL
}

func dutch(t model.Text) string {
	if t.NL != "" {
		return t.NL
	}
	return t.EN
}

// dayLayout formats a time for a sentence: unambiguous in both languages.
const dayLayout = "2006-01-02 15:04 UTC"

// day is t in dayLayout. Several sentences of every verdict quote a time,
// so it is written by hand rather than by interpreting the layout each
// time; years outside 0..9999 are left to time.Format (TestDay).
func day(t time.Time) string {
	t = t.UTC()
	year, month, d := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(dayLayout)
	}
	h, m, _ := t.Clock()
	b := make([]byte, 0, len(dayLayout))
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, ' ')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, m, 2)
	return string(append(b, " UTC"...))
}

// appendDigits appends the n lowest decimal digits of v (v >= 0).
func appendDigits(b []byte, v, n int) []byte {
	start := len(b)
	b = append(b, make([]byte, n)...)
	for i := len(b) - 1; i >= start; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}
