package execute

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// In a cluster whose groups differ in PB size, each instance's cache gets
// its own group's hardware: the small group (listed first) never holds more
// than its 1 MiB PB (the run's PB-capacity invariant would fail), and the
// big group's SGS fills more than 1 MiB of its 2 MiB, which a cache built
// with the first group's hardware could not. The cluster-wide selector and
// router are built with no group's hardware at all.
func TestMixedClusterCachesUseTheirGroupsPB(t *testing.T) {
	src := `name = "mixed"
seed = 3
[model]
supernet = "ofa-resnet50"
catalog = "reference"
[workload]
queries = 600
[workload.arrival]
process = "poisson"
rate = 20.0
[workload.needs]
locality = 0.95
[[workload.needs.class]]
name = "accurate"
min_accuracy = 79.5
slo_ms = 100.0
weight = 1.0
[[cluster.group]]
name = "small"
count = 2
[cluster.group.accel]
preset = "zcu104"
pb_bytes = 1048576
[[cluster.group]]
name = "big"
count = 2
[cluster.group.accel]
preset = "zcu104"
[[policy]]
name = "sgs"
cache = "sgs"
router = "round-robin"
q = 20
window = 100
`
	x, err := config.Parse(filepath.Join("testdata", "mixed.toml"), []byte(src))
	require.NoError(t, err)
	require.Len(t, x.Groups, 2)
	small, big := x.Groups[0].Hardware.PBBytes, x.Groups[1].Hardware.PBBytes
	require.Equal(t, int64(1<<20), small)
	require.Equal(t, int64(2<<20), big)
	dir := t.TempDir()
	execute(t, x, Options{Out: dir, Workers: 1})
	res, err := results.Read(dir)
	require.NoError(t, err)
	require.Len(t, res.Rows, 1)
	row := res.Rows[0]
	assert.Greater(t, row.MaxPBBytes, small, "the big group used its own, larger PB")
	assert.LessOrEqual(t, row.MaxPBBytes, big)
}
