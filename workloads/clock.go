package workloads

import "math"

// clock is the exact integer-nanosecond arrival clock. Each real-valued gap
// is rounded to the nearest ns, and the rounding residual is carried into the
// next gap (error diffusion), so the clock never drifts from the exact sum of
// the gaps by more than half a nanosecond, however long the run: the n-th
// arrival is the exact sum of n gaps, rounded once. Floats are only ever used
// for one gap, never for the absolute time.
type clock struct {
	now      int64   // ns
	residual float64 // exact gap sum minus now, in [-0.5, 0.5] ns
	over     bool    // the next arrival would pass the end of int64 time
}

// advance adds gapNs (>= 0) to the clock and returns the new time; ok is
// false when the time would overflow int64 (about 292 years).
func (c *clock) advance(gapNs float64) (int64, bool) {
	x := gapNs + c.residual
	if !(x < float64(math.MaxInt64-c.now)) { // also catches NaN and +Inf
		c.over = true
		return c.now, false
	}
	step := int64(math.Floor(x + 0.5))
	c.residual = x - float64(step)
	c.now += step
	return c.now, true
}

// set moves the clock to t (>= now) exactly and clears the residual; used
// where time jumps to a known instant (an MMPP state switch).
func (c *clock) set(t int64) {
	c.now = t
	c.residual = 0
}
