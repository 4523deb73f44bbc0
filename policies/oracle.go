package policies

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// Oracle is SGS with perfect knowledge of the future instead of a memory of
// the past: at its first served query and every Q after, it reads the needs
// of the next W queries still to arrive (Future), maps each to the SubNet
// the run's selector would pick for it on the instance's current SushiAbs
// row (with no wait), and runs SGS's knapsack and reload rule on those
// future SubNets. It bounds what any online policy that decides as often
// could gain from knowing what comes next: it is the best of the same
// greedy construction given perfect information, not a proven optimum
// (choosing residency over time with reload costs is itself a hard
// problem). Its forecast is exact when the selector's choice does not
// depend on the wait (latency-first) or queues are short; a query that
// waits may get a faster SubNet than forecast (accuracy-first, slack), and
// queries already queued are not in the future it reads. In a cluster each
// instance's oracle sees the whole stream's future, not only the queries
// the router will send it, so it is a bound for one instance and an
// approximation beyond. Assumed construction (the SUSHI paper has no
// oracle); recorded in docs/assumptions.md.
type Oracle struct {
	q, w  int
	rule  candidateRule
	cap   int64
	table *accel.Table
	sel   Selector
	fut   Future
	since int

	resident models.SubGraph
	row      accel.Row // SushiAbs row of resident
	pk       *packer   // weight[i] = SubNet i's count in the future window
}

// Resident is the SubGraph the oracle last adopted.
func (o *Oracle) Resident() models.SubGraph { return o.resident }

// Needs implements Cache: the oracle sees W queries ahead.
func (o *Oracle) Needs() Needs { return Needs{Lookahead: o.w, SetFuture: o.setFuture} }

func (o *Oracle) setFuture(f Future) { o.fut = f }

// Served decides at the first served query and every Q after.
func (o *Oracle) Served(int32) bool {
	o.since++
	if o.since < o.q {
		return false
	}
	o.since = 0
	if o.fut == nil {
		return false
	}
	clear(o.pk.weight)
	seen := 0
	for k := 0; k < o.w; k++ {
		n, ok := o.fut.Peek(k)
		if !ok {
			break
		}
		seen++
		if s := o.sel.Select(n, o.row); s >= 0 {
			o.pk.weight[s]++
		}
	}
	if o.pk.unchanged(seen) {
		return false // the same future as last time decides the same
	}
	if !o.pk.refresh() {
		return false // the stream ends or everything would be dropped
	}
	o.pk.build(o.rule, o.cap)
	next, changed := o.pk.decideSwitch(o.resident, o.q, seen)
	if changed {
		o.resident = next
		o.row = o.table.Row(next)
	}
	return changed
}

// OracleSpec holds the oracle's parameters: SGS's, with the window looking
// ahead instead of back.
type OracleSpec struct {
	Q          int    `toml:"q"`          // decide every Q served queries
	Window     int    `toml:"window"`     // from the next Window queries to arrive
	Candidates string `toml:"candidates"` // "greedy" | "intersection" | "most-frequent"
}

// Validate implements Spec.
func (s *OracleSpec) Validate() error {
	sg := SGSSpec(*s)
	return sg.Validate()
}

// Build implements Spec. The oracle predicts with the run's selector, so
// env.Selector must be set (as for routers).
func (s *OracleSpec) Build(env *Env) (Cache, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkCacheEnv(env); err != nil {
		return nil, err
	}
	if env.Table == nil || env.Selector == nil {
		return nil, fmt.Errorf("cache: oracle needs the instance's SushiAbs table and the run's selector (Env.Table, Env.Selector)")
	}
	sg := SGSSpec(*s)
	rule, _ := parseCandidateRule(sg.candidates())
	empty := models.NewSubGraph(env.Catalog.Layers())
	return &Oracle{
		q: s.Q, w: s.Window, rule: rule, cap: pbCapacity(env.Hardware),
		table: env.Table, sel: env.Selector,
		since:    s.Q - 1, // decide at the first served query
		resident: empty,
		row:      env.Table.Row(empty),
		pk:       newPacker(env.Catalog),
	}, nil
}
