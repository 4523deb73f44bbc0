package plots

import (
	"errors"
	"fmt"
	"reflect"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// timeSeriesPlot draws a time-series column against simulated time, one
// line per series value; windows of several runs in one series are
// averaged window by window.
func timeSeriesPlot(res *results.Results, f results.Figure, rows []int, sz sizes) (*plot.Plot, []legendEntry, error) {
	if len(res.Windows) == 0 {
		return nil, nil, errors.New("no timeseries.csv in the results (set output.window_s)")
	}
	col := slices.Index(results.WindowColumns(), f.Y)
	if col < 0 {
		return nil, nil, fmt.Errorf("y: %q is not a time-series column (allowed: %v)", f.Y, results.WindowColumns())
	}
	series, of := runSeries(res, rows, f.Series)
	type cellAcc struct{ sum, n float64 }
	accs := make([]map[float64]*cellAcc, len(series))
	times := make([][]float64, len(series))
	for i := range accs {
		accs[i] = map[float64]*cellAcc{}
	}
	// windows after a run's last arrival hold only its drain (a few
	// completions, 0 arrivals): shares of them would read as a jump at the
	// end, so they are left out
	lastArrival := map[runKey]float64{}
	for _, w := range res.Windows {
		if k := (runKey{w.Point, w.Replication, w.Policy}); w.Arrived > 0 {
			lastArrival[k] = max(lastArrival[k], w.TS)
		}
	}
	for _, w := range res.Windows {
		k := runKey{w.Point, w.Replication, w.Policy}
		s, ok := of[k]
		if last, arrived := lastArrival[k]; !ok || arrived && w.TS > last {
			continue
		}
		y := reflect.ValueOf(w.Window).Field(col)
		var val float64
		if y.CanFloat() {
			val = y.Float()
		} else {
			val = float64(y.Int())
		}
		a := accs[s][w.TS]
		if a == nil {
			a = &cellAcc{}
			accs[s][w.TS] = a
			times[s] = append(times[s], w.TS)
		}
		a.sum += val
		a.n++
	}
	p := newPlot(sz)
	p.X.Label.Text = "simulated time (s)"
	p.Y.Label.Text = ascii(label(f.Y, f.YScale))
	ys := scaleOf(f.YScale)
	lk := looksFor(groupValues(series))
	entries := make([]*legendEntry, len(series))
	for _, i := range solidFirst(lk) {
		g := series[i]
		slices.Sort(times[i])
		var pts plotter.XYs
		for _, t := range times[i] {
			a := accs[i][t]
			pts = append(pts, plotter.XY{X: t, Y: a.sum / a.n / ys})
		}
		if len(pts) == 0 {
			continue
		}
		if n := len(pts); n > 1 { // the last window's step runs one window past its start, as the others
			pts = append(pts, plotter.XY{X: 2*pts[n-1].X - pts[n-2].X, Y: pts[n-1].Y})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Dashes, l.Width = lk[i].color, lk[i].dashes, vg.Points(1)
		l.StepStyle = plotter.PostStep // a window's value holds over the window
		p.Add(l)
		entries[i] = &legendEntry{valueLabel(f, f.Series, g.value), []plot.Thumbnailer{l}}
	}
	legend := seriesLegend(entries)
	if len(legend) == 0 {
		return nil, nil, errors.New("timeseries.csv has no rows for the selected runs")
	}
	y := axisOpts{fromZero: true}
	if isFraction(f.Y) {
		y.fraction = true
	}
	err := finishAxes(p, f, axisOpts{fromZero: true, tight: true}, y)
	return p, legend, err
}
