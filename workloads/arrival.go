package workloads

import "math/rand/v2"

// process makes arrival times. next sets q.Arrival (and, for traces,
// q.Tenant and possibly the needs) and reports false when the process ends.
// Implementations keep O(1) state (traces: O(selected functions)) and
// allocate nothing per call.
type process interface {
	next(q *Query) bool
}

// poissonProcess has exponential gaps with mean 1/rate.
type poissonProcess struct {
	r      *rand.Rand
	meanNs float64
	clk    clock
}

func (p *poissonProcess) next(q *Query) bool {
	t, ok := p.clk.advance(p.r.ExpFloat64() * p.meanNs)
	q.Arrival = t
	return ok
}

// constantProcess has fixed gaps of exactly 1/rate; through the clock's
// residual carry the n-th arrival is n/rate rounded to the nearest ns.
type constantProcess struct {
	gapNs float64
	clk   clock
}

func (p *constantProcess) next(q *Query) bool {
	t, ok := p.clk.advance(p.gapNs)
	q.Arrival = t
	return ok
}
