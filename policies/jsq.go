package policies

// JSQ joins the shortest queue (waiting + in service), the classic
// load-balancing baseline (Winston 1977, optimal for identical exponential
// servers); ties go to the lowest index, so runs are deterministic. The
// view answers (ClusterView.ShortestQueue): O(1) from the engine's index.
type JSQ struct{}

// Route implements Router.
func (JSQ) Route(_ Need, c ClusterView) int { return c.ShortestQueue() }

// Needs implements Router: nothing.
func (JSQ) Needs() Needs { return Needs{} }

// JSQSpec builds JSQ; it has no parameters.
type JSQSpec struct{}

// Validate implements Spec.
func (*JSQSpec) Validate() error { return nil }

// Build implements Spec.
func (*JSQSpec) Build(*Env) (Router, error) { return JSQ{}, nil }
