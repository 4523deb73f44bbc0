package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// energyComponents are the parts of a query's energy, bottom to top.
var energyComponents = []struct {
	name  string
	color color.RGBA
	get   func(*results.Summary) float64
}{
	{"MAC", skyBlue, func(s *results.Summary) float64 { return s.EnergyMACMJPerQuery }},
	{"SRAM", bluishGreen, func(s *results.Summary) float64 { return s.EnergySRAMMJPerQuery }},
	{"DRAM", vermillion, func(s *results.Summary) float64 { return s.EnergyDRAMMJPerQuery }},
	{"static", lightGrey, func(s *results.Summary) float64 { return s.EnergyStatMJPerQuery }},
	{"PB reload", reddishPurpl, func(s *results.Summary) float64 { return s.ReloadEnergyMJPerQ }},
}

// energyPlot stacks the energy per query by component, one bar per value
// of x (default: the series column), averaged over the bar's runs. The
// legend lists the components top of the stack first, as they appear.
func energyPlot(res *results.Results, f results.Figure, rows []int, sz sizes) (*plot.Plot, []legendEntry, error) {
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
		names[gi] = valueLabel(f, cat, g.value)
		m := meanSummary(res, g.rows)
		for c, ec := range energyComponents {
			vals[c][gi] = ec.get(&m) / scaleOf(f.YScale)
		}
	}
	p := newPlot(sz)
	p.Y.Label.Text = "energy per query (mJ)"
	p.X.Label.Text = ascii(label(cat, 0))
	w := vg.Points(min(28, 140/float64(max(1, len(groups)))))
	var below *plotter.BarChart
	var legend []legendEntry
	for c, ec := range energyComponents {
		b, err := plotter.NewBarChart(vals[c], w)
		if err != nil {
			return nil, nil, err
		}
		b.Color = ec.color
		b.LineStyle.Width = vg.Points(0.3)
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		legend = append([]legendEntry{{ec.name, []plot.Thumbnailer{b}}}, legend...)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(groups))-0.4 // edge bars off the axes
	err := finishAxes(p, f, axisOpts{keep: true}, axisOpts{fromZero: true})
	return p, legend, err
}
