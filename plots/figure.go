package plots

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/sushisim/sushisim/experiments/results"
)

// Render draws every figure into dir/figures/<name>.<format>, for each
// format (png, svg, pdf), from the results in res, then the page that
// shows them (dir/index.html), and returns the files written.
func Render(res *results.Results, figs []results.Figure, formats []string, dir string) ([]string, error) {
	if len(formats) == 0 {
		formats = []string{"png"}
	}
	var out []string
	for _, f := range figs {
		paths := make([]string, len(formats))
		for i, ext := range formats {
			paths[i] = filepath.Join(dir, results.FiguresDir, f.Name+"."+ext)
		}
		if err := drawAll(res, f, paths); err != nil {
			return out, fmt.Errorf("figure %q: %w", f.Name, err)
		}
		out = append(out, paths...)
	}
	if err := WriteIndex(dir, res, figs); err != nil {
		return out, err
	}
	return append(out, filepath.Join(dir, IndexFile)), nil
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
	return drawAll(res, f, []string{path})
}

// drawAll renders one figure into every path: a built-in kind is built
// once and saved in each format.
func drawAll(res *results.Results, f results.Figure, paths []string) error {
	k, rows, err := kindRows(res, f)
	if err != nil {
		return err
	}
	if k.build == nil {
		for _, path := range paths {
			if err := k.Draw(res, f, rows, path); err != nil {
				return err
			}
		}
		return nil
	}
	fig, err := framed(k.build)(res, f, rows)
	if err != nil {
		return err
	}
	for _, path := range paths {
		if err := save(path, fig); err != nil {
			return err
		}
	}
	return nil
}

// kindRows finds a figure's kind and the rows that pass its filters.
func kindRows(res *results.Results, f results.Figure) (Kind, []int, error) {
	k, ok := lookup(f.Kind)
	if !ok {
		return k, nil, fmt.Errorf("unknown kind %q (allowed: %s)", f.Kind, strings.Join(results.FigureKinds(), ", "))
	}
	rows := filterRows(res, f)
	if len(rows) == 0 {
		return k, nil, fmt.Errorf("no result rows left after the filters (%s)", describeFilters(f))
	}
	return k, rows, nil
}

// build makes a built-in kind's figure, as drawn.
func build(res *results.Results, f results.Figure) (*figure, error) {
	k, rows, err := kindRows(res, f)
	if err != nil {
		return nil, err
	}
	if k.build == nil {
		return nil, fmt.Errorf("kind %q draws itself", f.Kind)
	}
	return framed(k.build)(res, f, rows)
}

// builder makes a figure (its panels, legend and caption) from the rows.
type builder func(res *results.Results, f results.Figure, rows []int) (*figure, error)

// framed applies the keys every figure shares: title, axis labels, size.
func framed(b builder) builder {
	return func(res *results.Results, f results.Figure, rows []int) (*figure, error) {
		fig, err := b(res, f, rows)
		if err != nil {
			return nil, err
		}
		fig.title = ascii(f.Title)
		for _, p := range fig.panels {
			if len(f.MarksX) > 0 {
				p.Add(marks(f.MarksX))
			}
			if f.XLabel != "" {
				p.X.Label.Text = ascii(f.XLabel)
			}
			if f.YLabel != "" && p.Y.Label.Text != "" { // panels after the first share the first's
				p.Y.Label.Text = ascii(f.YLabel)
			}
		}
		fig.w = vg.Length(f.WidthIn) * vg.Inch
		fig.h = vg.Length(f.HeightIn) * vg.Inch
		if err := fig.fit(); err != nil {
			return nil, err
		}
		return fig, nil
	}
}

