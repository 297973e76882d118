package main

import (
	"fmt"
	"io"
	"os"
)

// readInput reads a file the user named, "-" being standard input, and
// refuses more than limit bytes: a token or item file that large is a
// mistake (the wrong file), and reading it whole would only waste memory
// before the server refuses it. what names the input in errors.
func readInput(path string, stdin io.Reader, what string, limit int64) ([]byte, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s %s: larger than %d bytes", what, path, limit)
	}
	return b, nil
}
