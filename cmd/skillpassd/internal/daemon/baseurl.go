package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// BaseURLPinPath is where the first start records the public base URL.
func (c *Config) BaseURLPinPath() string { return filepath.Join(c.DataDir, "public-base-url") }

// pinBaseURL records the public base URL on first start and refuses a
// later start with another one. Every credential names its issuer, profile
// and status lists under that URL and verification only accepts its own;
// a silent change would turn every credential issued so far INVALID.
func pinBaseURL(cfg *Config) error {
	path := cfg.BaseURLPinPath()
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := writeFileAtomic(path, []byte(cfg.PublicBaseURL+"\n"), 0o644); err != nil {
			return fmt.Errorf("record the public base URL: %w", err)
		}
		return syncDir(cfg.DataDir)
	case err != nil:
		return fmt.Errorf("read the recorded public base URL: %w", err)
	}
	if pinned := string(bytes.TrimSpace(b)); pinned != cfg.PublicBaseURL {
		return fmt.Errorf("--public-base-url is %s, but this data dir issued under %s (recorded in %s): credentials issued so far would all fail verification. "+
			"Start with --public-base-url %s; only if no credential needs to stay verifiable, delete %s to move",
			cfg.PublicBaseURL, pinned, path, pinned, path)
	}
	return nil
}
