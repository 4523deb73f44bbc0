package experiments

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Figure kinds.
const (
	KindCDF        = "cdf"        // latency CDF per series, from quantiles.csv
	KindMetric     = "metric"     // a summary column against a swept key, mean ± 95% CI
	KindScatter    = "scatter"    // the catalog's accuracy vs latency, its Pareto frontier, and what each policy served
	KindEnergy     = "energy"     // stacked energy per query: MAC, SRAM, DRAM, static, reload
	KindTimeSeries = "timeseries" // a time-series column against simulated time
	KindPolicies   = "policies"   // bars: p50/p99 latency and accuracy per policy (the default for one point)
)

// FigureKinds lists the kinds a [[figure]] may name.
var FigureKinds = []string{KindCDF, KindMetric, KindScatter, KindEnergy, KindTimeSeries, KindPolicies}

// Comparisons of a metric figure against a baseline policy.
const (
	CompareSaving     = "saving"     // 100 (b - v) / b: percent less than the baseline (latency, energy, bytes)
	CompareGain       = "gain"       // 100 (v - b) / b: percent more
	CompareDifference = "difference" // v - b, in the column's unit
	CompareRatio      = "ratio"      // v / b
)

var compares = []string{CompareSaving, CompareGain, CompareDifference, CompareRatio}

// Figure is a validated [[figure]].
type Figure struct {
	FigureConfig
	Filters []Filter
}

// Filter keeps rows whose column has one of the values (as written in the
// result files).
type Filter struct {
	Column string
	Values []string
}

var figureName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// checkFigures validates [[figure]] tables against the columns the results
// will have.
func checkFigures(cfgs []FigureConfig, keys []string, p *problems) []Figure {
	strCols := append(append([]string{"point", "replication"}, StringColumns...), keys...)
	numCols := append(NumericColumns(), "point", "replication")
	var out []Figure
	names := map[string]int{}
	for i, c := range cfgs {
		key := fmt.Sprintf("figure[%d]", i)
		bad := func(k string, format string, args ...any) { p.add(key+"."+k, fmt.Errorf(format, args...)) }
		f := Figure{FigureConfig: c}
		if f.Name == "" {
			f.Name = fmt.Sprintf("fig%d", i+1)
		}
		if !figureName.MatchString(f.Name) {
			bad("name", "%q: use letters, digits, '.', '_' and '-' (it names the file)", f.Name)
		}
		if j, dup := names[f.Name]; dup {
			bad("name", "%q already names figure[%d]", f.Name, j)
		}
		names[f.Name] = i
		if f.Series == "" {
			f.Series = "policy"
		}
		if !slices.Contains(strCols, f.Series) {
			bad("series", "%q is not a column (allowed: %s)", f.Series, strings.Join(strCols, ", "))
		}
		if f.Compare != "" && f.Baseline == "" {
			bad("compare", "only means something with baseline = \"<policy name>\"")
		}
		if f.Baseline != "" && f.Compare == "" {
			f.Compare = CompareSaving
		}
		if f.Compare != "" && !slices.Contains(compares, f.Compare) {
			bad("compare", "%q unknown (allowed: %s)", f.Compare, strings.Join(compares, ", "))
		}
		for _, k := range []struct {
			name string
			v    float64
		}{{"x_scale", f.XScale}, {"y_scale", f.YScale}, {"width_in", f.WidthIn}, {"height_in", f.HeightIn}} {
			if k.v < 0 {
				bad(k.name, "must be > 0 (or left out), got %v", k.v)
			}
		}
		need := func(k, v string, allowed []string, what string) {
			switch {
			case v == "":
				bad(k, "required for kind %q: %s (allowed: %s)", f.Kind, what, strings.Join(allowed, ", "))
			case !slices.Contains(allowed, v):
				bad(k, "%q is not %s (allowed: %s)", v, what, strings.Join(allowed, ", "))
			}
		}
		none := func(k, v, why string) {
			if v != "" {
				bad(k, "kind %q %s; leave %s out", f.Kind, why, k)
			}
		}
		switch f.Kind {
		case KindMetric:
			xs := append([]string{"point"}, keys...)
			need("x", f.X, xs, "a swept key")
			need("y", f.Y, numCols, "a numeric summary column")
		case KindTimeSeries:
			none("x", f.X, "draws simulated time on x")
			need("y", f.Y, WindowColumns(), "a time-series column")
		case KindEnergy:
			if f.X != "" && !slices.Contains(strCols, f.X) {
				bad("x", "%q is not a column (allowed: %s)", f.X, strings.Join(strCols, ", "))
			}
			none("y", f.Y, "stacks the energy components on y")
		case KindCDF:
			none("x", f.X, "draws latency on x")
			none("y", f.Y, "draws the cumulative share on y")
		case KindScatter:
			none("x", f.X, "draws latency on x")
			none("y", f.Y, "draws accuracy on y")
		case KindPolicies:
			none("x", f.X, "draws one bar per policy")
			none("y", f.Y, "draws latency and accuracy")
		case "":
			bad("kind", "required (allowed: %s)", strings.Join(FigureKinds, ", "))
		default:
			bad("kind", "%q unknown (allowed: %s)", f.Kind, strings.Join(FigureKinds, ", "))
		}
		if f.Baseline != "" && f.Kind != KindMetric {
			bad("baseline", "only a metric figure compares against a baseline")
		}
		leaves := map[string]any{}
		flatten(c.Filter, "", leaves)
		for _, col := range slices.Sorted(maps.Keys(leaves)) {
			if !slices.Contains(strCols, col) && !slices.Contains(numCols, col) {
				bad("filter."+col, "not a column (allowed: %s, or a summary column)", strings.Join(strCols, ", "))
				continue
			}
			var vals []string
			switch v := leaves[col].(type) {
			case []any:
				for _, e := range v {
					vals = append(vals, FormatValue(e))
				}
			default:
				vals = []string{FormatValue(v)}
			}
			if len(vals) == 0 {
				bad("filter."+col, "empty list: give the values to keep")
			}
			f.Filters = append(f.Filters, Filter{Column: col, Values: vals})
		}
		out = append(out, f)
	}
	return out
}

// FiguresToDraw are the experiment's [[figure]]s, or, without any, a
// default: the policy bars for one point, p99 latency against the first
// swept key for a sweep.
func (x *Experiment) FiguresToDraw() []Figure {
	if len(x.Figures) > 0 {
		return x.Figures
	}
	if len(x.Sweep.Keys) == 0 {
		f := Figure{FigureConfig: FigureConfig{Name: "policies", Kind: KindPolicies, Series: "policy"}}
		if x.Sweep.Replications > 1 {
			f.Filters = []Filter{{Column: "replication", Values: []string{"0"}}}
		}
		return []Figure{f}
	}
	return []Figure{{FigureConfig: FigureConfig{Name: "latency_p99", Kind: KindMetric, X: x.Sweep.Keys[0],
		Y: "latency_ms_p99", Series: "policy"}}}
}
