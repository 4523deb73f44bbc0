package policies

// RoundRobin sends query k to instance k mod N: blind to load and to what
// each instance holds, the classic baseline. O(1).
type RoundRobin struct{ next int }

// Route implements Router.
func (r *RoundRobin) Route(_ Need, c ClusterView) int {
	i := r.next % c.Instances()
	r.next = i + 1
	return i
}

// RoundRobinSpec builds RoundRobin; it has no parameters.
type RoundRobinSpec struct{}

// Validate implements Spec.
func (*RoundRobinSpec) Validate() error { return nil }

// Build implements Spec.
func (*RoundRobinSpec) Build(*Env) (Router, error) { return &RoundRobin{}, nil }

// Needs implements Router: nothing.
func (*RoundRobin) Needs() Needs { return Needs{} }
