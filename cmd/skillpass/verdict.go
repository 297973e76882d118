package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// lang picks the language of the sentences and names a verdict prints.
type lang string

func parseLang(s string) (lang, error) {
	switch l := lang(strings.ToLower(s)); l {
	case "en", "nl":
		return l, nil
	}
	return "", usagef("--lang: want en or nl, got %q", s)
}

// text returns t in l, falling back to the other language so a name
// given in only one language still shows.
func (l lang) text(t *pb.LocalizedText) string {
	first, second := t.GetEn(), t.GetNl()
	if l == "nl" {
		first, second = second, first
	}
	if first != "" {
		return first
	}
	return second
}

// writeVerdict prints a verdict for a person: the verdict, one line per
// check (outcome, check, reason, sentence), then what the credential says.
func writeVerdict(w io.Writer, l lang, v *pb.VerifyCredentialResponse) error {
	fmt.Fprintf(w, "Verdict: %s\n\n", enumName(v.GetVerdict()))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range v.GetChecks() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", enumName(c.GetOutcome()), c.GetCheck(), c.GetReason(), l.text(c.GetMessage()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if c := v.GetCredential(); c != nil {
		fmt.Fprintln(w)
		writeContent(w, l, c)
	}
	if v.GetTokenHash() != "" {
		fmt.Fprintf(w, "\nToken SHA-256: %s\n", v.GetTokenHash())
	}
	return nil
}

// writeContent prints what a credential says: with registry names when
// its signature was verified, else as the token's unverified claims.
func writeContent(w io.Writer, l lang, c *pb.CredentialSummary) {
	if c.GetVerified() {
		fmt.Fprintf(w, "Credential %s\n", c.GetCredentialId())
	} else {
		fmt.Fprintf(w, "Credential %s: UNVERIFIED CLAIMS (the signature did not verify with the named issuer's key; nothing below is confirmed)\n", c.GetCredentialId())
	}
	fmt.Fprintf(w, "  Issuer:   %s (%s, %s)\n", c.GetIssuerName(), c.GetIssuer(), c.GetIssuerUrl())
	fmt.Fprintf(w, "  Profile:  %s (%s)\n", l.text(c.GetProfileName()), c.GetProfileVersion())
	fmt.Fprintf(w, "  Sector:   %s\n", l.text(c.GetSectorName()))
	fmt.Fprintf(w, "  Digest:   %s\n", c.GetProfileDigest())
	bound := "no holder key bound"
	if c.GetHolderKeyBound() {
		bound = "holder key bound (cnf)"
	}
	fmt.Fprintf(w, "  Holder:   %s, %s\n", c.GetHolderId(), bound)
	fmt.Fprintf(w, "  Issued:   %s\n", ts(c.GetIssueTime()))
	fmt.Fprintf(w, "  Valid:    %s until %s\n", ts(c.GetValidFrom()), ts(c.GetValidUntil()))
	fmt.Fprintf(w, "  Competencies:\n")
	for _, comp := range c.GetCompetencies() {
		writeCompetency(w, l, "    - ", comp)
	}
}

func writeCompetency(w io.Writer, l lang, indent string, c *pb.VerifiedCompetency) {
	fmt.Fprintf(w, "%s%s (%s): level %s %q, %d of %d, assessed by %s\n", indent, l.text(c.GetDisplayName()), c.GetCompetencyId(),
		c.GetLevelId(), l.text(c.GetLevelName()), c.GetLevelRank(), c.GetLevelCount(), c.GetAssessmentMethod())
	pad := strings.Repeat(" ", len(indent))
	for _, a := range c.GetAlignments() {
		target := a.GetTargetUrl()
		if target == "" {
			target = a.GetTargetCode()
		}
		fmt.Fprintf(w, "%s%s %s %s\n", pad, enumName(a.GetFramework()), a.GetFrameworkVersion(), target)
	}
}

// writePassport prints a passport verdict: one line per credential with
// its failing checks, then the competencies the VALID ones prove.
func writePassport(w io.Writer, l lang, sources []string, p *pb.VerifyPassportResponse) error {
	fmt.Fprintf(w, "Passport: %d VALID, %d INVALID (distinct credentials)", p.GetValidCount(), p.GetInvalidCount())
	if h := p.GetHolderId(); h != "" {
		fmt.Fprintf(w, ", holder %s", h)
	}
	fmt.Fprintf(w, "\n")
	for _, c := range p.GetChecks() {
		fmt.Fprintf(w, "  %s %s %s: %s\n", enumName(c.GetOutcome()), c.GetCheck(), c.GetReason(), l.text(c.GetMessage()))
	}
	fmt.Fprintf(w, "\n")
	source := func(i int) string {
		if i < len(sources) {
			return sources[i]
		}
		return fmt.Sprint(i)
	}
	for i, r := range p.GetResults() {
		if d := p.GetDuplicateOf(); i < len(d) && d[i] >= 0 {
			fmt.Fprintf(w, "REPEAT  %s  same credential as %s\n", source(i), source(int(d[i])))
			continue
		}
		fmt.Fprintf(w, "%s  %s  %s\n", enumName(r.GetVerdict()), source(i), r.GetCredential().GetCredentialId())
		for _, c := range r.GetChecks() {
			if c.GetOutcome() == pb.CheckOutcome_CHECK_OUTCOME_FAIL {
				fmt.Fprintf(w, "    FAIL %s %s: %s\n", c.GetCheck(), c.GetReason(), l.text(c.GetMessage()))
			}
		}
	}
	fmt.Fprintf(w, "\nVerified competencies:\n")
	if len(p.GetSummary()) == 0 {
		fmt.Fprintf(w, "  (none)\n")
	}
	for _, s := range p.GetSummary() {
		fmt.Fprintf(w, "  %s\n", s.GetProfileVersion())
		writeCompetency(w, l, "    - ", s.GetCompetency())
		fmt.Fprintf(w, "      proven by %s\n", strings.Join(s.GetCredentialIds(), ", "))
	}
	return nil
}
