package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badRoot is the bad-input corpus (see experiments/config/bad_test.go).
var badRoot = filepath.Join("..", "..", "testdata", "bad")

// wantOf reads a case's .want lines (blank lines and comments skipped).
func wantOf(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// 'sushisim validate' refuses every file of the bad corpus with a non-zero
// exit and the case's expected text: experiment files as they are, trace
// cases through the experiment around them (validate opens the trace), and
// catalog files through an experiment whose model.catalog names them.
func TestValidateRefusesEveryBadFile(t *testing.T) {
	n := 0
	for _, kind := range []string{"experiment", "trace", "catalog"} {
		files, err := filepath.Glob(filepath.Join(badRoot, kind, "*.want"))
		require.NoError(t, err)
		for _, want := range files {
			stem := strings.TrimSuffix(want, ".want")
			n++
			t.Run(kind+"/"+filepath.Base(stem), func(t *testing.T) {
				file := stem + ".toml"
				if kind == "catalog" {
					abs, err := filepath.Abs(stem + ".csv")
					require.NoError(t, err)
					file = filepath.Join(t.TempDir(), "uses-bad-catalog.toml")
					src := "[model]\ncatalog = " + quoteTOML(abs) + "\n\n[workload]\nqueries = 10\n\n[workload.arrival]\nprocess = \"poisson\"\nrate = 1.0\n\n" +
						"[[workload.needs.class]]\nmin_accuracy = 70.0\nslo_ms = 10.0\nweight = 1.0\n\n[[policy]]\ncache = \"none\"\n"
					require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
				}
				stdout, stderr, err := runCLI(t, "validate", file)
				require.Error(t, err, "validate must exit non-zero")
				assert.NotContains(t, stdout, "ok")
				for _, w := range wantOf(t, want) {
					assert.Contains(t, stderr, w)
				}
			})
		}
	}
	assert.GreaterOrEqual(t, n, 80)
}

func quoteTOML(s string) string { return "'" + s + "'" }
