package workloads

import (
	"errors"
	"fmt"
	"math"
)

// Problems collects every problem of a configuration, each naming its key
// relative to [workload], so Validate reports them all at once. A
// registered arrival process's Validate adds to it.
type Problems struct{ errs []error }

// Err joins the problems, one per line; nil when there are none.
func (v *Problems) Err() error { return errors.Join(v.errs...) }

// Add records a problem with key.
func (v *Problems) Add(key, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// Finite requires x to be a finite number and reports whether it is.
func (v *Problems) Finite(key string, x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v.Add(key, "must be a finite number, got %v", x)
		return false
	}
	return true
}

// Positive requires a finite x > 0.
func (v *Problems) Positive(key string, x float64) {
	if v.Finite(key, x) && x <= 0 {
		v.Add(key, "must be > 0, got %v", x)
	}
}

// NonNegative requires a finite x >= 0; note says what 0 means.
func (v *Problems) NonNegative(key string, x float64, note string) {
	if v.Finite(key, x) && x < 0 {
		v.Add(key, "must be >= 0 %s, got %v", note, x)
	}
}

// Unit requires x in [0,1].
func (v *Problems) Unit(key string, x float64) {
	if v.Finite(key, x) && (x < 0 || x > 1) {
		v.Add(key, "must be in [0,1], got %v", x)
	}
}

// maxRateScale bounds rate_scale so scaled counts and times stay far from
// int64 overflow.
const maxRateScale = 1e6

func (v *Problems) rateScale(key string, x float64) {
	v.NonNegative(key, x, "(0 = 1)")
	if x > maxRateScale {
		v.Add(key, "must be <= %g, got %v", maxRateScale, x)
	}
}
