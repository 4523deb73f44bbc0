package policies

import "github.com/sushisim/sushisim/models"

// Cache decides what an accelerator keeps resident in its persistent buffer
// (PB). One Cache value belongs to one instance.
type Cache interface {
	// Resident is the SubGraph the policy wants in the PB now. It never
	// exceeds the PB capacity.
	Resident() models.SubGraph
	// Served tells the policy that catalog SubNet i was just served. It
	// reports true when the policy changed Resident: the engine then charges
	// the reload of the new weights.
	Served(i int32) bool
	// Needs is what the policy asks of the engine (read once per run).
	Needs() Needs
}

// NoCache keeps the PB empty: every weight comes from DRAM on every query.
// It is the baseline SUSHI's savings are measured against.
type NoCache struct{ empty models.SubGraph }

// Resident is always the empty SubGraph.
func (c *NoCache) Resident() models.SubGraph { return c.empty }

// Served never changes anything.
func (c *NoCache) Served(int32) bool { return false }

// Needs implements Cache: nothing.
func (*NoCache) Needs() Needs { return Needs{} }

// Future shows a clairvoyant policy the queries still to arrive.
type Future interface {
	// Peek is the need of the k-th query still to arrive (0 = the next);
	// false past the end of the stream or beyond the requested lookahead.
	Peek(k int) (Need, bool)
}

// NoneSpec builds NoCache; it has no parameters.
type NoneSpec struct{}

// Validate implements Spec.
func (*NoneSpec) Validate() error { return nil }

// Build implements Spec.
func (*NoneSpec) Build(*Env) (Cache, error) { return &NoCache{}, nil }
