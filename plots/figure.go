package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sushisim/sushisim/experiments/results"
)

// Default figure size: one column of a two-column paper (3.5 in), with
// fonts of 7 to 9 pt, readable when printed at that width.
const (
	columnWidth  = 3.5 * vg.Inch
	columnHeight = 2.6 * vg.Inch
	titleSize    = 9
	labelSize    = 8
	tickSize     = 7
	legendSize   = 7
)

// Render draws every figure into dir/figures/<name>.<format>, for each
// format (png, svg, pdf), from the results in res, and returns the files
// written.
func Render(res *results.Results, figs []results.Figure, formats []string, dir string) ([]string, error) {
	if len(formats) == 0 {
		formats = []string{"png"}
	}
	var out []string
	for _, f := range figs {
		for _, ext := range formats {
			path := filepath.Join(dir, results.FiguresDir, f.Name+"."+ext)
			if err := Draw(res, f, path); err != nil {
				return out, fmt.Errorf("figure %q: %w", f.Name, err)
			}
			out = append(out, path)
		}
	}
	return out, nil
}

// RenderDir reads a results directory and draws figs into it.
func RenderDir(dir string, figs []results.Figure, formats []string) ([]string, error) {
	res, err := results.Read(dir)
	if err != nil {
		return nil, err
	}
	return Render(res, figs, formats, dir)
}

// Draw renders one figure into path; the extension picks the format.
func Draw(res *results.Results, f results.Figure, path string) error {
	k, ok := lookup(f.Kind)
	if !ok {
		return fmt.Errorf("unknown kind %q (allowed: %s)", f.Kind, strings.Join(results.FigureKinds(), ", "))
	}
	rows := filterRows(res, f)
	if len(rows) == 0 {
		return fmt.Errorf("no result rows left after the filters (%s)", describeFilters(f))
	}
	return k.Draw(res, f, rows, path)
}

// Framed makes a Kind's Draw from a function that builds the plot: it
// applies the keys every figure shares (title, axis labels, log axes,
// size) and saves the plot in path's format.
func Framed(build func(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error)) func(*results.Results, results.Figure, []int, string) error {
	return func(res *results.Results, f results.Figure, rows []int, path string) error {
		p, err := build(res, f, rows)
		if err != nil {
			return err
		}
		if f.Title != "" {
			p.Title.Text = ascii(f.Title)
		}
		if f.XLabel != "" {
			p.X.Label.Text = ascii(f.XLabel)
		}
		if f.YLabel != "" {
			p.Y.Label.Text = ascii(f.YLabel)
		}
		headroom(p, f.LogY)
		if err := logAxes(p, f); err != nil {
			return err
		}
		w, h := columnWidth, columnHeight
		if f.WidthIn > 0 {
			w = vg.Length(f.WidthIn) * vg.Inch
		}
		if f.HeightIn > 0 {
			h = vg.Length(f.HeightIn) * vg.Inch
		}
		return save(path, w, h, [][]*plot.Plot{{p}})
	}
}

// drawPolicies is the policies kind: bars of every policy's mean over
// replications at one point.
func drawPolicies(res *results.Results, _ results.Figure, rows []int, path string) error {
	if p := onePoint(res, rows); p < 0 {
		return fmt.Errorf("the rows come from several sweep points: filter one (filter = { point = 0 })")
	}
	sums := make([]results.Summary, 0, len(rows))
	for _, g := range groupBy(res, rows, "policy") {
		sums = append(sums, meanSummary(res, g.rows))
	}
	return Policies(sums, path)
}

// newPlot is a plot styled for a paper column.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font.Size = vg.Points(titleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(labelSize)
		a.Tick.Label.Font.Size = vg.Points(tickSize)
		a.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(legendSize)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(1)
	p.Legend.ThumbnailWidth = vg.Points(14)
	p.Add(gridLines())
	return p
}

func gridLines() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	return g
}

