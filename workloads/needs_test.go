package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func threeClasses(w0, w1, w2 float64) []NeedClass {
	return []NeedClass{
		{Name: "accurate", MinAccuracy: 80, SLOMs: 100, Weight: w0},
		{Name: "balanced", MinAccuracy: 77, SLOMs: 30, Weight: w1},
		{Name: "fast", MinAccuracy: 74, SLOMs: 8, Weight: w2},
	}
}

// The sticky chain keeps class i with probability p + (1-p)·w_i (stay, or
// leave and redraw i), and its stationary law is w itself (π = pπ + (1-p)w).
func TestStickyChainStayProbability(t *testing.T) {
	w := []float64{0.5, 0.3, 0.2}
	const n = million
	for _, p := range []float64{0, 0.6, 0.9} {
		c := Config{Queries: n, Arrival: ArrivalConfig{Process: ProcessConstant, Rate: 1000},
			Needs: NeedsConfig{Locality: p, Class: threeClasses(w[0], w[1], w[2])}}
		s := mustNew(t, c, 1, uint64(10*p)+7)
		var q Query
		var visits, stays, freq [3]float64
		prev := int32(-1)
		for s.Next(&q) {
			if prev >= 0 {
				visits[prev]++
				if q.Class == prev {
					stays[prev]++
				}
			}
			freq[q.Class]++
			prev = q.Class
		}
		for i := range w {
			assert.InDelta(t, p+(1-p)*w[i], stays[i]/visits[i], 0.005, "p=%v class %d stay probability", p, i)
			assert.InDelta(t, w[i], freq[i]/n, 0.01, "p=%v class %d share", p, i)
		}
	}
}

func TestLocalityOneNeverChanges(t *testing.T) {
	c := Config{Queries: 10000, Arrival: ArrivalConfig{Process: ProcessPoisson, Rate: 100},
		Needs: NeedsConfig{Locality: 1, Class: threeClasses(1, 1, 1)}}
	firsts := map[int32]int{}
	for seed := uint64(1); seed <= 60; seed++ {
		s := mustNew(t, c, 1, seed)
		var q Query
		require.True(t, s.Next(&q))
		first := q.Class
		firsts[first]++
		for s.Next(&q) {
			if q.Class != first {
				require.Equal(t, first, q.Class)
			}
		}
	}
	assert.Len(t, firsts, 3, "the first class is drawn from the weights, not fixed")
}

func TestNeedsCarryClassValues(t *testing.T) {
	c := Config{Queries: 1000, Arrival: ArrivalConfig{Process: ProcessPoisson, Rate: 100},
		Needs: NeedsConfig{Locality: 0.3, Class: threeClasses(1, 1, 1)}}
	s := mustNew(t, c, 3, 4)
	var q Query
	for s.Next(&q) {
		cl := c.Needs.Class[q.Class]
		require.Equal(t, cl.MinAccuracy, q.MinAccuracy)
		require.Equal(t, int64(cl.SLOMs*1e6), q.SLO)
		require.Equal(t, int32(0), q.Tenant)
	}
	assert.Equal(t, c.Needs.Class, c.Classes())
}

// Phases switch the mix at their start; the first query of a phase redraws,
// so even p = 1 follows the schedule.
func TestPhasesSwitchTheMix(t *testing.T) {
	one := 1.0
	c := Config{DurationS: 200, Arrival: ArrivalConfig{Process: ProcessConstant, Rate: 1000},
		Needs: NeedsConfig{Locality: 0.5, Class: threeClasses(1, 0, 0), Phase: []PhaseConfig{
			{StartS: 50, Weights: []float64{0.2, 0.8, 0}},
			{StartS: 100, Weights: []float64{0, 0, 1}, Locality: &one},
			{StartS: 150, Weights: []float64{0.7, 0.1, 0.2}},
		}}}
	s := mustNew(t, c, 1, 9)
	var q Query
	var counts [4][3]float64
	for s.Next(&q) {
		counts[q.Arrival/50e9][q.Class]++
	}
	want := [4][3]float64{{1, 0, 0}, {0.2, 0.8, 0}, {0, 0, 1}, {0.7, 0.1, 0.2}}
	for ph := range want {
		total := counts[ph][0] + counts[ph][1] + counts[ph][2]
		require.InDelta(t, 50000, total, 1, "phase %d count", ph)
		for i := range 3 {
			assert.InDelta(t, want[ph][i], counts[ph][i]/total, 0.015, "phase %d class %d", ph, i)
		}
	}
}

// Each configured tenant has its own mix and its own sticky chain; other
// tenants share the base chain.
func TestTenantChains(t *testing.T) {
	p9 := 0.9
	m := newNeedsModel(&NeedsConfig{Locality: 0, Class: threeClasses(0.5, 0.5, 0), Tenant: []TenantConfig{
		{Tenant: 2, Weights: []float64{0, 0, 1}},
		{Tenant: 5, Weights: []float64{0.5, 0.3, 0.2}, Locality: &p9},
	}}, rng(11))
	var q Query
	var t5visits, t5stays, othersFast float64
	prev5 := int32(-1)
	for i := 0; i < 300000; i++ {
		q.Tenant = int32(i % 7)
		m.assign(&q)
		switch q.Tenant {
		case 2:
			require.Equal(t, int32(2), q.Class, "tenant 2 only has class 2")
		case 5:
			if prev5 == 0 {
				t5visits++
				if q.Class == 0 {
					t5stays++
				}
			}
			prev5 = q.Class
		default:
			if q.Class == 2 {
				othersFast++
			}
		}
	}
	assert.Zero(t, othersFast, "unlisted tenants use the base mix, where class 2 has weight 0")
	// Tenant 5's chain is sticky among its own queries, although they are
	// interleaved with six other tenants: stay in class 0 = 0.9 + 0.1·0.5.
	assert.InDelta(t, 0.95, t5stays/t5visits, 0.005)
}

func TestMixNeverDrawsZeroWeight(t *testing.T) {
	m := newMix([]float64{0, 2, 0, 1, 0})
	assert.Equal(t, int32(1), m.draw(0))
	assert.Equal(t, int32(1), m.draw(0.6666))
	assert.Equal(t, int32(3), m.draw(0.6667))
	assert.Equal(t, int32(3), m.draw(0.9999999999999999))
	assert.Equal(t, int32(3), m.draw(1), "rounding past the end falls on the last positive class")
}

// Huge finite weights give the same shares as small ones: 1e308 + 1e308
// overflows to +Inf, so a plain sum would make every share 0 or NaN.
func TestMixHugeWeightsDoNotOverflow(t *testing.T) {
	small := newMix([]float64{1, 1, 2})
	huge := newMix([]float64{1e308 / 2, 1e308 / 2, 1e308})
	assert.Equal(t, []float64{0.25, 0.5, 1}, small.cum)
	assert.Equal(t, small.cum, huge.cum)
	assert.Equal(t, []float64{0.5, 1}, newMix([]float64{math.MaxFloat64, math.MaxFloat64}).cum)
}
