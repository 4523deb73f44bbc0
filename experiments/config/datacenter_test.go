package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dcBase = `
name = "dc"
[cluster]
instances = 10
[workload]
duration_s = 10.0
[workload.arrival]
process = "poisson"
rate = 100.0
[[workload.needs.class]]
min_accuracy = 75.0
slo_ms = 50.0
weight = 1.0
[[policy]]
cache = "sgs"
`

// Cells split the instances as evenly as possible, weights follow, and
// "auto" picks the rate split where it is exact and the stream split
// elsewhere.
func TestDatacenterCellsAndSplit(t *testing.T) {
	x, err := Parse("dc.toml", []byte(dcBase+"[datacenter]\ncells = 4\n"))
	require.NoError(t, err)
	d := x.Datacenter
	assert.Equal(t, []int{3, 3, 2, 2}, d.Sizes)
	assert.InDelta(t, 0.3, d.Weight(0), 1e-12)
	assert.Equal(t, SplitRate, d.Split)
	assert.Equal(t, 0.6, d.IdleW, "idle power defaults to the zcu104 preset's static power")
	for _, extra := range []string{"front_end = \"tenant\"\n"} {
		x, err := Parse("dc.toml", []byte(dcBase+"[datacenter]\ncells = 4\n"+extra))
		require.NoError(t, err)
		assert.Equal(t, SplitStream, x.Datacenter.Split, extra)
	}
	x, err = Parse("dc.toml", []byte(dcBase))
	require.NoError(t, err)
	assert.False(t, x.Datacenter.On)
	assert.Equal(t, 1, x.Datacenter.Cells)
}

// Every bad [datacenter] value is reported with its key and what is allowed.
func TestDatacenterProblems(t *testing.T) {
	for _, c := range []struct{ toml, want string }{
		{"[datacenter]\ncells = 11\n", "datacenter.cells: 11 cells for 10 instances"},
		{"[datacenter]\ncells = -1\n", "datacenter.cells: must be >= 1"},
		{"[datacenter]\nfront_end = \"nearest\"\n", `datacenter.front_end: "nearest" unknown`},
		{"[datacenter]\ncells = 2\nfront_end = \"class\"\nsplit = \"rate\"\n", "datacenter.split: front_end \"class\" keeps"},
		{"[datacenter]\nsplit = \"fast\"\n", `datacenter.split: "fast" unknown`},
		{"[datacenter]\nwindow_s = -1.0\n", "datacenter.window_s: must be >= 0"},
		{"[datacenter.autoscale]\ntarget = 0.5\n", "datacenter.autoscale.interval_s: must be > 0"},
		{"[datacenter.autoscale]\ninterval_s = 1.0\ntarget = 0.5\nband = 0.6\n", "datacenter.autoscale.band"},
		{"[datacenter]\ncells = 5\n[datacenter.autoscale]\ninterval_s = 1.0\ntarget = 0.5\nmin = 3\n", "datacenter.autoscale.min: must be in [1, 2]"},
		{"[datacenter.power]\nidle_w = -1.0\n", "datacenter.power.idle_w: must be a power in W"},
		{"[datacenter]\nspeed = 1\n", "datacenter.speed: unknown key"},
		{"[datacenter]\ncells = 2\n[output]\nwindow_s = 1.0\n", "output.window_s: a datacenter of 2 cells has its own windows"},
		{"[datacenter]\ncells = 2\nfront_end = \"class\"\n", `"class" sends each need class to one cell: 2 cells for 1 classes`},
	} {
		_, err := Parse("dc.toml", []byte(dcBase+c.toml))
		require.Error(t, err, c.toml)
		assert.Contains(t, err.Error(), c.want, c.toml)
	}
	gamma := strings.Replace(strings.Replace(dcBase, `duration_s = 10.0`, `queries = 1000`, 1), `process = "poisson"`, "process = \"gamma\"\ncv2 = 2.0", 1)
	_, err := Parse("dc.toml", []byte(gamma+"[datacenter]\ncells = 2\nsplit = \"rate\"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `datacenter.split: arrival process "gamma"`)
}

// The thinned chain's locality: unchanged when every query is kept, 0 when
// the stream had none, and w p / (1 - (1 - w) p) in between (by hand for
// p = 0.9, w = 0.5: 0.45 / 0.55).
func TestCellLocality(t *testing.T) {
	assert.InDelta(t, 0.9, CellLocality(0.9, 1), 1e-15)
	assert.Zero(t, CellLocality(0, 0.3))
	assert.InDelta(t, 0.45/0.55, CellLocality(0.9, 0.5), 1e-15)
	assert.InDelta(t, 1.0, CellLocality(1, 0.01), 1e-15)
}
