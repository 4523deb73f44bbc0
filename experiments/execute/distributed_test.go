package execute

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
)

// docs/distributed.md shows the Slurm scripts 'sushisim slurm' writes,
// verbatim: they must still be what it writes now.
func TestDistributedDocsShowSlurmScripts(t *testing.T) {
	b, err := os.ReadFile("../../docs/distributed.md")
	require.NoError(t, err)
	doc := string(b)
	// The Slurm example's paths (/home/ana, /scratch/ana) exist nowhere
	// here, so its job is built as the command builds it.
	x, err := config.Load("testdata/distributed-rates.toml")
	require.NoError(t, err)
	s := SlurmJob{
		ShardJob: ShardJob{Experiment: x.Name, Name: "sushisim-" + jobName(x.Name, false, 64),
			File: "/home/ana/sweeps/rates.toml", Out: "/scratch/ana/rates", Tasks: 4, PlanTasks: len(Tasks(x)), CPUs: 1},
		Binary: "/opt/sushisim/bin/sushisim",
		Logs:   "/scratch/ana/rates/slurm/logs", Array: "/scratch/ana/rates/slurm/array.sbatch", Merge: "/scratch/ana/rates/slurm/merge.sbatch",
		Partition: "batch", Time: "15"}
	require.NoError(t, s.check())
	assert.Contains(t, doc, "```bash\n"+s.ArrayScript()+"```")
	assert.Contains(t, doc, "```bash\n"+s.MergeScript()+"```")

}
