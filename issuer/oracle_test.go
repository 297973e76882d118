package issuer

import (
	"errors"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

// TestNoExistenceOracle: a caller who may not see a credential gets the
// same answer for it as for an id that does not exist, so credential ids
// cannot be probed; those who may see it get their real answers.
func TestNoExistenceOracle(t *testing.T) {
	w := newWorld(t)
	existing := w.issue(nil).Record.ID
	const missing = "01900000-0000-7000-8000-000000000000"
	type call func(actor model.Principal, id string) error
	get := func(actor model.Principal, id string) error {
		_, err := w.svc.GetCredential(ctx, actor, "roc", id)
		return err
	}
	change := func(action StatusAction) call {
		return func(actor model.Principal, id string) error {
			_, err := w.svc.ChangeStatus(ctx, actor, "", "roc", id, action, "probe")
			return err
		}
	}
	tests := []struct {
		name   string
		call   call
		actor  model.Principal
		want   error // for the existing credential
		hidden bool  // the answer must not tell the two ids apart
	}{
		{name: "ok/issuer reads", call: get, actor: rocClient},
		{name: "ok/sector authority reads", call: get, actor: installAuth},
		{name: "ok/root reads", call: get, actor: root},
		{name: "error/other sector's authority reads", call: get, actor: zorgAuth, want: model.ErrNotFound, hidden: true},
		{name: "error/other issuer reads", call: get, actor: otherClient, want: model.ErrPermissionDenied, hidden: true},
		{name: "error/anonymous reads", call: get, actor: anonymous, want: model.ErrUnauthenticated, hidden: true},
		{name: "error/other sector's authority revokes", call: change(ActionRevoke), actor: zorgAuth, want: model.ErrNotFound, hidden: true},
		{name: "error/other sector's authority suspends", call: change(ActionSuspend), actor: zorgAuth, want: model.ErrNotFound, hidden: true},
		{name: "error/other sector's authority reinstates", call: change(ActionReinstate), actor: zorgAuth, want: model.ErrNotFound, hidden: true},
		{name: "error/other issuer revokes", call: change(ActionRevoke), actor: otherClient, want: model.ErrPermissionDenied, hidden: true},
		// The sector's own authority may see the credential anyway, so
		// telling it that it may not suspend leaks nothing.
		{name: "error/sector authority suspends", call: change(ActionSuspend), actor: installAuth, want: model.ErrPermissionDenied},
		// Refused before any record is read: the same answer for every id.
		{name: "error/root revokes", call: change(ActionRevoke), actor: root, want: model.ErrPermissionDenied, hidden: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errExisting := tc.call(tc.actor, existing)
			checkErr(t, errExisting, tc.want)
			errMissing := tc.call(tc.actor, missing)
			if !tc.hidden {
				checkErr(t, errMissing, model.ErrNotFound)
				return
			}
			same := strings.ReplaceAll(errExisting.Error(), existing, missing)
			if same != errMissing.Error() || !sameKind(errExisting, errMissing) {
				t.Fatalf("answers differ:\n existing: %v\n missing:  %v", errExisting, errMissing)
			}
		})
	}
}

// sameKind: both errors match the same sentinels.
func sameKind(a, b error) bool {
	for _, s := range []error{model.ErrNotFound, model.ErrPermissionDenied, model.ErrUnauthenticated} {
		if errors.Is(a, s) != errors.Is(b, s) {
			return false
		}
	}
	return true
}
