package policies

import (
	"slices"

	"github.com/sushisim/sushisim/models"
)

// RunMemo is what the policies of one run share to avoid repeating work:
// today, SGS candidates. Every instance's SGS packs a candidate from the
// same catalog, rule and capacity and a count vector over its window; with
// locality those vectors repeat across instances and decisions (74-99% of
// decisions at 156-10,000 instances on the reference catalog, measured), so
// a candidate packed once serves every instance that asks again.
//
// It belongs to one run (build it with NewRunMemo where the run's policies
// are built and put it in each Env.Memo): a run is single-threaded, while
// runs executing in parallel share a process, so it is neither global nor
// locked. Its memory is bounded (memoSlots candidates) and it never changes
// results: a hit restores exactly the state a fresh packing would build.
type RunMemo struct {
	cands candidateMemo
}

// NewRunMemo returns an empty memo for one run.
func NewRunMemo() *RunMemo { return &RunMemo{} }

// CandidateStats is how many SGS decisions found their candidate in the
// memo (hits) and how many packed it (misses).
func (m *RunMemo) CandidateStats() (hits, misses int64) { return m.cands.hits, m.cands.misses }

// memoSlots bounds the candidates held: a direct-mapped table, a newer key
// replacing an older one in its slot. A slot holds a count vector and a
// SubGraph's slices: 4,096 slots of the reference catalog (6 SubNets, 62
// layers) are about 3.5 MiB.
const memoSlots = 4096

type candidateMemo struct {
	slots        []candidate
	hits, misses int64
}

// candidate is one packed candidate and its key: the catalog, rule and
// capacity, the window's count vector and its size n.
type candidate struct {
	used   bool
	hash   uint64
	cat    *Catalog
	rule   candidateRule
	cap    int64
	n      int
	weight []int64
	slices []models.Slice // the packed candidate
}

// countHash is the hash of one count of SubNet i: a count vector's hash is
// the sum of its counts' (mod 2^64), so a window updates it in O(1) per
// query (splitmix64's finaliser, Steele, Lea and Flood, OOPSLA 2014).
func countHash(i int32) uint64 {
	z := uint64(i) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (m *candidateMemo) slot(h uint64, rule candidateRule, capacity int64, n int) (*candidate, uint64) {
	if m.slots == nil {
		m.slots = make([]candidate, memoSlots)
	}
	k := h ^ countHash(int32(n)) ^ uint64(capacity)*0x9e3779b97f4a7c15 ^ uint64(rule)<<56
	k = countHash(int32(k)) ^ k>>32
	return &m.slots[k&(memoSlots-1)], k
}

// load restores into p.slices the candidate packed for p's weights, n,
// rule and capacity if the memo holds it (h is the weights' hash). It does
// not refresh p's per-layer entries: a caller needing them (to weigh the
// candidate against the resident) calls refresh.
func (m *candidateMemo) load(p *packer, h uint64, rule candidateRule, capacity int64, n int) bool {
	c, k := m.slot(h, rule, capacity, n)
	if !c.used || c.hash != k || c.cat != p.cat || c.rule != rule || c.cap != capacity || c.n != n ||
		!slices.Equal(c.weight, p.weight) {
		m.misses++
		return false
	}
	m.hits++
	copy(p.slices, c.slices)
	return true
}

// store records p's freshly packed candidate (after build).
func (m *candidateMemo) store(p *packer, h uint64, rule candidateRule, capacity int64, n int) {
	c, k := m.slot(h, rule, capacity, n)
	c.used, c.hash, c.cat, c.rule, c.cap, c.n = true, k, p.cat, rule, capacity, n
	c.weight = append(c.weight[:0], p.weight...)
	c.slices = append(c.slices[:0], p.slices...)
}
