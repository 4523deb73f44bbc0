package plots

import (
	"fmt"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// metricPlot draws y against a swept key x, one line per series value,
// each point the mean over replications with its 95% confidence interval as
// an error bar. With a baseline, y is compared with the baseline policy's
// y of the same point and replication before averaging (paired).
func metricPlot(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error) {
	all := make([]int, len(res.Rows))
	for i := range all {
		all[i] = i
	}
	base := rowIndex(res, all) // the baseline need not pass the filters
	xs, ys := scaleOf(f.XScale), scaleOf(f.YScale)
	p := newPlot()
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
		for i, s := range xvals {
			if s == v {
				return float64(i)
			}
		}
		return 0
	}
	drawn := 0
	for si, g := range groupBy(res, rows, f.Series) {
		if f.Baseline != "" && f.Series == "policy" && g.value == f.Baseline {
			continue // its comparison with itself is 0
		}
		type acc struct {
			points map[int]bool
			vals   []float64
		}
		byX := map[string]*acc{}
		for _, i := range g.rows {
			r := &res.Rows[i]
			v, ok := res.Number(r, f.Y)
			if !ok {
				return nil, fmt.Errorf("y: column %q is not numeric", f.Y)
			}
			if f.Baseline != "" {
				bi, ok := base[runKey{r.Point, r.Replication, f.Baseline}]
				if !ok {
					return nil, fmt.Errorf("baseline: no run of policy %q at point %d replication %d", f.Baseline, r.Point, r.Replication)
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
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, x := range xvals {
			a := byX[x]
			if a == nil {
				continue
			}
			if len(a.points) > 1 {
				return nil, fmt.Errorf("series %s=%s at %s=%s pools %d sweep points: other swept keys vary there; "+
					"filter them (filter = { key = value }) or make one the series", f.Series, g.value, f.X, x, len(a.points))
			}
			m, ci := results.MeanCI95(a.vals)
			if !finite(m) {
				continue
			}
			pts = append(pts, plotter.XY{X: xpos(x), Y: m})
			errs = append(errs, struct{ Low, High float64 }{ci, ci})
		}
		if len(pts) == 0 {
			continue
		}
		c, dashes, glyph := style(si)
		line, scatter, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, line.Dashes, line.Width = c, dashes, vg.Points(1)
		scatter.Color, scatter.Shape, scatter.Radius = c, glyph, vg.Points(2)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return nil, err
		}
		eb.Color, eb.CapWidth = c, vg.Points(4)
		p.Add(line, scatter, eb)
		p.Legend.Add(seriesLabel(f.Series, g.value), line, scatter)
		drawn++
	}
	if drawn == 0 {
		return nil, fmt.Errorf("no series to draw (baseline %q is the only policy left?)", f.Baseline)
	}
	if !numeric {
		p.NominalX(asciiAll(xvals)...)
	}
	return p, nil
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
	name := strings.TrimSpace(l[:max(0, strings.LastIndex(l, " ("))])
	if name == "" {
		name = l
	}
	switch f.Compare {
	case results.CompareGain:
		return name + " gain vs " + f.Baseline + " (%)"
	case results.CompareDifference:
		return l + " minus " + f.Baseline
	case results.CompareRatio:
		return name + " / " + f.Baseline
	default:
		return name + " saving vs " + f.Baseline + " (%)"
	}
}

func asciiAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = ascii(s)
	}
	return out
}
