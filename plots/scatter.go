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
func scatterPlot(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error) {
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
		return nil, errors.New("catalog.csv has no SubNets for the selected point")
	}
	slices.SortStableFunc(front, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	p := newPlot()
	p.X.Label.Text = "latency (ms)"
	p.Y.Label.Text = "accuracy (% top-1)"
	p.Legend.Top, p.Legend.Left = false, false
	sc, err := plotter.NewScatter(all)
	if err != nil {
		return nil, err
	}
	sc.Color, sc.Shape, sc.Radius = color.Gray{Y: 150}, draw.CircleGlyph{}, vg.Points(1.5)
	p.Add(sc)
	p.Legend.Add("SubNets, empty PB", sc)
	fl, fs, err := plotter.NewLinePoints(front)
	if err != nil {
		return nil, err
	}
	gold := color.RGBA{R: 214, G: 158, B: 0, A: 255}
	fl.Color, fl.Width = gold, vg.Points(1)
	fs.Color, fs.Shape, fs.Radius = gold, draw.CircleGlyph{}, vg.Points(2)
	p.Add(fl, fs)
	p.Legend.Add("Pareto frontier", fl, fs)
	for i, g := range groupBy(res, onPoint(res, rows, point), f.Series) {
		m := meanSummary(res, g.rows)
		s, err := plotter.NewScatter(plotter.XYs{{X: m.LatencyMsMean / xs, Y: m.AccuracyMean}})
		if err != nil {
			return nil, err
		}
		c, _, glyph := style(i)
		s.Color, s.Shape, s.Radius = c, glyph, vg.Points(3.5)
		p.Add(s)
		p.Legend.Add(seriesLabel(f.Series, g.value)+" (served mean)", s)
	}
	return p, nil
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
