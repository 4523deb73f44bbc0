package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// metricFigure draws y against a swept key x, one line per series value,
// on one panel per value of the figure's panels column (with one legend
// and one y range), each point the mean over replications, with its 95%
// confidence interval as an error bar when there are enough replications.
// With a baseline, y is compared with the baseline policy's y of the same
// point and replication before averaging (paired).
func metricFigure(res *results.Results, f results.Figure, rows []int) (*figure, error) {
	panels := []group{{rows: rows}}
	if f.Panels != "" {
		panels = numericOrder(groupBy(res, rows, f.Panels))
	}
	var names []string
	for _, g := range numericOrder(groupBy(res, rows, f.Series)) {
		if !(f.Baseline != "" && f.Series == "policy" && g.value == f.Baseline) {
			names = append(names, g.value)
		}
	}
	lk := map[string]look{}
	for i, l := range looksFor(names) {
		lk[names[i]] = l
	}
	lo, _ := replications(res, rows)
	fig := &figure{sz: sizesFor(f.Width, len(panels)), caption: caption(res, f, rows, "")}
	seen := map[string]bool{}
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for i, g := range panels {
		p, entries, err := metricPanel(res, f, g.rows, lk, lo >= minCIRuns, fig.sz)
		if err != nil {
			if len(panels) > 1 {
				return nil, fmt.Errorf("panel %s=%s: %w", f.Panels, g.value, err)
			}
			return nil, err
		}
		if len(panels) > 1 {
			p.Title.Text = fmt.Sprintf("(%c) %s", 'a'+i, valueLabel(f, f.Panels, g.value))
			if i > 0 {
				p.Y.Label.Text = "" // the first panel's label names the shared axis
			}
		}
		for _, e := range entries {
			if !seen[e.text] {
				seen[e.text] = true
				fig.legend = append(fig.legend, e)
			}
		}
		ylo, yhi = min(ylo, p.Y.Min), max(yhi, p.Y.Max)
		fig.panels = append(fig.panels, p)
	}
	for _, p := range fig.panels {
		p.Y.Min, p.Y.Max = ylo, yhi
		if err := finishAxes(p, f, axisOpts{keep: true}, metricYOpts(f)); err != nil {
			return nil, err
		}
	}
	return fig, nil
}

// numericOrder sorts groups by value when every value is a number (a
// swept key's panels or lines read low to high); names keep their order.
func numericOrder(gs []group) []group {
	sorted, numeric := sortedNumeric(groupValues(gs))
	if numeric {
		slices.SortStableFunc(gs, func(a, b group) int {
			return cmp.Compare(slices.Index(sorted, a.value), slices.Index(sorted, b.value))
		})
	}
	return gs
}

// metricYOpts are the rules of a metric figure's y axis: comparisons
// and per-query quantities from zero, shares capped at 100% or 1.
func metricYOpts(f results.Figure) axisOpts {
	o := axisOpts{}
	switch {
	case f.Baseline != "":
		o.fromZero = f.Compare != results.CompareRatio
		o.percent = f.Compare == results.CompareSaving || f.Compare == results.CompareGain
	case f.Y == "accuracy_mean_served":
		o.percent = true
	case isFraction(f.Y):
		o.fraction = true
	case strings.HasSuffix(f.Y, "_per_query"):
		o.fromZero = true
	}
	return o
}

