package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// Size of one figure: a paper's full text width (7 in), readable when
// scaled to a column.
const (
	figWidth  = 7 * vg.Inch
	figHeight = 3 * vg.Inch
)

// Policies draws figures/policies.<ext>: p50 and p99 latency (left) and mean
// served accuracy (right) for each policy of one run.
func Policies(rows []results.Summary, path string) error {
	if len(rows) == 0 {
		return fmt.Errorf("plots: no result rows to draw")
	}
	names := make([]string, len(rows))
	p50 := make(plotter.Values, len(rows))
	p99 := make(plotter.Values, len(rows))
	acc := make(plotter.Values, len(rows))
	for i, r := range rows {
		names[i] = r.Policy
		p50[i], p99[i], acc[i] = r.LatencyMsP50, r.LatencyMsP99, r.AccuracyMean
	}

	lat := plot.New()
	lat.Title.Text = "Latency by policy"
	lat.Y.Label.Text = "latency (ms)"
	lat.Y.Min = 0
	w := vg.Points(14)
	b50, err := plotter.NewBarChart(p50, w)
	if err != nil {
		return err
	}
	b99, err := plotter.NewBarChart(p99, w)
	if err != nil {
		return err
	}
	b50.Color, b99.Color = plotutil.Color(0), plotutil.Color(1)
	b50.Offset, b99.Offset = -w/2, w/2
	lat.Add(b50, b99, plotter.NewGrid())
	lat.Legend.Add("p50", b50)
	lat.Legend.Add("p99", b99)
	lat.Legend.Top = true
	lat.Legend.Left = true
	lat.Legend.XOffs = vg.Points(6)
	_, top := minMax(p99)
	lat.Y.Max = top * 1.25 // headroom so the legend never covers a bar
	lat.NominalX(names...)

	ap := plot.New()
	ap.Title.Text = "Served accuracy by policy"
	ap.Y.Label.Text = "mean top-1 accuracy (%)"
	ba, err := plotter.NewBarChart(acc, w)
	if err != nil {
		return err
	}
	ba.Color = plotutil.Color(2)
	ap.Add(ba, plotter.NewGrid())
	lo, hi := minMax(acc)
	// accuracy differences are fractions of a point: zoom in (set after Add,
	// which would otherwise stretch the axis to the bars' zero base)
	ap.Y.Min, ap.Y.Max = lo-1, hi+0.5
	for _, p := range []*plot.Plot{lat, ap} { // keep edge bars off the axes
		p.X.Min, p.X.Max = -0.6, float64(len(rows))-0.4
	}
	ap.NominalX(names...)

	return save(path, figWidth, figHeight, [][]*plot.Plot{{lat, ap}})
}

func minMax(v plotter.Values) (float64, float64) {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
