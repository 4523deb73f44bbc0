package plots

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/sushisim/sushisim/experiments/results"
)

// checkTicks checks one axis: at least two labelled ticks, all inside the
// axis, each numeric label equal to its position's value; a category
// name (a bar's) only at a category's integer position.
func checkTicks(t *testing.T, name string, a *plot.Axis, numeric bool) {
	t.Helper()
	labelled := 0
	for _, tk := range a.Tick.Marker.Ticks(a.Min, a.Max) {
		if tk.Label == "" {
			continue
		}
		labelled++
		assert.GreaterOrEqual(t, tk.Value, a.Min-1e-9, "%s: tick %q below the axis", name, tk.Label)
		assert.LessOrEqual(t, tk.Value, a.Max+1e-9, "%s: tick %q above the axis", name, tk.Label)
		v, err := strconv.ParseFloat(tk.Label, 64)
		if err != nil {
			assert.False(t, numeric, "%s: label %q of a value axis is not a number", name, tk.Label)
			assert.Equal(t, math.Round(tk.Value), tk.Value, "%s: category %q off its position", name, tk.Label)
			continue
		}
		assert.InDelta(t, tk.Value, v, 1e-9*math.Max(1, math.Abs(v)), "%s: label %q sits at %v", name, tk.Label, tk.Value)
	}
	assert.GreaterOrEqual(t, labelled, 2, "%s: fewer than two labelled ticks", name)
}

// Every figure kind: every tick label says the value it sits at.
func TestTickLabelsEqualTheirPositions(t *testing.T) {
	res := fixture()
	// the datacenter kind reads datacenter_series.csv from the results
	// directory: a day of 20 half-hour windows per policy
	res.Dir = t.TempDir()
	var series []results.SeriesRow
	for _, pol := range []string{"none", "sgs"} {
		for w := range 20 {
			series = append(series, results.SeriesRow{Policy: pol, TS: 1800 * float64(w), WindowS: 1800,
				Arrived: 1000, LoadQPS: 40e3 + 5e3*float64(w), LatencyMsP99: 44.3 + float64(w%3),
				SLOAttainment: 0.999 - 1e-4*float64(w%4), MeanActive: 2000 + 300*float64(w), PowerW: 2e3 + 200*float64(w)})
		}
	}
	require.NoError(t, results.WriteDatacenter(res.Dir, nil, nil, series))
	dc := fig(KindDatacenter, "", "", results.Filter{Column: "point", Values: []string{"0"}})
	for _, f := range append(everyKind(), dc) {
		fg, err := build(res, f)
		require.NoError(t, err, f.Name)
		for i, p := range fg.panels {
			name := f.Name + " panel " + strconv.Itoa(i)
			checkTicks(t, name+" x", &p.X, false)
			checkTicks(t, name+" y", &p.Y, true)
		}
	}
}

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

// Hand-worked axes: the reviewer's cases.
func TestNiceAxis(t *testing.T) {
	for _, c := range []struct {
		name     string
		lo, hi   float64
		o        axisOpts
		min, max float64
		labels   []string
	}{
		// SLO attainment 0.75..1: the top tick is 1 and sits at 1
		{"fraction", 0.751, 0.999, axisOpts{fraction: true}, 0.75, 1, []string{"0.75", "0.80", "0.85", "0.90", "0.95", "1.00"}},
		// latency bars: no ".00"
		{"bars", 0, 424, axisOpts{fromZero: true}, 0, 500, []string{"0", "100", "200", "300", "400", "500"}},
		// a saving that reaches 98%: stops at 100, not 125
		{"saving", 1.2, 98.3, axisOpts{fromZero: true, percent: true}, 0, 100, []string{"0", "20", "40", "60", "80", "100"}},
		// a saving a hair below zero: the axis ends just under it (1% of
		// the span, 0.353, below -0.3), not at a round -5 or -10
		{"near zero", -0.3, 30.2, axisOpts{fromZero: true, percent: true}, -0.653, 35, []string{"0", "5", "10", "15", "20", "25", "30", "35"}},
		// further below zero: a round step below
		{"below zero", -3, 30.2, axisOpts{fromZero: true, percent: true}, -5, 35, []string{"-5", "0", "5", "10", "15", "20", "25", "30", "35"}},
		// steps of 2.5 need one decimal, and only one
		{"2.5", 0, 11, axisOpts{}, 0, 12.5, []string{"0.0", "2.5", "5.0", "7.5", "10.0", "12.5"}},
		// one value: an axis around it
		{"flat", 77.66, 77.66, axisOpts{percent: true}, 69, 86, nil},
	} {
		a := plot.Axis{Min: c.lo, Max: c.hi}
		niceAxis(&a, c.o)
		if c.labels == nil {
			assert.Less(t, a.Min, c.lo, c.name)
			assert.Greater(t, a.Max, c.hi, c.name)
			continue
		}
		assert.InDelta(t, c.min, a.Min, 1e-12, c.name)
		assert.InDelta(t, c.max, a.Max, 1e-12, c.name)
		assert.Equal(t, c.labels, labels(a.Tick.Marker.Ticks(a.Min, a.Max)), c.name)
	}
}

