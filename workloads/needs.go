package workloads

import (
	"math"
	"math/rand/v2"
)

// mix is a class distribution as normalised cumulative weights.
type mix struct {
	cum     []float64
	lastPos int32 // last class with positive weight: the answer if rounding leaves u >= cum[last]
}

// Weights are divided by the largest first, so finite weights up to
// MaxFloat64 cannot overflow the sum (1e308 + 1e308 is +Inf, and every share
// would become 0 or NaN).
func newMix(w []float64) mix {
	m := mix{cum: make([]float64, len(w))}
	top := 0.0
	for _, x := range w {
		top = max(top, x)
	}
	sum := 0.0
	for _, x := range w {
		sum += x / top
	}
	acc := 0.0
	for i, x := range w {
		acc += x / top
		m.cum[i] = acc / sum
		if x > 0 {
			m.lastPos = int32(i)
		}
	}
	return m
}

// draw returns the first class i with u < cum[i] (binary search), so a
// zero-weight class is never drawn.
func (m *mix) draw(u float64) int32 {
	lo, hi := 0, len(m.cum)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if m.cum[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo >= len(m.cum) {
		return m.lastPos
	}
	return int32(lo)
}

// chain is one sticky Markov chain over classes: it keeps its class with
// probability p, otherwise redraws from its mix (possibly the same class),
// so the chance to stay in class i is p + (1-p)*w_i.
type chain struct {
	cur   int32
	epoch int32 // phase index of the last draw; noEpoch before the first
}

const noEpoch = math.MinInt32

// needsModel assigns each query's class from sticky chains: one shared chain
// that follows the phase schedule, and one chain per configured tenant.
type needsModel struct {
	r        *rand.Rand
	minAcc   []float64
	sloNs    []int64
	phases   []needsPhase // phases[0] is the base mix from t = 0
	phase    int          // current index in phases (arrivals are non-decreasing)
	shared   chain
	tenantOf []int32 // tenant index -> 1 + index in tenants, 0 = shared chain
	tenants  []tenantChain
	drift    *drift // set: the shared chain follows drift's mixes instead of phases
}

type needsPhase struct {
	start int64 // ns
	mix   mix
	p     float64
}

type tenantChain struct {
	chain
	mix mix
	p   float64
}

func newNeedsModel(n *NeedsConfig, r *rand.Rand) *needsModel {
	m := &needsModel{r: r}
	w := make([]float64, len(n.Class))
	for i, c := range n.Class {
		m.minAcc = append(m.minAcc, c.MinAccuracy)
		m.sloNs = append(m.sloNs, c.SLONs())
		w[i] = c.Weight
	}
	if len(n.Phase) == 0 || n.Phase[0].StartS > 0 {
		m.phases = append(m.phases, needsPhase{start: 0, mix: newMix(w), p: n.Locality})
	}
	for _, ph := range n.Phase {
		p := n.Locality
		if ph.Locality != nil {
			p = *ph.Locality
		}
		m.phases = append(m.phases, needsPhase{start: secondsToNs(ph.StartS), mix: newMix(ph.Weights), p: p})
	}
	if n.Drift.set() {
		m.drift = newDrift(&n.Drift, w)
	}
	m.shared.epoch = noEpoch
	maxT := int32(-1)
	for _, t := range n.Tenant {
		maxT = max(maxT, t.Tenant)
	}
	if maxT >= 0 {
		m.tenantOf = make([]int32, maxT+1)
	}
	for _, t := range n.Tenant {
		p := n.Locality
		if t.Locality != nil {
			p = *t.Locality
		}
		m.tenants = append(m.tenants, tenantChain{chain: chain{epoch: noEpoch}, mix: newMix(t.Weights), p: p})
		m.tenantOf[t.Tenant] = int32(len(m.tenants))
	}
	return m
}

// assign sets q's class and needs from q.Arrival and q.Tenant.
func (m *needsModel) assign(q *Query) {
	var c int32
	if t := q.Tenant; t >= 0 && int(t) < len(m.tenantOf) && m.tenantOf[t] != 0 {
		tc := &m.tenants[m.tenantOf[t]-1]
		c = m.step(&tc.chain, 0, &tc.mix, tc.p)
	} else if m.drift != nil {
		e, mx := m.drift.at(q.Arrival)
		c = m.step(&m.shared, e, mx, m.phases[0].p)
	} else {
		for m.phase+1 < len(m.phases) && m.phases[m.phase+1].start <= q.Arrival {
			m.phase++
		}
		ph := &m.phases[m.phase]
		c = m.step(&m.shared, int32(m.phase), &ph.mix, ph.p)
	}
	q.Class = c
	q.MinAccuracy = m.minAcc[c]
	q.SLO = m.sloNs[c]
}

// step advances one chain. The first query of a chain, and the first after
// a phase boundary, draws from the mix: a new phase's mix takes effect at
// once even when p = 1.
func (m *needsModel) step(ch *chain, epoch int32, mx *mix, p float64) int32 {
	if ch.epoch == epoch && m.r.Float64() < p {
		return ch.cur
	}
	ch.epoch = epoch
	ch.cur = mx.draw(m.r.Float64())
	return ch.cur
}

// secondsToNs converts a configured time in seconds to ns, rounded.
func secondsToNs(s float64) int64 {
	ns := math.Round(s * 1e9)
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(ns)
}

// SLONs is the class's SLO in ns, rounded: the one conversion of slo_ms.
func (c NeedClass) SLONs() int64 { return int64(math.Round(c.SLOMs * 1e6)) }
