package verifier

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMessagesComplete fails if any reason this package can give lacks a
// Dutch or an English sentence, or if a sentence pair disagrees on its
// placeholders. The reasons are read from the source: every Reason*
// constant, every check with an "OK" reason, and every msgKey in the
// table.
func TestMessagesComplete(t *testing.T) {
	reasons := reasonConstants(t)
	if len(reasons) < 30 {
		t.Fatalf("found only %d Reason constants; the source scan is broken", len(reasons))
	}
	for name, value := range reasons {
		found := false
		for k := range messages {
			found = found || k.reason == value
		}
		if !found {
			t.Errorf("%s (%q) has no sentence", name, value)
		}
	}
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	for k, m := range messages {
		if strings.TrimSpace(m.NL) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("%s/%s lacks a language: %+v", k.check, k.reason, m)
		}
		nl, en := placeholder.FindAllString(m.NL, -1), placeholder.FindAllString(m.EN, -1)
		slices.Sort(nl)
		slices.Sort(en)
		if !slices.Equal(slices.Compact(nl), slices.Compact(en)) {
			t.Errorf("%s/%s: Dutch has placeholders %v, English %v", k.check, k.reason, nl, en)
		}
		if k.check != "" && !slices.Contains(allChecks, k.check) {
			t.Errorf("sentence for unknown check %q", k.check)
		}
	}
	for _, c := range allChecks {
		if l := checkLabels[c]; l.NL == "" || l.EN == "" {
			t.Errorf("%s has no label in both languages", c)
		}
	}
	// Every check but the current standing (INFO only) can pass.
	for _, c := range slices.DeleteFunc(slices.Clone(allChecks), func(c CheckName) bool { return c == CheckCurrentStanding }) {
		if _, ok := messages[msgKey{c, ReasonOK}]; !ok {
			t.Errorf("%s has no OK sentence", c)
		}
	}
}

// allChecks are a credential's checks and the passport's own.
var allChecks = append(checkOrder[:], CheckPassportHolder, CheckPassportDuplicates)

// reasonConstants returns the Reason* constants declared in the package's
// non-test files, by name.
func reasonConstants(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "Reason") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					v, _ := strconv.Unquote(lit.Value)
					out[id.Name] = v
				}
			}
			return true
		})
	}
	return out
}

// TestDay: the hand-written day matches time.Format with dayLayout.
func TestDay(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	times := []time.Time{
		{}, time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 1, 2, 3, 4, time.FixedZone("CET", 3600)),
	}
	for range 100000 {
		times = append(times, time.Unix(r.Int64N(400000000000)-200000000000, r.Int64N(1e9)))
	}
	for _, tm := range times {
		if got, want := day(tm), tm.UTC().Format(dayLayout); got != want {
			t.Fatalf("day(%v) = %q, want %q", tm, got, want)
		}
	}
}
