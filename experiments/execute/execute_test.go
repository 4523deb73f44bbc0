package execute

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	_ "github.com/sushisim/sushisim/plots" // registers the figure kinds the test files name
)

// resultFiles reads every file of a results directory that must not depend
// on how the plan was run (timing and shard markers excluded).
func resultFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == results.TimingCSV || strings.HasSuffix(rel, ".timing.json") || strings.HasPrefix(rel, shardsDir+"/") || rel == results.PlanJSON {
			return nil
		}
		b, err := os.ReadFile(path)
		out[rel] = b
		return err
	}))
	return out
}

func execute(t *testing.T, x *config.Experiment, o Options) *Report {
	t.Helper()
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rep, err := Execute(x, o)
	require.NoError(t, err)
	return rep
}

func TestSweepFilesIndependentOfWorkersResumeAndShards(t *testing.T) {
	x, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	require.Len(t, x.Points, 2)
	require.Equal(t, 3, x.Sweep.Replications)
	tmp := t.TempDir()

	one := filepath.Join(tmp, "one")
	rep := execute(t, x, Options{Out: one, Workers: 1})
	assert.True(t, rep.Complete)
	assert.Equal(t, 6, rep.Ran)
	want := resultFiles(t, one)
	// 6 tasks, each with a result file, and 2 policies' traces each
	for _, name := range []string{results.SummaryCSV, results.SummaryJSON, results.AggregateCSV, results.QuantilesCSV, results.CatalogCSV, results.TimeSeriesCSV,
		results.ExperimentCopy, "points/p0001-r02.json", "traces/p0001-r02-sgs.csv.gz"} {
		assert.Contains(t, want, name)
	}

	two := filepath.Join(tmp, "two")
	execute(t, x, Options{Out: two, Workers: 2})
	assert.Equal(t, want, resultFiles(t, two), "2 workers")

	// an interrupted run: some tasks' results are missing; resume runs
	// only those and ends with the same files
	for _, n := range []string{"p0000-r01", "p0001-r02"} {
		require.NoError(t, os.Remove(filepath.Join(two, results.PointsDir, n+".json")))
	}
	require.NoError(t, os.Remove(filepath.Join(two, results.SummaryCSV)))
	rep = execute(t, x, Options{Out: two, Workers: 2, Resume: true})
	assert.Equal(t, 4, rep.Skipped)
	assert.Equal(t, 2, rep.Ran)
	assert.Equal(t, want, resultFiles(t, two), "resumed")

	// two shards in their own directories, merged into a third
	s1, s2, merged := filepath.Join(tmp, "s1"), filepath.Join(tmp, "s2"), filepath.Join(tmp, "merged")
	rep = execute(t, x, Options{Out: s1, Workers: 2, Shard: Shard{1, 2}})
	assert.False(t, rep.Complete)
	assert.Equal(t, 3, rep.Tasks)
	_, err = Merge([]string{s1}, merged)
	require.Error(t, err, "shard 2 missing")
	assert.Contains(t, err.Error(), "shard 2/2 has not run")
	assert.Contains(t, err.Error(), "p0000-r01")
	assert.NotContains(t, err.Error(), "shard 1/2")
	execute(t, x, Options{Out: s2, Workers: 1, Shard: Shard{2, 2}})
	// a task of shard 2 lost (a killed job): merge names it and the shard
	lost := filepath.Join(s2, results.PointsDir, "p0001-r02.json")
	keep, err := os.ReadFile(lost)
	require.NoError(t, err)
	require.NoError(t, os.Remove(lost))
	_, err = Merge([]string{s1, s2}, merged)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 of 6 tasks")
	assert.Contains(t, err.Error(), "shard 2/2 finished but")
	assert.Contains(t, err.Error(), "p0001-r02")
	require.NoError(t, os.WriteFile(lost, keep, 0o644))
	_, err = Merge([]string{s1, s2}, merged)
	require.NoError(t, err)
	assert.Equal(t, want, resultFiles(t, merged), "merged shards")
}

