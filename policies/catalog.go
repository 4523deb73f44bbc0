package policies

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// Catalog is what policies know of the SubNets they choose among, with the
// orderings they need precomputed once so the per-query path only scans.
type Catalog struct {
	SubNets    []*models.SubNet
	Graphs     []models.SubGraph // Graphs[i] = SubNets[i].SubGraph()
	ByAccuracy []int32           // indices, most accurate first (ties: fewer MACs first)
}

// NewCatalog precomputes a Catalog.
func NewCatalog(subnets []*models.SubNet) *Catalog {
	c := &Catalog{SubNets: subnets}
	for i, s := range subnets {
		c.Graphs = append(c.Graphs, s.SubGraph())
		c.ByAccuracy = append(c.ByAccuracy, int32(i))
	}
	slices.SortStableFunc(c.ByAccuracy, func(a, b int32) int {
		sa, sb := subnets[a], subnets[b]
		if r := cmp.Compare(sb.Accuracy, sa.Accuracy); r != 0 {
			return r
		}
		return cmp.Compare(sa.MACs(), sb.MACs())
	})
	return c
}

// Env is everything a policy may consult when it is built: the catalog, the
// accelerator it serves (for capacities and costs) and its own random stream.
type Env struct {
	Catalog *Catalog
	// Hardware and Table are those of the instance a cache serves (one
	// cache per instance, built with its own group's hardware). They are nil
	// for the cluster-wide selector and router, which serve instances of
	// every group: they see each instance's costs in the SushiAbs row and
	// the ClusterView the engine hands them, never one group's hardware.
	Hardware *accel.Hardware
	Table    *accel.Table
	Rand     *rand.Rand
	Selector Selector // set for routers: the run's selector, to predict service
	// Warmup returns the share of each catalog SubNet in a warm-up pass of
	// the same workload without caching (what static caching chosen offline
	// is built from), over its first untilS simulated seconds (0: all of
	// it). Each pass runs on the first call for its length only, so a spec
	// that never calls it costs nothing; nil when the run offers none.
	Warmup func(untilS float64) ([]float64, error)
	// Memo is shared by the policies of one run to skip repeated work
	// (NewRunMemo, one per run; nil: nothing shared). It never changes
	// results.
	Memo *RunMemo
}

// Need is a query as policies see it.
type Need struct {
	MinAccuracy float64 // percent
	SLO         int64   // ns
	Waited      int64   // ns already spent queued when the decision is made
}

// Layers is the number of SuperNet layers every SubGraph of the catalog
// spans (0 for an empty catalog).
func (c *Catalog) Layers() int {
	n := 0
	for _, g := range c.Graphs {
		n = max(n, g.Len())
	}
	return n
}

// Index is the catalog position of the SubNet named name, or -1.
func (c *Catalog) Index(name string) int {
	for i, s := range c.SubNets {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// names lists the catalog's SubNet names, for error messages.
func (c *Catalog) names() []string {
	out := make([]string, len(c.SubNets))
	for i, s := range c.SubNets {
		out[i] = s.Name
	}
	return out
}

// pbCapacity is the persistent buffer's capacity in weight elements, by
// accel's one weights-to-bytes rule.
func pbCapacity(h *accel.Hardware) int64 {
	return h.PBBytes / h.WeightBytes(1)
}

// checkCacheEnv reports what a cache policy's Build needs and env lacks.
func checkCacheEnv(env *Env) error {
	if env == nil || env.Catalog == nil || len(env.Catalog.SubNets) == 0 {
		return fmt.Errorf("cache: needs a non-empty catalog")
	}
	if env.Hardware == nil {
		return fmt.Errorf("cache: needs the instance's hardware")
	}
	return nil
}
