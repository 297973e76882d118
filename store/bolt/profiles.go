package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var profileCodec = codec[*model.ProfileVersion, *storagev1.ProfileVersion]{
	kind:   "profile version",
	newMsg: func() *storagev1.ProfileVersion { return new(storagev1.ProfileVersion) },
	toPB:   infallible(profileToPB),
	fromPB: infallible(profileFromPB),
}

func profileRef(sectorID, profileID string, version int32) string {
	return fmt.Sprintf("%q/%q/%d", sectorID, profileID, version)
}

// checkProfileKey validates the parts of a profile version key; field
// names the record ("profile_version.") or is "" for lookup arguments.
func checkProfileKey(field, sectorID, profileID string, version int32) error {
	if err := checkIDs(field+"sector_id", sectorID, field+"profile_id", profileID); err != nil {
		return err
	}
	return checkVersion(field+"version", version)
}

func (t *tx) GetProfileVersion(sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	if err := checkProfileKey("", sectorID, profileID, version); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketProfiles)
	if err != nil {
		return nil, err
	}
	return profileCodec.get(b, profileKey(sectorID, profileID, version), profileRef(sectorID, profileID, version))
}

func (t *tx) ListProfileVersions(sectorID, profileID, cursor string, limit int) ([]*model.ProfileVersion, string, error) {
	if err := checkIDs("sector_id", sectorID); err != nil {
		return nil, "", err
	}
	if profileID != "" { // "" lists the whole sector
		if err := checkIDs("profile_id", profileID); err != nil {
			return nil, "", err
		}
	}
	b, err := t.bucket(bucketProfiles)
	if err != nil {
		return nil, "", err
	}
	return profileCodec.list(b, profilePrefix(sectorID, profileID), cursor, limit)
}

// LatestProfileVersion seeks just past the highest possible version of the
// profile and steps back once, instead of reading every version.
func (t *tx) LatestProfileVersion(sectorID, profileID string) (int32, error) {
	if err := checkIDs("sector_id", sectorID, "profile_id", profileID); err != nil {
		return 0, err
	}
	b, err := t.bucket(bucketProfiles)
	if err != nil {
		return 0, err
	}
	prefix := profilePrefix(sectorID, profileID)
	beyond := binary.BigEndian.AppendUint32(bytes.Clone(prefix), 0xFFFFFFFF)
	c := b.Cursor()
	k, _ := c.Seek(beyond)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+4 {
		return 0, nil
	}
	return int32(binary.BigEndian.Uint32(k[len(prefix):])), nil
}

func (t *tx) CreateProfileVersion(p *model.ProfileVersion) error {
	return t.writeProfile(p, profileCodec.insert)
}

func (t *tx) UpdateProfileVersion(p *model.ProfileVersion) error {
	return t.writeProfile(p, profileCodec.replace)
}

// writeProfile validates the key parts, then stores with insert or replace.
func (t *tx) writeProfile(p *model.ProfileVersion, write func(*bbolt.Bucket, []byte, *model.ProfileVersion, string) error) error {
	if p == nil {
		return model.Invalid("profile_version", "must be set")
	}
	if err := checkProfileKey("profile_version.", p.SectorID, p.ProfileID, p.Version); err != nil {
		return err
	}
	b, err := t.bucket(bucketProfiles)
	if err != nil {
		return err
	}
	t.touch(store.TopicRegistry)
	return write(b, profileKey(p.SectorID, p.ProfileID, p.Version), p, profileRef(p.SectorID, p.ProfileID, p.Version))
}