func TestShardAssignmentIsStableAndCovers(t *testing.T) {
	for n := 1; n <= 4; n++ {
		for k := range 20 {
			owners := 0
			for i := 1; i <= n; i++ {
				if (Shard{i, n}).Owns(k) {
					owners++
					assert.Equal(t, k%n+1, i)
				}
			}
			assert.Equal(t, 1, owners, "task %d of %d shards", k, n)
		}
	}
	s, err := ParseShard("2/4")
	require.NoError(t, err)
	assert.Equal(t, Shard{2, 4}, s)
	for _, bad := range []string{"0/4", "5/4", "2", "a/b", "1/0"} {
		_, err := ParseShard(bad)
		assert.Error(t, err, bad)
	}
}

func TestResumeRefusesAnotherPlan(t *testing.T) {
	x, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, results.WriteFile(filepath.Join(dir, results.PlanJSON), []byte(`{"hash":"other"}`)))
	_, err = Execute(x, Options{Out: dir, Resume: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds results of experiment")
	_, err = Execute(x, Options{Out: dir, Shard: Shard{1, 2}})
	require.Error(t, err)
}

// readTrace reads a run's gzipped per-query trace, header row first.
func readTrace(t *testing.T, dir, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, results.TracesDir, name))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	recs, err := csv.NewReader(zr).ReadAll()
	require.NoError(t, err)
	return recs
}

// One run of testdata/sweep.toml, read back by both subtests.
func TestSweepResults(t *testing.T) {
	x, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	dir := t.TempDir()
	execute(t, x, Options{Out: dir, Workers: 2})
	res, err := results.Read(dir)
	require.NoError(t, err)
	t.Run("trace and time series match summary", func(t *testing.T) { checkTraceAndTimeSeries(t, dir, res) })
	t.Run("summary round trips", func(t *testing.T) { checkSummaryRoundTrips(t, dir, res) })
}

