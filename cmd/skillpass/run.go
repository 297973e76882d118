package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes. Scripts tell a refused or failed call (1) from a command line
// that never reached the server (2), and a credential the server judged
// INVALID (3) from both: verifying a bad credential is a successful call
// with a negative answer.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitInvalid = 3
)

// node is one level of the command tree: a group (with children) or a
// command (with setup).
type node struct {
	name     string
	summary  string
	children []*node

	// Commands only.
	args    string // positional synopsis, e.g. "ID"
	nargs   int    // exact number of positional arguments; -1: checked by the action
	example string
	// setup registers the command's flags on fs and returns the action that
	// runs once they are parsed.
	setup func(fs *flag.FlagSet) action
}

// action runs a parsed command.
type action func(ctx context.Context, e *env, args []string) error

// usageError is a command line that cannot be run as given (exit 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// Run runs the skillpass command line args (without the program name) and
// returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(ctx, args, os.Getenv, stdin, stdout, stderr)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := commandTree()
	g, err := globalsFromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "skillpass: %v\n", err)
		return exitUsage
	}
	top := newFlagSet("skillpass")
	g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printGroupUsage(stdout, nil, root, top)
			return exitOK
		}
		return usageFailure(stderr, "skillpass", err)
	}
	g.noteSet(top)
	rest := top.Args()
	if len(rest) > 0 && rest[0] == "help" {
		// "skillpass help sector create" is "skillpass sector create --help".
		rest = append(rest[1:], "--help")
	}

	path := []string{"skillpass"}
	n := root
	for n.setup == nil {
		if len(rest) == 0 {
			printGroupUsage(stderr, path[1:], n, top)
			return exitUsage
		}
		if rest[0] == "-h" || rest[0] == "--help" || rest[0] == "-help" {
			printGroupUsage(stdout, path[1:], n, top)
			return exitOK
		}
		child := n.child(rest[0])
		if child == nil {
			return usageFailure(stderr, strings.Join(path, " "), fmt.Errorf("unknown command %q", rest[0]))
		}
		path = append(path, child.name)
		n, rest = child, rest[1:]
	}

	cmdPath := strings.Join(path, " ")
	fs := newFlagSet(cmdPath)
	g.register(fs)
	act := n.setup(fs)
	positional, err := parseInterleaved(fs, rest)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(stdout, cmdPath, n, fs)
			return exitOK
		}
		return usageFailure(stderr, cmdPath, err)
	}
	g.noteSet(fs)
	if n.nargs >= 0 && len(positional) != n.nargs {
		return usageFailure(stderr, cmdPath, fmt.Errorf("want %d argument(s) %s, got %d: %q", n.nargs, n.args, len(positional), positional))
	}

	e, err := newEnv(g, stdin, stdout, stderr)
	if err != nil {
		return fail(stderr, cmdPath, err)
	}
	defer e.close()
	ctx, err = e.callContext(ctx)
	if err != nil {
		return fail(stderr, cmdPath, err)
	}
	if g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.timeout)
		defer cancel()
	}
	if err := act(ctx, e, positional); err != nil {
		return fail(stderr, cmdPath, err)
	}
	return exitOK
}

// exitStatus ends a command whose output is already printed with a
// non-zero exit code, e.g. 3 for an INVALID verdict or 1 for a batch with
// refused items; msg, if any, goes to stderr.
type exitStatus struct {
	code int
	msg  string
}

func (x *exitStatus) Error() string { return x.msg }

// fail reports err and returns its exit code.
func fail(stderr io.Writer, cmdPath string, err error) int {
	var u *usageError
	if errors.As(err, &u) {
		return usageFailure(stderr, cmdPath, err)
	}
	var x *exitStatus
	if errors.As(err, &x) {
		if x.msg != "" {
			fmt.Fprintf(stderr, "%s: %s\n", cmdPath, x.msg)
		}
		return x.code
	}
	renderError(stderr, err)
	return exitError
}

func usageFailure(stderr io.Writer, cmdPath string, err error) int {
	fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", cmdPath, err, cmdPath)
	return exitUsage
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// newFlagSet returns a flag set that reports errors to its caller instead of
// printing or exiting, so Run decides what the user sees.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterleaved parses flags that may come before, between and after the
// positional arguments ("sector get x --json" as well as "sector get --json
// x"); the standard flag package stops at the first positional one. After
// "--" everything is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func printGroupUsage(w io.Writer, path []string, n *node, globalFlags *flag.FlagSet) {
	name := strings.Join(append([]string{"skillpass"}, path...), " ")
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\n", name)
	if n.summary != "" {
		fmt.Fprintf(w, "%s\n\n", n.summary)
	}
	fmt.Fprintf(w, "Commands:\n")
	width := 0
	for _, c := range n.children {
		width = max(width, len(c.name))
	}
	for _, c := range n.children {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	if n.example != "" {
		fmt.Fprintf(w, "\nExample:\n  %s\n", n.example)
	}
	if len(path) == 0 {
		fmt.Fprintf(w, "\nGlobal flags (accepted before or after any command):\n")
		printFlags(w, globalFlags, nil)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags.\n", name)
}

func printCommandUsage(w io.Writer, cmdPath string, n *node, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s", cmdPath)
	if n.args != "" {
		fmt.Fprintf(w, " %s", n.args)
	}
	fmt.Fprintf(w, " [flags]\n\n%s\n", n.summary)
	if n.example != "" {
		fmt.Fprintf(w, "\nExample:\n  %s\n", n.example)
	}
	var b strings.Builder
	printFlags(&b, fs, globalFlagNames)
	if b.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", b.String())
	}
	fmt.Fprintf(w, "\nGlobal flags (--addr, --token, --json, ...): run 'skillpass --help'.\n")
}

// printFlags lists the flags of fs except those in skip, sorted by name.
func printFlags(w io.Writer, fs *flag.FlagSet, skip map[string]bool) {
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if !skip[f.Name] {
			flags = append(flags, f)
		}
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	for _, f := range flags {
		typ, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if typ != "" {
			line += " " + typ
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, usage)
	}
}
