package main

import (
	"bytes"
	"context"
	"flag"
	"reflect"
	"strings"
	"testing"
)

// runCLI runs the CLI with no environment and returns exit code, stdout and
// stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(context.Background(), args, getenv, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestParseInterleaved(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantPos   []string
		wantName  string
		wantError bool
	}{
		{name: "ok/flags after positional", args: []string{"x", "--name-nl", "A"}, wantPos: []string{"x"}, wantName: "A"},
		{name: "ok/flags before positional", args: []string{"--name-nl=A", "x", "y"}, wantPos: []string{"x", "y"}, wantName: "A"},
		{name: "ok/double dash ends flags", args: []string{"--name-nl", "A", "--", "--not-a-flag"}, wantPos: []string{"--not-a-flag"}, wantName: "A"},
		{name: "ok/nothing", args: nil, wantPos: nil},
		{name: "error/unknown flag", args: []string{"x", "--nope"}, wantError: true},
		{name: "error/missing value", args: []string{"x", "--name-nl"}, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("test")
			name := fs.String("name-nl", "", "")
			pos, err := parseInterleaved(fs, tt.args)
			if (err != nil) != tt.wantError {
				t.Fatalf("err = %v, want error %v", err, tt.wantError)
			}
			if tt.wantError {
				return
			}
			if !reflect.DeepEqual(pos, tt.wantPos) || *name != tt.wantName {
				t.Errorf("got positional %q name %q, want %q %q", pos, *name, tt.wantPos, tt.wantName)
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{name: "error/no command", args: nil, wantCode: exitUsage, wantStderr: "Usage: skillpass <command>"},
		{name: "error/unknown command", args: []string{"frobnicate"}, wantCode: exitUsage, wantStderr: `unknown command "frobnicate"`},
		{name: "error/unknown subcommand", args: []string{"sector", "delete", "x"}, wantCode: exitUsage, wantStderr: `skillpass sector: unknown command "delete"`},
		{name: "error/group without subcommand", args: []string{"issuer"}, wantCode: exitUsage, wantStderr: "Usage: skillpass issuer <command>"},
		{name: "error/missing argument", args: []string{"sector", "get"}, wantCode: exitUsage, wantStderr: "want 1 argument(s) ID, got 0"},
		{name: "error/extra argument", args: []string{"sector", "get", "a", "b"}, wantCode: exitUsage, wantStderr: "want 1 argument(s) ID, got 2"},
		{name: "error/unknown flag", args: []string{"sector", "list", "--colour"}, wantCode: exitUsage, wantStderr: "flag provided but not defined: -colour"},
		{name: "error/unknown global flag", args: []string{"--colour", "sector", "list"}, wantCode: exitUsage, wantStderr: "flag provided but not defined: -colour"},
		{name: "error/profile import without file", args: []string{"profile", "import", "--sector", "zorg", "--profile", "vig"}, wantCode: exitUsage, wantStderr: "--file is required"},
		{name: "error/principal bad kind", args: []string{"principal", "create", "p1", "--kind", "wizard", "--display-name", "W"}, wantCode: exitUsage, wantStderr: "--kind: want one of root, sector-authority, issuer-client, anonymous"},
		{name: "error/token and token file", args: []string{"--token", "a", "--token-file", "f", "whoami"}, wantCode: exitUsage, wantStderr: "--token and --token-file exclude each other"},
		{name: "error/bad timeout env", env: map[string]string{"SKILLPASS_TIMEOUT": "soon"}, args: []string{"whoami"}, wantCode: exitUsage, wantStderr: "SKILLPASS_TIMEOUT"},
		{name: "error/bad time flag", args: []string{"accreditation", "check", "--issuer", "i", "--profile-version", "p", "--time", "yesterday"}, wantCode: exitUsage, wantStderr: "invalid value \"yesterday\" for flag -time"},
		{name: "error/negative page size", args: []string{"sector", "list", "--page-size", "-1"}, wantCode: exitUsage, wantStderr: "--page-size: want 0 or more"},
		{name: "error/sector update without change", args: []string{"sector", "update", "zorg"}, wantCode: exitUsage, wantStderr: "nothing to change"},
		{name: "error/tls cert without key", args: []string{"--tls-cert", "c.pem", "whoami"}, wantCode: exitUsage, wantStderr: "--tls-cert and --tls-key go together"},
		{name: "error/missing token file", args: []string{"--token-file", "/nonexistent/root.token", "whoami"}, wantCode: exitError, wantStderr: "token file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
		})
	}
}