// The per-query trace and the time series agree with the run's summary:
// the trace has one row per query, its latencies average to the summary's
// mean, and the windows add up to the totals.
func checkTraceAndTimeSeries(t *testing.T, dir string, res *results.Results) {
	require.Len(t, res.Rows, 12)
	row := res.Rows[3] // point 0, replication 1, sgs
	require.Equal(t, "sgs", row.Policy)
	require.Equal(t, 1, row.Replication)

	recs := readTrace(t, dir, "p0000-r01-sgs.csv.gz")
	assert.Equal(t, results.TraceColumns, recs[0])
	require.Len(t, recs, int(row.Completed)+1)
	var sum float64
	met := 0
	for _, r := range recs[1:] {
		sum += parseF(t, r[3])
		if r[8] == "true" {
			met++
		}
	}
	assert.InDelta(t, row.LatencyMsMean, sum/float64(row.Completed), 1e-5) // trace rounds to ns
	assert.InDelta(t, row.SLOAttainment, float64(met)/float64(row.Completed), 1e-12)

	var arrived, completed, reloads int64
	var latSum float64
	for _, w := range res.Windows {
		if w.Point == 0 && w.Replication == 1 && w.Policy == "sgs" {
			arrived += w.Arrived
			completed += w.Completed
			reloads += w.Reloads
			latSum += w.LatencyMsMean * float64(w.Completed)
		}
	}
	assert.Equal(t, row.Queries, arrived)
	assert.Equal(t, row.Completed, completed)
	assert.Equal(t, row.Reloads, reloads)
	assert.InDelta(t, row.LatencyMsMean, latSum/float64(completed), 1e-9)
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

func checkSummaryRoundTrips(t *testing.T, dir string, res *results.Results) {
	assert.Equal(t, []string{"workload.arrival.rate"}, res.Keys)
	assert.Equal(t, "10", res.Rows[0].Params[0])
	assert.Equal(t, "25", res.Rows[11].Params[0])
	// replications have their own seeds; replication 0 keeps the file's
	assert.Equal(t, uint64(7), res.Rows[0].Seed)
	assert.Equal(t, config.ReplicationSeed(7, 2), res.Rows[5].Seed)
	// aggregate: hand-computed mean and CI of p99 over the three replications
	var p99 []float64
	for _, r := range res.Rows {
		if r.Point == 1 && r.Policy == "none" {
			p99 = append(p99, r.LatencyMsP99)
		}
	}
	require.Len(t, p99, 3)
	mean := (p99[0] + p99[1] + p99[2]) / 3
	var ss float64
	for _, v := range p99 {
		ss += (v - mean) * (v - mean)
	}
	half := 4.302652729911275 * math.Sqrt(ss/2) / math.Sqrt(3) // t(0.975, 2), from a t table
	head, recs, err := results.ReadCSV(filepath.Join(dir, results.AggregateCSV))
	require.NoError(t, err)
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	var found bool
	for _, r := range recs {
		if r[0] == "1" && r[col("policy")] == "none" {
			found = true
			assert.Equal(t, "3", r[col("replications")])
			assert.InDelta(t, mean, parseF(t, r[col("latency_ms_p99_mean")]), 1e-9)
			assert.InDelta(t, half, parseF(t, r[col("latency_ms_p99_ci95")]), 1e-6)
		}
	}
	assert.True(t, found)
	js, err := os.ReadFile(filepath.Join(dir, results.SummaryJSON))
	require.NoError(t, err)
	assert.True(t, bytes.Contains(js, []byte(`"workload.arrival.rate": 25`)))
}

// The simgo kernel runs the same model: the same summaries, byte for byte.
func TestSimgoKernelGivesTheSameResults(t *testing.T) {
	src, err := os.ReadFile("../quickstart.toml")
	require.NoError(t, err)
	small := strings.Replace(string(src), "queries = 20000", "queries = 3000", 1)
	a, err := config.Parse("../quickstart.toml", []byte(small))
	require.NoError(t, err)
	b, err := config.Parse("../quickstart.toml", []byte(small+"\n[engine]\nkernel = \"simgo\"\n"))
	require.NoError(t, err)
	ra, err := Run(a)
	require.NoError(t, err)
	rb, err := Run(b)
	require.NoError(t, err)
	for i := range ra {
		assert.Equal(t, ra[i].Summary, rb[i].Summary)
	}
}

// A cancelled run stops between runs and says how to continue.
func TestInterruptedRunSaysResume(t *testing.T) {
	x, err := config.Load("../testdata/sweep.toml")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Execute(x, Options{Out: t.TempDir(), Context: ctx, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.ErrorIs(t, err, errInterrupted)
	assert.Contains(t, err.Error(), "--resume")
}

// With batching, admission drops and an LRU that fills on use, the engine's
// observer still gives one trace row per completed query, and the windows'
// reload bytes are the run's (LRU reads nothing extra: write-allocate).
func TestTraceWithBatchesDropsAndLRU(t *testing.T) {
	src, err := os.ReadFile("../testdata/sweep.toml")
	require.NoError(t, err)
	s := strings.Replace(string(src), `preset = "zcu104"`, "preset = \"zcu104\"\nbatch = 4", 1)
	s = strings.Replace(s, `name = "none"
cache = "none"`, `name = "none"
cache = "lru"
write_allocate = true
admission = "drop"`, 1)
	s = strings.Replace(s, "rate = [10.0, 25.0]", "rate = [60.0]", 1)
	s = strings.Replace(s, "replications = 3", "replications = 1", 1)
	x, err := config.Parse(filepath.Join("..", "testdata", "batch.toml"), []byte(s))
	require.NoError(t, err)
	dir := t.TempDir()
	execute(t, x, Options{Out: dir, Workers: 1})
	res, err := results.Read(dir)
	require.NoError(t, err)
	row := res.Rows[0]
	require.Equal(t, "none", row.Policy)
	assert.Greater(t, row.Dropped, int64(0), "the load makes admission control drop")
	assert.Greater(t, row.BatchMean, 1.0, "queries queue up and share batches")
	recs := readTrace(t, dir, "p0000-r00-none.csv.gz")
	require.Len(t, recs, int(row.Completed)+1)
	var reloadBytes int64
	for _, w := range res.Windows {
		if w.Policy == "none" {
			reloadBytes += w.ReloadBytes
		}
	}
	assert.Equal(t, int64(0), reloadBytes)
	assert.Zero(t, row.ReloadBytesPerQuery)
}
