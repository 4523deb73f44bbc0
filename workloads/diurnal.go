package workloads

import (
	"math"
	"math/rand/v2"
)

// diurnalProcess is a Poisson process with a sinusoidal rate
// rate*(1 + a*sin(2π(t - phase)/period)), made by thinning (Lewis and
// Shedler, 1979): candidates arrive at the peak rate rate*(1+a) and each is
// kept with probability rate(t)/peak.
type diurnalProcess struct {
	r         *rand.Rand
	peakGapNs float64 // mean candidate gap, 1e9/(rate*(1+a))
	amp       float64
	periodNs  int64
	phaseNs   int64
	clk       clock
}

func newDiurnalProcess(r *rand.Rand, rate, amp, periodS, phaseS float64) *diurnalProcess {
	p := &diurnalProcess{r: r, peakGapNs: 1e9 / (rate * (1 + amp)), amp: amp,
		periodNs: max(int64(math.Round(periodS*1e9)), 1)}
	// Reduce the phase into [0, period) so t - phase never overflows.
	p.phaseNs = int64(math.Round(math.Mod(phaseS*1e9, float64(p.periodNs))))
	if p.phaseNs < 0 {
		p.phaseNs += p.periodNs
	}
	return p
}

func (p *diurnalProcess) Next(q *Query) bool {
	for {
		t, ok := p.clk.advance(p.r.ExpFloat64() * p.peakGapNs)
		if !ok {
			return false
		}
		// The angle comes from the exact integer position within the period,
		// so precision does not decay over long runs.
		pos := (t - p.phaseNs) % p.periodNs
		if pos < 0 {
			pos += p.periodNs
		}
		keep := (1 + p.amp*math.Sin(2*math.Pi*float64(pos)/float64(p.periodNs))) / (1 + p.amp)
		if p.amp == 0 || p.r.Float64() < keep {
			q.Arrival = t
			return true
		}
	}
}
