package policies

import "github.com/sushisim/sushisim/models"

// LRU is the classic cache baseline, at the granularity SUSHI's PB works
// in: each SuperNet layer's resident weights are one entry (a leading
// slice), and entries are kept in least-recently-used order (SUSHI's own
// baselines are not public; LRU is the standard online one).
//
// When a SubNet has been served, its layers are visited in execution
// order; for each layer l it needs (slice need, resident slice have):
//
//   - the entry becomes the most recently used, and is grown to the
//     smallest leading slice holding both, join(have, need), bringing in
//     the missing weights;
//   - if that join is larger than the whole PB, the entry becomes need
//     alone; if need alone is larger than the PB, the layer bypasses the
//     cache: have stays as it is (still touched), nothing is evicted for it;
//   - least-recently-used entries (whole layer slices) are evicted until
//     the entry fits, so occupancy never exceeds the capacity.
//
// Execution order makes a SubNet's last layers its most recent, so a SubNet
// larger than the PB leaves its tail resident. Updates happen between
// queries (the engine holds the PB fixed while a query runs); a
// within-query LRU would evict that tail before reaching it and, on a
// SubNet larger than the PB, never hit. Served reports a change only when
// the resident weights differ from before (recency alone is no reload);
// Served costs O(layers), allocates only on a change, and is O(1) for a
// SubNet repeated once its pass has stopped changing anything.
type LRU struct {
	cat  *Catalog
	cap  int64 // PB capacity in weight elements
	used int64

	cur      []models.Slice // per layer: what the PB holds now
	curW     []int64        // per layer: cur's weights
	res      []models.Slice // resident's slices, to compare cur against
	resident models.SubGraph
	// LRU order as a doubly linked list over layer ids; index n (the number
	// of layers) is the sentinel: next[n] is the least, prev[n] the most
	// recently used.
	prev, next []int32
	held       []bool

	last  int32 // SubNet of the previous Served
	fixed bool  // serving last again changes nothing (see Served)

	writeAllocate bool // fill on use (LRUSpec.WriteAllocate)
}

func newLRU(cat *Catalog, capacity int64) *LRU {
	n := cat.Layers()
	l := &LRU{
		cat: cat, cap: capacity,
		cur:      make([]models.Slice, n),
		curW:     make([]int64, n),
		res:      make([]models.Slice, n),
		resident: models.NewSubGraph(n),
		prev:     make([]int32, n+1),
		next:     make([]int32, n+1),
		held:     make([]bool, n),
	}
	l.prev[n], l.next[n] = int32(n), int32(n)
	l.last = -1
	return l
}

// Resident is what the PB holds after the last Served.
func (l *LRU) Resident() models.SubGraph { return l.resident }

// Used is the PB occupancy in weight elements.
func (l *LRU) Used() int64 { return l.used }

// Needs implements Cache: with write_allocate the slices LRU brings in are
// captured as the served SubNet streams them from DRAM (fill on use: the
// engine charges their PB writes and reads from DRAM only what was not
// streamed); without it (the default) they are reloaded like any other
// policy's.
func (l *LRU) Needs() Needs { return Needs{FillOnUse: l.writeAllocate} }

// Served brings SubNet i's layer slices in, most recent last.
func (l *LRU) Served(i int32) bool {
	if i == l.last && l.fixed {
		return false
	}
	changed := l.serve(i)
	// A SubNet served twice in a row without a change has reached a fixed
	// point: the second pass left the same layers, so the same untouched
	// ones in the same order, and i's layers last in execution order, so
	// the state equals the one before it and serving i again repeats it.
	// Further repeats are then O(1).
	l.fixed = i == l.last && !changed
	l.last = i
	return changed
}

func (l *LRU) serve(i int32) bool {
	g := l.cat.Graphs[i]
	for _, layer := range l.cat.SubNets[i].Layers {
		l.touch(layer.ID, g.At(layer.ID))
	}
	changed := false
	for id, s := range l.cur {
		if !sameSlice(s, l.res[id]) {
			changed = true
			break
		}
	}
	if changed {
		l.resident = models.SubGraphFromSlices(l.cur)
		copy(l.res, l.cur)
	}
	return changed
}

func (l *LRU) touch(id int32, need models.Slice) {
	if need.Empty() {
		return
	}
	have := l.cur[id]
	if l.held[id] && need.K <= have.K && need.C <= have.C && need.R <= have.R {
		l.unlink(id) // a hit: only the recency changes
		l.pushMRU(id)
		return
	}
	want := join(have, need)
	ww := want.Weights()
	if ww > l.cap {
		want, ww = need, need.Weights()
		if ww > l.cap {
			want, ww = have, l.curW[id] // bypass: too big for the PB
		}
	}
	if l.held[id] {
		l.unlink(id)
	}
	l.used -= l.curW[id]
	l.cur[id], l.curW[id] = models.Slice{}, 0
	sentinel := int32(len(l.cur))
	for l.used+ww > l.cap {
		l.evict(l.next[sentinel])
	}
	if ww == 0 {
		return
	}
	l.cur[id], l.curW[id] = want, ww
	l.used += ww
	l.pushMRU(id)
}

func (l *LRU) evict(id int32) {
	l.unlink(id)
	l.used -= l.curW[id]
	l.cur[id], l.curW[id] = models.Slice{}, 0
}

func (l *LRU) unlink(id int32) {
	p, n := l.prev[id], l.next[id]
	l.next[p], l.prev[n] = n, p
	l.held[id] = false
}

func (l *LRU) pushMRU(id int32) {
	s := int32(len(l.cur))
	last := l.prev[s]
	l.next[last], l.prev[id] = id, last
	l.next[id], l.prev[s] = s, id
	l.held[id] = true
}

// LRUSpec builds LRU (the capacity is the PB's).
type LRUSpec struct {
	// WriteAllocate (default false) fills the PB from the weights a query
	// streams anyway, as a hardware LRU buffer would; false pays a full
	// reload of new weights, as every other policy does.
	WriteAllocate bool `toml:"write_allocate"`
}

// Validate implements Spec.
func (*LRUSpec) Validate() error { return nil }

// Build implements Spec.
func (s *LRUSpec) Build(env *Env) (Cache, error) {
	if err := checkCacheEnv(env); err != nil {
		return nil, err
	}
	l := newLRU(env.Catalog, pbCapacity(env.Hardware))
	l.writeAllocate = s.WriteAllocate
	return l, nil
}