func logAxes(p *plot.Plot, f results.Figure) error {
	if f.LogX {
		if p.X.Min <= 0 {
			return fmt.Errorf("log_x: the x values reach %g; a log axis needs them > 0", p.X.Min)
		}
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	if f.LogY {
		if p.Y.Min <= 0 {
			return fmt.Errorf("log_y: the y values reach %g; a log axis needs them > 0", p.Y.Min)
		}
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	return nil
}

// filterRows returns the indices of the summary rows that pass the
// figure's filters.
func filterRows(res *results.Results, f results.Figure) []int {
	var out []int
	for i := range res.Rows {
		if passes(res, &res.Rows[i], f.Filters) {
			out = append(out, i)
		}
	}
	return out
}

func passes(res *results.Results, r *results.Row, fs []results.Filter) bool {
	for _, flt := range fs {
		v, ok := res.Value(r, flt.Column)
		if !ok || !matches(v, flt.Values) {
			return false
		}
	}
	return true
}

// matches compares as numbers when both sides are numbers (so a filter of
// 2097152 matches 2.097152e+06), else as text.
func matches(v string, want []string) bool {
	x, errX := strconv.ParseFloat(v, 64)
	for _, w := range want {
		if v == w {
			return true
		}
		if y, err := strconv.ParseFloat(w, 64); err == nil && errX == nil && x == y {
			return true
		}
	}
	return false
}

func describeFilters(f results.Figure) string {
	if len(f.Filters) == 0 {
		return "none"
	}
	var parts []string
	for _, flt := range f.Filters {
		parts = append(parts, flt.Column+" in ["+strings.Join(flt.Values, ", ")+"]")
	}
	return strings.Join(parts, "; ")
}

// group is the rows sharing one value of a column, in first-seen order.
type group struct {
	value string
	rows  []int
}

func groupBy(res *results.Results, rows []int, col string) []group {
	var out []group
	idx := map[string]int{}
	for _, i := range rows {
		v, _ := res.Value(&res.Rows[i], col)
		j, ok := idx[v]
		if !ok {
			j = len(out)
			idx[v] = j
			out = append(out, group{value: v})
		}
		out[j].rows = append(out[j].rows, i)
	}
	return out
}

// onePoint is the point all rows share, or -1.
func onePoint(res *results.Results, rows []int) int {
	p := res.Rows[rows[0]].Point
	for _, i := range rows {
		if res.Rows[i].Point != p {
			return -1
		}
	}
	return p
}

// runKey names one run: the key quantile, catalog and window rows share
// with summary rows.
type runKey struct {
	point, replication int
	policy             string
}

// runSeries groups rows by a series column and maps each of their runs to
// its series' index: quantile and window rows name their run, not its
// series.
func runSeries(res *results.Results, rows []int, col string) ([]group, map[runKey]int) {
	series := groupBy(res, rows, col)
	of := make(map[runKey]int, len(rows))
	for si, g := range series {
		for _, i := range g.rows {
			r := &res.Rows[i]
			of[runKey{r.Point, r.Replication, r.Policy}] = si
		}
	}
	return series, of
}

func rowIndex(res *results.Results, rows []int) map[runKey]int {
	m := make(map[runKey]int, len(rows))
	for _, i := range rows {
		r := &res.Rows[i]
		m[runKey{r.Point, r.Replication, r.Policy}] = i
	}
	return m
}

// meanSummary averages the numeric columns of rows (names from the first).
func meanSummary(res *results.Results, rows []int) results.Summary {
	s := res.Rows[rows[0]].Summary
	n := float64(len(rows))
	avg := func(get func(*results.Summary) float64) float64 {
		var t float64
		for _, i := range rows {
			t += get(&res.Rows[i].Summary)
		}
		return t / n
	}
	s.LatencyMsP50 = avg(func(s *results.Summary) float64 { return s.LatencyMsP50 })
	s.LatencyMsP99 = avg(func(s *results.Summary) float64 { return s.LatencyMsP99 })
	s.LatencyMsMean = avg(func(s *results.Summary) float64 { return s.LatencyMsMean })
	s.AccuracyMean = avg(func(s *results.Summary) float64 { return s.AccuracyMean })
	s.EnergyMACMJPerQuery = avg(func(s *results.Summary) float64 { return s.EnergyMACMJPerQuery })
	s.EnergySRAMMJPerQuery = avg(func(s *results.Summary) float64 { return s.EnergySRAMMJPerQuery })
	s.EnergyDRAMMJPerQuery = avg(func(s *results.Summary) float64 { return s.EnergyDRAMMJPerQuery })
	s.EnergyStatMJPerQuery = avg(func(s *results.Summary) float64 { return s.EnergyStatMJPerQuery })
	s.ReloadEnergyMJPerQ = avg(func(s *results.Summary) float64 { return s.ReloadEnergyMJPerQ })
	return s
}

// seriesLabel names a series in a legend: the value for a name column
// (policy), "key=value" with the key's last part for a swept key.
func seriesLabel(series, value string) string {
	if slices.Contains(results.StringColumns, series) {
		return ascii(value)
	}
	short := series[strings.LastIndex(series, ".")+1:]
	return ascii(short + "=" + value)
}

// ascii replaces what gonum's PDF backend cannot draw.
func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

// columnLabels are axis labels, with units, for the columns figures use most.
var columnLabels = map[string]string{
	"latency_ms_mean":             "mean latency (ms)",
	"latency_ms_p50":              "p50 latency (ms)",
	"latency_ms_p90":              "p90 latency (ms)",
	"latency_ms_p99":              "p99 latency (ms)",
	"slo_attainment":              "SLO attainment (fraction)",
	"accuracy_mean":               "served accuracy (% top-1)",
	"offchip_bytes_per_query":     "off-chip bytes per query",
	"onchip_bytes_per_query":      "on-chip bytes per query",
	"weight_bytes_per_query":      "weight bytes per query",
	"pb_hit_fraction":             "PB hit (fraction of weight bytes)",
	"reload_bytes_per_query":      "reload bytes per query",
	"energy_mj_per_query":         "energy per query (mJ)",
	"offchip_energy_mj_per_query": "off-chip energy per query (mJ)",
	"energy_mac_mj_per_query":     "MAC energy per query (mJ)",
	"energy_sram_mj_per_query":    "SRAM energy per query (mJ)",
	"energy_dram_mj_per_query":    "DRAM energy per query (mJ)",
	"energy_static_mj_per_query":  "static energy per query (mJ)",
	"energy_reload_mj_per_query":  "reload energy per query (mJ)",
	"utilization":                 "utilization (fraction)",
	"max_pb_bytes":                "largest resident SubGraph (bytes)",
	"sim_s":                       "simulated time (s)",
	"resident_bytes":              "resident SubGraph (bytes)",
	"arrived":                     "arrivals per window",
	"completed":                   "completions per window",
	"reloads":                     "PB reloads",
	"accel.pb_bytes":              "persistent buffer (bytes)",
	"accel.dram_gbps":             "DRAM bandwidth (GB/s)",
	"workload.arrival.rate":       "offered load (queries/s)",
	"workload.needs.locality":     "need locality (P[keep class])",
}

// label is a column's axis label: a known one, else the column with a unit
// guessed from its suffix.
func label(col string, scale float64) string {
	l, ok := columnLabels[col]
	if !ok {
		l = col
		switch {
		case strings.HasSuffix(col, "_ms"):
			l += " (ms)"
		case strings.HasSuffix(col, "_bytes"):
			l += " (bytes)"
		case strings.HasSuffix(col, "_s"):
			l += " (s)"
		case strings.HasSuffix(col, "_mhz"):
			l += " (MHz)"
		}
	}
	if scale > 0 && scale != 1 {
		switch {
		case scale == 1<<20 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(MiB)", 1)
		case scale == 1<<10 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(KiB)", 1)
		case scale == 1e6 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(MB)", 1)
		default:
			l += " / " + strconv.FormatFloat(scale, 'g', -1, 64)
		}
	}
	return l
}

func scaleOf(s float64) float64 {
	if s <= 0 {
		return 1
	}
	return s
}

// style gives series i a colour, a dash pattern and a glyph, so lines stay
// apart in grey print too.
func style(i int) (color.Color, []vg.Length, draw.GlyphDrawer) {
	return plotutil.Color(i), plotutil.Dashes(i), plotutil.Shape(i)
}

// sortedNumeric reports whether every value parses as a number, and the
// values sorted (numerically if so, else in first-seen order).
func sortedNumeric(vals []string) ([]string, bool) {
	out := slices.Clone(vals)
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return out, false
		}
	}
	slices.SortStableFunc(out, func(a, b string) int {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return out, true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// headroom raises the top of the y axis so a legend in the top corner
// does not cover the data.
func headroom(p *plot.Plot, logY bool) {
	if !p.Legend.Top || !finite(p.Y.Max) || !finite(p.Y.Min) {
		return
	}
	if logY {
		if p.Y.Max > 0 {
			p.Y.Max *= 3
		}
		return
	}
	p.Y.Max += 0.3 * (p.Y.Max - p.Y.Min)
}
