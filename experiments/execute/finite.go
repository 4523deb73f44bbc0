package execute

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/sushisim/sushisim/experiments/results"
)

// checkFinite refuses a summary with a NaN or an infinity in any number
// column. Inputs are checked for finiteness when a file is loaded, but sums
// and ratios of finite numbers can still overflow (two weights of 1e308 did,
// and changed the results without an error); a result file must never hold
// a number that is not one. It reads every float field, so a column added
// to results.Summary is covered without an edit here; the time-series rows
// are checked the same way.
func checkFinite(s *results.Summary, windows []results.Window) error {
	bad := nonFinite(reflect.ValueOf(s).Elem())
	for i := range windows {
		for _, b := range nonFinite(reflect.ValueOf(&windows[i]).Elem()) {
			bad = append(bad, fmt.Sprintf("time series window %d: %s", i, b))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("policy %q: result not a finite number (%s): an input too large for float64 arithmetic; "+
			"scale the inputs down (a bug if they are moderate: please report it)", s.Policy, strings.Join(bad, ", "))
	}
	return nil
}

// nonFinite lists the float fields of struct v that are NaN or infinite, by
// their JSON names.
func nonFinite(v reflect.Value) []string {
	var bad []string
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Float64 && (math.IsNaN(f.Float()) || math.IsInf(f.Float(), 0)) {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			bad = append(bad, fmt.Sprintf("%s = %v", name, f.Float()))
		}
	}
	return bad
}
