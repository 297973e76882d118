package main

import (
	"encoding/json"
	"flag"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// maxJWKBytes bounds a holder key file: a public JWK is a few hundred
// bytes; anything near this is not one.
const maxJWKBytes = 64 << 10

// parseSkill reads one --skill value, "competency=level:method", e.g.
// "warmtepomp-installeren=2:exam". The method is an AssessmentMethod by its
// short name (exam, practical-assessment, workplace-assessment,
// evc-portfolio, observation, other). Whether the competency and level
// exist is the server's to judge against the profile version.
func parseSkill(s string) (*pb.AwardedSkill, error) {
	comp, rest, ok := strings.Cut(s, "=")
	level, method, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || comp == "" || level == "" || method == "" {
		return nil, usagef("--skill: want competency=level:method (e.g. warmtepomp-installeren=2:exam), got %q", s)
	}
	m, err := parseEnum(pb.AssessmentMethod(0).Descriptor(), "skill", method)
	if err != nil {
		return nil, err
	}
	return &pb.AwardedSkill{CompetencyId: comp, LevelId: level, AssessmentMethod: pb.AssessmentMethod(m)}, nil
}

// evidenceArg is one --evidence value: "[competency=]url[,name=text][,digest=sha256:hex]".
// Without a competency it backs every skill of the credential (one exam
// report covering all of them is the common case).
type evidenceArg struct {
	competency string
	ref        *pb.EvidenceReference
}

func parseEvidence(s string) (evidenceArg, error) {
	var ev evidenceArg
	parts := strings.Split(s, ",")
	url := parts[0]
	// A competency id is a slug; a URL has a scheme, so "https://x?a=b" is
	// never mistaken for competency "https://x?a".
	if comp, u, ok := strings.Cut(url, "="); ok && !strings.Contains(comp, ":") {
		ev.competency, url = comp, u
	}
	if url == "" {
		return ev, usagef("--evidence: want [competency=]url[,name=text][,digest=sha256:hex], got %q", s)
	}
	ev.ref = &pb.EvidenceReference{Url: url}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "name":
			ev.ref.DisplayName = v
		case "digest":
			ev.ref.Digest = v
		default:
			return ev, usagef("--evidence: unknown attribute %q in %q (want name= or digest=)", k, s)
		}
	}
	return ev, nil
}

// attachEvidence adds each evidence reference to the skill it names, or to
// every skill.
func attachEvidence(skills []*pb.AwardedSkill, evidence []evidenceArg) error {
	for _, ev := range evidence {
		found := false
		for _, sk := range skills {
			if ev.competency == "" || ev.competency == sk.CompetencyId {
				sk.Evidence = append(sk.Evidence, ev.ref)
				found = true
			}
		}
		if !found {
			return usagef("--evidence: competency %q is not among the --skill flags", ev.competency)
		}
	}
	return nil
}

// credentialInput is the flags that describe one credential's content.
type credentialInput struct {
	profileVersion, holderID, holderJWKFile *string
	skills, evidence                        stringsFlag
	validFrom, validUntil                   func() *timestamppb.Timestamp
}

func addCredentialInput(fs *flag.FlagSet) *credentialInput {
	in := &credentialInput{
		profileVersion: fs.String("profile-version", "", "sectors/{sector}/profiles/{profile}/versions/{version} (required)"),
		holderID:       fs.String("holder-id", "", "the holder's pseudonymous `id`, a did: or urn: URI, never an e-mail address (required)"),
		holderJWKFile:  fs.String("holder-jwk-file", "", "`file` with the holder's public key as a JWK, bound to the credential with cnf"),
	}
	fs.Var(&in.skills, "skill", "a competency awarded, as `competency=level:method` (method: exam, practical-assessment, workplace-assessment, evc-portfolio, observation, other); repeat for each (required)")
	fs.Var(&in.evidence, "evidence", "proof behind the skills, as `[competency=]url[,name=text][,digest=sha256:hex]`; without a competency it backs every skill; repeatable")
	in.validFrom = timeVar(fs, "valid-from", "start of validity (default now; never in the past)")
	in.validUntil = timeVar(fs, "valid-until", "end of validity (default the longest the server allows)")
	return in
}

// content builds the CredentialContent the flags describe.
func (in *credentialInput) content(e *env) (*pb.CredentialContent, error) {
	if err := required("profile-version", *in.profileVersion); err != nil {
		return nil, err
	}
	if err := required("holder-id", *in.holderID); err != nil {
		return nil, err
	}
	if len(in.skills) == 0 {
		return nil, usagef("--skill is required: give at least one competency=level:method")
	}
	c := &pb.CredentialContent{
		ProfileVersion: *in.profileVersion,
		HolderId:       *in.holderID,
		ValidFrom:      in.validFrom(),
		ValidUntil:     in.validUntil(),
	}
	for _, s := range in.skills {
		sk, err := parseSkill(s)
		if err != nil {
			return nil, err
		}
		c.Skills = append(c.Skills, sk)
	}
	var evidence []evidenceArg
	for _, s := range in.evidence {
		ev, err := parseEvidence(s)
		if err != nil {
			return nil, err
		}
		evidence = append(evidence, ev)
	}
	if err := attachEvidence(c.Skills, evidence); err != nil {
		return nil, err
	}
	jwk, err := holderJWK(*in.holderJWKFile, e)
	if err != nil {
		return nil, err
	}
	c.HolderPublicJwk = jwk
	return c, nil
}

// holderJWK reads a holder public key file and checks it is a JSON object
// holding no private part: sending a private key to the issuer would
// defeat the binding.
func holderJWK(path string, e *env) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := readInput(path, e.stdin, "--holder-jwk-file", maxJWKBytes)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", usagef("--holder-jwk-file %s: not a JSON object: %v", path, err)
	}
	if _, ok := m["d"]; ok {
		return "", usagef("--holder-jwk-file %s: holds a private key (\"d\"); give the public key only", path)
	}
	return strings.TrimSpace(string(b)), nil
}
