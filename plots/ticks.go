package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Axes run between round values and carry ticks at round steps (1, 2, 2.5
// or 5 times a power of ten), each labelled with exactly its value: as
// many decimals as the step needs, none more.

// roundTicks labels every multiple of Step in the axis range and puts an
// unlabelled minor tick halfway between.
type roundTicks struct{ Step float64 }

func (t roundTicks) Ticks(lo, hi float64) []plot.Tick {
	step := t.Step
	if !(step > 0) || !finite(lo) || !finite(hi) || hi < lo {
		return nil
	}
	d := decimals(step)
	var out []plot.Tick
	half := step / 2
	first := math.Ceil(lo/half - 1e-9)
	for k := first; k*half <= hi+1e-9*math.Max(1, math.Abs(hi)); k++ {
		v := roundTo(k*half, d+1)
		if math.Mod(k, 2) == 0 {
			out = append(out, plot.Tick{Value: v, Label: formatTick(v, d)})
		} else {
			out = append(out, plot.Tick{Value: v})
		}
	}
	return out
}

// niceStep is the round step that cuts span into about n intervals.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || !finite(span) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// decimals is how many decimals write step (and its multiples) exactly.
func decimals(step float64) int {
	for d := 0; d < 12; d++ {
		s := step * math.Pow(10, float64(d))
		if math.Abs(s-math.Round(s)) < 1e-6*math.Max(1, s) {
			return d
		}
	}
	return 12
}

func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// formatTick writes v with d decimals, and 0 as "0" (never "-0").
func formatTick(v float64, d int) string {
	if v == 0 {
		v = 0 // -0 -> 0
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// axisOpts are the rules of one value axis.
type axisOpts struct {
	fromZero bool // bars, savings, shares: the axis includes 0
	percent  bool // a share in %: stops at 100 unless the data pass it
	fraction bool // a share as a fraction: stops at 1 unless the data pass it
	keep     bool // already finished (categories, data ticks): only a log scale changes it
	tight    bool // the data's range and a 3% margin, not round ends (x of a line plot)
}

// niceAxis extends the axis to round values around its data range and
// gives it round ticks. Call it after every plotter is added.
func niceAxis(a *plot.Axis, o axisOpts) {
	lo, hi := a.Min, a.Max
	if !finite(lo) || !finite(hi) {
		return
	}
	if o.fromZero {
		lo, hi = min(lo, 0), max(hi, 0)
	}
	// a whisker a hair below zero (a CI around a saving of ~0) must not
	// add a round step under the zero line: the axis ends just under it
	hair := 0.0
	if o.fromZero && lo < 0 && -lo <= 0.05*(hi-lo) {
		hair, lo = lo, 0
	}
	if hi == lo { // one value: a unit (or 10%) either side
		w := math.Max(math.Abs(hi)*0.1, 1e-9)
		if hi == 0 {
			w = 1
		}
		if lo != 0 || !o.fromZero {
			lo -= w
		}
		hi += w
	}
	// the coarsest round step whose round ends waste at most a fifth of
	// the axis (a saving of -0.3 must not stretch the axis to -10)
	var step, nlo, nhi float64
	best := math.Inf(1)
	for n := 5; n <= 8; n++ {
		st := niceStep(hi-lo, n)
		a, b := math.Floor(lo/st+1e-9)*st, math.Ceil(hi/st-1e-9)*st
		waste := 1 - (hi-lo)/(b-a)
		if waste < best-1e-9 {
			best, step, nlo, nhi = waste, st, a, b
		}
		if waste <= 0.2 {
			break
		}
	}
	switch {
	case o.percent && hi <= 100 && nhi > 100:
		nhi = 100
	case o.fraction && hi <= 1 && nhi > 1:
		nhi = 1
	}
	if o.fromZero && lo >= 0 {
		nlo = 0
	}
	a.Min, a.Max = roundTo(nlo, decimals(step)), roundTo(nhi, decimals(step))
	if hair < 0 {
		a.Min = hair - 0.01*(a.Max-hair)
	}
	if o.tight {
		pad := 0.03 * (hi - lo)
		a.Min, a.Max = lo-pad, hi+pad
		if o.fromZero && lo >= 0 {
			a.Min = 0
		}
	}
	a.Tick.Marker = roundTicks{Step: step}
}

// logTicks labels 1, 2 and 5 times the powers of ten in the range (only
// the powers of ten past two and a half decades, where 1-2-5 would crowd
// the axis with more than eight labels), with unlabelled minor
// ticks at the other integers times a power of ten.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi >= lo) || !finite(hi) {
		return nil
	}
	if hi/lo < 5 { // too narrow for two of 1, 2, 5: round steps, as on a linear axis
		return roundTicks{Step: niceStep(hi-lo, 4)}.Ticks(lo, hi)
	}
	var out []plot.Tick
	k0, k1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	labelled := func(m int) bool { return m == 1 || m == 2 || m == 5 }
	if math.Log10(hi/lo) > 2.5 {
		labelled = func(m int) bool { return m == 1 }
	}
	for k := k0; k <= k1; k++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, float64(k))
			if k < 0 { // exact decimal, not 2*0.1000000001
				v = roundTo(v, -k)
			}
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled(m) {
				t.Label = strconv.FormatFloat(v, 'f', -1, 64)
			}
			out = append(out, t)
		}
	}
	return out
}

