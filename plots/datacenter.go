package plots

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// KindDatacenter is a datacenter's day: load, routable instances, p99
// latency, SLO attainment and power against simulated time, one panel
// each, stacked, from datacenter_series.csv; one line per series value
// (policy by default), replications averaged window by window.
const KindDatacenter = "datacenter"

// datacenterPanels are the panels of the datacenter kind, top to bottom.
var datacenterPanels = []struct {
	label string
	scale float64
	y     axisOpts
	value func(r *results.SeriesRow) float64
}{
	{"load (kq/s)", 1e3, axisOpts{fromZero: true}, func(r *results.SeriesRow) float64 { return r.LoadQPS }},
	{"routable instances", 1, axisOpts{fromZero: true}, func(r *results.SeriesRow) float64 { return r.MeanActive }},
	{"p99 latency (ms)", 1, axisOpts{fromZero: true}, func(r *results.SeriesRow) float64 { return r.LatencyMsP99 }},
	{"SLO attainment", 1, axisOpts{fraction: true}, func(r *results.SeriesRow) float64 { return r.SLOAttainment }},
	{"power (kW)", 1e3, axisOpts{fromZero: true}, func(r *results.SeriesRow) float64 { return r.PowerW }},
}

func init() {
	Register(builtIn(Kind{Name: KindDatacenter,
		Check: noXY("draws simulated time on x", "draws five panels: load, routable instances, p99, SLO attainment, power")},
		datacenterFigure))
}

// datacenterFigure stacks the panels in one figure.
func datacenterFigure(res *results.Results, f results.Figure, rows []int) (*figure, error) {
	series, err := results.ReadSeries(res.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w (a [datacenter] run with window_s > 0 writes it)", err)
	}
	groups, of := runSeries(res, rows, f.Series)
	// the run's last window is cut short where the run ends: a few ms of
	// draining would read as a drop in load, so windows shorter than half
	// the longest are left out; the time axis is in hours from 2 h on
	var full, end, watts float64
	for i := range series {
		full, end = max(full, series[i].WindowS), max(end, series[i].TS+series[i].WindowS)
		watts = max(watts, series[i].PowerW)
	}
	unit, perUnit := "h", 3600.0
	if end < 7200 {
		unit, perUnit = "min", 60.0
	}
	fig := &figure{sz: sizesFor(f.Width, 1), stacked: true, caption: caption(res, f, rows, windowWords(full, res, rows))}
	lk := looksFor(groupValues(groups))
	for pi, panel := range datacenterPanels {
		if panel.label == "power (kW)" && watts < 1e3 { // a few boards: watts, not 0.04 kW
			panel.label, panel.scale = "power (W)", 1
		}
		p := newPlot(fig.sz)
		p.Y.Label.Text = panel.label
		if pi == len(datacenterPanels)-1 {
			p.X.Label.Text = "simulated time (" + unit + ")"
		}
		for _, si := range solidFirst(lk) {
			pts := seriesPoints(series, of, si, full, perUnit, panel.scale, panel.value)
			if len(pts) == 0 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			l.Color, l.Dashes, l.Width = lk[si].color, lk[si].dashes, vg.Points(1)
			l.StepStyle = plotter.PostStep // a window's value holds over the window
			p.Add(l)
			if pi == 0 {
				fig.legend = append(fig.legend, legendEntry{valueLabel(f, f.Series, groups[si].value), []plot.Thumbnailer{l}})
			}
		}
		if pi == 0 && len(fig.legend) == 0 {
			return nil, errors.New("no datacenter windows for the rows left after the filters")
		}
		if err := finishAxes(p, f, axisOpts{fromZero: true, tight: true}, panel.y); err != nil {
			return nil, err
		}
		fig.panels = append(fig.panels, p)
	}
	return fig, nil
}

// windowWords says what one step of the panels is: a window of the run's
// output.window_s, its load, routable instances and power the window's
// means, its p99 and SLO attainment over the queries that finished in it.
func windowWords(full float64, res *results.Results, rows []int) string {
	w := strconv.FormatFloat(full, 'f', -1, 64) + " s"
	if full >= 60 && math.Mod(full, 60) == 0 {
		w = strconv.FormatFloat(full/60, 'f', -1, 64) + " min"
	}
	runs := "one run each"
	if lo, hi := replications(res, rows); hi > 1 {
		runs = fmt.Sprintf("mean of n = %d-%d replications", lo, hi)
		if lo == hi {
			runs = fmt.Sprintf("mean of n = %d replications", lo)
		}
	}
	return fmt.Sprintf("Each step is one %s window (load, instances and power its means; p99 and SLO attainment over the queries finished in it); %s.", w, runs)
}

// seriesPoints are series si's windows (at least half the longest), the
// mean over its runs at each window start.
func seriesPoints(series []results.SeriesRow, of map[runKey]int, si int, full, perUnit, scale float64,
	value func(r *results.SeriesRow) float64) plotter.XYs {
	type acc struct{ sum, n float64 }
	byT := map[float64]*acc{}
	var ts []float64
	for i := range series {
		r := &series[i]
		if s, ok := of[runKey{r.Point, r.Replication, r.Policy}]; !ok || s != si || r.WindowS < full/2 {
			continue
		}
		a := byT[r.TS]
		if a == nil {
			a = &acc{}
			byT[r.TS] = a
			ts = append(ts, r.TS) // windows are written in time order
		}
		a.sum += value(r)
		a.n++
	}
	pts := make(plotter.XYs, 0, len(ts))
	for _, t := range ts {
		pts = append(pts, plotter.XY{X: t / perUnit, Y: byT[t].sum / byT[t].n / scale})
	}
	if n := len(pts); n > 0 { // the last window's step runs to its end, not only to its start
		pts = append(pts, plotter.XY{X: (ts[n-1] + full) / perUnit, Y: pts[n-1].Y})
	}
	return pts
}
