package model

import "fmt"

// Authenticated reports whether p presented a valid token.
func (p Principal) Authenticated() bool { return p.Kind != "" && p.Kind != KindAnonymous }

// Authorize turns a policy decision into the domain error: a caller without
// a token is asked to authenticate (ErrUnauthenticated), an authenticated
// one is refused (ErrPermissionDenied). action completes "may not ...".
func Authorize(p Principal, allowed bool, action string) error {
	switch {
	case allowed:
		return nil
	case !p.Authenticated():
		return fmt.Errorf("%w: %s needs a token", ErrUnauthenticated, action)
	default:
		return fmt.Errorf("%w: %s %q may not %s", ErrPermissionDenied, p.Kind, p.ID, action)
	}
}
