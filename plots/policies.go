package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sushisim/sushisim/experiments/results"
)

// policiesFigure draws what a single-point run shows: per policy, (a) the
// off-chip traffic per query, what caching exists to cut; (b) p50 and p99
// latency; (c) the mean served accuracy, on an axis from zero. Each bar
// carries its value.
func policiesFigure(res *results.Results, f results.Figure, rows []int) (*figure, error) {
	if onePoint(res, rows) < 0 {
		return nil, fmt.Errorf("the rows come from several sweep points: filter one (filter = { point = 0 })")
	}
	groups := groupBy(res, rows, "policy")
	sums := make([]results.Summary, len(groups))
	for i, g := range groups {
		sums[i] = meanSummary(res, g.rows)
	}
	lk := looksFor(groupValues(groups))
	sz := sizesFor(f.Width, 3)
	if f.Width == "" {
		sz = pageSizes
	}
	fig := &figure{sz: sz, caption: caption(res, f, rows, "") + changesVsNone(sums)}
	for i, g := range groups {
		sw := &plotter.BarChart{Values: plotter.Values{0}, Color: lk[i].color}
		sw.LineStyle.Width = 0
		fig.legend = append(fig.legend, legendEntry{valueLabel(f, "policy", g.value), []plot.Thumbnailer{sw}})
	}
	panels := []struct {
		title, y, x string
		cats        []string
		get         func(*results.Summary) []float64
	}{
		{"(a) off-chip traffic", "off-chip MB per query", "", nil,
			func(s *results.Summary) []float64 { return []float64{s.OffchipBytesPerQuery / 1e6} }},
		{"(b) latency", "latency (ms)", "", []string{"p50", "p99"},
			func(s *results.Summary) []float64 { return []float64{s.LatencyMsP50, s.LatencyMsP99} }},
		{"(c) served accuracy", "mean top-1 accuracy (%)", "", nil,
			func(s *results.Summary) []float64 { return []float64{s.AccuracyMeanServed} }},
	}
	for _, pd := range panels {
		p := newPlot(sz)
		p.Title.Text, p.Y.Label.Text = pd.title, pd.y
		if err := policyBars(p, sums, lk, pd.cats, pd.get); err != nil {
			return nil, err
		}
		fig.panels = append(fig.panels, p)
	}
	return fig, nil
}

// policyBars draws one bar per policy in each category (one unnamed
// category: the policies themselves on x), labelled with its value.
func policyBars(p *plot.Plot, sums []results.Summary, lk []look, cats []string,
	get func(*results.Summary) []float64) error {
	n := len(sums)
	w := vg.Points(min(18, 90/float64(n*max(1, len(cats)))))
	top := 0.0
	for i := range sums {
		vals := get(&sums[i])
		b, err := plotter.NewBarChart(plotter.Values(vals), w)
		if err != nil {
			return err
		}
		b.Color, b.LineStyle.Width = lk[i].color, 0
		var labels plotter.XYLabels
		for c, v := range vals {
			x := float64(c)
			if cats == nil {
				x = float64(i)
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: v})
			labels.Labels = append(labels.Labels, barValue(v))
			top = max(top, v)
		}
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return err
		}
		if cats == nil {
			b.XMin = float64(i)
		} else {
			b.Offset = w * vg.Length(float64(i)-float64(n-1)/2)
		}
		for k := range lb.TextStyle {
			lb.TextStyle[k].Font = p.Y.Tick.Label.Font
			lb.TextStyle[k].XAlign = draw.XCenter
		}
		lb.Offset = vg.Point{X: b.Offset, Y: vg.Points(1.5)}
		p.Add(b, lb)
	}
	p.Y.Max = top * 1.12 // room for the value labels
	niceAxis(&p.Y, axisOpts{fromZero: true, percent: p.Y.Label.Text == "mean top-1 accuracy (%)"})
	if cats == nil {
		names := make([]string, n)
		for i := range sums {
			names[i] = policyLabel(sums[i].Policy)
		}
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.6, float64(n)-0.4
	} else {
		p.NominalX(cats...)
		p.X.Min, p.X.Max = -0.6, float64(len(cats))-0.4
	}
	return nil
}

// barValue writes a bar's value with three significant digits and no
// exponent: 19.4, 424, 0.562.
func barValue(v float64) string {
	d := 2
	switch a := math.Abs(v); {
	case a >= 100:
		d = 0
	case a >= 10:
		d = 1
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// changesVsNone says in words what each policy changes against no cache
// (when the run has one): the figure's point, as numbers.
func changesVsNone(sums []results.Summary) string {
	base := -1
	for i := range sums {
		if sums[i].Cache == "none" {
			base = i
			break
		}
	}
	if base < 0 {
		return ""
	}
	b := &sums[base]
	pct := func(v, ref float64) string {
		if ref == 0 {
			return "n/a"
		}
		return strconv.FormatFloat(100*(v-ref)/ref, 'f', 1, 64) + "%"
	}
	out := ""
	for i := range sums {
		if i == base {
			continue
		}
		s := &sums[i]
		out += fmt.Sprintf(" %s vs %s: off-chip %s, p50 %s, p99 %s, accuracy %+.2f points.", policyLabel(s.Policy),
			policyLabel(b.Policy), pct(s.OffchipBytesPerQuery, b.OffchipBytesPerQuery), pct(s.LatencyMsP50, b.LatencyMsP50),
			pct(s.LatencyMsP99, b.LatencyMsP99), s.AccuracyMeanServed-b.AccuracyMeanServed)
	}
	return out
}