// Framed makes a Kind's Draw from a function that builds one plot: the
// figure gets the shared style's frame (title line, caption with the
// filters and n, size, log axes; round ticks on linear axes the plot left
// at gonum's defaults) and is saved in path's format. The plot's own
// legend stays where the function put it.
func Framed(b func(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error)) func(*results.Results, results.Figure, []int, string) error {
	return func(res *results.Results, f results.Figure, rows []int, path string) error {
		fig, err := framed(func(res *results.Results, f results.Figure, rows []int) (*figure, error) {
			p, err := b(res, f, rows)
			if err != nil {
				return nil, err
			}
			x, y := axisOpts{keep: !defaultTicks(&p.X)}, axisOpts{keep: !defaultTicks(&p.Y)}
			if err := finishAxes(p, f, x, y); err != nil {
				return nil, err
			}
			return &figure{sz: sizesFor(f.Width, 1), panels: []*plot.Plot{p}, caption: caption(res, f, rows, "")}, nil
		})(res, f, rows)
		if err != nil {
			return err
		}
		return save(path, fig)
	}
}

func defaultTicks(a *plot.Axis) bool {
	_, ok := a.Tick.Marker.(plot.DefaultTicks)
	return ok
}

// panel draws the one panel of a single-panel kind, with its legend.
type panel func(res *results.Results, f results.Figure, rows []int, sz sizes) (*plot.Plot, []legendEntry, error)

// onePanel makes a builder of a single-panel kind; legendRight puts the
// legend in a column right of the panel (a stack's components).
func onePanel(draw panel, legendRight bool) builder {
	return func(res *results.Results, f results.Figure, rows []int) (*figure, error) {
		fig := &figure{sz: sizesFor(f.Width, 1), legendRight: legendRight}
		p, legend, err := draw(res, f, rows, fig.sz)
		if err != nil {
			return nil, err
		}
		fig.panels, fig.legend = []*plot.Plot{p}, legend
		fig.caption = caption(res, f, rows, "")
		return fig, nil
	}
}

// finishAxes gives each axis of a panel its ticks: a log scale where the
// figure asks for one, else round values around the data under the
// axis's rules. Call it after every plotter is added.
func finishAxes(p *plot.Plot, f results.Figure, x, y axisOpts) error {
	for _, a := range []struct {
		log  bool
		name string
		axis *plot.Axis
		o    axisOpts
	}{{f.LogX, "log_x", &p.X, x}, {f.LogY, "log_y", &p.Y, y}} {
		if !a.log {
			if !a.o.keep {
				niceAxis(a.axis, a.o)
			}
			continue
		}
		if a.axis.Min <= 0 {
			return fmt.Errorf("%s: the values reach %g; a log axis needs them > 0", a.name, a.axis.Min)
		}
		// 3% of the log span each side, as a linear x axis gets: a point on
		// the axis's end would make gonum pad that panel alone and move
		// its axis off its neighbours'
		r := math.Max(math.Pow(a.axis.Max/a.axis.Min, 0.03), 1.02)
		a.axis.Min, a.axis.Max = a.axis.Min/r, a.axis.Max*r
		a.axis.Scale = plot.LogScale{}
		if d, ok := a.axis.Tick.Marker.(dataTicks); !ok || !d.log {
			a.axis.Tick.Marker = logTicks{}
		}
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

// meanSummary averages every numeric column of rows (names from the
// first): one rule for every figure that shows a mean per group.
func meanSummary(res *results.Results, rows []int) results.Summary {
	s := res.Rows[rows[0]].Summary
	out := reflect.ValueOf(&s).Elem()
	for k := range out.NumField() {
		if out.Field(k).Kind() != reflect.Float64 {
			continue
		}
		var t float64
		for _, i := range rows {
			t += reflect.ValueOf(&res.Rows[i].Summary).Elem().Field(k).Float()
		}
		out.Field(k).SetFloat(t / float64(len(rows)))
	}
	return s
}

func scaleOf(s float64) float64 {
	if s <= 0 {
		return 1
	}
	return s
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
		return cmp.Compare(x, y)
	})
	return out, true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// groupValues are the groups' values, in order.
func groupValues(gs []group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.value
	}
	return out
}
