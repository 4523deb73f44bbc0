package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/experiments/results"
)

// runCLI runs the command line in-process, quietly, and returns stdout and
// stderr.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return runRoot(t, append(args, "--quiet")...)
}

// runRoot runs the command line with args, every flag back at its default
// first: cobra keeps parsed values from one Execute to the next.
func runRoot(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	resetFlags(root)
	usageOnArgErrors(root)
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	t.Cleanup(func() { root.SetOut(nil); root.SetErr(nil); root.SetArgs(nil) })
	err := root.Execute()
	return out.String(), errb.String(), err
}

func resetFlags(c *cobra.Command) {
	reset := func(f *pflag.Flag) {
		if f.Changed {
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				_ = sv.Replace(nil)
			} else {
				_ = f.Value.Set(f.DefValue)
			}
			f.Changed = false
		}
	}
	c.Flags().VisitAll(reset)
	c.PersistentFlags().VisitAll(reset)
	for _, sub := range c.Commands() {
		resetFlags(sub)
	}
}

func TestInitWritesTemplatesThatValidate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range experiments.TemplateNames() {
		path := filepath.Join(dir, name+".toml")
		_, _, err := runCLI(t, "init", path, "--template", name)
		require.NoError(t, err)
		out, _, err := runCLI(t, "validate", path)
		require.NoError(t, err, name)
		assert.Contains(t, out, path+": ok")
		// no silent overwrite
		_, _, err = runCLI(t, "init", path, "--template", name)
		assert.ErrorContains(t, err, "--force")
	}
}

func TestValidatePrintsEveryProblem(t *testing.T) {
	src, err := experiments.Template("basic")
	require.NoError(t, err)
	bad := strings.Replace(string(src), "rate = 20.0", "rate = -1.0", 1)
	bad = strings.Replace(bad, "window = 200", "windw = 200", 1)
	path := filepath.Join(t.TempDir(), "bad.toml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
	_, stderr, err := runCLI(t, "validate", path)
	require.Error(t, err)
	assert.Contains(t, stderr, "workload.arrival.rate")
	assert.Contains(t, stderr, "policy[1].windw")
}

// validate opens the trace a workload names and reports its bad line with
// file, line and column.
func TestValidateChecksTraceFiles(t *testing.T) {
	_, stderr, err := runCLI(t, "validate", "../../testdata/bad/trace/llm_time_decreases.toml")
	require.Error(t, err)
	assert.Contains(t, stderr, "llm_time_decreases.data.csv:4:1: TIMESTAMP 2023-11-16 18:15:50.9951689 is before the previous row's")
}

// Two shards into one directory, merged, then redrawn: the merged summary
// equals a plain run's.
func TestShardsMergeAndPlot(t *testing.T) {
	dir := t.TempDir()
	file := "../../experiments/testdata/sweep.toml"
	whole, shared := filepath.Join(dir, "whole"), filepath.Join(dir, "shared")
	_, _, err := runCLI(t, "run", file, "--out", whole, "--workers", "2")
	require.NoError(t, err)
	out, _, err := runCLI(t, "run", file, "--out", shared, "--shard", "1/2")
	require.NoError(t, err)
	assert.Contains(t, out, "sushisim merge")
	_, _, err = runCLI(t, "merge", shared)
	require.ErrorContains(t, err, "shard 2/2")
	_, _, err = runCLI(t, "run", file, "--out", shared, "--shard", "2/2")
	require.NoError(t, err)
	_, _, err = runCLI(t, "merge", shared)
	require.NoError(t, err)
	a, err := os.ReadFile(filepath.Join(whole, results.SummaryCSV))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(shared, results.SummaryCSV))
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b))
	require.NoError(t, os.Remove(filepath.Join(shared, "figures", "p99.png")))
	out, _, err = runCLI(t, "plot", shared, "--format", "png,svg")
	require.NoError(t, err)
	assert.Contains(t, out, "p99.png")
	assert.FileExists(t, filepath.Join(shared, "figures", "p99.svg"))
}

// doc.go lists every subcommand the root command has.
func TestDocListsEveryCommand(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		assert.Contains(t, string(doc), "//\tsushisim "+c.Name()+" ", "doc.go does not list %q", c.Name())
	}
}