func TestLogTicks(t *testing.T) {
	assert.Equal(t, []string{"0.5", "1", "2", "5", "10", "20"}, labels(logTicks{}.Ticks(0.25, 32)))
	assert.Equal(t, []string{"1", "10", "100", "1000"}, labels(logTicks{}.Ticks(0.9, 2000)))
	// within a factor of 5 no 1-2-5 value may fall inside: round steps
	assert.Equal(t, []string{"24", "26", "28", "30"}, labels(logTicks{}.Ticks(23.5, 30.5)))
}

// A sweep's points get ticks labelled with their own values; a label that
// would touch its neighbour at the axis's drawn length is left off, its
// tick kept.
func TestDataTicks(t *testing.T) {
	a := plot.Axis{Min: 0.16, Max: 3.09, Scale: plot.LinearScale{}}
	a.Tick.Label = textStyle(7)
	useDataTicks(&a, []float64{0.25, 0.5, 1, 2, 3}, false)
	// no length yet: every point labelled
	assert.Equal(t, []string{"0.25", "0.5", "1", "2", "3"}, labels(a.Tick.Marker.Ticks(a.Min, a.Max)))
	// 60 pt: 0.5 sits 5 pt right of 0.25, whose label is 12 pt wide
	ts := withLength(a.Tick.Marker, 60).Ticks(a.Min, a.Max)
	assert.Len(t, ts, 5)
	assert.Equal(t, []string{"0.25", "1", "2", "3"}, labels(ts))
	// 400 pt: room for all
	assert.Equal(t, []string{"0.25", "0.5", "1", "2", "3"}, labels(withLength(a.Tick.Marker, 400).Ticks(a.Min, a.Max)))
	// crowded at the end: the last point keeps its label, its neighbours
	// give way. On 200 pt, 0.99 sits at 194.3 pt and its label (13.6 pt)
	// starts at 187.5; 0.9's label (9.7 pt at 177.1) would end at 182.0,
	// less than the 6 pt gap short of it, so 0.9 loses its label too.
	b := plot.Axis{Min: -0.03, Max: 1.02, Scale: plot.LinearScale{}}
	b.Tick.Label = textStyle(7)
	useDataTicks(&b, []float64{0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99}, false)
	assert.Equal(t, []string{"0", "0.5", "0.8", "0.99"}, labels(withLength(b.Tick.Marker, 200).Ticks(b.Min, b.Max)))
}

// On a log axis of powers of two each point is labelled with its value,
// not only the decades; the labels equal their positions.
func TestDataTicksLog(t *testing.T) {
	a := plot.Axis{Min: 0.25, Max: 32, Scale: plot.LogScale{}}
	a.Tick.Label = textStyle(7.5)
	xs := []float64{0.25, 0.5, 1, 2, 4, 8, 16, 32}
	useDataTicks(&a, xs, true)
	a.Tick.Marker = withLength(a.Tick.Marker, 300)
	assert.Equal(t, []string{"0.25", "0.5", "1", "2", "4", "8", "16", "32"}, labels(a.Tick.Marker.Ticks(a.Min, a.Max)))
	checkTicks(t, "log data", &a, true)
	// a crowded short axis keeps every tick and drops the labels that
	// would touch: 4 is 6.7 pt right of 2 on 40 pt, labels ~4 pt wide
	ts := withLength(a.Tick.Marker, 40).Ticks(a.Min, a.Max)
	assert.Len(t, ts, len(xs))
	assert.Less(t, len(labels(ts)), len(xs))
	// a log axis refuses points <= 0 and keeps its own ticks
	var b plot.Axis
	b.Tick.Marker = logTicks{}
	useDataTicks(&b, []float64{0, 1, 2}, true)
	assert.Equal(t, logTicks{}, b.Tick.Marker)
}
