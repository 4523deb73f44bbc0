package policies

import (
	"fmt"
	"math"
)

// Affinity routes a query to the instance where it is expected to finish
// first given each instance's queue and resident SubGraph, and keeps a need
// class on the instance it last went to when that costs at most a bounded
// extra wait, so queries with similar needs meet the accelerator that
// already holds their weights (sushisim's own policy; trading a
// bounded amount of load for cache affinity is the idea of consistent
// hashing with bounded loads, Mirrokni, Thorup and Zadimoghaddam, SODA
// 2018). For each candidate instance i it asks the view for
//
//	svc(i) = the service the selector would give the query on i's current
//	         SushiAbs row (lower where i's PB holds more of its weights)
//	fin(i) = BacklogNs(i) + svc(i), the query's expected finish
//
// and takes best = argmin fin. If the query's need class (minimum accuracy,
// SLO) was last sent to instance h, and
//
//	fin(h) <= fin(best) + tolerance x svc(h)
//
// the query goes to h (it accepts to wait up to tolerance times its own
// service to stay where its class's weights are), else to best, which
// becomes the class's instance. With tolerance = 0 (the default) h wins
// only ties: the rule is the expected finish, and the memory only breaks
// ties in favour of the class's instance.
//
// Candidates: h, then the d of sampler.candidates, as for least-work: the
// instance with the shortest queue (O(1) from the engine's index) and d - 1
// instances sampled uniformly without replacement, so a query costs O(d)
// selector scans; d >= N scores every instance, O(N x catalog). d = 0 (the
// default) is "auto": every instance in clusters of up to 32, 5 candidates
// (the shortest queue and 4 samples) beyond, so 1,000+ instances stay
// fast. Further ties go to h, then to the first scored (the lowest index
// when scoring all). The class memory is a fixed
// table of 256 slots keyed by a hash of the need; a collision only forgets
// a class's instance.
type Affinity struct {
	d    int
	tol  float64
	s    sampler
	hint [affinitySlots]affinityHint
}

const affinitySlots = 256

type affinityHint struct {
	key  uint64
	inst int32
	set  bool
}

// Needs implements Router: affinity reads backlogs.
func (*Affinity) Needs() Needs { return Needs{Backlog: true} }

// Route implements Router.
func (a *Affinity) Route(n Need, c ClusterView) int {
	N := c.Instances()
	key := needKey(n)
	h := &a.hint[key%affinitySlots]
	best, bestFin := -1, int64(0)
	home, homeFin, homeSvc := -1, int64(0), int64(0)
	if h.set && h.key == key && int(h.inst) < N {
		home = int(h.inst)
		homeSvc = c.ServiceNs(home, n)
		homeFin = c.BacklogNs(home) + homeSvc
		best, bestFin = home, homeFin
	}
	score := func(i int) {
		if i == home || (best >= 0 && c.BacklogNs(i) >= bestFin) {
			return // cannot finish first: service is never negative
		}
		if f := finishNs(c, i, n); best < 0 || f < bestFin {
			best, bestFin = i, f
		}
	}
	a.s.candidates(c, a.d, score)
	pick := best
	if home >= 0 && float64(homeFin) <= float64(bestFin)+a.tol*float64(homeSvc) {
		pick = home
	}
	*h = affinityHint{key: key, inst: int32(pick), set: true}
	return pick
}

// needKey hashes a need class (minimum accuracy, SLO) with splitmix64's
// finaliser (Steele et al., OOPSLA 2014), so nearby values spread over the
// class table.
func needKey(n Need) uint64 {
	x := math.Float64bits(n.MinAccuracy) ^ (uint64(n.SLO) * 0x9e3779b97f4a7c15)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// AffinitySpec holds affinity's parameters.
type AffinitySpec struct {
	D         int     `toml:"d"`         // candidates scored per query (the shortest queue and d - 1 samples) besides the class's; 0 = auto (default)
	Tolerance float64 `toml:"tolerance"` // extra wait accepted to stay on the class's instance, in units of the query's service (default 0)
}

// Validate implements Spec.
func (s *AffinitySpec) Validate() error {
	if err := validateAutoD(s.D); err != nil {
		return err
	}
	if !(s.Tolerance >= 0) || math.IsInf(s.Tolerance, 1) {
		return fmt.Errorf("tolerance: must be a finite number >= 0, got %v", s.Tolerance)
	}
	return nil
}

// Build implements Spec.
func (s *AffinitySpec) Build(env *Env) (Router, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkRouterRand(env, "affinity"); err != nil {
		return nil, err
	}
	return &Affinity{d: s.D, tol: s.Tolerance, s: sampler{r: env.Rand}}, nil
}
