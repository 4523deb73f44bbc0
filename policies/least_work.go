package policies

// LeastWork sends a query to the instance where it is expected to finish
// first: backlog (the predicted work queued there) plus the service the
// selector would give it there with that instance's resident SubGraph and
// cost table. It is "least work left" (shortest expected delay, SED) with
// per-instance service, exact over every instance: O(N) per query, plus a
// selector scan (O(catalog)) for each instance whose backlog alone does not
// already rule it out. Ties go to the lowest index.
type LeastWork struct{}

// Route implements Router.
func (LeastWork) Route(n Need, c ClusterView) int {
	best, bs := 0, finishNs(c, 0, n)
	for i := 1; i < c.Instances(); i++ {
		if c.BacklogNs(i) >= bs {
			continue // cannot finish first: service is never negative
		}
		if s := finishNs(c, i, n); s < bs {
			best, bs = i, s
		}
	}
	return best
}

// LeastWorkSpec builds LeastWork; it has no parameters.
type LeastWorkSpec struct{}

// Validate implements Spec.
func (*LeastWorkSpec) Validate() error { return nil }

// Build implements Spec.
func (*LeastWorkSpec) Build(*Env) (Router, error) { return LeastWork{}, nil }
