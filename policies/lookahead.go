package policies

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// Lookahead is SGS with knowledge of the future instead of a memory of the
// past: at its first served query and every Q after, it reads the needs of
// the next W queries still to arrive (Future), maps each to the SubNet the
// run's selector would pick for it on the instance's current SushiAbs row
// (with no wait), and runs SGS's knapsack and reload rule on those future
// SubNets. It is a clairvoyant heuristic, not a bound: the greedy knapsack
// and switch rule are not optimal, its forecast is wrong when a query that
// waited gets a faster SubNet (accuracy-first, slack), queries already
// queued are not in the future it reads, and in a cluster each instance
// sees the whole stream, not only its share. It was called "oracle" and
// measured above static and LRU in some setups; the bounds are in
// bound.go (FreeReloadBytes, OptimalSchedule), shown by tests to be under
// every online policy. Assumed construction; recorded in
// docs/assumptions.md.
type Lookahead struct {
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

// Resident is the SubGraph lookahead last adopted.
func (l *Lookahead) Resident() models.SubGraph { return l.resident }

// Needs implements Cache: lookahead sees W queries ahead.
func (l *Lookahead) Needs() Needs { return Needs{Lookahead: l.w, SetFuture: l.setFuture} }

func (l *Lookahead) setFuture(f Future) { l.fut = f }

// Served decides at the first served query and every Q after.
func (l *Lookahead) Served(int32) bool {
	l.since++
	if l.since < l.q {
		return false
	}
	l.since = 0
	if l.fut == nil {
		return false
	}
	clear(l.pk.weight)
	seen := 0
	for k := 0; k < l.w; k++ {
		n, ok := l.fut.Peek(k)
		if !ok {
			break
		}
		seen++
		if s := l.sel.Select(n, l.row); s >= 0 {
			l.pk.weight[s]++
		}
	}
	if l.pk.unchanged(seen) {
		return false // the same future as last time decides the same
	}
	if !l.pk.refresh() {
		return false // the stream ends or everything would be dropped
	}
	l.pk.build(l.rule, l.cap)
	next, changed := l.pk.decideSwitch(l.resident, l.q, seen)
	if changed {
		l.resident = next
		l.row = l.table.Row(next)
	}
	return changed
}

// LookaheadSpec holds lookahead's parameters: SGS's, with the window looking
// ahead instead of back.
type LookaheadSpec struct {
	Q          int    `toml:"q"`          // decide every Q served queries
	Window     int    `toml:"window"`     // from the next Window queries to arrive
	Candidates string `toml:"candidates"` // "greedy" | "intersection" | "most-frequent"
}

// Validate implements Spec.
func (s *LookaheadSpec) Validate() error {
	sg := SGSSpec(*s)
	return sg.Validate()
}

// Build implements Spec. Lookahead predicts with the run's selector, so
// env.Selector must be set (as for routers).
func (s *LookaheadSpec) Build(env *Env) (Cache, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkCacheEnv(env); err != nil {
		return nil, err
	}
	if env.Table == nil || env.Selector == nil {
		return nil, fmt.Errorf("cache: lookahead needs the instance's SushiAbs table and the run's selector (Env.Table, Env.Selector)")
	}
	sg := SGSSpec(*s)
	rule, _ := parseCandidateRule(sg.candidates())
	empty := models.NewSubGraph(env.Catalog.Layers())
	return &Lookahead{
		q: s.Q, w: s.Window, rule: rule, cap: pbCapacity(env.Hardware),
		table: env.Table, sel: env.Selector,
		since:    s.Q - 1, // decide at the first served query
		resident: empty,
		row:      env.Table.Row(empty),
		pk:       newPacker(env.Catalog),
	}, nil
}
