package plots

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/sushisim/sushisim/experiments/results"
)

// Kind is a kind of figure: its name, the check of its keys (run when an
// experiment file is loaded, through results' registry), whether it
// compares against a baseline policy, and how it draws.
type Kind struct {
	Name     string
	Compares bool // takes baseline = "<policy>" and compare
	Check    func(f *results.Figure, cols results.Columns) error
	// Draw renders f from the filtered rows (indexes into res.Rows, never
	// empty) into path, whose extension picks the format. Framed makes one
	// from a function that builds a *plot.Plot.
	Draw func(res *results.Results, f results.Figure, rows []int, path string) error

	build builder // a built-in kind's figure, so it is built once for all formats and its ticks can be tested
}

// Built-in kinds.
const (
	KindCDF        = "cdf"        // latency CDF per series, from quantiles.csv
	KindMetric     = "metric"     // a summary column against a swept key, mean +- 95% CI
	KindScatter    = "scatter"    // the catalog's accuracy vs latency, its Pareto frontier, and what each policy served
	KindEnergy     = "energy"     // stacked energy per query: MAC, SRAM, DRAM, static, reload
	KindTimeSeries = "timeseries" // a time-series column against simulated time
	KindPolicies   = "policies"   // bars: p50/p99 latency and accuracy per policy (the default for one point)
)

var drawers sync.Map // kind name -> Kind

// Register adds a kind of figure: the one step a new kind needs. The
// experiment loader learns its name and check through results'
// registry; Draw finds its drawer here. Registering a name twice panics.
func Register(k Kind) {
	if k.Check == nil || k.Draw == nil {
		panic(fmt.Sprintf("plots: kind %q needs Check and Draw", k.Name))
	}
	results.RegisterFigureKind(results.FigureKind{Name: k.Name, Compares: k.Compares, Check: k.Check})
	drawers.Store(k.Name, k)
}

func lookup(name string) (Kind, bool) {
	k, ok := drawers.Load(name)
	if !ok {
		return Kind{}, false
	}
	return k.(Kind), true
}

// checkPanels: panels name a string column that is neither x nor the
// series.
func checkPanels(f *results.Figure, c results.Columns) error {
	switch {
	case f.Panels == "":
		return nil
	case !slices.Contains(c.Strings, f.Panels):
		return fmt.Errorf("panels: %q is not a column (allowed: %s)", f.Panels, strings.Join(c.Strings, ", "))
	case f.Panels == f.Series || f.Panels == f.X:
		return fmt.Errorf("panels: %q is already the figure's x or series", f.Panels)
	}
	return nil
}

// noXY is the check of a kind that fixes both axes itself (and draws one
// panel, or lays out its own).
func noXY(x, y string) func(*results.Figure, results.Columns) error {
	return func(f *results.Figure, _ results.Columns) error {
		return errors.Join(results.NoKey(f, "x", f.X, x), results.NoKey(f, "y", f.Y, y), noPanels(f))
	}
}

// noPanels: only a metric figure splits into panels.
func noPanels(f *results.Figure) error {
	return results.NoKey(f, "panels", f.Panels, "draws one panel")
}

// builtIn is a kind drawn by this package's figure builder b.
func builtIn(k Kind, b builder) Kind {
	k.build = b
	k.Draw = func(res *results.Results, f results.Figure, rows []int, path string) error {
		fig, err := framed(b)(res, f, rows)
		if err != nil {
			return err
		}
		return save(path, fig)
	}
	return k
}

func init() {
	Register(builtIn(Kind{Name: KindCDF, Check: noXY("draws latency on x", "draws the cumulative share on y")}, onePanel(cdfPlot, false)))
	Register(builtIn(Kind{Name: KindMetric, Compares: true,
		Check: func(f *results.Figure, c results.Columns) error {
			return errors.Join(results.NeedKey(f, "x", f.X, append([]string{"point"}, c.Swept...), "a swept key"),
				results.NeedKey(f, "y", f.Y, c.Numbers, "a numeric summary column"), checkPanels(f, c))
		}}, metricFigure))
	Register(builtIn(Kind{Name: KindScatter, Check: noXY("draws latency on x", "draws accuracy on y")}, scatterFigure))
	Register(builtIn(Kind{Name: KindEnergy,
		Check: func(f *results.Figure, c results.Columns) error {
			var x error
			if f.X != "" && !slices.Contains(c.Strings, f.X) {
				x = fmt.Errorf("x: %q is not a column (allowed: %s)", f.X, strings.Join(c.Strings, ", "))
			}
			return errors.Join(x, results.NoKey(f, "y", f.Y, "stacks the energy components on y"), noPanels(f), noMarks(f))
		}}, onePanel(energyPlot, true)))
	Register(builtIn(Kind{Name: KindTimeSeries,
		Check: func(f *results.Figure, c results.Columns) error {
			return errors.Join(results.NoKey(f, "x", f.X, "draws simulated time on x"),
				results.NeedKey(f, "y", f.Y, c.Windows, "a time-series column"), noPanels(f))
		}}, onePanel(timeSeriesPlot, false)))
	Register(builtIn(Kind{Name: KindPolicies, Check: func(f *results.Figure, c results.Columns) error {
		return errors.Join(noXY("draws one bar per policy", "draws latency and accuracy")(f, c), noMarks(f))
	}}, policiesFigure))
}
