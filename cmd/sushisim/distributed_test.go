package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs/distributed.md shows the manifests the k8s command writes,
// verbatim: they must still be what it writes now (execute checks the Slurm
// scripts).
func TestDistributedDocsShowGeneratedFiles(t *testing.T) {
	b, err := os.ReadFile("../../docs/distributed.md")
	require.NoError(t, err)
	doc := string(b)
	src, err := os.ReadFile("testdata/distributed-rates.toml")
	require.NoError(t, err)

	dir := t.TempDir()
	file := filepath.Join(dir, "rates.toml")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	for _, extra := range [][]string{nil, {"--merge"}, {"--only", "3"}} {
		args := append([]string{"k8s", file, "--tasks", "4", "--image", "registry.example.org/ana/sushisim:0.4"}, extra...)
		out, _, err := runRoot(t, args...)
		require.NoError(t, err)
		assert.Contains(t, doc, "```yaml\n"+out+"```", "k8s %v", extra)
	}
}
