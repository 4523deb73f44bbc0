package policies

import (
	"fmt"

	"github.com/sushisim/sushisim/models"
)

// SGS is SushiSched's SubGraph Stationary cache policy (SUSHI, MLSys 2023:
// f(Acc, Latency) -> (SN_t, C_{t+Q})). Every Q served
// queries it looks at the last W served SubNets and chooses the SubGraph that
// saves the most off-chip weight traffic per unit of PB, within capacity,
// with the knapsack over layer slices in knapsack.go:
//
//  1. the candidate rule says where the growth starts and what bounds it:
//     "greedy" (default) starts from the weights shared by every SubNet in
//     the window (their intersection) when that fits, else from nothing,
//     and grows towards any of them; "intersection" keeps only shared
//     weights; "most-frequent" keeps only the most frequent SubNet's;
//  2. it grows greedily, one layer slice at a time, taking the slice with
//     the highest gain per added weight, where gain is the number of weights
//     it would serve from the PB over the window (frequency-weighted);
//  3. it adopts the candidate only if the expected saving over the next Q
//     queries exceeds the weights the reload must fetch (the reload cost is
//     charged against the gain).
//
// The paper's exact rule, Q and W are not public: this construction, Q, W
// and the candidate rule are parameters, recorded in docs/assumptions.md.
type SGS struct {
	q, w int
	rule candidateRule
	cap  int64 // PB capacity in weight elements

	window []int32 // ring buffer of the last w served SubNets
	next   int     // ring position
	filled int
	since  int // queries served since the last decision

	resident models.SubGraph
	pk       *packer // weight[i] = occurrences of SubNet i in the window
	hash     uint64  // of pk.weight: the sum of countHash over the window
	memo     *candidateMemo
}

// newSGS builds SGS; memo, when not nil, shares packed candidates with the
// run's other instances.
func newSGS(cat *Catalog, q, w int, capacity int64, rule candidateRule, memo *RunMemo) *SGS {
	s := &SGS{
		q: q, w: w, rule: rule, cap: capacity,
		window:   make([]int32, w),
		resident: models.NewSubGraph(cat.Layers()),
		pk:       newPacker(cat),
	}
	if memo != nil {
		s.memo = &memo.cands
	}
	return s
}

// Resident is the SubGraph SGS last adopted.
func (s *SGS) Resident() models.SubGraph { return s.resident }

// Needs implements Cache: nothing.
func (*SGS) Needs() Needs { return Needs{} }

// Served records i in the window and, every Q queries, decides again. Only
// a decision that changes the resident SubGraph allocates (the new one).
func (s *SGS) Served(i int32) bool {
	cnt := s.pk.weight
	if s.filled == s.w {
		old := s.window[s.next]
		cnt[old]--
		s.hash -= countHash(old)
	} else {
		s.filled++
	}
	s.window[s.next] = i
	cnt[i]++
	s.hash += countHash(i)
	s.next++
	if s.next == s.w {
		s.next = 0
	}
	s.since++
	if s.since < s.q {
		return false
	}
	s.since = 0
	if s.pk.unchanged(s.filled) {
		return false // the same window as last time decides the same
	}
	if s.memo != nil && s.memo.load(s.pk, s.hash, s.rule, s.cap, s.filled) {
		if s.pk.equals(s.resident) {
			return false // the candidate is resident already
		}
		s.pk.refresh() // to weigh the candidate against the resident
	} else {
		s.pk.refresh()
		s.pk.build(s.rule, s.cap)
		if s.memo != nil {
			s.memo.store(s.pk, s.hash, s.rule, s.cap, s.filled)
		}
	}
	next, changed := s.pk.decideSwitch(s.resident, s.q, s.filled)
	s.resident = next
	return changed
}

// SGSSpec holds SushiSched's cache parameters.
type SGSSpec struct {
	Q          int    `toml:"q"`          // decide every Q served queries
	Window     int    `toml:"window"`     // from the last Window served SubNets
	Candidates string `toml:"candidates"` // "greedy" | "intersection" | "most-frequent"
}

// Validate implements Spec.
func (s *SGSSpec) Validate() error {
	if s.Q < 1 {
		return fmt.Errorf("q: must be >= 1, got %d", s.Q)
	}
	if s.Window < 1 {
		return fmt.Errorf("window: must be >= 1, got %d", s.Window)
	}
	_, err := parseCandidateRule(s.candidates())
	return err
}

func (s *SGSSpec) candidates() string {
	if s.Candidates == "" {
		return candidateRules[ruleGreedy]
	}
	return s.Candidates
}

// Build implements Spec.
func (s *SGSSpec) Build(env *Env) (Cache, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkCacheEnv(env); err != nil {
		return nil, err
	}
	rule, _ := parseCandidateRule(s.candidates())
	return newSGS(env.Catalog, s.Q, s.Window, pbCapacity(env.Hardware), rule, env.Memo), nil
}
