package plots

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sushisim/sushisim/experiments/results"
)

// minCIRuns is the fewest replications a confidence interval is drawn
// from: with 2, Student's t has one degree of freedom (t = 12.7) and the
// interval says more about the two draws than about the mean.
const minCIRuns = 3

// replications is the fewest and most runs any (point, policy) of rows
// has: the n behind each plotted mean.
func replications(res *results.Results, rows []int) (lo, hi int) {
	picked := make([]results.Row, len(rows))
	for k, i := range rows {
		picked[k] = res.Rows[i]
	}
	for k, g := range results.GroupRuns(picked) {
		if k == 0 || len(g) < lo {
			lo = len(g)
		}
		hi = max(hi, len(g))
	}
	return lo, hi
}

// caption is the line under a figure: which rows it shows (the filters,
// in words), what it compares against, and the n behind each value.
func caption(res *results.Results, f results.Figure, rows []int, how string) string {
	var parts []string
	if len(f.Filters) > 0 {
		var fs []string
		for _, flt := range f.Filters {
			fs = append(fs, filterWords(f, flt))
		}
		parts = append(parts, "Runs: "+strings.Join(fs, "; ")+".")
	}
	if f.Baseline != "" {
		formula := map[string]string{results.CompareSaving: "saving = 100 (b - v)/b",
			results.CompareGain: "gain = 100 (v - b)/b", results.CompareDifference: "difference = v - b",
			results.CompareRatio: "ratio = v/b"}[f.Compare]
		parts = append(parts, fmt.Sprintf("Paired: %s, with b the run of %s at the same point and replication.",
			formula, policyLabel(f.Baseline)))
	}
	lo, hi := replications(res, rows)
	n := fmt.Sprint(lo)
	if hi != lo {
		n = fmt.Sprintf("%d-%d", lo, hi)
	}
	switch {
	case how != "":
		parts = append(parts, how)
	case f.Kind != KindMetric:
		if hi > 1 {
			parts = append(parts, fmt.Sprintf("Mean of n = %s replications.", n))
		} else {
			parts = append(parts, "One run each.")
		}
	case lo >= minCIRuns:
		parts = append(parts, fmt.Sprintf("Mean and 95%% CI over n = %s replications per point.", n))
	case hi == 1:
		parts = append(parts, "One run per point.")
	default:
		parts = append(parts, fmt.Sprintf("Mean of n = %s replications per point (no CI with fewer than %d).", n, minCIRuns))
	}
	return ascii(strings.Join(parts, " "))
}

// filterWords writes a filter as a reader would: "policy SGS",
// "DRAM 0.6 GB/s peak", "point 0".
func filterWords(f results.Figure, flt results.Filter) string {
	vals := make([]string, len(flt.Values))
	for i, v := range flt.Values {
		vals[i] = valueLabel(f, flt.Column, v)
		if strings.HasSuffix(vals[i], "="+v) { // no name for it: the value
			vals[i] = ascii(v)
		}
	}
	_, known := valueFormats[flt.Column]
	if known && !slices.Contains(results.StringColumns, flt.Column) {
		return strings.Join(vals, ", ")
	}
	col := flt.Column
	if l, ok := columnLabels[col]; ok && !strings.Contains(l, "(") {
		col = l
	}
	return col + " " + strings.Join(vals, ", ")
}
