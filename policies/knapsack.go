package policies

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/sushisim/sushisim/internal/enum"
	"github.com/sushisim/sushisim/models"
)

// The knapsack over layer slices is how sgs, lookahead and static ("auto")
// choose a SubGraph for the persistent buffer: given how often each catalog
// SubNet is expected (a count over a window, or a scaled share of a mix),
// pick per SuperNet layer the leading slice to keep so that the weights the
// PB serves, summed over the expected SubNets, are as large as possible
// within the PB capacity. Exact 0/1 knapsack is NP-hard and the options of
// one layer are nested, so it is solved greedily: repeatedly grow the layer
// slice with the highest gain per added weight (SUSHI's "expected off-chip
// bytes saved per unit of PB"; the paper does not give the rule, so the
// greedy order is assumed, docs/assumptions.md).

// candidateRule names where the greedy growth starts and what bounds it.
type candidateRule uint8

const (
	// ruleGreedy starts from the intersection of the expected SubNets (the
	// weights every one of them reuses) when it fits, else from nothing,
	// and grows towards any expected SubNet's slices.
	ruleGreedy candidateRule = iota
	// ruleIntersection keeps only weights every expected SubNet uses: the
	// intersection if it fits, else the best part of it.
	ruleIntersection
	// ruleMostFrequent keeps only the most frequent SubNet's weights: all of
	// it if it fits, else the part that serves the expected SubNets best.
	ruleMostFrequent
)

// candidateRules are the TOML spellings of candidateRule, in order.
var candidateRules = []string{"greedy", "intersection", "most-frequent"}

func parseCandidateRule(s string) (candidateRule, error) {
	var r candidateRule
	if err := enum.Parse(candidateRules, []byte(s), &r); err != nil {
		return 0, fmt.Errorf("candidates: %w", err)
	}
	return r, nil
}

// option is one way to grow a layer's slice: to slice, adding add weights
// to the PB and serving gain more weights from it over the expected SubNets.
type option struct {
	slice models.Slice
	add   int64
	gain  int64
}

// packer holds the knapsack's inputs and scratch, reused across decisions so
// that deciding allocates nothing; a caller copies slices into a SubGraph
// only when it adopts the result.
type packer struct {
	cat     *Catalog
	weight  []int64        // per catalog SubNet: expected uses (0 = absent)
	present []int32        // SubNets with weight > 0, ascending
	slices  []models.Slice // the SubGraph being built, per layer
	limit   []models.Slice // per-layer upper bound when bounded
	bounded bool
	best    []option // per layer: its best growth now
	heap    []int32  // layers with a useful option, best first
	// Per layer, the distinct slices the present SubNets use with their
	// summed weights: ents[off[l]:off[l+1]]. Nested SubNets share slices,
	// so this is usually far shorter than present.
	ents []entry
	off  []int32
	// the weights and count of the previous decision (see unchanged)
	memo  []int64
	memoN int
}

type entry struct {
	s models.Slice
	w int64
}

func newPacker(cat *Catalog) *packer {
	n := cat.Layers()
	return &packer{
		cat:    cat,
		weight: make([]int64, len(cat.SubNets)),
		slices: make([]models.Slice, n),
		limit:  make([]models.Slice, n),
		best:   make([]option, n),
		off:    make([]int32, n+1),
		memo:   make([]int64, len(cat.SubNets)),
		memoN:  -1,
	}
}

// unchanged reports whether the weights and n are those of the previous
// call, and records them. A decision is a function of (weights, n, the
// resident SubGraph, Q) and the resident changes only by adopting that
// decision's candidate, which the same inputs would rebuild and find
// equal, so with unchanged inputs the caller may skip deciding: the answer
// is "no change".
func (p *packer) unchanged(n int) bool {
	if n == p.memoN && slices.Equal(p.weight, p.memo) {
		return true
	}
	copy(p.memo, p.weight)
	p.memoN = n
	return false
}

