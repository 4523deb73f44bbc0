package policies

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
)

// Drop is what a Selector returns to turn a query away (admission
// control); the engine counts it as dropped.
const Drop int32 = -1

// Selector picks the SubNet (a catalog index) that serves a query, given the
// costs of every SubNet with the instance's resident SubGraph. Because the
// row reflects what is resident, a SubNet that reuses the PB looks cheaper,
// which is how caching turns into served accuracy. Selectors are stateless:
// one value serves the whole cluster, and routers and lookahead may call
// it to predict. Select is one scan of the catalog and allocates nothing.
type Selector interface {
	Select(n Need, row accel.Row) int32
	Needs() Needs
}

// Admission values (the "admission" key every selector takes).
const (
	// admServeLate serves every query, late if it must (the default).
	admServeLate = "serve-late"
	// admDrop drops, at dispatch, a query that no catalog SubNet can serve
	// within both its needs: none has accuracy >= MinAccuracy and
	// Waited + its latency on the instance's current row <= SLO. The rule is
	// the same whatever the selector, so drop counts compare across them.
	admDrop = "drop"
)

// parseAdmission reports whether the admission value drops; "" is the default.
func parseAdmission(s string) (bool, error) {
	switch s {
	case "", admServeLate:
		return false, nil
	case admDrop:
		return true, nil
	}
	return false, fmt.Errorf("admission: must be %q or %q, got %q", admServeLate, admDrop, s)
}

// meetsSLO says whether a SubNet of that latency finishes within the SLO
// when it starts after waited.
func meetsSLO(n *Need, latencyNs int64) bool { return n.Waited+latencyNs <= n.SLO }

// SelectorParams are the keys every selector takes.
type SelectorParams struct {
	Admission string `toml:"admission"` // "serve-late" (default) | "drop"
	// CacheAware (default true) lets the selector see what the PB holds.
	// false makes it cache-blind: it chooses as if the PB were empty (the
	// SubNet still runs with whatever is resident), the baseline against
	// which SGS-aware selection's accuracy gain is measured.
	CacheAware *bool `toml:"cache_aware"`
}

// Validate implements Spec for the shared keys.
func (p *SelectorParams) Validate() error {
	_, err := parseAdmission(p.Admission)
	return err
}

// prepare checks the environment and returns the parsed shared keys.
func (p *SelectorParams) prepare(env *Env) (base selectorBase, err error) {
	if base.drop, err = parseAdmission(p.Admission); err != nil {
		return base, err
	}
	if err := checkSelectorEnv(env); err != nil {
		return base, err
	}
	base.cat = env.Catalog
	base.blind = p.CacheAware != nil && !*p.CacheAware
	return base, nil
}

// selectorBase is what every selector holds.
type selectorBase struct {
	cat   *Catalog
	drop  bool
	blind bool
}

// Needs implements Selector: a cache-blind selector is handed the
// empty-PB row instead of the resident one.
func (b *selectorBase) Needs() Needs { return Needs{CacheBlind: b.blind} }

func checkSelectorEnv(env *Env) error {
	if env == nil || env.Catalog == nil || len(env.Catalog.SubNets) == 0 {
		return fmt.Errorf("select: needs a non-empty catalog")
	}
	return nil
}
