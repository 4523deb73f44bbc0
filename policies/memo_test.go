package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SGS instances sharing a run's memo make exactly the choices of instances
// that pack every candidate themselves: several instances, two PB
// capacities (the memo must keep them apart) and locality streams that
// repeat windows across instances, so most decisions hit.
func TestSGSSharedMemoIsExact(t *testing.T) {
	env, _ := refEnv(t, 16<<20)
	caps := []int64{pbCapacity(env.Hardware), pbCapacity(env.Hardware) / 3}
	memo := NewRunMemo()
	const n = 8
	var shared, alone [n]*SGS
	for i := range n {
		shared[i] = newSGS(env.Catalog, 10, 40, caps[i%2], ruleGreedy, memo)
		alone[i] = newSGS(env.Catalog, 10, 40, caps[i%2], ruleGreedy, nil)
	}
	r := pcg(7, 7)
	cur, changes := int32(0), 0
	for k := 0; k < 20000; k++ {
		i := k % n // one stream with locality, spread as a router would
		if r.Float64() < 0.02 {
			cur = int32(r.IntN(6))
		}
		c := alone[i].Served(cur)
		require.Equal(t, c, shared[i].Served(cur), "query %d instance %d", k, i)
		require.True(t, alone[i].Resident().Equal(shared[i].Resident()), "query %d instance %d", k, i)
		if c {
			changes++
		}
	}
	assert.Greater(t, changes, 10)
	m := &memo.cands
	assert.Positive(t, m.hits, "windows repeat across instances")
	// the hash kept in Served is that of the count vector
	for _, s := range shared {
		var h uint64
		for j, c := range s.pk.weight {
			h += uint64(c) * countHash(int32(j))
		}
		assert.Equal(t, h, s.hash)
	}
}

// A hit allocates nothing. (The memo's bound is its fixed-size table,
// memoSlots entries made once in NewRunMemo: nothing to test at run time.)
func TestRunMemoHitAllocFree(t *testing.T) {
	env, _ := refEnv(t, 16<<20)
	memo := NewRunMemo()
	s := newSGS(env.Catalog, 1, 64, pbCapacity(env.Hardware), ruleGreedy, memo)
	r := pcg(3, 3)
	for range 5000 {
		s.Served(int32(r.IntN(len(env.Catalog.SubNets))))
	}
	// two instances on the same stream: the second only hits
	a := newSGS(env.Catalog, 5, 20, pbCapacity(env.Hardware), ruleGreedy, memo)
	b := newSGS(env.Catalog, 5, 20, pbCapacity(env.Hardware), ruleGreedy, memo)
	for k := range 40 {
		a.Served(int32(k / 10 % 3))
	}
	hits := memo.cands.hits
	k := 0
	allocs := testing.AllocsPerRun(39, func() {
		b.Served(int32(k / 10 % 3))
		k++
	})
	assert.Greater(t, memo.cands.hits, hits)
	// b adopts a candidate at most once per distinct window (3 here), and
	// only adopting allocates (the new resident SubGraph)
	assert.LessOrEqual(t, allocs, 3.0/39+1e-9)
}
