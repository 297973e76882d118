package registry

import (
	"fmt"
	"slices"

	"github.com/skillpass-nl/skillpass/model"
)

// Updatable fields per resource, as the API names them.
var (
	sectorFields  = []string{"display_name", "authority"}
	profileFields = []string{"display_name", "description", "nlqf_level", "competencies", "review_by"}
	issuerFields  = []string{"legal_name", "kvk_number", "contact"}
)

// fieldSet is the set of fields an update changes.
type fieldSet map[string]bool

// parseMask checks an update mask against the updatable fields; empty
// means all of them. An unknown field is an error rather than ignored, so a
// typo never turns into a silent no-op.
func parseMask(fields, allowed []string) (fieldSet, error) {
	set := make(fieldSet, len(allowed))
	if len(fields) == 0 {
		for _, f := range allowed {
			set[f] = true
		}
		return set, nil
	}
	var v model.Violations
	for i, f := range fields {
		if !slices.Contains(allowed, f) {
			v.Add(fmt.Sprintf("update_mask.paths[%d]", i), "unknown or read-only field %q; updatable: %v", f, allowed)
			continue
		}
		set[f] = true
	}
	return set, v.Err()
}
