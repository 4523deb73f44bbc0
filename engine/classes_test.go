package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// outcomeQueries are four queries one second apart (nobody waits) on the
// reference catalog (top-1 75.0 ... 79.8), no cache, latency-first:
//
//	q0 class 0 tenant 0: >= 75, loose SLO  -> ref0: both met
//	q1 class 1 tenant 0: >= 79.9, loose    -> no SubNet is that accurate
//	q2 class 0 tenant 1: >= 75, SLO 1 ns under ref0's latency -> too tight
//	q3 class 2 tenant 1: >= 78, loose SLO  -> ref2 (78.3): both met
func outcomeQueries(f *fixture) []workloads.Query {
	row := f.table.Row(models.SubGraph{})
	return []workloads.Query{
		{ID: 0, Arrival: 0, MinAccuracy: 75, SLO: 1e12, Class: 0, Tenant: 0},
		{ID: 1, Arrival: 1e9, MinAccuracy: 79.9, SLO: 1e12, Class: 1, Tenant: 0},
		{ID: 2, Arrival: 2e9, MinAccuracy: 75, SLO: row[0].LatencyNs - 1, Class: 0, Tenant: 1},
		{ID: 3, Arrival: 3e9, MinAccuracy: 78, SLO: 1e12, Class: 2, Tenant: 1},
	}
}

func runOutcome(t *testing.T, admission string) *Metrics {
	t.Helper()
	f := newFixture(t)
	s := f.spec(t, &sliceSource{q: outcomeQueries(f)}, "none", 1)
	env := &policies.Env{Catalog: f.cat, Hardware: &f.hw, Table: f.table}
	sel, err := (&policies.LatencyFirstSpec{SelectorParams: policies.SelectorParams{Admission: admission}}).Build(env)
	require.NoError(t, err)
	s.Selector = sel
	m := run(t, s)
	return m
}

// With admission "drop", q1 (no SubNet accurate enough) and q2 (SLO too
// tight) are dropped: over arrivals half the SLOs and needs are met,
// though every served query met both.
func TestOutcomesCountDropsAsMisses(t *testing.T) {
	m := runOutcome(t, "drop")
	assert.Equal(t, Outcome{Arrived: 4, Dropped: 2, Completed: 2, SLOMet: 2, AccuracyMet: 2, BothMet: 2, AccuracySum: 75 + 78.3}, roundSum(m.Outcome))
	require.Len(t, m.ByClass, 3)
	assert.Equal(t, Outcome{Arrived: 2, Dropped: 1, Completed: 1, SLOMet: 1, AccuracyMet: 1, BothMet: 1, AccuracySum: 75}, roundSum(m.ByClass[0]))
	assert.Equal(t, Outcome{Arrived: 1, Dropped: 1}, roundSum(m.ByClass[1]))
	assert.Equal(t, Outcome{Arrived: 1, Completed: 1, SLOMet: 1, AccuracyMet: 1, BothMet: 1, AccuracySum: 78.3}, roundSum(m.ByClass[2]))
	require.Len(t, m.ByTenant, 2)
	assert.Equal(t, Outcome{Arrived: 2, Dropped: 1, Completed: 1, SLOMet: 1, AccuracyMet: 1, BothMet: 1, AccuracySum: 75}, roundSum(m.ByTenant[0]))
	assert.Equal(t, Outcome{Arrived: 2, Dropped: 1, Completed: 1, SLOMet: 1, AccuracyMet: 1, BothMet: 1, AccuracySum: 78.3}, roundSum(m.ByTenant[1]))
}

// Serving late instead, q1 gets the most accurate SubNet (ref5, 79.8, under
// its 79.9 need) within its SLO, and q2 gets ref0 after its SLO: three SLOs
// and three needs met, both only for q0 and q3.
func TestOutcomesServeLate(t *testing.T) {
	m := runOutcome(t, "serve-late")
	assert.Equal(t, Outcome{Arrived: 4, Completed: 4, SLOMet: 3, AccuracyMet: 3, BothMet: 2, AccuracySum: 75 + 79.8 + 75 + 78.3}, roundSum(m.Outcome))
	assert.Equal(t, Outcome{Arrived: 2, Completed: 2, SLOMet: 1, AccuracyMet: 2, BothMet: 1, AccuracySum: 150}, roundSum(m.ByClass[0]))
	assert.Equal(t, Outcome{Arrived: 1, Completed: 1, SLOMet: 1, AccuracySum: 79.8}, roundSum(m.ByClass[1]))
	assert.Equal(t, Outcome{Arrived: 2, Completed: 2, SLOMet: 2, AccuracyMet: 1, BothMet: 1, AccuracySum: 75 + 79.8}, roundSum(m.ByTenant[0]))
}

// roundSum rounds the accuracy sum to 1e-9 so float addition order does
// not decide equality.
func roundSum(o Outcome) Outcome {
	o.AccuracySum = float64(int64(o.AccuracySum*1e6+0.5)) / 1e6
	return o
}
