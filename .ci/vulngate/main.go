// Command vulngate reads `govulncheck -format json` from stdin and fails if
// any vulnerability is reachable from our code (a finding whose trace reaches
// a function), unless its ID is in the allow-list file given as the first
// argument. The allow-list holds one ID per line with a comment saying why:
// only findings with no fixed version obtainable here belong there.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type message struct {
	Finding *struct {
		OSV          string `json:"osv"`
		FixedVersion string `json:"fixed_version"`
		Trace        []struct {
			Module   string `json:"module"`
			Package  string `json:"package"`
			Function string `json:"function"`
		} `json:"trace"`
	} `json:"finding"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: govulncheck -format json ./... | vulngate ALLOWLIST")
		os.Exit(2)
	}
	allowed, err := readAllowList(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	reachable := map[string]string{}
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	for {
		var m message
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "vulngate: reading govulncheck output:", err)
			os.Exit(2)
		}
		f := m.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // module or package level: not reachable from our code
		}
		t := f.Trace[0]
		reachable[f.OSV] = fmt.Sprintf("%s.%s in %s (fixed in %q)", t.Package, t.Function, t.Module, f.FixedVersion)
	}
	ids := make([]string, 0, len(reachable))
	for id := range reachable {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	failed := false
	for _, id := range ids {
		if why, ok := allowed[id]; ok {
			fmt.Printf("vulngate: %s allowed: %s\n", id, why)
			continue
		}
		fmt.Printf("vulngate: %s reachable: %s\n", id, reachable[id])
		failed = true
	}
	if failed {
		os.Exit(1)
	}
	fmt.Printf("vulngate: %d reachable vulnerabilities, none unexcused\n", len(ids))
}

// readAllowList parses lines "GO-YYYY-NNNN  # reason"; blank lines and lines
// starting with # are ignored; an entry without a reason is an error.
func readAllowList(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, "#")
		id, reason = strings.TrimSpace(id), strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, n+1, id)
		}
		out[id] = reason
	}
	return out, nil
}
