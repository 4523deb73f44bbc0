package execute

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/workloads"
)

// A datacenter's results do not depend on how its cells are grouped into
// tasks: 8 cells run in one process (1 and 2 workers), as 2 and as 8 shards
// into one shared directory (a Slurm array), and as 2 shards into their own
// directories merged into a third, give byte-identical files.
func TestDatacenterFilesIndependentOfCellGrouping(t *testing.T) {
	x, err := config.Load("testdata/datacenter-cells.toml")
	require.NoError(t, err)
	require.Len(t, Tasks(x), 8)
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one")
	execute(t, x, Options{Out: one, Workers: 1})
	want := resultFiles(t, one)
	for _, name := range []string{results.DatacenterCSV, results.CellsCSV, results.DatacenterSeriesCSV, "points/p0000-r00-c0007.json"} {
		assert.Contains(t, want, name)
	}
	execute(t, x, Options{Out: filepath.Join(tmp, "two"), Workers: 2})
	assert.Equal(t, want, resultFiles(t, filepath.Join(tmp, "two")), "2 workers")
	for _, n := range []int{2, 8} {
		dir := filepath.Join(tmp, fmt.Sprintf("shards%d", n))
		for i := 1; i <= n; i++ {
			execute(t, x, Options{Out: dir, Workers: 1, Shard: Shard{i, n}})
		}
		_, err := Merge([]string{dir}, dir)
		require.NoError(t, err)
		assert.Equal(t, want, resultFiles(t, dir), "%d shards", n)
	}
	s1, s2, merged := filepath.Join(tmp, "s1"), filepath.Join(tmp, "s2"), filepath.Join(tmp, "merged")
	execute(t, x, Options{Out: s1, Workers: 1, Shard: Shard{1, 2}})
	execute(t, x, Options{Out: s2, Workers: 1, Shard: Shard{2, 2}})
	_, err = Merge([]string{s1, s2}, merged)
	require.NoError(t, err)
	assert.Equal(t, want, resultFiles(t, merged), "2 shards in their own directories")
}

// The datacenter row is the sum of its cells' rows (counters, instance
// time, energy by state), checked against cells.csv by adding its columns
// here; the summary row counts every cell's queries.
func TestDatacenterRowIsTheSumOfItsCells(t *testing.T) {
	x, err := config.Load("testdata/datacenter-cells.toml")
	require.NoError(t, err)
	out := t.TempDir()
	execute(t, x, Options{Out: out, Workers: 2})
	head, dc, err := results.ReadCSV(filepath.Join(out, results.DatacenterCSV))
	require.NoError(t, err)
	_, cells, err := results.ReadCSV(filepath.Join(out, results.CellsCSV))
	require.NoError(t, err)
	require.Len(t, dc, 2)     // one per policy
	require.Len(t, cells, 16) // 8 cells x 2 policies
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	num := func(rec []string, c string) float64 {
		v, err := strconv.ParseFloat(rec[col[c]], 64)
		require.NoError(t, err, c)
		return v
	}
	for p, row := range dc {
		for _, c := range []string{"instances", "queries", "completed", "dropped", "wakes", "busy_instance_s", "idle_instance_s",
			"waking_instance_s", "off_instance_s", "energy_j", "energy_idle_j", "energy_static_busy_j"} {
			sum := 0.0
			for _, cr := range cells {
				if cr[col["policy"]] == row[col["policy"]] {
					sum += num(cr, c)
				}
			}
			assert.InDelta(t, sum, num(row, c), 1e-9*math.Max(1, sum), "policy %d, %s", p, c)
		}
		// every instance-second of the datacenter is accounted once (INV-12)
		inst := num(row, "busy_instance_s") + num(row, "idle_instance_s") + num(row, "waking_instance_s") + num(row, "off_instance_s")
		assert.InDelta(t, 16*num(row, "sim_s"), inst, 1e-6)
	}
	res, err := results.Read(out)
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, int64(num(dc[0], "queries")), res.Rows[0].Queries)
	assert.Equal(t, 16, res.Rows[0].Instances)
}

