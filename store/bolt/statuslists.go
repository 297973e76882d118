package bolt

import (
	"encoding/binary"
	"fmt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

var statusListCodec = codec[*model.StatusList, *storagev1.StatusList]{
	kind:   "status list",
	newMsg: func() *storagev1.StatusList { return new(storagev1.StatusList) },
	toPB:   infallible(statusListToPB),
	fromPB: infallible(statusListFromPB),
}

func statusListKey(issuerID, purpose string, list int32) []byte {
	return binary.BigEndian.AppendUint32(prefixKey(issuerID, purpose), uint32(list))
}

func statusListRef(issuerID, purpose string, list int32) string {
	return fmt.Sprintf("%s list %d of issuer %q", purpose, list, issuerID)
}

// purposeProblem admits the two purposes Skillpass publishes; anything
// else would be a list no verifier ever asks for.
func purposeProblem(purpose string) string {
	switch purpose {
	case model.PurposeRevocation, model.PurposeSuspension:
		return ""
	}
	return fmt.Sprintf("%q is not a status purpose; want %q or %q", purpose, model.PurposeRevocation, model.PurposeSuspension)
}

func (t *tx) GetStatusList(issuerID, purpose string, list int32) (*model.StatusList, error) {
	err := fieldProblems("issuer_id", idProblem(issuerID), "purpose", purposeProblem(purpose), "list", listProblem(list))
	if err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketStatusLists)
	if err != nil {
		return nil, err
	}
	return statusListCodec.get(b, statusListKey(issuerID, purpose, list), statusListRef(issuerID, purpose, list))
}

// PutStatusList stores the list whole, replacing any earlier version.
func (t *tx) PutStatusList(l *model.StatusList) error {
	if err := checkStatusListRecord(l); err != nil {
		return err
	}
	b, err := t.bucket(bucketStatusLists)
	if err != nil {
		return err
	}
	t.touch(store.TopicStatus)
	return statusListCodec.put(b, statusListKey(l.IssuerID, l.Purpose, l.List), l)
}

func checkStatusListRecord(l *model.StatusList) error {
	if l == nil {
		return model.Invalid("status_list", "must be set")
	}
	return fieldProblems(
		"status_list.issuer_id", idProblem(l.IssuerID),
		"status_list.purpose", purposeProblem(l.Purpose),
		"status_list.list", listProblem(l.List),
		"status_list.bits", bitsProblem(len(l.Bits)),
	)
}

// bitsProblem: W3C Bitstring Status List v1.0 requires at least 131,072
// entries so that one credential's bit hides among many (herd privacy);
// beyond statuslist.MaxBits a verifier's default decoder would refuse the
// list.
func bitsProblem(n int) string {
	switch {
	case n < statuslist.MinBytes:
		return fmt.Sprintf("has %d bits; a status list needs at least %d", n*8, statuslist.MinBits)
	case n > statuslist.DefaultMaxBytes:
		return fmt.Sprintf("has %d bits; a status list may have at most %d", n*8, statuslist.MaxBits)
	}
	return ""
}
