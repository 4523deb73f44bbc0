package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/workloads"
)

// latencies collects every completed query's latency in ms.
type latencies struct{ ms []float64 }

func (l *latencies) Completed(now Time, q *workloads.Query, _ int, _ int32, _ *accel.Cost) {
	l.ms = append(l.ms, float64(now-q.Arrival)/1e6)
}
func (*latencies) Arrived(Time, *workloads.Query, int)              {}
func (*latencies) Dropped(Time, *workloads.Query, int)              {}
func (*latencies) Reloaded(Time, int, models.SubGraph, *accel.Cost) {}

// Merging two cells' metrics gives the counters' sums and the sketch one
// would have built from both cells' latencies (a second sketch, filled
// here from the queries themselves, has the same quantiles); an encoded
// and decoded sketch merges the same.
func TestMergeIsTheRunOfBothCells(t *testing.T) {
	f := newFixture(t)
	var runs []*Metrics
	var all []float64
	for i, n := range []int{3, 5} {
		src := poisson(t, uint64(10+i), 60*float64(n), 20_000, 0.9)
		s := f.spec(t, src, "sgs", n)
		obs := &latencies{}
		s.Observer = obs
		s.WindowNs = 1e8
		m := run(t, s)
		all = append(all, obs.ms...)
		runs = append(runs, m)
	}
	dec, err := DecodeSketch(EncodeSketch(runs[1].Latency))
	require.NoError(t, err)
	cp := *runs[1]
	cp.Latency = dec
	merged := EmptyMetrics(len(f.cat.SubNets))
	require.NoError(t, merged.Merge(runs[0]))
	require.NoError(t, merged.Merge(&cp))
	checkInvariants(t, merged)
	assert.Equal(t, runs[0].Completed+runs[1].Completed, merged.Completed)
	assert.Equal(t, runs[0].BusyNs+runs[1].BusyNs, merged.BusyNs)
	assert.Equal(t, int64(8), merged.Instances)
	assert.Equal(t, runs[0].AccuracyMet+runs[1].AccuracyMet, merged.AccuracyMet)
	require.NotEmpty(t, merged.ByClass)
	for k, o := range merged.ByClass {
		var arrived, met int64
		for _, r := range runs {
			if k < len(r.ByClass) {
				arrived, met = arrived+r.ByClass[k].Arrived, met+r.ByClass[k].BothMet
			}
		}
		assert.Equal(t, arrived, o.Arrived, "class %d", k)
		assert.Equal(t, met, o.BothMet, "class %d", k)
	}
	assert.Equal(t, max(runs[0].End, runs[1].End), merged.End)
	one := newLatencySketch()
	for _, v := range all {
		require.NoError(t, one.Add(v))
	}
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999} {
		want, err := one.GetValueAtQuantile(q)
		require.NoError(t, err)
		assert.Equal(t, want, merged.LatencyQuantileMs(q), "quantile %g", q)
	}
	var win float64
	for _, w := range merged.Series {
		win += w.Latency.GetCount()
	}
	assert.Equal(t, float64(merged.Completed), win)
}