// refresh lists the SubNets with positive weight and, per layer, their
// distinct slices; false if there are none.
func (p *packer) refresh() bool {
	p.present = p.present[:0]
	for i, w := range p.weight {
		if w > 0 {
			p.present = append(p.present, int32(i))
		}
	}
	p.ents = p.ents[:0]
	for l := range p.slices {
		p.off[l] = int32(len(p.ents))
		start := len(p.ents)
	next:
		for _, i := range p.present {
			sl := p.cat.Graphs[i].At(int32(l))
			if sl.Empty() {
				continue
			}
			for k := start; k < len(p.ents); k++ {
				if p.ents[k].s == sl {
					p.ents[k].w += p.weight[i]
					continue next
				}
			}
			p.ents = append(p.ents, entry{sl, p.weight[i]})
		}
	}
	p.off[len(p.slices)] = int32(len(p.ents))
	return len(p.present) > 0
}

func (p *packer) layer(l int32) []entry { return p.ents[p.off[l]:p.off[l+1]] }

// build fills p.slices with rule's candidate for the current weights (call
// refresh first; it must have returned true), within capacity weights, and
// returns its size.
func (p *packer) build(rule candidateRule, capacity int64) int64 {
	clear(p.slices)
	var used int64
	p.bounded = rule != ruleGreedy
	switch rule {
	case ruleGreedy:
		p.intersect(p.slices)
		used = sliceWeights(p.slices)
		if used > capacity {
			clear(p.slices)
			used = 0
		}
	case ruleIntersection:
		p.intersect(p.limit)
	case ruleMostFrequent:
		top := p.present[0]
		for _, i := range p.present[1:] {
			if p.weight[i] > p.weight[top] { // ties: the lower catalog index
				top = i
			}
		}
		g := p.cat.Graphs[top]
		for l := range p.limit {
			p.limit[l] = g.At(int32(l))
		}
	}
	return p.grow(capacity, used)
}

// intersect writes the intersection of the present SubNets into dst.
func (p *packer) intersect(dst []models.Slice) {
	first := p.cat.Graphs[p.present[0]]
	for l := range dst {
		s := first.At(int32(l))
		for _, i := range p.present[1:] {
			s = meet(s, p.cat.Graphs[i].At(int32(l)))
		}
		dst[l] = s
	}
}

// grow adds the best-ratio layer growth until nothing more fits or helps.
// Each layer keeps its best option in a max-heap of layers; only the layer
// on top is ever recomputed (after it grew, or when the PB filled up since
// its option was computed: a lazy greedy, whose picks are exactly those of
// rescanning every layer each step), so a decision costs
// O(layers x present^2 + steps x (log layers + present^2)).
func (p *packer) grow(capacity, used int64) int64 {
	p.heap = p.heap[:0]
	for l := range p.best {
		p.best[l] = p.bestOption(int32(l), capacity-used)
		if p.best[l].gain > 0 {
			p.heap = append(p.heap, int32(l))
		}
	}
	for i := len(p.heap)/2 - 1; i >= 0; i-- {
		p.down(i)
	}
	for len(p.heap) > 0 {
		l := p.heap[0]
		if o := p.best[l]; o.add <= capacity-used {
			p.slices[l] = o.slice
			used += o.add
		}
		// grew, or the PB filled since o was computed: recompute it
		p.best[l] = p.bestOption(l, capacity-used)
		if p.best[l].gain <= 0 {
			last := len(p.heap) - 1
			p.heap[0] = p.heap[last]
			p.heap = p.heap[:last]
		}
		if len(p.heap) > 0 {
			p.down(0)
		}
	}
	return used
}

// ahead orders the heap: the better option first, the lower layer on ties.
func (p *packer) ahead(a, b int32) bool {
	if better(&p.best[a], &p.best[b]) {
		return true
	}
	if better(&p.best[b], &p.best[a]) {
		return false
	}
	return a < b
}

