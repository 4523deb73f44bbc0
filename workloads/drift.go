package workloads

import "math"

// DriftConfig is [workload.needs.drift]: the class mix shifts smoothly and
// periodically, from the classes' own weights at the start of each period
// to Weights at its middle and back, as a day moves a service's users from
// one kind of request to another. The period is cut into Steps equal
// intervals, each with the mix at its midpoint:
//
//	w(t) = (1 - a(t)) * class weights + a(t) * Weights,
//	a(t) = (1 - cos(2 pi t / period_s)) / 2.
//
// The first query of each interval redraws from that interval's mix, as at
// a phase boundary. Drift replaces phases (it cannot be combined with
// [[workload.needs.phase]]); tenants with their own entry ignore it.
type DriftConfig struct {
	Weights []float64 `toml:"weights"`  // the mix at mid-period, one per class
	PeriodS float64   `toml:"period_s"` // period, s
	Steps   int       `toml:"steps"`    // intervals per period, each with one mix
}

// maxDriftSteps bounds steps, so a typo cannot make New build millions of mixes.
const maxDriftSteps = 10000

func (d *DriftConfig) set() bool { return d.Weights != nil || d.PeriodS != 0 || d.Steps != 0 }

func (d *DriftConfig) validate(v *Problems, n *NeedsConfig) {
	if !d.set() {
		return
	}
	if len(n.Phase) > 0 {
		v.Add("needs.drift", "cannot be combined with [[workload.needs.phase]]: drift is a periodic schedule of mixes, phases an explicit one; keep one")
	}
	validateMix(v, "needs.drift", d.Weights, len(n.Class))
	v.Positive("needs.drift.period_s", d.PeriodS)
	if d.Steps < 2 || d.Steps > maxDriftSteps {
		v.Add("needs.drift.steps", "must be in [2,%d], got %d", maxDriftSteps, d.Steps)
	} else if d.PeriodS > 0 && secondsToNs(d.PeriodS/float64(d.Steps)) < 1 {
		v.Add("needs.drift.steps", "period_s / steps = %v s is under 1 ns", d.PeriodS/float64(d.Steps))
	}
}

// driftWeights is the mix of interval k of steps: base and peak blended at
// the interval's midpoint.
func driftWeights(base, peak []float64, k, steps int) []float64 {
	a := (1 - math.Cos(2*math.Pi*(float64(k)+0.5)/float64(steps))) / 2
	w := make([]float64, len(base))
	for i := range w {
		w[i] = (1-a)*base[i] + a*peak[i]
	}
	return w
}

// drift is the needs model's state for a drifting mix: one precomputed mix
// per interval, so a query only indexes.
type drift struct {
	stepNs int64
	mixes  []mix
}

func newDrift(d *DriftConfig, base []float64) *drift {
	dr := &drift{stepNs: secondsToNs(d.PeriodS / float64(d.Steps))}
	for k := range d.Steps {
		dr.mixes = append(dr.mixes, newMix(driftWeights(base, d.Weights, k, d.Steps)))
	}
	return dr
}

// at is the interval number of time t (the chain's epoch) and its mix.
func (dr *drift) at(t int64) (int32, *mix) {
	e := t / dr.stepNs
	return int32(e % math.MaxInt32), &dr.mixes[e%int64(len(dr.mixes))]
}
