package policies

// LeastWork sends a query to the instance where it is expected to finish
// first: backlog (the predicted work queued there) plus the service the
// selector would give it there with that instance's resident SubGraph and
// cost table. It is "least work left" (shortest expected delay, SED) with
// per-instance service. Candidates: every instance when d >= N, else d of
// them: the shortest queue and d - 1 instances sampled without
// replacement; d = 0 (the default) is auto, as for affinity: exhaustive up
// to 32 instances, 5 candidates beyond, so a query costs O(d) selector
// scans in large clusters. An instance whose backlog
// alone cannot beat the best finish so far is skipped without a scan (the
// skip is exact). Ties go to the first scored (the lowest index when
// scoring all).
type LeastWork struct {
	d int
	s sampler
}

// Needs implements Router: least-work reads backlogs.
func (*LeastWork) Needs() Needs { return Needs{Backlog: true} }

// Route implements Router.
func (l *LeastWork) Route(n Need, c ClusterView) int {
	best, bs := -1, int64(0)
	score := func(i int) {
		if best >= 0 && c.BacklogNs(i) >= bs {
			return // cannot finish first: service is never negative
		}
		if f := finishNs(c, i, n); best < 0 || f < bs {
			best, bs = i, f
		}
	}
	l.s.candidates(c, l.d, score)
	return best
}

// LeastWorkSpec holds least-work's parameters.
type LeastWorkSpec struct {
	D int `toml:"d"` // candidates scored per query: the shortest queue and d - 1 samples; 0 = auto (default)
}

// Validate implements Spec.
func (s *LeastWorkSpec) Validate() error {
	return validateAutoD(s.D)
}

// Build implements Spec.
func (s *LeastWorkSpec) Build(env *Env) (Router, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkRouterRand(env, "least-work"); err != nil {
		return nil, err
	}
	return &LeastWork{d: s.D, s: sampler{r: env.Rand}}, nil
}
