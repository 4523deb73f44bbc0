package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Toy weights a = 1, c = 2, capacity 30, worked by hand:
//   - the intersection of a and c is l0 = 6: it fits, start there (6);
//   - options: l0 6->10 adds 4, gains a's 4 (ratio 1); l1 0->20 adds 20,
//     gains 20 (ratio 1); l3 0->8 adds 8, gains c's 2x8 = 16 (ratio 2);
//   - take l3 (used 14); l0 (ratio 1, fits) before l1 (20 > 16 left);
//     l1 no longer fits: {l0 10, l3 8} = 18.
func TestGreedyKnapsackByHand(t *testing.T) {
	p := newPacker(toy(t))
	p.weight[toyA], p.weight[toyC] = 1, 2
	assert.True(t, p.refresh())
	used := p.build(ruleGreedy, 30)
	assert.Equal(t, int64(18), used)
	assert.Equal(t, []int64{10, 0, 0, 8}, slicesOfSlices(p))
	// saved over the weights: a holds 10 of it, c (x2) 6 + 8
	assert.Equal(t, int64(10+2*14), p.savedSlices())
}

// Toy weights a = 3, c = 1 (a window a, a, a, c), capacity 25:
//   - greedy: start l0 = 6; l0 6->10 (4 for 12, ratio 3) before l1 (20 for
//     60, ratio 3 but 20 > 19 left), then l3 (8 for 8): {10, 0, 0, 8};
//   - intersection: only l0 = 6 may be kept: {6, 0, 0, 0};
//   - most-frequent (a): l0 -> 6 first (6 for 3x6 + 6 = 24, ratio 4), then
//     l0 -> 10 (ratio 3); l1's 20 never fits: {10, 0, 0, 0}.
func TestCandidateRulesByHand(t *testing.T) {
	want := map[candidateRule][]int64{
		ruleGreedy:       {10, 0, 0, 8},
		ruleIntersection: {6, 0, 0, 0},
		ruleMostFrequent: {10, 0, 0, 0},
	}
	for rule, w := range want {
		p := newPacker(toy(t))
		p.weight[toyA], p.weight[toyC] = 3, 1
		p.refresh()
		p.build(rule, 25)
		assert.Equal(t, w, slicesOfSlices(p), candidateRules[rule])
	}
	// with room for a (30 weights) greedy takes exactly a: l1 (gain 60)
	// wins the ratio-3 tie on gain, then l0 fills the last 4
	p := newPacker(toy(t))
	p.weight[toyA], p.weight[toyC] = 3, 1
	p.refresh()
	assert.Equal(t, int64(30), p.build(ruleGreedy, 30))
	assert.Equal(t, []int64{10, 20, 0, 0}, slicesOfSlices(p))
}

func TestBetterIsExactForHugeWeights(t *testing.T) {
	// 3e12/1e9 vs 2.9e12/0.9e9: cross products overflow int64 (~2.7e21)
	a := option{gain: 3_000_000_000_000, add: 1_000_000_000}
	b := option{gain: 2_900_000_000_000, add: 900_000_000}
	assert.True(t, better(&b, &a), "3222 per weight beats 3000")
	assert.False(t, better(&a, &b))
}

func slicesOfSlices(p *packer) []int64 {
	out := make([]int64, len(p.slices))
	for l, s := range p.slices {
		out[l] = s.Weights()
	}
	return out
}
