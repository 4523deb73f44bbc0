package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/internal/badcorpus"
)

// badRoot is the bad-input corpus (see experiments/config/bad_test.go).
var badRoot = filepath.Join("..", "..", "testdata", "bad")

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
				lines, err := badcorpus.Want(want)
				require.NoError(t, err)
				for _, w := range lines {
					assert.Contains(t, stderr, w)
				}
			})
		}
	}
	assert.GreaterOrEqual(t, n, 80)
}

func quoteTOML(s string) string { return "'" + s + "'" }

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]float64{"512": 512, "1k": 1024, "512M": 512 << 20, "8G": 8 << 30, "8GiB": 8 << 30, "1.5 GB": 1.5 * (1 << 30), "2T": 2 << 40} {
		got, err := parseBytes(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "-1G", "0", "1Q", "G", "NaN"} {
		_, err := parseBytes(bad)
		assert.Error(t, err, bad)
	}
}

// run refuses a plan above its memory budget before it writes anything, and
// --over-budget runs it; a negative worker count is refused.
func TestRunHoldsTheMemoryBudget(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	file := "../../experiments/testdata/sweep.toml"
	_, _, err := runCLI(t, "run", file, "--out", out, "--max-memory", "1M")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "above the budget of 1.0 MiB (--max-memory)")
	assert.NoDirExists(t, out)
	_, stderr, err := runCLI(t, "validate", file, "--max-memory", "1M")
	require.Error(t, err)
	assert.Contains(t, stderr, "above the budget")
	// 2 points x 3 replications x 2 policies of 1,500 queries; an
	// arrival and a completion each
	stdout, _, err := runCLI(t, "validate", file)
	require.NoError(t, err)
	assert.Regexp(t, `sweep.toml: estimate on \d+ workers: 12 runs, 18,000 queries, 36,000 events, ~<0.1 s CPU, peak memory ~\d+\.\d MiB, results ~`, stdout)
	_, _, err = runCLI(t, "run", file, "--out", out, "--workers", "-1")
	assert.ErrorContains(t, err, "--workers -1")
	_, _, err = runCLI(t, "run", file, "--out", out, "--max-memory", "1M", "--over-budget", "--no-figures")
	require.NoError(t, err)
}

// Without a terminal, and with --quiet, a run still says how far it is.
func TestQuietRunLogsProgress(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = time.Millisecond
	_, stderr, err := runCLI(t, "run", "../../experiments/testdata/sweep.toml", "--out", filepath.Join(t.TempDir(), "o"), "--no-figures", "--workers", "1")
	require.NoError(t, err)
	assert.Regexp(t, `sushisim: progress: \d+ of 12 runs done, `, stderr)
}

// Two files written by init name two results directories.
func TestInitNamesEachFileAfterItself(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"first.toml", "second try.toml"} {
		_, _, err := runCLI(t, "init", filepath.Join(dir, f))
		require.NoError(t, err)
	}
	a, err := os.ReadFile(filepath.Join(dir, "first.toml"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "second try.toml"))
	require.NoError(t, err)
	assert.Contains(t, string(a), `name = "first"              # names the results directory: results/first/`)
	assert.Contains(t, string(b), `name = "second-try"`)
	assert.Equal(t, 1, strings.Count(string(b), `"second-try"`), "only the experiment's name, not a class's or a policy's")
}

// The small command-line mistakes that used to pass silently or fail
// obscurely.
func TestFlagMistakesAreRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"catalog", "--sample", "0"}, "--sample 0: want the number of SubNets, >= 1"},
		{[]string{"catalog", "--sample", "-3"}, "--sample -3: want the number of SubNets, >= 1"},
		{[]string{"catalog", "--sweep", "0"}, "--sweep 0"},
		{[]string{"catalog", "--builtin", "reference", "--sample", "5"}, "--builtin and --sample are alternatives"},
		{[]string{"catalog", "--seed", "3"}, "--seed: only means something with --sample N"},
		{[]string{"accel", "--subnet", "ref0", "--pb-bytes", "-1"}, "--pb-bytes -1: want a size in bytes, >= 0"},
		{[]string{"run"}, "usage: sushisim run FILE"},
		{[]string{"run", "a.toml", "b.toml"}, "accepts 1 arg(s), received 2\nusage: sushisim run FILE"},
		{[]string{"validate"}, "usage: sushisim validate FILE..."},
	} {
		_, _, err := runCLI(t, c.args...)
		if assert.Error(t, err, "%v", c.args) {
			assert.Contains(t, err.Error(), c.want, "%v", c.args)
		}
	}
	out, _, err := runCLI(t, "catalog", "--sample", "3", "--format", "csv")
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(out, "\n"), "a header and three sampled SubNets")
	out, _, err = runCLI(t, "--version")
	require.NoError(t, err)
	assert.Regexp(t, `^sushisim \S+`, out)
}

// Same file and seed, twice, on different worker counts: every file of the
// results directory is byte-identical, figures included. Wall times
// (timing.csv, points/*.timing.json) are the only files that are not
// results and may differ.
func TestEveryFileIsDeterministic(t *testing.T) {
	src, err := os.ReadFile("../../experiments/testdata/sweep.toml")
	require.NoError(t, err)
	dir := t.TempDir()
	file := filepath.Join(dir, "det.toml")
	det := strings.Replace(string(src), "[output]\n", "[output]\nformats = [\"png\", \"svg\", \"pdf\"]\n", 1)
	require.NotEqual(t, string(src), det)
	require.NoError(t, os.WriteFile(file, []byte(det), 0o644))
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	_, _, err = runCLI(t, "run", file, "--out", a, "--workers", "1")
	require.NoError(t, err)
	_, _, err = runCLI(t, "run", file, "--out", b, "--workers", "2")
	require.NoError(t, err)
	fa, fb := treeOf(t, a), treeOf(t, b)
	require.NotEmpty(t, fa)
	var kinds []string
	for name := range fa {
		kinds = append(kinds, filepath.Ext(name))
	}
	assert.Subset(t, kinds, []string{".csv", ".json", ".png", ".svg", ".pdf", ".gz", ".toml", ".html"})
	assert.Equal(t, len(fa), len(fb), "the same files")
	for name, x := range fa {
		assert.True(t, string(x) == string(fb[name]), "%s differs between the two runs", name)
	}
}

// treeOf reads every file under dir by relative path, except wall times.
// PDFs are compared too: plots writes them with fixed metadata (two runs a
// second apart gave the same bytes on 2026-12-03).
func treeOf(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "timing.csv" || strings.HasSuffix(rel, ".timing.json") {
			return nil
		}
		out[rel], err = os.ReadFile(path)
		return err
	}))
	return out
}
