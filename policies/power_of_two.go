package policies

import "fmt"

// PowerOfTwo samples d distinct instances uniformly and joins the one with
// the shortest queue (waiting + in service); ties go to the first sampled.
// "The power of two choices" (Mitzenmacher, IEEE TPDS 2001; Vvedenskaya et
// al. 1996): d = 2 already cuts JSQ's queueing to near its level at O(d)
// cost per query instead of O(N).
type PowerOfTwo struct {
	d int
	s sampler
}

// Route implements Router.
func (p *PowerOfTwo) Route(_ Need, c ClusterView) int {
	cand := p.s.draw(c.Instances(), p.d)
	best, bl := cand[0], c.QueueLen(cand[0])
	for _, i := range cand[1:] {
		if l := c.QueueLen(i); l < bl {
			best, bl = i, l
		}
	}
	return best
}

// PowerOfTwoSpec holds power-of-two's parameter.
type PowerOfTwoSpec struct {
	D int `toml:"d"` // instances sampled per query (default 2)
}

// Validate implements Spec.
func (s *PowerOfTwoSpec) Validate() error {
	if s.D < 1 {
		return fmt.Errorf("d: must be >= 1, got %d", s.D)
	}
	return nil
}

// Build implements Spec.
func (s *PowerOfTwoSpec) Build(env *Env) (Router, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkRouterRand(env, "power-of-two"); err != nil {
		return nil, err
	}
	return &PowerOfTwo{d: s.D, s: sampler{r: env.Rand}}, nil
}

// Needs implements Router: queue lengths only.
func (*PowerOfTwo) Needs() Needs { return Needs{} }
