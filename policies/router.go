package policies

import (
	"fmt"
	"math/rand/v2"
)

// ClusterView is what a router may ask about the instances. Every method is
// O(1) except ServiceNs, which is one selector scan of the catalog.
type ClusterView interface {
	Instances() int
	// QueueLen is the number of queries at instance i: waiting plus in service.
	QueueLen(i int) int
	// BacklogNs is the predicted time until instance i could start one more
	// query: the rest of its current work plus the predicted service of
	// every query waiting there. The waiting part is kept only for routers
	// whose Needs ask for Backlog (the engine skips the prediction for the
	// others); otherwise it is the work in service alone.
	BacklogNs(i int) int64
	// ServiceNs is the service time instance i would give need n now, with
	// the SubGraph resident there (the selector's choice on its SushiAbs row).
	ServiceNs(i int, n Need) int64
	// ShortestQueue is the instance with the fewest queries (waiting plus
	// in service), lowest index among ties. The engine answers in O(1)
	// from an index it keeps (built on the first call).
	ShortestQueue() int
}

// Router picks the instance a query joins. One Router serves a cluster;
// its only randomness is Env.Rand, and ties break deterministically.
type Router interface {
	Route(n Need, c ClusterView) int
	Needs() Needs
}

// sampler draws d distinct instances of n uniformly at random (Floyd's
// algorithm, CACM 1987: d draws, no rejection loop) into a buffer it
// reuses, so sampling is O(d^2) time (trivial for the d = 2 of
// power-of-two and the 4 samples of auto) and allocation-free once the
// buffer has grown. With d >= n it returns every instance in index order
// and draws nothing.
type sampler struct {
	r   *rand.Rand
	buf []int
}

func (s *sampler) draw(n, d int) []int {
	s.buf = s.buf[:0]
	if d >= n {
		for i := 0; i < n; i++ {
			s.buf = append(s.buf, i)
		}
		return s.buf
	}
	for j := n - d; j < n; j++ {
		t := s.r.IntN(j + 1)
		for _, x := range s.buf {
			if x == t {
				t = j // t already drawn: j cannot have been
				break
			}
		}
		s.buf = append(s.buf, t)
	}
	return s.buf
}

func checkRouterRand(env *Env, name string) error {
	if env == nil || env.Rand == nil {
		return fmt.Errorf("router: %s needs a random stream (Env.Rand)", name)
	}
	return nil
}

// finishNs is a query's expected finish on instance i, relative to now: the
// instance's backlog plus the service its selector would give the query
// there (least-work and affinity score by it). A query the selector would
// drop there scores its backlog alone.
func finishNs(c ClusterView, i int, n Need) int64 {
	return c.BacklogNs(i) + c.ServiceNs(i, n)
}

// d, for every sampling router (power-of-two, least-work, affinity), is
// the number of candidate instances it scores per query: power-of-two
// draws all d at random; least-work and affinity take the shortest queue
// and d - 1 random others (affinity also scores the instance its need
// class went to last: remembered, not sampled). d >= N scores every
// instance. For least-work and affinity d = 0 means auto: exhaustive in
// small clusters, where a scan is cheap and exact, and 5 candidates (the
// shortest queue and 4 samples) in large ones, where an O(N) scan per
// query would dominate the run.
const (
	autoExhaustive = 32
	autoCandidates = 5
)

func autoD(d, n int) int {
	switch {
	case d > 0:
		return d
	case n <= autoExhaustive:
		return n
	}
	return autoCandidates
}

// validateAutoD checks the d key of the routers that take auto (d = 0).
func validateAutoD(d int) error {
	if d < 0 {
		return fmt.Errorf("d: must be >= 0 (0 = auto: every instance up to %d, else %d: the shortest queue and %d samples), got %d", autoExhaustive, autoCandidates, autoCandidates-1, d)
	}
	return nil
}

// candidates calls score on the d instances least-work and affinity weigh
// (0 = auto): every instance in index order when d reaches N, else the
// shortest queue (O(1) from the engine's index) and d - 1 instances
// sampled without replacement. An instance may be scored twice; scoring
// is idempotent.
func (s *sampler) candidates(c ClusterView, d int, score func(i int)) {
	n := c.Instances()
	if d = autoD(d, n); d >= n {
		for i := 0; i < n; i++ {
			score(i)
		}
		return
	}
	score(c.ShortestQueue())
	if d > 1 {
		for _, i := range s.draw(n, d-1) {
			score(i)
		}
	}
}
