package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Toy layers, capacity 60, by hand (LRU order oldest first):
//
//	a   -> l0 10, l1 20                    used 30  [l0 l1]
//	b   -> l2 30 fits (60); l3 5 does not: evict l0, the least recent
//	                                       used 55  [l1 l2 l3]
//	c   -> l0 6: evict l1 (61 > 60); l3 5 grows to 8
//	                                       used 44  [l2 l0 l3]
//	a   -> l0 6 grows to 10; l1 20: evict l2
//	                                       used 38  [l3 l0 l1]
//	c   -> all resident, only recency moves  [l1 l0 l3]
//	big -> l1 100 > the PB: bypassed, l1 keeps 20 and is touched, nothing
//	       is evicted                        [l0 l3 l1]
//	b   -> l2 30: evict l0 (68 > 60); l3 stays 8
//	                                       used 58  [l1 l2 l3]
//
// Without big's touch, b would have evicted l1 instead of l0.
func TestLRUEvictsTheLeastRecentlyUsedLayer(t *testing.T) {
	l := newLRU(toy(t), 60)
	steps := []struct {
		serve   int32
		changed bool
		want    []int64
		used    int64
	}{
		{toyA, true, []int64{10, 20, 0, 0}, 30},
		{toyB, true, []int64{0, 20, 30, 5}, 55},
		{toyC, true, []int64{6, 0, 30, 8}, 44},
		{toyA, true, []int64{10, 20, 0, 8}, 38},
		{toyC, false, []int64{10, 20, 0, 8}, 38},
		{toyBig, false, []int64{10, 20, 0, 8}, 38},
		{toyB, true, []int64{0, 20, 30, 8}, 58},
	}
	for k, s := range steps {
		assert.Equal(t, s.changed, l.Served(s.serve), "step %d", k)
		assert.Equal(t, s.want, slicesOf(l.Resident()), "step %d", k)
		assert.Equal(t, s.used, l.Used(), "step %d", k)
		assert.Equal(t, s.used, l.Resident().Weights(), "step %d", k)
	}
	// the same stream without big: l1 is the least recent when b arrives
	m := newLRU(toy(t), 60)
	for _, i := range []int32{toyA, toyB, toyC, toyA, toyC, toyB} {
		m.Served(i)
	}
	assert.Equal(t, []int64{10, 0, 30, 8}, slicesOf(m.Resident()))
}

// A SubNet larger than the PB leaves its last layers resident (execution
// order makes them the most recent), and serving it again changes nothing.
func TestLRUKeepsTheTailOfALargeSubNet(t *testing.T) {
	l := newLRU(toy(t), 25)
	assert.True(t, l.Served(toyA)) // l0 10 then l1 20: l0 evicted
	assert.Equal(t, []int64{0, 20, 0, 0}, slicesOf(l.Resident()))
	assert.False(t, l.Served(toyA), "the same tail again: no reload")
	assert.Zero(t, testing.AllocsPerRun(50, func() { l.Served(toyA) }), "a repeat allocates nothing")
}

func TestLRUNeverExceedsCapacity(t *testing.T) {
	c := reference(t)
	capacity := pbCapacity(zcu(t, 0)) // 2 MiB: smaller than every reference SubNet
	l := newLRU(c, capacity)
	r := pcg(7, 7)
	changes := 0
	for k := 0; k < 2000; k++ {
		if l.Served(int32(r.IntN(len(c.SubNets)))) {
			changes++
		}
		require.LessOrEqual(t, l.Resident().Weights(), capacity)
		require.Equal(t, l.Used(), l.Resident().Weights())
	}
	assert.Greater(t, changes, 0)
	// the PB stays nearly full: every SubNet holds far more than it
	assert.Greater(t, l.Used(), capacity*9/10)
}

// The O(1) repeat shortcut is exact: an LRU that always takes the full
// pass, on the same locality stream, makes the same decisions.
func TestLRURepeatShortcutIsExact(t *testing.T) {
	env, _ := refEnv(t, 8<<20)
	fast := newLRU(env.Catalog, pbCapacity(env.Hardware))
	slow := newLRU(env.Catalog, pbCapacity(env.Hardware))
	r := pcg(3, 3)
	cur := int32(0)
	for k := 0; k < 5000; k++ {
		if r.Float64() < 0.1 {
			cur = int32(r.IntN(6))
		}
		slow.fixed = false
		require.Equal(t, slow.Served(cur), fast.Served(cur), "query %d", k)
		require.True(t, slow.Resident().Equal(fast.Resident()), "query %d", k)
		require.Equal(t, slow.next, fast.next, "same LRU order")
	}
}
