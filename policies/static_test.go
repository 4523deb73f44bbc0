package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func buildCache(t *testing.T, spec Spec[Cache], env *Env) Cache {
	t.Helper()
	require.NoError(t, spec.Validate())
	c, err := spec.Build(env)
	require.NoError(t, err)
	return c
}

func TestStaticNamedNeverChanges(t *testing.T) {
	c := reference(t)
	// a PB large enough for ref2: exactly ref2, for the whole run
	big := zcu(t, 64<<20)
	s := buildCache(t, &StaticSpec{SubGraph: "ref2"}, &Env{Catalog: c, Hardware: big})
	assert.True(t, s.Resident().Equal(c.Graphs[2]))
	r := pcg(1, 1)
	for k := 0; k < 500; k++ {
		require.False(t, s.Served(int32(r.IntN(6))))
	}
	assert.True(t, s.Resident().Equal(c.Graphs[2]))
}

// On the zcu104's 2 MiB PB no reference SubNet fits (the smallest holds
// 7.9 M weights, from the FEATHER notebook's shapes): static keeps a part of ref2 that
// fills the PB.
func TestStaticNamedTrimmedToThePB(t *testing.T) {
	c := reference(t)
	hw := zcu(t, 0)
	capacity := pbCapacity(hw)
	s := buildCache(t, &StaticSpec{SubGraph: "ref2"}, &Env{Catalog: c, Hardware: hw})
	r := s.Resident()
	assert.LessOrEqual(t, r.Weights(), capacity)
	assert.True(t, c.Graphs[2].Contains(r), "only ref2's weights")
	assert.Greater(t, r.Weights(), capacity*95/100, "the PB is nearly full")
}

func TestStaticAutoFromTheMix(t *testing.T) {
	c := reference(t)
	big := zcu(t, 64<<20)
	// the warm-up saw only ref4: with room, exactly ref4
	mix := []float64{0, 0, 0, 0, 1, 0}
	spec := &StaticSpec{SubGraph: "auto"}
	s := buildCache(t, spec, &Env{Catalog: c, Hardware: big, Warmup: fixedMix(mix)})
	assert.True(t, s.Resident().Equal(c.Graphs[4]))
	// half ref0, half ref5 on the 2 MiB PB: shared weights first (each
	// serves both), as SGS does for the same window
	s = buildCache(t, spec, &Env{Catalog: c, Hardware: zcu(t, 0), Warmup: fixedMix([]float64{0.5, 0, 0, 0, 0, 0.5})})
	r := s.Resident()
	shared := r.Intersect(c.Graphs[0]).IntersectWeights(c.Graphs[5])
	assert.Greater(t, float64(shared)/float64(r.Weights()), 0.99)
}

func TestStaticErrors(t *testing.T) {
	c := reference(t)
	hw := zcu(t, 0)
	_, err := (&StaticSpec{SubGraph: "ref9"}).Build(&Env{Catalog: c, Hardware: hw})
	require.Error(t, err)
	assert.Equal(t, `subgraph: unknown SubNet "ref9" (allowed: "auto" or one of ref0, ref1, ref2, ref3, ref4, ref5)`, err.Error())
	_, err = (&StaticSpec{SubGraph: "auto"}).Build(&Env{Catalog: c, Hardware: hw})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "subgraph: \"auto\" needs the SubNet mix of a warm-up pass")
	_, err = (&StaticSpec{SubGraph: "auto"}).Build(&Env{Catalog: c, Hardware: hw, Warmup: fixedMix([]float64{0, 0, 0, 0, 2, 0})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not in [0, 1]")
	assert.EqualError(t, (&StaticSpec{}).Validate(), `subgraph: must be "auto" or a catalog SubNet name, got ""`)
}

// warmup_s asks the warm-up pass for that many seconds, and only "auto"
// takes it: a static cache chosen from the first minute of traffic.
func TestStaticWarmupSAsksForAShortPass(t *testing.T) {
	c := reference(t)
	var asked []float64
	env := &Env{Catalog: c, Hardware: zcu(t, 0), Warmup: func(untilS float64) ([]float64, error) {
		asked = append(asked, untilS)
		return []float64{1, 0, 0, 0, 0, 0}, nil
	}}
	early := buildCache(t, &StaticSpec{SubGraph: "auto", WarmupS: 60}, env)
	whole := buildCache(t, &StaticSpec{SubGraph: "auto"}, env)
	assert.Equal(t, []float64{60, 0}, asked)
	assert.True(t, early.Resident().Equal(whole.Resident()), "the same mix gives the same SubGraph")
	assert.EqualError(t, (&StaticSpec{SubGraph: "ref2", WarmupS: 60}).Validate(), `warmup_s: only subgraph = "auto" runs a warm-up pass; remove it`)
	assert.ErrorContains(t, (&StaticSpec{SubGraph: "auto", WarmupS: -1}).Validate(), "warmup_s: must be a finite number of seconds >= 0")
}
