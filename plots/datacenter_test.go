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
