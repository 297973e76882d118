package admin

import "github.com/skillpass-nl/skillpass/model"

// The admin authorisation policy. Principals and backups are the
// operator's business; tokens are also each principal's own, so a sector
// authority or issuer client can rotate its credentials without the
// operator.

func isRoot(p model.Principal) bool { return p.Kind == model.KindRoot }

// canManagePrincipals: only root creates, reads and lists principals.
func canManagePrincipals(p model.Principal) bool { return isRoot(p) }

// canManageTokens: root for any principal; any authenticated principal for
// its own tokens.
func canManageTokens(p model.Principal, principalID string) bool {
	return isRoot(p) || (p.Authenticated() && p.ID == principalID)
}

// canBackup: a backup holds every record, and a restore replaces them.
func canBackup(p model.Principal) bool { return isRoot(p) }

func authorize(p model.Principal, allowed bool, action string) error {
	return model.Authorize(p, allowed, action)
}
