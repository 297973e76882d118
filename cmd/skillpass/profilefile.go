package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// A profile file is the protojson form of skillpass.v1.ProfileVersion
// (camelCase field names, enum values by name), the same form `profile
// export` writes. Unknown fields are errors: a misspelt field would
// otherwise vanish silently from a credential's profile.
var profileIn = protojson.UnmarshalOptions{DiscardUnknown: false}

// parseProfile decodes a profile file's content; source names it in errors.
func parseProfile(source string, b []byte) (*pb.ProfileVersion, error) {
	pv := &pb.ProfileVersion{}
	if err := profileIn.Unmarshal(b, pv); err != nil {
		return nil, fmt.Errorf("profile file %s: %w", source, err)
	}
	return pv, nil
}

// readProfileFile reads a profile file; "-" is standard input.
func readProfileFile(path string, stdin io.Reader) (*pb.ProfileVersion, error) {
	b, err := readInput(path, stdin, "profile file", maxRecvBytes)
	if err != nil {
		return nil, err
	}
	return parseProfile(path, b)
}

// encodeProfile returns the profile file form of pv.
func encodeProfile(pv *pb.ProfileVersion) ([]byte, error) {
	b, err := jsonOut.Marshal(pv)
	if err != nil {
		return nil, fmt.Errorf("encode profile: %w", err)
	}
	return append(b, '\n'), nil
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory and a rename, so a crash never leaves half a file under path.
func writeFileAtomic(path string, b []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	return commitTemp(tmp, path, perm)
}

// commitTemp syncs, closes and renames tmp to path, then syncs the
// directory so the rename itself survives a crash.
func commitTemp(tmp *os.File, path string, perm os.FileMode) error {
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// profileParent works out the profile a new version belongs to:
// sectors/{sector}/profiles/{profile}. It comes from --sector and --profile,
// or else from the name in the file (an exported version). If both are
// given they must agree, so a file is never filed under the wrong profile
// by accident.
func profileParent(sector, profile, fileName string) (string, error) {
	var fromFile string
	if fileName != "" {
		parts := strings.Split(fileName, "/")
		if len(parts) < 4 || parts[0] != "sectors" || parts[2] != "profiles" || parts[1] == "" || parts[3] == "" ||
			(len(parts) != 4 && (len(parts) != 6 || parts[4] != "versions")) {
			return "", fmt.Errorf("profile file: name %q is not sectors/{sector}/profiles/{profile}[/versions/{version}]", fileName)
		}
		fromFile = strings.Join(parts[:4], "/")
	}
	if sector == "" && profile == "" {
		if fromFile == "" {
			return "", usagef("--sector and --profile are required when the file has no name")
		}
		return fromFile, nil
	}
	if sector == "" || profile == "" {
		return "", usagef("--sector and --profile go together")
	}
	fromFlags := "sectors/" + sector + "/profiles/" + profile
	if fromFile != "" && fromFile != fromFlags {
		return "", usagef("--sector/--profile say %s but the file's name says %s", fromFlags, fromFile)
	}
	return fromFlags, nil
}
