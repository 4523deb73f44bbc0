package policies

// JSQ joins the shortest queue (waiting + in service), the classic
// load-balancing baseline (Winston 1977, optimal for identical exponential
// servers); ties go to the lowest index, so runs are deterministic. When
// the view keeps its instances indexed by queue length (ShortestQueuer, as
// the engine's cluster does) the answer is O(1); otherwise it scans every
// instance: O(N) per query.
type JSQ struct{}

// ShortestQueuer is an optional ClusterView extension: the instance with
// the fewest queries (waiting plus in service), lowest index among ties,
// from an index the view maintains.
type ShortestQueuer interface {
	ShortestQueue() int
}

// Route implements Router.
func (JSQ) Route(_ Need, c ClusterView) int {
	if sq, ok := c.(ShortestQueuer); ok {
		return sq.ShortestQueue()
	}
	best, bl := 0, c.QueueLen(0)
	for i := 1; i < c.Instances(); i++ {
		if l := c.QueueLen(i); l < bl {
			best, bl = i, l
		}
	}
	return best
}

// JSQSpec builds JSQ; it has no parameters.
type JSQSpec struct{}

// Validate implements Spec.
func (*JSQSpec) Validate() error { return nil }

// Build implements Spec.
func (*JSQSpec) Build(*Env) (Router, error) { return JSQ{}, nil }
