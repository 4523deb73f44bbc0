package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments"
)

// docs/distributed.md shows the files the commands write, verbatim: they
// must still be what the commands write now.
func TestDistributedDocsShowGeneratedFiles(t *testing.T) {
	b, err := os.ReadFile("../../docs/distributed.md")
	require.NoError(t, err)
	doc := string(b)
	src, err := os.ReadFile("testdata/distributed-rates.toml")
	require.NoError(t, err)

	// The Slurm example's paths (/home/ana, /scratch/ana) exist nowhere
	// here, so its job is built as the command builds it.
	x, err := experiments.Load("testdata/distributed-rates.toml")
	require.NoError(t, err)
	s := slurmJob{
		shardJob: shardJob{Experiment: x.Name, Name: "sushisim-" + jobName(x.Name, false, 64),
			File: "/home/ana/sweeps/rates.toml", Out: "/scratch/ana/rates", Tasks: 4, PlanTasks: len(x.Tasks()), CPUs: 1},
		Binary: "/opt/sushisim/bin/sushisim",
		Logs:   "/scratch/ana/rates/slurm/logs", Array: "/scratch/ana/rates/slurm/array.sbatch", Merge: "/scratch/ana/rates/slurm/merge.sbatch",
		Partition: "batch", Time: "15"}
	require.NoError(t, s.check())
	assert.Contains(t, doc, "```bash\n"+s.arrayScript()+"```")
	assert.Contains(t, doc, "```bash\n"+s.mergeScript()+"```")

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
