package server

import "github.com/skillpass-nl/skillpass/model"

// Small helpers shared by the service adapters.

// then converts a domain result to its API form, passing errors through
// untouched (recovery maps them to a status): then(sectorToAPI)(svc.X(...)).
func then[M, A any](conv func(M) A) func(M, error) (A, error) {
	return func(m M, err error) (A, error) {
		if err != nil {
			var zero A
			return zero, err
		}
		return conv(m), nil
	}
}

// mapSlice converts a list of domain records to API messages.
func mapSlice[M, A any](in []M, conv func(M) A) []A {
	out := make([]A, len(in))
	for i, m := range in {
		out[i] = conv(m)
	}
	return out
}

// badName reports a resource name that does not parse. The validation
// interceptor has already refused such requests; handlers still check
// rather than pass empty ids on.
func badName(field string, err error) error {
	return model.Invalid(field, "%v", err)
}
