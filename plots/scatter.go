package plots

import (
	"cmp"
	"errors"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sushisim/sushisim/experiments/results"
)

// scatterPlot draws the SubNets of the first selected point, accuracy
// against latency on an empty persistent buffer, with their Pareto frontier,
// and each series' mean served (latency, accuracy) over its runs: how far
// serving sits from the frontier.
func scatterPlot(res *results.Results, f results.Figure, rows []int, sz sizes) (*plot.Plot, []legendEntry, error) {
	point := res.Rows[rows[0]].Point
	var all, front plotter.XYs
	xs := scaleOf(f.XScale)
	for _, c := range res.Catalog {
		if c.Point != point {
			continue
		}
		xy := plotter.XY{X: c.LatencyMs / xs, Y: c.Accuracy}
		all = append(all, xy)
		if c.Pareto {
			front = append(front, xy)
		}
	}
	if len(all) == 0 {
		return nil, nil, errors.New("catalog.csv has no SubNets for the selected point")
	}
	slices.SortStableFunc(front, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	p := newPlot(sz)
	p.X.Label.Text = "latency (ms)"
	p.Y.Label.Text = "accuracy (% top-1)"
	sc, err := plotter.NewScatter(all)
	if err != nil {
		return nil, nil, err
	}
	sc.Color, sc.Shape, sc.Radius = lightGrey, draw.CircleGlyph{}, vg.Points(1.5)
	p.Add(sc)
	legend := []legendEntry{{"SubNets, empty PB", []plot.Thumbnailer{sc}}}
	fl, fs, err := plotter.NewLinePoints(front)
	if err != nil {
		return nil, nil, err
	}
	fl.Color, fl.Width = color.Gray{Y: 90}, vg.Points(0.8)
	fs.Color, fs.Shape, fs.Radius = color.Gray{Y: 90}, draw.CircleGlyph{}, vg.Points(1.8)
	p.Add(fl, fs)
	legend = append(legend, legendEntry{"Pareto frontier", []plot.Thumbnailer{fl, fs}})
	series := groupBy(res, onPoint(res, rows, point), f.Series)
	lk := looksFor(groupValues(series))
	for i, g := range series {
		m := meanSummary(res, g.rows)
		s, err := plotter.NewScatter(plotter.XYs{{X: m.LatencyMsMean / xs, Y: m.AccuracyMeanServed}})
		if err != nil {
			return nil, nil, err
		}
		s.Color, s.Shape, s.Radius = lk[i].color, lk[i].glyph, vg.Points(3.5)
		p.Add(s)
		legend = append(legend, legendEntry{valueLabel(f, f.Series, g.value), []plot.Thumbnailer{s}})
	}
	err = finishAxes(p, f, axisOpts{fromZero: true}, axisOpts{percent: true})
	return p, legend, err
}

// scatterFigure is the scatter kind's figure: what its large marks are is
// said once in the caption, not in every legend entry (seven entries with
// it made a legend taller than the plot).
func scatterFigure(res *results.Results, f results.Figure, rows []int) (*figure, error) {
	fig, err := onePanel(scatterPlot, false)(res, f, rows)
	if err != nil {
		return nil, err
	}
	fig.caption = "Large marks: each series' mean served latency and accuracy. " + fig.caption
	return fig, nil
}

func onPoint(res *results.Results, rows []int, point int) []int {
	var out []int
	for _, i := range rows {
		if res.Rows[i].Point == point {
			out = append(out, i)
		}
	}
	return out
}