// metricPanel draws one panel of a metric figure; its x axis is finished
// (round or data ticks), its y axis left to the caller, who shares it.
func metricPanel(res *results.Results, f results.Figure, rows []int, lk map[string]look,
	ci bool, sz sizes) (*plot.Plot, []legendEntry, error) {
	all := make([]int, len(res.Rows))
	for i := range all {
		all[i] = i
	}
	base := rowIndex(res, all) // the baseline need not pass the filters
	xs, ys := scaleOf(f.XScale), scaleOf(f.YScale)
	p := newPlot(sz)
	p.Add(edgeRoom{markerRadius})
	p.X.Label.Text = ascii(label(f.X, f.XScale))
	p.Y.Label.Text = ascii(yLabel(f))

	var xvals []string
	seen := map[string]bool{}
	for _, i := range rows {
		v, _ := res.Value(&res.Rows[i], f.X)
		if !seen[v] {
			seen[v] = true
			xvals = append(xvals, v)
		}
	}
	xvals, numeric := sortedNumeric(xvals)
	xpos := func(v string) float64 {
		if numeric {
			x, _ := strconv.ParseFloat(v, 64)
			return x / xs
		}
		return float64(slices.Index(xvals, v))
	}
	var legend []legendEntry
	for _, g := range numericOrder(groupBy(res, rows, f.Series)) {
		l, ok := lk[g.value]
		if !ok {
			continue // the baseline: its comparison with itself is 0
		}
		pts, errs, err := metricSeries(res, f, g, base, xvals, xpos, ys)
		if err != nil {
			return nil, nil, err
		}
		if len(pts) == 0 {
			continue
		}
		line, scatter, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, nil, err
		}
		line.Color, line.Dashes, line.Width = l.color, l.dashes, vg.Points(1)
		scatter.Color, scatter.Shape, scatter.Radius = l.color, l.glyph, markerRadius
		p.Add(line, scatter)
		if ci {
			eb, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{pts, errs})
			if err != nil {
				return nil, nil, err
			}
			eb.Color, eb.CapWidth, eb.LineStyle.Width = l.color, vg.Points(3), vg.Points(0.7)
			p.Add(eb)
		}
		legend = append(legend, legendEntry{valueLabel(f, f.Series, g.value), []plot.Thumbnailer{line, scatter}})
	}
	if len(legend) == 0 {
		return nil, nil, fmt.Errorf("no series to draw (baseline %q is the only policy left?)", f.Baseline)
	}
	if !numeric {
		p.NominalX(asciiAll(xvals)...)
		return p, legend, nil
	}
	if !f.LogX {
		niceAxis(&p.X, axisOpts{tight: true})
	}
	xf := make([]float64, len(xvals))
	for i, v := range xvals {
		xf[i] = xpos(v)
	}
	useDataTicks(&p.X, xf, f.LogX)
	return p, legend, nil
}

// metricSeries is one series' points: at each x, the mean over the
// replications and its 95% CI half-width.
func metricSeries(res *results.Results, f results.Figure, g group, base map[runKey]int,
	xvals []string, xpos func(string) float64, ys float64) (plotter.XYs, plotter.YErrors, error) {
	type acc struct {
		points map[int]bool
		vals   []float64
	}
	byX := map[string]*acc{}
	for _, i := range g.rows {
		r := &res.Rows[i]
		v, ok := res.Number(r, f.Y)
		if !ok {
			return nil, nil, fmt.Errorf("y: column %q is not numeric", f.Y)
		}
		if f.Baseline != "" {
			bi, ok := base[runKey{r.Point, r.Replication, f.Baseline}]
			if !ok {
				return nil, nil, fmt.Errorf("baseline: no run of policy %q at point %d replication %d", f.Baseline, r.Point, r.Replication)
			}
			b, _ := res.Number(&res.Rows[bi], f.Y)
			v = compare(f.Compare, v, b)
		}
		x, _ := res.Value(r, f.X)
		a := byX[x]
		if a == nil {
			a = &acc{points: map[int]bool{}}
			byX[x] = a
		}
		a.points[r.Point] = true
		a.vals = append(a.vals, v/ys)
	}
	// a share's interval stops at the share's bounds (a normal
	// approximation would reach past 1 next to all-met runs)
	lo, hi := math.Inf(-1), math.Inf(1)
	if o := metricYOpts(f); o.fraction && ys == 1 {
		lo, hi = 0, 1
	}
	var pts plotter.XYs
	var errs plotter.YErrors
	for _, x := range xvals {
		a := byX[x]
		if a == nil {
			continue
		}
		if len(a.points) > 1 {
			return nil, nil, fmt.Errorf("series %s=%s at %s=%s pools %d sweep points: other swept keys vary there; "+
				"filter them (filter = { key = value }), make one the series or the panels", f.Series, g.value, f.X, x, len(a.points))
		}
		m, ci := results.MeanCI95(a.vals)
		if !finite(m) {
			continue
		}
		pts = append(pts, plotter.XY{X: xpos(x), Y: m})
		errs = append(errs, struct{ Low, High float64 }{min(ci, m-lo), min(ci, hi-m)})
	}
	return pts, errs, nil
}

func compare(kind string, v, b float64) float64 {
	switch kind {
	case results.CompareGain:
		return 100 * (v - b) / b
	case results.CompareDifference:
		return v - b
	case results.CompareRatio:
		return v / b
	default: // saving
		return 100 * (b - v) / b
	}
}

func yLabel(f results.Figure) string {
	l := label(f.Y, f.YScale)
	if f.Baseline == "" {
		return l
	}
	// short enough for a panel's height: the caption names the baseline
	name, unit := l, ""
	if i := strings.LastIndex(l, " ("); i > 0 {
		name, unit = l[:i], l[i:]
	}
	name = strings.TrimSuffix(name, " per query")
	switch f.Compare {
	case results.CompareGain:
		return name + " gain (%)"
	case results.CompareDifference:
		return name + " difference" + unit
	case results.CompareRatio:
		return name + " ratio"
	default:
		return name + " saving (%)"
	}
}

func asciiAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = ascii(s)
	}
	return out
}
