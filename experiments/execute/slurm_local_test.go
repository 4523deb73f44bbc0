package execute

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlurmLocal runs scripts/slurm-local.sh: a real single-node Slurm
// runs a sweep as a 4-task array plus the merge job, and the merged
// results must be byte-identical to one process's. It needs root and about
// half a minute (more when Slurm is not installed yet), so it runs only
// with SUSHISIM_SLURM=1.
func TestSlurmLocal(t *testing.T) {
	if os.Getenv("SUSHISIM_SLURM") != "1" {
		t.Skip("set SUSHISIM_SLURM=1 to run scripts/slurm-local.sh on a local Slurm (needs root)")
	}
	out, err := exec.Command("bash", "../../scripts/slurm-local.sh").CombinedOutput()
	t.Log(string(out))
	require.NoError(t, err)
	assert.Contains(t, string(out), "slurm-local: PASS")
}

// TestSlurmLocalDatacenter runs the 8-cell datacenter of
// experiments/datacenter-hour.toml as a 4-task array on the same local
// Slurm: its merged files must equal one process's.
func TestSlurmLocalDatacenter(t *testing.T) {
	if os.Getenv("SUSHISIM_SLURM") != "1" {
		t.Skip("set SUSHISIM_SLURM=1 to run scripts/slurm-local.sh on a local Slurm (needs root)")
	}
	cmd := exec.Command("bash", "../../scripts/slurm-local.sh")
	cmd.Env = append(os.Environ(), "SLURM_LOCAL_FILE=../../experiments/datacenter-hour.toml", "SLURM_LOCAL_TASKS=4")
	out, err := cmd.CombinedOutput()
	t.Log(string(out))
	require.NoError(t, err)
	assert.Contains(t, string(out), "result files byte-identical to the single run")
}