func (p *packer) down(i int) {
	h := p.heap
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && p.ahead(h[c+1], h[c]) {
			c++
		}
		if !p.ahead(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// better orders options by gain per added weight (cross-multiplied in 128
// bits, so exact for any weights), then by larger gain; equal options keep
// the lower layer id (see ahead).
func better(a, b *option) bool {
	xh, xl := bits.Mul64(uint64(a.gain), uint64(b.add))
	yh, yl := bits.Mul64(uint64(b.gain), uint64(a.add))
	if xh != yh {
		return xh > yh
	}
	if xl != yl {
		return xl > yl
	}
	return a.gain > b.gain
}

// bestOption is the best way to grow layer l's slice within room weights:
// extend it to cover one present SubNet's slice of that layer (cut to the
// limit when bounded).
func (p *packer) bestOption(l int32, room int64) option {
	cur := p.slices[l]
	curSaved := p.savedAt(l, cur)
	var best option
	for _, t := range p.layer(l) {
		want := t.s
		if p.bounded {
			want = meet(want, p.limit[l])
		}
		if want.Empty() {
			continue
		}
		next := join(cur, want)
		add := next.Weights() - cur.Weights()
		if add <= 0 || add > room {
			continue
		}
		gain := p.savedAt(l, next) - curSaved
		o := option{slice: next, add: add, gain: gain}
		if gain > 0 && (best.gain <= 0 || better(&o, &best)) {
			best = o
		}
	}
	return best
}

// savedAt is the number of weights slice sl of layer l serves from the PB
// over the expected SubNets (weight-weighted).
func (p *packer) savedAt(l int32, sl models.Slice) int64 {
	var w int64
	for _, e := range p.layer(l) {
		w += e.w * meet(sl, e.s).Weights()
	}
	return w
}

// savedSlices is savedAt summed over the layers of p.slices.
func (p *packer) savedSlices() int64 {
	var w int64
	for l, sl := range p.slices {
		w += p.savedAt(int32(l), sl)
	}
	return w
}

// savedGraph is savedSlices for a SubGraph.
func (p *packer) savedGraph(g models.SubGraph) int64 {
	var w int64
	for l := range p.slices {
		w += p.savedAt(int32(l), g.At(int32(l)))
	}
	return w
}

// reloadFrom is the number of weights of p.slices that from does not hold:
// what making the candidate resident must fetch.
func (p *packer) reloadFrom(from models.SubGraph) int64 {
	var w int64
	for l, sl := range p.slices {
		w += sl.Weights() - meet(sl, from.At(int32(l))).Weights()
	}
	return w
}

// equals reports whether p.slices holds the same weights as g.
func (p *packer) equals(g models.SubGraph) bool {
	for l, sl := range p.slices {
		if !sameSlice(sl, g.At(int32(l))) {
			return false
		}
	}
	return true
}

// decideSwitch is the rule sgs and lookahead share for adopting a candidate
// built in p.slices instead of resident: the extra weights it serves per
// query, over the next q queries, must exceed the weights the reload
// fetches (the reload cost charged against the gain). n is the number of
// queries the weights were counted over. It returns the new resident and
// whether it changed; it allocates only when it changes.
func (p *packer) decideSwitch(resident models.SubGraph, q, n int) (models.SubGraph, bool) {
	if p.equals(resident) {
		return resident, false
	}
	gain := p.savedSlices() - p.savedGraph(resident)
	if gain <= 0 {
		return resident, false
	}
	// gain*q > reload*n, in 128 bits so that no q or window overflows it
	gh, gl := bits.Mul64(uint64(gain), uint64(q))
	rh, rl := bits.Mul64(uint64(p.reloadFrom(resident)), uint64(n))
	if gh < rh || (gh == rh && gl <= rl) {
		return resident, false
	}
	return models.SubGraphFromSlices(p.slices), true
}

func meet(a, b models.Slice) models.Slice {
	return models.Slice{K: min(a.K, b.K), C: min(a.C, b.C), R: min(a.R, b.R)}
}

// join is the smallest leading slice holding both.
func join(a, b models.Slice) models.Slice {
	if a.Empty() {
		return b
	}
	if b.Empty() {
		return a
	}
	return models.Slice{K: max(a.K, b.K), C: max(a.C, b.C), R: max(a.R, b.R)}
}

func sameSlice(a, b models.Slice) bool {
	return a == b || (a.Empty() && b.Empty())
}

func sliceWeights(s []models.Slice) int64 {
	var w int64
	for _, x := range s {
		w += x.Weights()
	}
	return w
}
