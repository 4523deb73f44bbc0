package policies

import (
	"fmt"
	"strings"

	"github.com/sushisim/sushisim/accel"
)

// Fixed serves every query with one named catalog SubNet: serving a single
// static model, the baseline a weight-shared SuperNet is an alternative to
// (SUSHI's case is that no single point of the latency-accuracy trade-off
// suits needs that change). Needs are not consulted, except that with
// admission "drop" a query is dropped when that SubNet misses its accuracy
// need or, started now, its SLO: the same rule as every selector, with a
// catalog of one.
type Fixed struct {
	selectorBase
	i   int32
	acc float64
}

// Select implements Selector.
func (f *Fixed) Select(n Need, row accel.Row) int32 {
	if f.drop && (f.acc < n.MinAccuracy || !meetsSLO(&n, row[f.i].LatencyNs)) {
		return Drop
	}
	return f.i
}

// fixedMostAccurate is the subnet value (the default) naming the catalog's
// most accurate SubNet, whatever it is called.
const fixedMostAccurate = "most-accurate"

// FixedSpec builds Fixed.
type FixedSpec struct {
	SubNet string `toml:"subnet"` // the catalog SubNet serving every query, or "most-accurate"
	SelectorParams
}

// Validate implements Spec; whether the name is in the catalog is checked
// by Build, which knows the catalog.
func (s *FixedSpec) Validate() error {
	if strings.TrimSpace(s.SubNet) == "" {
		return fmt.Errorf("subnet: must be %q or a catalog SubNet name, got %q", fixedMostAccurate, s.SubNet)
	}
	return s.SelectorParams.Validate()
}

// Build implements Spec.
func (s *FixedSpec) Build(env *Env) (Selector, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	base, err := s.prepare(env)
	if err != nil {
		return nil, err
	}
	i := env.Catalog.Index(s.SubNet)
	if s.SubNet == fixedMostAccurate {
		i = int(env.Catalog.ByAccuracy[0])
	}
	if i < 0 {
		return nil, fmt.Errorf("subnet: unknown SubNet %q (allowed: %q or one of %s)", s.SubNet, fixedMostAccurate, strings.Join(env.Catalog.names(), ", "))
	}
	return &Fixed{selectorBase: base, i: int32(i), acc: env.Catalog.SubNets[i].Accuracy}, nil
}
