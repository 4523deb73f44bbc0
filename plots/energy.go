package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// energyComponents are the parts of a query's energy, bottom to top.
var energyComponents = []struct {
	name string
	get  func(*results.Summary) float64
}{
	{"MAC", func(s *results.Summary) float64 { return s.EnergyMACMJPerQuery }},
	{"SRAM", func(s *results.Summary) float64 { return s.EnergySRAMMJPerQuery }},
	{"DRAM", func(s *results.Summary) float64 { return s.EnergyDRAMMJPerQuery }},
	{"static", func(s *results.Summary) float64 { return s.EnergyStatMJPerQuery }},
	{"PB reload", func(s *results.Summary) float64 { return s.ReloadEnergyMJPerQ }},
}

// energyPlot stacks the energy per query by component, one bar per value
// of x (default: the series column), averaged over the bar's runs.
func energyPlot(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error) {
	cat := f.X
	if cat == "" {
		cat = f.Series
	}
	groups := groupBy(res, rows, cat)
	names := make([]string, len(groups))
	vals := make([]plotter.Values, len(energyComponents))
	for c := range vals {
		vals[c] = make(plotter.Values, len(groups))
	}
	for gi, g := range groups {
		names[gi] = ascii(g.value)
		m := meanSummary(res, g.rows)
		for c, ec := range energyComponents {
			vals[c][gi] = ec.get(&m) / scaleOf(f.YScale)
		}
	}
	p := newPlot()
	p.Y.Label.Text = "energy per query (mJ)"
	p.X.Label.Text = ascii(label(cat, 0))
	p.Y.Min = 0
	w := vg.Points(min(28, 160/float64(max(1, len(groups)))))
	var below *plotter.BarChart
	for c, ec := range energyComponents {
		b, err := plotter.NewBarChart(vals[c], w)
		if err != nil {
			return nil, err
		}
		b.Color = plotutil.Color(c)
		b.LineStyle.Width = vg.Points(0.3)
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(ec.name, b)
	}
	p.Legend.Left = false
	p.NominalX(names...)
	return p, nil
}
