package execute

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

func TestCheckFiniteNamesTheColumn(t *testing.T) {
	s := results.Summary{Policy: "p", LatencyMsMean: 3, AccuracyMeanServed: 77.5}
	require.NoError(t, checkFinite(&s, []results.Window{{TS: 1}}))
	s.SLOAttainment = math.NaN()
	s.EnergyMJPerQuery = math.Inf(1)
	err := checkFinite(&s, []results.Window{{TS: 0}, {TS: 10, LatencyMsMean: math.NaN()}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "time series window 1: latency_ms_mean = NaN")
	assert.Contains(t, err.Error(), "slo_attainment = NaN")
	assert.Contains(t, err.Error(), "energy_mj_per_query = +Inf")
	assert.Contains(t, err.Error(), `policy "p"`)
}
