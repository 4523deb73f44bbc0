package plots

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

// The caption names the window a step stands for, in the unit a reader
// would write, and the runs behind it.
func TestWindowWords(t *testing.T) {
	res := fixture() // 2 replications of each (point, policy)
	all := make([]int, len(res.Rows))
	for i := range all {
		all[i] = i
	}
	assert.Contains(t, windowWords(900, res, all), "one 15 min window")
	assert.Contains(t, windowWords(30, res, all), "one 30 s window")
	assert.Contains(t, windowWords(90, res, all), "one 90 s window")
	assert.Contains(t, windowWords(900, res, all), "mean of n = 2 replications")
	assert.Contains(t, windowWords(900, res, all[:1]), "one run each")
}

// The last window's step reaches the window's end (10 min for twenty
// 30 s windows), and a drain tail shorter than half a window is left out.
func TestSeriesPointsEndAtLastWindowEnd(t *testing.T) {
	var rows []results.SeriesRow
	for k := range 20 {
		rows = append(rows, results.SeriesRow{TS: 30 * float64(k), WindowS: 30, LoadQPS: float64(k)})
	}
	rows = append(rows, results.SeriesRow{TS: 600, WindowS: 0.04}) // the run's drain
	of := map[runKey]int{{}: 0}
	pts := seriesPoints(rows, of, 0, 30, 60, 1, func(r *results.SeriesRow) float64 { return r.LoadQPS })
	require.Len(t, pts, 21)
	assert.Equal(t, 9.5, pts[19].X)
	assert.Equal(t, 10.0, pts[20].X)
	assert.Equal(t, 19.0, pts[20].Y)
}

// A time series ends where the run's last window with arrivals ends: the
// drain after it (0 arrivals, a few slow completions) is left out, and the
// last window's step runs its full width.
func TestTimeSeriesLeavesOutTheDrain(t *testing.T) {
	res := fixture() // windows at 0, 5, ..., 45 s, mean latency at most 32 ms
	for _, k := range []struct {
		point, rep int
		pol        string
	}{{0, 0, "none"}, {0, 0, "sgs"}} {
		res.Windows = append(res.Windows, results.WindowRow{Point: k.point, Replication: k.rep, Policy: k.pol,
			Window: results.Window{TS: 50, Completed: 2, LatencyMsMean: 500}})
	}
	f := fig(KindTimeSeries, "", "latency_ms_mean", results.Filter{Column: "point", Values: []string{"0"}})
	rows := filterRows(res, f)
	p, _, err := timeSeriesPlot(res, f, rows, columnSizes)
	require.NoError(t, err)
	// the axis pads a little past the data: 45 s alone would end it short
	// of 50, a drawn drain (50 s, stepped to 55) past 55
	assert.GreaterOrEqual(t, p.X.Max, 50.0, "the 45 s window's step reaches 50 s")
	assert.Less(t, p.X.Max, 55.0, "the drain window is not drawn")
	assert.Less(t, p.Y.Max, 100.0, "the drain's 500 ms is not drawn")
}
