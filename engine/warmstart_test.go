package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
)

// A static cache's SubGraph is paid once at t = 0 on a cold start (one
// reload of exactly its bytes, from an empty PB) and is free on a warm
// start; SGS's first adopted SubGraph is free on a warm start and paid on
// a cold one, so the two runs differ by exactly that load.
func TestWarmStartIsOneSwitchForEveryPolicy(t *testing.T) {
	f := newFixture(t)
	for _, c := range []string{"static", "sgs"} {
		byWarm := map[bool]*Metrics{}
		var first models.SubGraph
		for _, warm := range []bool{false, true} {
			s := f.spec(t, poisson(t, 3, 10, 400, 0.9), "sgs", 1)
			if c == "static" {
				st, err := (&policies.StaticSpec{SubGraph: "ref2"}).Build(&policies.Env{Catalog: f.cat, Hardware: &f.hw})
				require.NoError(t, err)
				s.Instances[0].Cache = st
			}
			s.WarmStart = warm
			log := &residentLog{}
			s.Observer = log
			byWarm[warm] = run(t, s)
			first = log.cands[0]
		}
		load := f.hw.ReloadCost(models.SubGraph{}, first)
		assert.Positive(t, load.OffchipBytes, c)
		assert.Equal(t, byWarm[true].ReloadBytes+load.OffchipBytes, byWarm[false].ReloadBytes, c)
		assert.Equal(t, byWarm[true].Reloads+1, byWarm[false].Reloads, c)
		if c == "static" {
			assert.Equal(t, int64(0), byWarm[true].Reloads)
		}
	}
}