// The random front end's whole-stream split keeps each query with
// probability w (the cell's share of the instances), so a cell sees rate
// w x rate, and its needs keep their class with probability
// config.CellLocality(p, w): measured here on 400,000 queries of a Poisson
// stream, against the closed forms that the rate split relies on.
func TestStreamSplitMatchesTheRateSplit(t *testing.T) {
	const rate, p = 1000.0, 0.9
	d := config.Datacenter{DatacenterConfig: config.DatacenterConfig{Cells: 3, FrontEnd: config.FrontRandom}, Sizes: []int{5, 3, 2}}
	wc := workloads.Config{Queries: 400_000, Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: rate},
		Needs: workloads.NeedsConfig{Locality: p, Class: []workloads.NeedClass{
			{Name: "a", MinAccuracy: 75, SLOMs: 10, Weight: 1}, {Name: "b", MinAccuracy: 76, SLOMs: 10, Weight: 1}}}}
	for c, w := range []float64{0.5, 0.3, 0.2} {
		require.InDelta(t, w, d.Weight(c), 1e-12)
		src, err := workloads.New(wc, engine.Stream(9, "arrivals"), engine.Stream(9, "needs"), ".")
		require.NoError(t, err)
		cs := &cellSource{src: src, keep: frontEnd(&d, c)}
		var q workloads.Query
		var n, same int64
		prev := int32(-1)
		var last int64
		for cs.Next(&q) {
			if prev >= 0 && q.Class == prev {
				same++
			}
			prev, last = q.Class, q.Arrival
			n++
		}
		kept := float64(n) / 400_000
		assert.InDelta(t, w, kept, 4*math.Sqrt(w*(1-w)/400_000), "cell %d keeps its share", c)
		assert.InDelta(t, w*rate, float64(n)/(float64(last)/1e9), 0.02*w*rate, "cell %d rate", c)
		// P(same class as the previous kept query) = p' + (1 - p') / 2 with two equal classes
		pc := config.CellLocality(p, w)
		want := pc + (1-pc)/2
		assert.InDelta(t, want, float64(same)/float64(n-1), 4*math.Sqrt(want*(1-want)/float64(n)), "cell %d locality", c)
	}
}

// The stream split partitions the whole stream: with front_end "class" or
// a forced stream split of "random", the cells' queries add up to the
// queries of the same file run as one cell (same seed, same stream), and
// every cell gets some.
func TestStreamSplitPartitionsTheStream(t *testing.T) {
	src, err := os.ReadFile("testdata/datacenter-cells.toml")
	require.NoError(t, err)
	run := func(dc string) (int64, [][]string) {
		file := strings.Replace(string(src), "[datacenter]\ncells = 8\n", dc, 1)
		x, err := config.Parse("testdata/datacenter-cells.toml", []byte(file))
		require.NoError(t, err)
		out := t.TempDir()
		execute(t, x, Options{Out: out, Workers: 2})
		res, err := results.Read(out)
		require.NoError(t, err)
		_, cells, err := results.ReadCSV(filepath.Join(out, results.CellsCSV))
		require.NoError(t, err)
		return res.Rows[0].Queries, cells
	}
	whole, _ := run("[datacenter]\ncells = 1\n")
	for _, dc := range []string{"[datacenter]\ncells = 2\nfront_end = \"class\"\n", "[datacenter]\ncells = 4\nsplit = \"stream\"\n"} {
		got, cells := run(dc)
		assert.Equal(t, whole, got, dc)
		var sum int64
		for _, c := range cells {
			if c[3] == "sgs" {
				n, err := strconv.ParseInt(c[7], 10, 64)
				require.NoError(t, err)
				assert.Positive(t, n)
				sum += n
			}
		}
		assert.Equal(t, whole, sum, dc)
	}
}

// A one-cell datacenter keeps the per-run windows output.window_s asks
// for (with several cells config refuses them).
func TestOneCellKeepsOutputWindows(t *testing.T) {
	src, err := os.ReadFile("testdata/datacenter-cells.toml")
	require.NoError(t, err)
	file := strings.Replace(string(src), "[datacenter]\ncells = 8\n", "[output]\nwindow_s = 5.0\n\n[datacenter]\ncells = 1\n", 1)
	x, err := config.Parse("testdata/datacenter-cells.toml", []byte(file))
	require.NoError(t, err)
	out := t.TempDir()
	execute(t, x, Options{Out: out, Workers: 1})
	res, err := results.Read(out)
	require.NoError(t, err)
	var arrived int64
	for _, w := range res.Windows {
		if w.Policy == "sgs" {
			arrived += w.Arrived
		}
	}
	assert.Equal(t, res.Rows[0].Queries, arrived)
}

// Shards of one array start at the same moment into one directory (a
// Slurm array): all eight cells' shards started at once claim it without
// refusing each other, and the merge equals one process's run. (In one
// process the race is rarely hit; a 64-task array on the local Slurm hit
// it when the experiment's copy was written before plan.json.)
func TestShardsStartingTogetherShareTheDirectory(t *testing.T) {
	x, err := config.Load("testdata/datacenter-cells.toml")
	require.NoError(t, err)
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one")
	execute(t, x, Options{Out: one, Workers: 1})
	dir := filepath.Join(tmp, "array")
	errs := make(chan error, 8)
	for i := 1; i <= 8; i++ {
		go func() {
			_, err := Execute(x, Options{Out: dir, Workers: 1, Shard: Shard{i, 8}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
	_, err = Merge([]string{dir}, dir)
	require.NoError(t, err)
	assert.Equal(t, resultFiles(t, one), resultFiles(t, dir))
}
