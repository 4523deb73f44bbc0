package workloads

import "math/rand/v2"

// Arrivals makes arrival times: Next sets q.Arrival (and, for traces,
// q.Tenant and possibly the needs) in non-decreasing order and reports false
// when the process ends. Implementations keep state independent of the
// number of queries made and allocate nothing per call. A Build may return
// a value that also implements io.Closer (release a file), Err() error (a
// replay that failed after New checked it) and Tenants() []string (names of
// tenant indices); Stream forwards them.
type Arrivals interface {
	Next(q *Query) bool
}

// poissonProcess has exponential gaps with mean 1/rate.
type poissonProcess struct {
	r      *rand.Rand
	meanNs float64
	clk    clock
}

func (p *poissonProcess) Next(q *Query) bool {
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

func (p *constantProcess) Next(q *Query) bool {
	t, ok := p.clk.advance(p.gapNs)
	q.Arrival = t
	return ok
}
