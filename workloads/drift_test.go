package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Over one period cut into 4 intervals, a two-class mix drifting from
// [1, 0] to [0, 1] gives class 1 the share a_k = (1 - cos(2 pi (k + 1/2) / 4)) / 2
// in interval k: 0.146, 0.854, 0.854, 0.146 (locality 0: independent
// draws, so each share is a binomial proportion; checked to 4 sigma).
func TestDriftSharesFollowTheCosine(t *testing.T) {
	const perInterval = 50000
	c := Config{Queries: 4 * perInterval,
		Arrival: ArrivalConfig{Process: ProcessConstant, Rate: perInterval},
		Needs: NeedsConfig{Class: []NeedClass{{MinAccuracy: 75, SLOMs: 10, Weight: 1}, {MinAccuracy: 79, SLOMs: 50, Weight: 0}},
			Drift: DriftConfig{Weights: []float64{0, 1}, PeriodS: 4, Steps: 4}}}
	require.NoError(t, c.Validate())
	s, err := New(c, rng(1), rng(2), ".")
	require.NoError(t, err)
	var ones, all [4]float64
	var q Query
	for s.Next(&q) {
		k := min(3, q.Arrival/1e9)
		all[k]++
		if q.Class == 1 {
			ones[k]++
		}
	}
	for k := range 4 {
		want := (1 - math.Cos(2*math.Pi*(float64(k)+0.5)/4)) / 2
		sd := math.Sqrt(want * (1 - want) / all[k])
		assert.InDelta(t, want, ones[k]/all[k], 4*sd, "interval %d", k)
	}
}

func TestDriftValidation(t *testing.T) {
	c := Config{Queries: 10, Arrival: ArrivalConfig{Process: ProcessPoisson, Rate: 1},
		Needs: NeedsConfig{Class: []NeedClass{{MinAccuracy: 75, SLOMs: 10, Weight: 1}},
			Phase: []PhaseConfig{{StartS: 1, Weights: []float64{1}}},
			Drift: DriftConfig{Weights: []float64{1, 2}, PeriodS: -1, Steps: 1}}}
	err := c.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"needs.drift: cannot be combined with [[workload.needs.phase]]",
		"needs.drift.weights: needs one weight per class (1), got 2",
		"needs.drift.period_s: must be > 0, got -1",
		"needs.drift.steps: must be in [2,10000], got 1",
	} {
		assert.Contains(t, err.Error(), want)
	}
}
