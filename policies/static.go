package policies

import (
	"fmt"
	"math"
	"strings"

	"github.com/sushisim/sushisim/models"
)

// Static keeps one SubGraph resident for the whole run and never reloads:
// the "cache once, offline" baseline SGS's online adaptation is measured
// against (SUSHI's own baselines are not public; static caching is the
// obvious one). The SubGraph is either
//
//   - a named catalog SubNet (key subgraph = "<name>"): all of it when it
//     fits the PB; else the knapsack of knapsack.go with that SubNet alone
//     as the workload, which keeps its largest layer slices first (every
//     packing that fills the PB saves the same for that one SubNet); or
//   - "auto": chosen offline for the run's SubNet mix, measured by a
//     warm-up pass of the same workload without caching (Env.Warmup): the
//     same greedy knapsack as SGS, with each SubNet weighted by its share.
type Static struct{ resident models.SubGraph }

// Resident is the SubGraph chosen when the policy was built.
func (s *Static) Resident() models.SubGraph { return s.resident }

// Served never changes anything.
func (s *Static) Served(int32) bool { return false }

// Needs implements Cache: nothing at run time.
func (*Static) Needs() Needs { return Needs{} }

// staticAuto is the subgraph value that asks for the warm-up mix.
const staticAuto = "auto"

// mixScale turns a mix share into the knapsack's integer weight: 2^20
// resolves shares to 1e-6 and keeps gains far from int64 overflow.
const mixScale = 1 << 20

// StaticSpec holds the static policy's parameters.
type StaticSpec struct {
	SubGraph string `toml:"subgraph"` // "auto" (default) or a catalog SubNet name
	// WarmupS limits the warm-up pass of "auto" to the workload's first
	// WarmupS simulated seconds (0, the default: the whole workload): a
	// cache chosen at deployment from the traffic seen then, rather than
	// from the run's average mix.
	WarmupS float64 `toml:"warmup_s"`
}

// Validate implements Spec. Whether a name is in the catalog is checked by
// Build, which knows the catalog.
func (s *StaticSpec) Validate() error {
	if strings.TrimSpace(s.SubGraph) == "" {
		return fmt.Errorf("subgraph: must be %q or a catalog SubNet name, got %q", staticAuto, s.SubGraph)
	}
	if !(s.WarmupS >= 0) || math.IsInf(s.WarmupS, 0) {
		return fmt.Errorf("warmup_s: must be a finite number of seconds >= 0 (0 = the whole workload), got %v", s.WarmupS)
	}
	if s.WarmupS > 0 && s.SubGraph != staticAuto {
		return fmt.Errorf("warmup_s: only subgraph = %q runs a warm-up pass; remove it", staticAuto)
	}
	return nil
}

// WarmupRuns is how many warm-up passes building the cache spec c runs
// through Env.Warmup, each a simulated run of its own that a cost estimate
// must count: one for a static cache chosen offline ("auto"), none for
// every other cache. Only static calls Env.Warmup, so the rule has its one
// home beside it, with no optional interface for callers to probe.
func WarmupRuns(c Spec[Cache]) int {
	if s, ok := c.(*StaticSpec); ok && s.SubGraph == staticAuto {
		return 1
	}
	return 0
}

// Build implements Spec.
func (s *StaticSpec) Build(env *Env) (Cache, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkCacheEnv(env); err != nil {
		return nil, err
	}
	cat := env.Catalog
	pk := newPacker(cat)
	if s.SubGraph == staticAuto {
		var mix []float64
		if env.Warmup != nil {
			var err error
			if mix, err = env.Warmup(s.WarmupS); err != nil {
				return nil, fmt.Errorf("warm-up: %w", err)
			}
		}
		if len(mix) != len(cat.SubNets) {
			return nil, fmt.Errorf("subgraph: %q needs the SubNet mix of a warm-up pass (%d shares for %d SubNets)", staticAuto, len(mix), len(cat.SubNets))
		}
		for i, f := range mix {
			if !(f >= 0 && f <= 1) { // also rejects NaN
				return nil, fmt.Errorf("subgraph: warm-up share of %s is %v, not in [0, 1]", cat.SubNets[i].Name, f)
			}
			pk.weight[i] = int64(math.Round(f * mixScale))
		}
	} else {
		i := cat.Index(s.SubGraph)
		if i < 0 {
			return nil, fmt.Errorf("subgraph: unknown SubNet %q (allowed: %q or one of %s)", s.SubGraph, staticAuto, strings.Join(cat.names(), ", "))
		}
		pk.weight[i] = 1
	}
	if !pk.refresh() {
		return &Static{resident: models.NewSubGraph(cat.Layers())}, nil // nothing served in the warm-up
	}
	pk.build(ruleGreedy, pbCapacity(env.Hardware))
	return &Static{resident: models.SubGraphFromSlices(pk.slices)}, nil
}
