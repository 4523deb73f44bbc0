package config

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/sushisim/sushisim/experiments/results"
)

// checkFigures validates [[figure]] tables against the columns the results
// will have. The keys every figure shares are checked here; each kind
// checks its own (x, y) through the kinds registered with results, which
// plots fills: a program that loads files with figures imports plots.
func checkFigures(cfgs []results.FigureConfig, keys []string, p *problems) []results.Figure {
	cols := results.Columns{
		Strings: append(append([]string{"point", "replication"}, results.StringColumns...), keys...),
		Numbers: append(results.NumericColumns(), "point", "replication"),
		Swept:   keys,
		Windows: results.WindowColumns(),
	}
	var out []results.Figure
	names := map[string]int{}
	for i, c := range cfgs {
		key := fmt.Sprintf("figure[%d]", i)
		bad := func(k string, format string, args ...any) { p.add(key+"."+k, fmt.Errorf(format, args...)) }
		f := results.Figure{FigureConfig: c}
		if f.Name == "" {
			f.Name = fmt.Sprintf("fig%d", i+1)
		}
		if err := CheckName(f.Name); err != nil {
			bad("name", "%v", err)
		}
		if j, dup := names[f.Name]; dup {
			bad("name", "%q already names figure[%d]", f.Name, j)
		}
		names[f.Name] = i
		if f.Series == "" {
			f.Series = "policy"
		}
		if !slices.Contains(cols.Strings, f.Series) {
			bad("series", "%q is not a column (allowed: %s)", f.Series, strings.Join(cols.Strings, ", "))
		}
		checkCompare(&f, bad)
		for _, k := range []struct {
			name string
			v    float64
		}{{"x_scale", f.XScale}, {"y_scale", f.YScale}, {"width_in", f.WidthIn}, {"height_in", f.HeightIn}} {
			if k.v < 0 {
				bad(k.name, "must be > 0 (or left out), got %v", k.v)
			}
		}
		if f.Width != "" && f.Width != "column" && f.Width != "page" {
			bad("width", "%q unknown (allowed: column, page)", f.Width)
		}
		for j, m := range f.MarksX {
			if math.IsNaN(m) || math.IsInf(m, 0) {
				bad(fmt.Sprintf("marks_x[%d]", j), "must be a finite number, got %v", m)
			}
		}
		kinds := results.FigureKinds()
		kind, known := results.LookupFigureKind(f.Kind)
		switch {
		case len(kinds) == 0:
			bad("kind", "no figure kinds are registered: the program must import package plots, which registers them")
		case f.Kind == "":
			bad("kind", "required (allowed: %s)", strings.Join(kinds, ", "))
		case !known:
			bad("kind", "%q unknown (allowed: %s)", f.Kind, strings.Join(kinds, ", "))
		default:
			p.add(key, kind.Check(&f, cols))
			if f.Baseline != "" && !kind.Compares {
				bad("baseline", "only a kind that compares policies (metric) takes a baseline")
			}
		}
		f.Filters = checkFilters(c.Filter, cols, bad)
		out = append(out, f)
	}
	return out
}

// checkCompare fills the default comparison against a baseline policy.
func checkCompare(f *results.Figure, bad func(k, format string, args ...any)) {
	if f.Compare != "" && f.Baseline == "" {
		bad("compare", "only means something with baseline = \"<policy name>\"")
	}
	if f.Baseline != "" && f.Compare == "" {
		f.Compare = results.CompareSaving
	}
	if f.Compare != "" && !slices.Contains(results.Compares, f.Compare) {
		bad("compare", "%q unknown (allowed: %s)", f.Compare, strings.Join(results.Compares, ", "))
	}
}

// checkFilters reads a figure's filter table: column = value or [values].
func checkFilters(filter map[string]any, cols results.Columns, bad func(k, format string, args ...any)) []results.Filter {
	var out []results.Filter
	leaves := map[string]any{}
	flatten(filter, "", leaves)
	for _, col := range slices.Sorted(maps.Keys(leaves)) {
		if !slices.Contains(cols.Strings, col) && !slices.Contains(cols.Numbers, col) {
			bad("filter."+col, "not a column (allowed: %s, or a summary column)", strings.Join(cols.Strings, ", "))
			continue
		}
		var vals []string
		switch v := leaves[col].(type) {
		case []any:
			for _, e := range v {
				vals = append(vals, results.FormatValue(e))
			}
		default:
			vals = []string{results.FormatValue(v)}
		}
		if len(vals) == 0 {
			bad("filter."+col, "empty list: give the values to keep")
		}
		out = append(out, results.Filter{Column: col, Values: vals})
	}
	return out
}

// FiguresToDraw are the experiment's [[figure]]s, or, without any, a
// default: the policy bars for one point; p99 latency against the first
// swept key for a sweep; for a sweep over two keys or more, one such figure
// per policy with the second key as the series and any further key at its
// first value (pooling points that differ in a key would be refused when
// drawn). Kinds "policies" and "metric" are registered by plots.
func (x *Experiment) FiguresToDraw() []results.Figure {
	if len(x.Figures) > 0 {
		return x.Figures
	}
	if len(x.Sweep.Keys) == 0 {
		f := results.Figure{FigureConfig: results.FigureConfig{Name: "policies", Kind: "policies", Series: "policy"}}
		if x.Sweep.Replications > 1 {
			f.Filters = []results.Filter{{Column: "replication", Values: []string{"0"}}}
		}
		return []results.Figure{f}
	}
	p99 := results.FigureConfig{Name: "latency_p99", Kind: "metric", X: x.Sweep.Keys[0], Y: "latency_ms_p99", Series: "policy"}
	if len(x.Sweep.Keys) == 1 {
		return []results.Figure{{FigureConfig: p99}}
	}
	var out []results.Figure
	for _, pol := range x.Points[0].Policies {
		f := results.Figure{FigureConfig: p99}
		f.Name += "-" + pol.Name
		f.Series = x.Sweep.Keys[1]
		f.Filters = []results.Filter{{Column: "policy", Values: []string{pol.Name}}}
		for i, k := range x.Sweep.Keys[2:] {
			f.Filters = append(f.Filters, results.Filter{Column: k, Values: []string{results.FormatValue(x.Points[0].Values[i+2])}})
		}
		out = append(out, f)
	}
	return out
}

// checkFilterValues refuses a figure filter value that no run of the plan
// can have, on the columns the plan fixes (policy, swept keys, point,
// replication): a typo there used to surface only when the figure was drawn,
// after every run.
func checkFilterValues(x *Experiment, p *problems) {
	known := map[string]map[string]bool{"policy": {}, "point": {}, "replication": {}}
	for _, k := range x.Sweep.Keys {
		known[k] = map[string]bool{}
	}
	for _, pt := range x.Points {
		known["point"][fmt.Sprint(pt.Index)] = true
		for _, pol := range pt.Policies {
			known["policy"][pol.Name] = true
		}
		for i, k := range x.Sweep.Keys {
			known[k][results.FormatValue(pt.Values[i])] = true
		}
	}
	for r := range x.Sweep.Replications {
		known["replication"][fmt.Sprint(r)] = true
	}
	for i, f := range x.Figures {
		for _, flt := range f.Filters {
			vals, ok := known[flt.Column]
			if !ok {
				continue // a result column: its values come from the runs
			}
			for _, v := range flt.Values {
				if !vals[v] {
					p.add(fmt.Sprintf("figure[%d].filter.%s", i, flt.Column), fmt.Errorf("%q matches no run (the plan has %s)",
						v, strings.Join(slices.Sorted(maps.Keys(vals)), ", ")))
				}
			}
		}
	}
}
