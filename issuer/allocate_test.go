package issuer

import (
	"testing"

	"github.com/skillpass-nl/skillpass/statuslist"
)

// TestAllocateMovesToNextList: when the issuer's list is full, issuance
// continues in the next list number, whose status list credential is then
// published, and a restart resumes in that list.
func TestAllocateMovesToNextList(t *testing.T) {
	w := newWorld(t)
	first := w.issue(nil).Record
	if first.StatusList != 0 {
		t.Fatalf("first credential in list %d, want 0", first.StatusList)
	}
	// Fill list 0 in memory: every index but the one used is taken by
	// credentials "in flight".
	is := w.svc.slots.issuer("roc")
	all := make([]int, 0, listBits)
	for i := range listBits {
		all = append(all, i)
	}
	full, err := statuslist.NewAllocator(listBits, all)
	if err != nil {
		t.Fatal(err)
	}
	is.mu.Lock()
	is.alloc = full
	is.mu.Unlock()

	next := w.issue(nil).Record
	if next.StatusList != 1 {
		t.Fatalf("credential after a full list went to list %d, want 1", next.StatusList)
	}
	if _, err := w.svc.ChangeStatus(ctx, rocClient, "", "roc", next.ID, ActionRevoke, "test"); err != nil {
		t.Fatal(err)
	}
	if !w.statusBit(t, next, statuslist.PurposeRevocation) || w.statusBit(t, first, statuslist.PurposeRevocation) {
		t.Fatal("the revocation landed in the wrong list")
	}
	w.reopen()
	if again := w.issue(nil).Record; again.StatusList != 1 || again.StatusIndex == next.StatusIndex {
		t.Fatalf("after restart: list %d index %d, want list 1 and not index %d", again.StatusList, again.StatusIndex, next.StatusIndex)
	}
}

// TestAllocateRecoversFromStaleMemory: if memory and store disagree about
// which slots are taken (a restored backup, say), the store refuses the
// slot, the allocator is rebuilt and the issuance succeeds.
func TestAllocateRecoversFromStaleMemory(t *testing.T) {
	w := newWorld(t)
	first := w.issue(nil).Record
	// Forget every allocation, as an allocator built before a restore
	// would, and force the next one onto the taken slot.
	stale, err := statuslist.NewAllocator(listBits, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range listBits {
		if i != int(first.StatusIndex) {
			if err := stale.MarkUsed(i); err != nil {
				t.Fatal(err)
			}
		}
	}
	is := w.svc.slots.issuer("roc")
	is.mu.Lock()
	is.alloc = stale
	is.mu.Unlock()
	second := w.issue(nil).Record
	if second.StatusList == first.StatusList && second.StatusIndex == first.StatusIndex {
		t.Fatal("two credentials share a slot")
	}
}
