package main

import (
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/skillpass-nl/skillpass/internal/uuid7"
)

// requestIDFlag adds --request-id to a mutating command. The default is a
// fresh id per run (a version 7 UUID): the server then treats every run as a new
// request. To retry safely after a lost answer, pass the same id again.
func requestIDFlag(fs *flag.FlagSet) func() string {
	id := fs.String("request-id", "", "idempotency `id`: a retry with the same id returns the first result instead of acting twice (default: a new version 7 UUID each run)")
	return func() string {
		if *id != "" {
			return *id
		}
		return newRequestID()
	}
}

// newRequestID returns a version 7 UUID: the server records such ids in
// time order, which costs it fewer page writes than an id of any other
// form.
func newRequestID() string {
	id, err := uuid7.New(time.Now())
	if err != nil {
		// crypto/rand.Read does not fail on supported platforms.
		panic(err)
	}
	return id
}

// listFlags are the paging flags of a list command.
type listFlags struct {
	size  int
	token string
	all   bool
}

func addListFlags(fs *flag.FlagSet) *listFlags {
	l := &listFlags{}
	fs.IntVar(&l.size, "page-size", 0, "at most `n` results per page (server default 50, at most 1000)")
	fs.StringVar(&l.token, "page-token", "", "continue a listing from the `token` a previous page printed")
	fs.BoolVar(&l.all, "all", false, "fetch every page, not just one")
	return l
}

func (l *listFlags) pageSize() (int32, error) {
	if l.size < 0 || l.size > math.MaxInt32 {
		return 0, usagef("--page-size: want 0 or more, got %d", l.size)
	}
	return int32(l.size), nil
}

// each calls fetch with page tokens until one page is done, or, with --all,
// until the last page. fetch returns the next page token.
func (l *listFlags) each(fetch func(size int32, token string) (next string, err error)) error {
	size, err := l.pageSize()
	if err != nil {
		return err
	}
	token := l.token
	for {
		next, err := fetch(size, token)
		if err != nil {
			return err
		}
		if !l.all || next == "" {
			return nil
		}
		if next == token {
			return fmt.Errorf("server returned the same page token twice (%q); stopping", next)
		}
		token = next
	}
}

// timeFlag is an optional point in time given as RFC 3339
// ("2025-09-01T08:00:00+02:00") or as a date ("2025-09-01", midnight UTC).
type timeFlag struct{ t *time.Time }

func (f *timeFlag) String() string {
	if f.t == nil || *f.t == (time.Time{}) {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*f.t = t
		return nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		*f.t = t
		return nil
	}
	return fmt.Errorf("want RFC 3339 (2025-09-01T08:00:00Z) or a date (2025-09-01), got %q", s)
}

// timeVar adds an optional time flag; the returned function gives nil when
// the flag was not set, so the server applies its own default.
func timeVar(fs *flag.FlagSet, name, usage string) func() *timestamppb.Timestamp {
	var t time.Time
	fs.Var(&timeFlag{t: &t}, name, usage+" (RFC 3339 `time` or YYYY-MM-DD)")
	return func() *timestamppb.Timestamp {
		if t.IsZero() {
			return nil
		}
		return timestamppb.New(t)
	}
}

// stringsFlag is a repeatable string flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }
func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// resourceName accepts a top-level resource as its id ("zorg") or its full
// name ("sectors/zorg") and returns the full name.
func resourceName(collection, arg string) string {
	if strings.HasPrefix(arg, collection+"/") {
		return arg
	}
	return collection + "/" + arg
}

// required returns a usage error naming the flag if value is empty.
func required(flagName, value string) error {
	if value == "" {
		return usagef("--%s is required", flagName)
	}
	return nil
}

// ts formats an optional timestamp for a table cell.
func ts(t *timestamppb.Timestamp) string {
	if t == nil {
		return "-"
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

// setFlags returns the names of the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	m := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { m[f.Name] = true })
	return m
}
