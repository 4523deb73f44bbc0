package execute

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
)

// synthetic is a plan on instances synthetic servers of mean service 10 ms
// (capacity 100 queries/s each) at rate queries/s.
func synthetic(t *testing.T, instances int, rate float64, queries int, extra string) *config.Experiment {
	src := fmt.Sprintf(`name = "est"
[accel]
kind = "synthetic"
[accel.service]
dist = "exponential"
mean_ms = 10.0
[cluster]
instances = %d
[workload]
queries = %d
[workload.arrival]
process = "poisson"
rate = %g
[[workload.needs.class]]
min_accuracy = 70.0
slo_ms = 100.0
weight = 1.0
[[policy]]
name = "none"
cache = "none"
[[policy]]
name = "rr"
cache = "none"
router = "round-robin"
%s`, instances, queries, rate, extra)
	x, err := config.Parse(t.TempDir()+"/est.toml", []byte(src))
	require.NoError(t, err)
	return x
}

// The estimate's parts against hand calculations: runs and queries count
// exactly; the backlog is zero while the cluster keeps up and the excess
// share of the queries (1 - capacity / rate) past it.
func TestEstimateByHand(t *testing.T) {
	x := synthetic(t, 2, 150, 100000, "[sweep]\nreplications = 3\n")
	c, err := Estimate(x, 1)
	require.NoError(t, err)
	assert.Equal(t, 6, c.Runs, "2 policies x 3 replications")
	assert.Equal(t, 600000.0, c.Queries)
	assert.Equal(t, 1200000.0, c.Events)
	idle := float64(baseBytes) + 2*instanceBytes + 6*6*float64(tableCostBytes) // six reference SubNets
	assert.Equal(t, idle, c.MemoryBytes, "2 x 100/s serve 150/s: no backlog")

	x = synthetic(t, 2, 800, 100000, "")
	c, err = Estimate(x, 1)
	require.NoError(t, err)
	backlog := 100000 * (1 - 200.0/800) // 75,000 queries waiting at the end
	assert.Equal(t, idle+backlog*float64(slotBytes), c.MemoryBytes)
	c2, err := Estimate(x, 2)
	require.NoError(t, err)
	assert.Equal(t, idle+2*(c.MemoryBytes-float64(baseBytes))-(idle-float64(baseBytes)), c2.MemoryBytes, "two workers, two runs at once")

	x = synthetic(t, 1, 50, 1000, "[output]\nwindow_s = 0.5\ntrace = true\n")
	c, err = Estimate(x, 1)
	require.NoError(t, err)
	// 1000 queries at 50/s: 20 s, 40 windows; two policies
	windows := 40.0
	assert.Equal(t, 2*(runFileBytes+windows*windowFileBytes+1000*traceRowBytes)+figureFileBytes, c.ResultsBytes, "one default figure, png")
}

// A run never holds more than the estimate: an overloaded synthetic
// cluster (capacity 100/s, 400/s offered) keeps three quarters of its
// queries waiting; the heap the run allocates stays under the estimate.
func TestEstimateBoundsAnOverloadedRun(t *testing.T) {
	x := synthetic(t, 1, 400, 200000, "")
	c, err := Estimate(x, 1)
	require.NoError(t, err)
	heap := peakHeapOf(t, func() {
		_, err := Run(x)
		require.NoError(t, err)
	})
	t.Logf("estimate %s, peak heap in use %s", Bytes(c.MemoryBytes), Bytes(heap))
	assert.Less(t, heap, c.MemoryBytes)
}

func TestBytesAndCount(t *testing.T) {
	assert.Equal(t, "512 B", Bytes(512))
	assert.Equal(t, "1.5 KiB", Bytes(1536))
	assert.Equal(t, "2.0 GiB", Bytes(2<<30))
	assert.Equal(t, "1,500,000", count(1.5e6))
	assert.Equal(t, "999", count(999))
	assert.Equal(t, "2.5e+09", count(2.5e9))
}

// A trace with no queries or duration limit is as long as its file: the
// estimate counts its rows and its windows from its last timestamp.
func TestEstimateCountsATrace(t *testing.T) {
	dir := t.TempDir()
	rows := "t_s\n"
	for i := range 500 {
		rows += fmt.Sprintf("%g\n", 0.1*float64(i)) // 500 arrivals, the last at 49.9 s
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arrivals.csv"), []byte(rows), 0o644))
	src := `name = "est_trace"
[accel]
kind = "synthetic"
[accel.service]
dist = "exponential"
mean_ms = 10.0
[workload.arrival]
process = "trace"
[workload.arrival.trace]
path = "arrivals.csv"
time_column = "t_s"
[[workload.needs.class]]
min_accuracy = 70.0
slo_ms = 100.0
weight = 1.0
[[policy]]
name = "none"
cache = "none"
[output]
window_s = 1.0
`
	x, err := config.Parse(filepath.Join(dir, "est.toml"), []byte(src))
	require.NoError(t, err)
	c, err := Estimate(x, 1)
	require.NoError(t, err)
	assert.Equal(t, 500.0, c.Queries)
	windows := 49.9 // 49.9 s of arrivals in 1 s windows
	assert.InDelta(t, runFileBytes+windows*windowFileBytes+figureFileBytes, c.ResultsBytes, 1e-6)

	// Execute's check does not run the stream through: the length stays unknown
	c, err = estimate(x, 1, false)
	require.NoError(t, err)
	assert.True(t, math.IsInf(c.Queries, 1))

	// points that share the trace count it once: the second point is
	// estimated after the file is gone
	x, err = config.Parse(filepath.Join(dir, "est.toml"), []byte(src+"[sweep]\naccel.service.mean_ms = [10.0, 20.0]\n"))
	require.NoError(t, err)
	require.Len(t, x.Points, 2)
	e := newEstimator(true)
	p0, err := e.pointCost(x, &x.Points[0].Settings)
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, "arrivals.csv")))
	p1, err := e.pointCost(x, &x.Points[1].Settings)
	require.NoError(t, err)
	assert.Equal(t, 500.0, p0.queries)
	assert.Equal(t, 500.0, p1.queries)
}

// static "auto" runs a warm-up pass of the whole workload before its run:
// a run the estimate counts (a named SubGraph needs none).
func TestEstimateCountsWarmupPasses(t *testing.T) {
	src := `name = "est_warmup"
[model]
supernet = "ofa-resnet50"
[accel]
preset = "zcu104"
[workload]
queries = 1000
[workload.arrival]
process = "poisson"
rate = 20.0
[[workload.needs.class]]
min_accuracy = 75.0
slo_ms = 50.0
weight = 1.0
[[policy]]
name = "static"
cache = "static"
[[policy]]
name = "static-named"
cache = "static"
subgraph = "ref0"
[sweep]
replications = 2
`
	x, err := config.Parse(filepath.Join(t.TempDir(), "est.toml"), []byte(src))
	require.NoError(t, err)
	c, err := Estimate(x, 1)
	require.NoError(t, err)
	assert.Equal(t, 6, c.Runs, "(static + its warm-up + static-named) x 2 replications")
	assert.Equal(t, 6000.0, c.Queries)
}