// dataTicks puts a tick at each of a sweep's points, so every point sits
// on a tick and is labelled with its own value (a log axis of buffer sizes
// reads 0.25, 0.5, 1, 2, ... 32, not only its decades). A label is left
// off (its tick kept) where it would touch the previous one or the last
// (the end points keep theirs): length is the
// axis's drawn length, set at layout, and sty the tick labels' style; with
// no length yet every label is kept.
type dataTicks struct {
	xs     []float64
	log    bool
	length vg.Length
	sty    text.Style
}

// labelGap is the least room between two tick labels.
const labelGap = 6 // points

// useDataTicks gives the axis data ticks when the points are few (at most
// 10) and their labels short; otherwise the axis keeps its ticks.
func useDataTicks(a *plot.Axis, xs []float64, log bool) {
	if len(xs) < 2 || len(xs) > 10 {
		return
	}
	for _, x := range xs {
		if len(strconv.FormatFloat(x, 'f', -1, 64)) > 5 || log && !(x > 0) {
			return
		}
	}
	a.Tick.Marker = dataTicks{xs: xs, log: log, sty: a.Tick.Label}
}

func (t dataTicks) Ticks(lo, hi float64) []plot.Tick {
	pos := func(x float64) vg.Length { // where x is drawn along the axis
		if t.log {
			return t.length * vg.Length(math.Log(x/lo)/math.Log(hi/lo))
		}
		return t.length * vg.Length((x-lo)/(hi-lo))
	}
	label := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	// the end points are always labelled; between them a label is kept
	// when it clears the previous kept one and the last one
	n := len(t.xs)
	lastLeft := vg.Length(math.Inf(1))
	if n > 0 && t.length > 0 && hi > lo {
		x := t.xs[n-1]
		lastLeft = pos(x) - t.sty.Width(label(x))/2
	}
	var out []plot.Tick
	right := vg.Length(math.Inf(-1)) // the previous kept label's right end
	for i, x := range t.xs {
		tk := plot.Tick{Value: x}
		l := label(x)
		w := t.sty.Width(l)
		switch {
		case t.length <= 0 || hi <= lo || i == n-1:
			tk.Label = l
		case pos(x)-w/2 >= right+labelGap && pos(x)+w/2 <= lastLeft-labelGap:
			tk.Label, right = l, pos(x)+w/2
		}
		out = append(out, tk)
	}
	return out
}

// withLength is the ticker m with its axis's drawn length, when m is data
// ticks; else m.
func withLength(m plot.Ticker, length vg.Length) plot.Ticker {
	if d, ok := m.(dataTicks); ok {
		d.length = length
		return d
	}
	return m
}

func isLinear(s plot.Normalizer) bool {
	_, ok := s.(plot.LinearScale)
	return ok
}
