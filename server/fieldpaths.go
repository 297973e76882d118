package server

import (
	"errors"
	"strings"

	"github.com/skillpass-nl/skillpass/model"
)

// Field paths. The domain names the fields of its own request types
// (issuer.IssueRequest: "holder_key", "skills[0].method"); clients need
// the paths of the API message they sent. renameFields rewrites them in
// place: the domain builds a fresh *model.ValidationError for every call,
// so nothing shared is touched, and a refusal's message, built from its
// violations when it is printed, follows.

// renameFields rewrites the violation fields of err with rename and
// returns err.
func renameFields(err error, rename func(string) string) error {
	var verr *model.ValidationError
	if errors.As(err, &verr) {
		for i := range verr.Violations {
			verr.Violations[i].Field = rename(verr.Violations[i].Field)
		}
	}
	return err
}

// issueFieldToAPI maps a field of issuer.IssueRequest to its path in
// IssueCredentialRequest.
func issueFieldToAPI(f string) string {
	switch f {
	case "holder_key":
		return "credential.holder_public_jwk"
	case "sector", "sector_id", "profile", "profile_id", "version", "profile.digest":
		return "credential.profile_version"
	case "holder_id", "valid_from", "valid_until":
		return "credential." + f
	}
	if !strings.HasPrefix(f, "skills") {
		return f // request_id, or a field the API does not have
	}
	switch {
	case strings.HasSuffix(f, "].method"):
		f = strings.TrimSuffix(f, ".method") + ".assessment_method"
	case strings.Contains(f, ".evidence[") && strings.HasSuffix(f, ".name"):
		f = strings.TrimSuffix(f, ".name") + ".display_name"
	}
	return "credential." + f
}

// idFieldsTo maps the domain's id arguments (issuer_id, credential_id) to
// the API field they were parsed from: "name" or "issuer".
func idFieldsTo(apiField string) func(string) string {
	return func(f string) string {
		if f == "issuer_id" || f == "credential_id" {
			return apiField
		}
		return f
	}
}
