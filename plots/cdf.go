package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// cdfPlot draws the latency CDF of each series from the saved quantiles.
// Several runs in one series (replications) are averaged quantile by
// quantile (Vincentization), which keeps the shape of a CDF.
func cdfPlot(res *results.Results, f results.Figure, rows []int, sz sizes) (*plot.Plot, []legendEntry, error) {
	if len(res.Quantiles) == 0 {
		return nil, nil, errors.New("no quantiles.csv in the results")
	}
	series, of := runSeries(res, rows, f.Series)
	qpos := make(map[float64]int, len(results.LatencyQuantiles))
	for k, q := range results.LatencyQuantiles {
		qpos[q] = k
	}
	type acc struct {
		sum []float64
		n   []int
	}
	accs := make([]acc, len(series))
	for i := range accs {
		accs[i] = acc{sum: make([]float64, len(qpos)), n: make([]int, len(qpos))}
	}
	for _, q := range res.Quantiles {
		s, ok := of[runKey{q.Point, q.Replication, q.Policy}]
		if !ok {
			continue
		}
		k, ok := qpos[q.Quantile]
		if !ok {
			continue
		}
		accs[s].sum[k] += q.LatencyMs
		accs[s].n[k]++
	}
	p := newPlot(sz)
	p.X.Label.Text = "latency (ms)"
	p.Y.Label.Text = "share of queries (CDF)"
	p.Y.Min, p.Y.Max = 0, 1
	xs := scaleOf(f.XScale)
	lk := looksFor(groupValues(series))
	entries := make([]*legendEntry, len(series))
	for _, i := range solidFirst(lk) {
		g := series[i]
		var pts plotter.XYs
		for k, q := range results.LatencyQuantiles {
			if accs[i].n[k] == 0 {
				continue
			}
			pts = append(pts, plotter.XY{X: accs[i].sum[k] / float64(accs[i].n[k]) / xs, Y: q})
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Dashes, l.Width = lk[i].color, lk[i].dashes, vg.Points(1.2)
		p.Add(l)
		entries[i] = &legendEntry{valueLabel(f, f.Series, g.value), []plot.Thumbnailer{l}}
	}
	legend := seriesLegend(entries)
	if len(legend) == 0 {
		return nil, nil, fmt.Errorf("quantiles.csv has no rows for the selected runs")
	}
	if f.LogX {
		// the 0-quantile may be exactly the fastest service time; fine on a
		// log axis, but a 0 from an empty run is not
		if p.X.Min <= 0 {
			p.X.Min = 1e-3
		}
	}
	err := finishAxes(p, f, axisOpts{fromZero: true, tight: true}, axisOpts{fromZero: true, fraction: true})
	return p, legend, err
}
