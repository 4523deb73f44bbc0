package workloads

import (
	"math"
	"math/rand/v2"
)

// mmppProcess is a two-state Markov-modulated Poisson process: in state i
// queries arrive as a Poisson process of rate rates[i]; the state lasts an
// exponential time of mean sojourn[i], then flips. The first state is drawn
// from the stationary law (pi_i = s_i/(s_0+s_1)), so the stream is
// stationary from t = 0 and its long-run rate is (r0*s0 + r1*s1)/(s0+s1).
type mmppProcess struct {
	r         *rand.Rand
	meanGapNs [2]float64 // 1e9/rate, +Inf for a silent state
	sojournNs [2]float64
	state     int
	clk       clock // arrivals
	sw        clock // state switches: sw.now is when the current state ends
}

func newMMPPProcess(r *rand.Rand, rates, sojournS []float64) *mmppProcess {
	p := &mmppProcess{r: r}
	for i := range 2 {
		p.meanGapNs[i] = math.Inf(1)
		if rates[i] > 0 {
			p.meanGapNs[i] = 1e9 / rates[i]
		}
		p.sojournNs[i] = sojournS[i] * 1e9
	}
	if r.Float64()*(sojournS[0]+sojournS[1]) >= sojournS[0] {
		p.state = 1
	}
	p.sw.advance(r.ExpFloat64() * p.sojournNs[p.state])
	return p
}

func (p *mmppProcess) Next(q *Query) bool {
	for {
		if p.clk.over || p.sw.over {
			return false
		}
		// Memorylessness: a gap that would cross the switch is discarded and
		// redrawn in the new state from the switch instant.
		if g := p.r.ExpFloat64() * p.meanGapNs[p.state]; g+p.clk.residual < float64(p.sw.now-p.clk.now) {
			t, _ := p.clk.advance(g) // cannot overflow: it lands before sw.now
			q.Arrival = t
			return true
		}
		p.clk.set(p.sw.now)
		p.state ^= 1
		p.sw.advance(p.r.ExpFloat64() * p.sojournNs[p.state])
	}
}
