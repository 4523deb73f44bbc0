package policies

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogOrdersByAccuracy(t *testing.T) {
	c := reference(t)
	// published accuracies rise with the reference index (75.0 ... 79.8)
	assert.Equal(t, []int32{5, 4, 3, 2, 1, 0}, c.ByAccuracy)
	assert.Equal(t, 2, c.Index("ref2"))
	assert.Equal(t, -1, c.Index("nope"))
}

func threeSelectors(t *testing.T, admission string) (af, lf, sl Selector) {
	t.Helper()
	env := &Env{Catalog: reference(t)}
	var err error
	af, err = (&AccuracyFirstSpec{SelectorParams{Admission: admission}}).Build(env)
	require.NoError(t, err)
	lf, err = (&LatencyFirstSpec{SelectorParams{Admission: admission}}).Build(env)
	require.NoError(t, err)
	sl, err = (&SlackSpec{SelectorParams{Admission: admission}}).Build(env)
	require.NoError(t, err)
	return af, lf, sl
}

// Reference accuracies: 0:75.0 1:76.3 2:78.3 3:79.0 4:79.7 5:79.8.
func TestAccuracyFirst(t *testing.T) {
	a, _, _ := threeSelectors(t, "serve-late")
	row := rowOf(10, 20, 30, 40, 50, 60) // made-up latencies, bigger = slower
	// loose SLO: the most accurate SubNet
	assert.Equal(t, int32(5), a.Select(Need{MinAccuracy: 70, SLO: 100}, row))
	// SLO 45 after waiting 10 leaves 35: 3 (40) misses, 2 (30) fits
	assert.Equal(t, int32(2), a.Select(Need{MinAccuracy: 70, SLO: 45, Waited: 10}, row))
	// accuracy need 79.0 excludes 0..2; nothing meets SLO 30: fastest meeting accuracy is 3
	assert.Equal(t, int32(3), a.Select(Need{MinAccuracy: 79.0, SLO: 30}, row))
	// nothing meets accuracy 99: fastest overall
	assert.Equal(t, int32(0), a.Select(Need{MinAccuracy: 99, SLO: 1000}, row))
	// a resident SubGraph that makes 4 faster than 3 lets the more accurate 4 fit
	assert.Equal(t, int32(4), a.Select(Need{MinAccuracy: 79.0, SLO: 35}, rowOf(10, 20, 30, 40, 35, 60)))
}

func TestLatencyFirst(t *testing.T) {
	_, l, _ := threeSelectors(t, "serve-late")
	row := rowOf(10, 20, 30, 40, 50, 60)
	// need 78: 2..5 qualify, the fastest is 2, whatever the SLO
	assert.Equal(t, int32(2), l.Select(Need{MinAccuracy: 78, SLO: 1000}, row))
	assert.Equal(t, int32(2), l.Select(Need{MinAccuracy: 78, SLO: 1}, row))
	// residency making 4 the fastest qualifying SubNet (25 < 30)
	assert.Equal(t, int32(4), l.Select(Need{MinAccuracy: 78, SLO: 1000}, rowOf(10, 20, 30, 40, 25, 60)))
	// tie at 30 between 2 and 3: the more accurate, 3
	assert.Equal(t, int32(3), l.Select(Need{MinAccuracy: 78, SLO: 1000}, rowOf(10, 20, 30, 30, 50, 60)))
	// nothing meets 99: the most accurate
	assert.Equal(t, int32(5), l.Select(Need{MinAccuracy: 99, SLO: 1000}, row))
}

func TestSlack(t *testing.T) {
	a, _, s := threeSelectors(t, "serve-late")
	row := rowOf(10, 20, 30, 40, 50, 60)
	// slack 35: the most accurate fitting is 2 (30), though 78.3 < 79;
	// accuracy-first keeps the accuracy and misses the SLO with 3 instead
	n := Need{MinAccuracy: 79, SLO: 35}
	assert.Equal(t, int32(2), s.Select(n, row))
	assert.Equal(t, int32(3), a.Select(n, row))
	// waiting eats the slack: SLO 100 - waited 55 = 45 -> 3 (40)
	assert.Equal(t, int32(3), s.Select(Need{MinAccuracy: 70, SLO: 100, Waited: 55}, row))
	// slack 5: nothing fits -> the fastest, 0
	assert.Equal(t, int32(0), s.Select(Need{MinAccuracy: 79, SLO: 5}, row))
	// slack already negative
	assert.Equal(t, int32(0), s.Select(Need{MinAccuracy: 70, SLO: 5, Waited: 9}, row))
}

func TestAdmissionDrop(t *testing.T) {
	a, l, s := threeSelectors(t, "drop")
	row := rowOf(10, 20, 30, 40, 50, 60)
	for name, sel := range map[string]Selector{"accuracy-first": a, "latency-first": l, "slack": s} {
		// feasible: 79.0 in 40 <= 45 (3), so nobody drops
		assert.NotEqual(t, Drop, sel.Select(Need{MinAccuracy: 79, SLO: 45}, row), name)
		// infeasible: accuracy >= 79 needs >= 40, SLO leaves 35
		assert.Equal(t, Drop, sel.Select(Need{MinAccuracy: 79, SLO: 35}, row), name)
		assert.Equal(t, Drop, sel.Select(Need{MinAccuracy: 70, SLO: 50, Waited: 41}, row), name)
		// nothing meets the accuracy at all
		assert.Equal(t, Drop, sel.Select(Need{MinAccuracy: 99, SLO: 1000}, row), name)
	}
	// feasible queries get the same rule as serve-late
	assert.Equal(t, int32(3), a.Select(Need{MinAccuracy: 79, SLO: 45}, row))
	assert.Equal(t, int32(3), l.Select(Need{MinAccuracy: 79, SLO: 45}, row))
	assert.Equal(t, int32(3), s.Select(Need{MinAccuracy: 79, SLO: 45}, row))
}

func TestSelectorsDoNotAllocate(t *testing.T) {
	a, l, s := threeSelectors(t, "drop")
	row := rowOf(10, 20, 30, 40, 50, 60)
	n := Need{MinAccuracy: 78, SLO: 45}
	for _, sel := range []Selector{a, l, s} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { sel.Select(n, row) }))
	}
}

func TestAdmissionValidation(t *testing.T) {
	for _, spec := range []interface{ Validate() error }{
		&AccuracyFirstSpec{SelectorParams{Admission: "maybe"}}, &LatencyFirstSpec{SelectorParams{Admission: "maybe"}}, &SlackSpec{SelectorParams{Admission: "maybe"}},
	} {
		err := spec.Validate()
		require.Error(t, err)
		assert.Equal(t, `admission: must be "serve-late" or "drop", got "maybe"`, err.Error())
	}
}

func TestCacheAwareKeyMakesSelectorsBlind(t *testing.T) {
	env := &Env{Catalog: reference(t)}
	no := false
	for _, spec := range []Spec[Selector]{
		&AccuracyFirstSpec{SelectorParams{CacheAware: &no}}, &LatencyFirstSpec{SelectorParams{CacheAware: &no}},
		&SlackSpec{SelectorParams{CacheAware: &no}},
	} {
		s, err := spec.Build(env)
		require.NoError(t, err)
		assert.True(t, s.Needs().CacheBlind)
	}
	s, err := (&AccuracyFirstSpec{}).Build(env)
	require.NoError(t, err)
	assert.False(t, s.Needs().CacheBlind, "selectors see the PB unless told otherwise")
}
