package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
)

func refEnv(t testing.TB, pb int64) (*Env, *accel.Table) {
	t.Helper()
	c := reference(t)
	hw := zcu(t, pb)
	table := accel.NewTable(hw, c.SubNets, c.Graphs)
	sel, err := (&AccuracyFirstSpec{}).Build(&Env{Catalog: c})
	require.NoError(t, err)
	return &Env{Catalog: c, Hardware: hw, Table: table, Selector: sel, Rand: pcg(1, 3)}, table
}

// Lookahead caches for what is coming, before it is served: after one
// ref0 query, the next ten need 79.7% with a loose SLO (the selector's
// ref5), so at its first decision it makes ref5 resident; SGS, seeing only
// the past, caches ref0.
func TestLookaheadAnticipates(t *testing.T) {
	env, _ := refEnv(t, 64<<20)
	o := buildCache(t, &LookaheadSpec{Q: 5, Window: 10}, env).(*Lookahead)
	assert.Equal(t, 10, o.Needs().Lookahead)
	needs := make([]Need, 10)
	for k := range needs {
		needs[k] = Need{MinAccuracy: 79.7, SLO: 10e9}
	}
	o.Needs().SetFuture(&sliceFuture{needs: needs})
	require.True(t, o.Served(0), "decides at the first served query")
	assert.True(t, o.Resident().Equal(env.Catalog.Graphs[5]))
	for k := 0; k < 4; k++ {
		require.False(t, o.Served(5), "next decision after Q = 5")
	}
	assert.False(t, o.Served(5), "the same future: no change")

	// the stream ends: nothing to plan for, the resident stays
	o.Needs().SetFuture(&sliceFuture{})
	for k := 0; k < 5; k++ {
		assert.False(t, o.Served(5))
	}
	assert.True(t, o.Resident().Equal(env.Catalog.Graphs[5]))
}

func TestLookaheadNeedsSelectorAndTable(t *testing.T) {
	env, _ := refEnv(t, 0)
	env.Selector = nil
	_, err := (&LookaheadSpec{Q: 1, Window: 1}).Build(env)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Env.Selector")
	assert.EqualError(t, (&LookaheadSpec{Q: 1, Window: 0}).Validate(), "window: must be >= 1, got 0")
}

// On a locality stream served by one instance, PB hit bytes order
// lookahead >= sgs > none = 0 (none holds nothing, so its hits are exactly
// zero), and lru and static auto hit too (> 0), on the zcu104's 2 MiB PB and on a 16 MiB one, for three seeds.
func TestPBHitsLookaheadSGSNone(t *testing.T) {
	for _, pb := range []int64{2 << 20, 16 << 20} {
		env, table := refEnv(t, pb)
		for seed := uint64(1); seed <= 3; seed++ {
			needs := localityNeeds(t, seed, 6000, 0.98)
			run := func(spec Spec[Cache]) (int64, int64) {
				e := *env
				e.Warmup = fixedMix(mixOf(t, env, needs))
				return replay(t, buildCache(t, spec, &e), env.Selector, table, needs)
			}
			none, _ := run(&NoneSpec{})
			sgs, sgsReload := run(&SGSSpec{Q: 50, Window: 200})
			lookahead, oracleReload := run(&LookaheadSpec{Q: 50, Window: 200})
			lru, lruReload := run(&LRUSpec{})
			static, _ := run(&StaticSpec{SubGraph: "auto"})
			assert.Zero(t, none)
			assert.Greater(t, sgs, int64(0))
			assert.GreaterOrEqual(t, lookahead, sgs, "pb %d seed %d", pb, seed)
			assert.Greater(t, lru, int64(0), "pb %d seed %d", pb, seed)
			assert.Greater(t, static, int64(0), "pb %d seed %d", pb, seed)
			n := float64(len(needs))
			t.Logf("PB %d MiB seed %d: hit bytes/query none %.0f static %.0f lru %.0f sgs %.0f lookahead %.0f; reload bytes/query lru %.0f sgs %.0f lookahead %.0f",
				pb>>20, seed, float64(none)/n, float64(static)/n, float64(lru)/n, float64(sgs)/n, float64(lookahead)/n,
				float64(lruReload)/n, float64(sgsReload)/n, float64(oracleReload)/n)
		}
	}
}

// mixOf is the warm-up a run would do: the share of each SubNet the
// selector picks with an empty PB.
func mixOf(t testing.TB, env *Env, needs []Need) []float64 {
	t.Helper()
	row := env.Table.Row((&NoCache{}).Resident())
	mix := make([]float64, len(env.Catalog.SubNets))
	for _, n := range needs {
		mix[env.Selector.Select(n, row)] += 1 / float64(len(needs))
	}
	return mix
}
