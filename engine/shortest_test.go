package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bucketed index answers what a scan of the lengths answers (fewest
// queries, lowest index on ties, instances taken out skipped) through
// arbitrary length changes: steps of one, jumps (a batch leaving), ties,
// instances taken out (length -1, the autoscaler's powered-down ones) and
// put back, and ids on both sides of the 64- and 4,096-instance word
// boundaries.
func TestShortestIndexMatchesScan(t *testing.T) {
	for _, n := range []int{1, 3, 64, 65, 4097, 5000} {
		r := rand.New(rand.NewPCG(uint64(n), 9))
		s := shortestIndex{on: true, n: n, length: make([]int32, n)}
		lengths := make([]int32, n)
		for i := range lengths {
			lengths[i] = int32(r.IntN(4))
		}
		// build from scratch through update: every instance starts at 0
		s.grow(0)
		for i := range n {
			s.bucket[0].add(int32(i))
		}
		s.count[0] = int32(n)
		for i, l := range lengths {
			s.update(int32(i), l)
		}
		in := n
		for step := range 20000 {
			id := int32(r.IntN(n))
			switch k := r.IntN(20); {
			case k == 0 && lengths[id] >= 0 && in > 1: // taken out; one always stays routable
				lengths[id] = -1
				in--
			case lengths[id] < 0: // put back
				lengths[id] = int32(r.IntN(3))
				in++
			case k < 2: // a jump: a batch of queries leaves, or a burst arrives
				lengths[id] = int32(r.IntN(12))
			case k < 10:
				lengths[id]++
			case lengths[id] > 0:
				lengths[id]--
			}
			s.update(id, lengths[id])
			best := -1
			for i, l := range lengths {
				if l >= 0 && (best < 0 || l < lengths[best]) {
					best = i
				}
			}
			require.Equal(t, best, s.min(), "n=%d step %d", n, step)
		}
		var total int32
		for _, c := range s.count {
			total += c
		}
		assert.Equal(t, int32(in), total, "every instance not taken out in exactly one bucket")
	}
}