// TestHelpEverywhere checks that every group and command answers --help
// with a usage line and an example, on stdout, with exit code 0.
func TestHelpEverywhere(t *testing.T) {
	var walk func(path []string, n *node)
	count := 0
	walk = func(path []string, n *node) {
		count++
		t.Run(strings.Join(append([]string{"help"}, path...), " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, append(append([]string{}, path...), "--help")...)
			if code != exitOK {
				t.Fatalf("exit code %d, stderr %q", code, stderr)
			}
			want := "Usage: " + strings.Join(append([]string{"skillpass"}, path...), " ")
			if !strings.HasPrefix(stdout, want) {
				t.Errorf("help does not start with %q:\n%s", want, stdout)
			}
			if !strings.Contains(stdout, "Example:\n  skillpass ") {
				t.Errorf("help has no example:\n%s", stdout)
			}
		})
		for _, c := range n.children {
			walk(append(append([]string{}, path...), c.name), c)
		}
	}
	walk(nil, commandTree())
	// 15 top-level entries; 10 groups with 4+8+4+8+3+3 (registry, admin)
	// and 6+3+1+1 (credential, key, passport, statuslist) commands; the root.
	if want := 1 + 15 + 4 + 8 + 4 + 8 + 3 + 3 + 6 + 3 + 1 + 1; count != want {
		t.Errorf("walked %d nodes, want %d: a command was added or lost", count, want)
	}
}

func TestHelpAliases(t *testing.T) {
	for _, args := range [][]string{{"help", "sector", "create"}, {"sector", "create", "-h"}, {"sector", "create", "x", "--help"}} {
		code, stdout, _ := runCLI(t, nil, args...)
		if code != exitOK || !strings.HasPrefix(stdout, "Usage: skillpass sector create ID") {
			t.Errorf("%q: exit %d, stdout %q", args, code, stdout)
		}
	}
}

func TestBearer(t *testing.T) {
	files := map[string]string{"f1": "from-file-1", "f2": "from-file-2"}
	read := func(p string) (string, error) { return files[p], nil }
	tests := []struct {
		name  string
		env   map[string]string
		flags []string
		want  string
	}{
		{name: "ok/none", want: ""},
		{name: "ok/env token", env: map[string]string{"SKILLPASS_TOKEN": "env"}, want: "env"},
		{name: "ok/env token file", env: map[string]string{"SKILLPASS_TOKEN_FILE": "f1"}, want: "from-file-1"},
		{name: "ok/env token beats env file", env: map[string]string{"SKILLPASS_TOKEN": "env", "SKILLPASS_TOKEN_FILE": "f1"}, want: "env"},
		{name: "ok/flag file beats env token", env: map[string]string{"SKILLPASS_TOKEN": "env"}, flags: []string{"--token-file", "f2"}, want: "from-file-2"},
		{name: "ok/flag token beats env file", env: map[string]string{"SKILLPASS_TOKEN_FILE": "f1"}, flags: []string{"--token", "flag"}, want: "flag"},
		{name: "ok/empty flag file is anonymous", env: map[string]string{"SKILLPASS_TOKEN_FILE": "f1"}, flags: []string{"--token-file="}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := globalsFromEnv(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			g.register(fs)
			if err := fs.Parse(tt.flags); err != nil {
				t.Fatal(err)
			}
			g.noteSet(fs)
			got, err := g.bearer(read)
			if err != nil || got != tt.want {
				t.Errorf("bearer() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestGlobalFlagSurvivesCommandFlagSet(t *testing.T) {
	g, _ := globalsFromEnv(func(string) string { return "" })
	top := newFlagSet("top")
	g.register(top)
	if err := top.Parse([]string{"--addr", "10.0.0.1:9", "--json"}); err != nil {
		t.Fatal(err)
	}
	cmd := newFlagSet("cmd")
	g.register(cmd) // must not reset --addr to its default
	if err := cmd.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if g.addr != "10.0.0.1:9" || !g.json {
		t.Errorf("addr %q json %v after registering again", g.addr, g.json)
	}
}
