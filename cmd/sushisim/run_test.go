package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

// The table's queries column counts arrivals, dropped ones included, as
// the SLO and both-met columns beside it do (it printed the completions).
func TestRunTableCountsEveryArrival(t *testing.T) {
	src, err := os.ReadFile("../../experiments/quickstart.toml")
	require.NoError(t, err)
	drop := strings.Replace(string(src), "cache = \"sgs\"", "admission = \"drop\"\ncache = \"sgs\"", 1)
	require.NotEqual(t, string(src), drop)
	dir := t.TempDir()
	file := filepath.Join(dir, "drop.toml")
	require.NoError(t, os.WriteFile(file, []byte(drop), 0o644))
	out := filepath.Join(dir, "out")
	stdout, _, err := runCLI(t, "run", file, "--out", out, "--no-figures")
	require.NoError(t, err)
	res, err := results.Read(out)
	require.NoError(t, err)
	var r *results.Row
	for i := range res.Rows {
		if res.Rows[i].Policy == "sgs" {
			r = &res.Rows[i]
		}
	}
	require.NotNil(t, r)
	require.Positive(t, r.Dropped, "the check needs drops")
	assert.Regexp(t, regexp.MustCompile(`(?m)^\s+sgs\s+1\s+20000\s`), stdout)
	assert.Equal(t, int64(20000), r.Queries)
}
