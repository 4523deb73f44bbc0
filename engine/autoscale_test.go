package engine

import (
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// stepSource sends queries at a constant gap, switching to gap2 at time
// switchAt: a load step.
type stepSource struct {
	n, i          int64
	gap, gap2     int64
	switchAt, now int64
}

func (s *stepSource) Next(q *workloads.Query) bool {
	if s.i >= s.n {
		return false
	}
	if s.i > 0 {
		if s.now < s.switchAt {
			s.now += s.gap
		} else {
			s.now += s.gap2
		}
	}
	*q = workloads.Query{ID: s.i, Arrival: s.now, MinAccuracy: 0, SLO: 1e9}
	s.i++
	return true
}

// deterministicSpec is n synthetic instances serving every query in
// exactly 1 ms, behind router, with a fresh no-cache for woken instances.
func deterministicSpec(t testing.TB, f *fixture, src workloads.Source, n int, router policies.Router) Spec {
	t.Helper()
	hw := f.hw
	hw.Kind, hw.Service = accel.KindSynthetic, accel.ServiceDist{Dist: accel.DistDeterministic, MeanMs: 1}
	require.NoError(t, hw.Validate())
	env := &policies.Env{Catalog: f.cat, Hardware: &hw, Table: f.table, Rand: Stream(1, "policy")}
	sel, err := (&policies.AccuracyFirstSpec{}).Build(env)
	require.NoError(t, err)
	s := Spec{Catalog: f.cat, Selector: sel, Router: router, Source: src}
	for i := range n {
		s.Instances = append(s.Instances, InstanceSpec{Hardware: &hw, Table: f.table, Cache: &policies.NoCache{},
			Service: SyntheticService(&hw, 1, i), Fresh: func() policies.Cache { return &policies.NoCache{} }})
	}
	return s
}

// A constant load of 20 instances' worth of work (20,000 queries/s of 1 ms
// each) on 100 instances at target 0.5: the first decision, at 1 s, sees
// 19,980 ms of service finished in the interval (the queries that arrived
// before 0.999 s) and asks for ceil(19.98 / 0.5) = 40 instances; from then
// on utilisation is 0.5, inside the band, and nothing changes. So the
// routable instance-time is 100 x 1 s + 40 x (end - 1 s) exactly, and the
// 60 others are off from 1 s on (a hand calculation).
func TestAutoscaleSettlesAtTheTarget(t *testing.T) {
	f := newFixture(t)
	src := &stepSource{n: 200_000, gap: 50_000, gap2: 50_000}
	s := deterministicSpec(t, f, src, 100, policies.JSQ{})
	s.Autoscale = &Autoscale{IntervalNs: 1e9, Target: 0.5, Band: 0.1, Min: 1}
	m := run(t, s)
	end := int64(199_999)*50_000 + 1e6
	require.Equal(t, end, m.End)
	assert.Equal(t, 100*int64(1e9)+40*(end-1e9), m.Power.ActiveNs)
	assert.Equal(t, 60*(end-1e9), m.Power.OffNs)
	assert.Zero(t, m.Power.Wakes)
	assert.Zero(t, m.Power.WakingNs)
	assert.Equal(t, int64(200_000), m.Completed)
	assert.Equal(t, 100*end-m.BusyNs-m.Power.OffNs, m.Power.IdleNs, "INV-14 by hand")
}

// recordFirst notes when each instance first got a query.
type recordFirst struct{ first []int64 }

func (r *recordFirst) Arrived(now Time, _ *workloads.Query, i int) {
	if r.first[i] < 0 {
		r.first[i] = now
	}
}
func (*recordFirst) Dropped(Time, *workloads.Query, int)                       {}
func (*recordFirst) Completed(Time, *workloads.Query, int, int32, *accel.Cost) {}
func (*recordFirst) Reloaded(Time, int, models.SubGraph, *accel.Cost)          {}

// A load step from 4,000 to 40,000 queries/s on 100 instances that start
// with 10 on: the autoscaler wakes instances, each wake-up lasts exactly
// WakeNs, no instance beyond the first 10 gets a query before the first
// decision plus the wake delay, a uniformly random router (which would pick
// any of the 100 if it were not limited to the routable prefix) never
// picks an instance that is off (the engine panics if it does), and every
// woken instance starts from a fresh cache.
func TestAutoscaleWakesInstancesForALoadStep(t *testing.T) {
	f := newFixture(t)
	src := &stepSource{n: 300_000, gap: 250_000, gap2: 25_000, switchAt: 3e9}
	rnd, err := (&policies.RandomSpec{}).Build(&policies.Env{Catalog: f.cat, Rand: Stream(1, "router")})
	require.NoError(t, err)
	s := deterministicSpec(t, f, src, 100, rnd)
	fresh := 0
	for i := range s.Instances {
		s.Instances[i].Fresh = func() policies.Cache { fresh++; return &policies.NoCache{} }
	}
	const wake = 500e6
	s.Autoscale = &Autoscale{IntervalNs: 1e9, Target: 0.6, Band: 0.2, WakeNs: wake, Min: 10, Initial: 10}
	rec := &recordFirst{first: make([]int64, 100)}
	for i := range rec.first {
		rec.first[i] = -1
	}
	s.Observer = rec
	m := run(t, s)
	require.Positive(t, m.Power.Wakes)
	assert.Equal(t, m.Power.Wakes*wake, m.Power.WakingNs, "every wake-up lasts the wake delay")
	assert.Equal(t, int(m.Power.Wakes), fresh, "a woken instance starts with a fresh cache")
	for i := 10; i < 100; i++ {
		if rec.first[i] >= 0 {
			assert.GreaterOrEqual(t, rec.first[i], int64(1e9+wake), "instance %d served before it could have woken", i)
		}
	}
	// 40 instances of work at target 0.6 need ceil(40/0.6) = 67 instances
	// once the load is steady: the mean routable count over the last second
	// of the run is within the band's reach of it
	assert.GreaterOrEqual(t, float64(m.Power.ActiveNs)/float64(m.End), 10.0)
}

// The windows of a run add up to its totals, counter by counter, and each
// window's sketch holds its completions.
func TestWindowsAddUpToTheRun(t *testing.T) {
	f := newFixture(t)
	src := &stepSource{n: 100_000, gap: 250_000, gap2: 25_000, switchAt: 3e9}
	s := deterministicSpec(t, f, src, 50, policies.JSQ{})
	s.Autoscale = &Autoscale{IntervalNs: 5e8, Target: 0.5, Band: 0.1, WakeNs: 1e8, Min: 2, Initial: 2}
	s.WindowNs = 7e8 // not a multiple of the decision interval
	m := run(t, s)
	require.Len(t, m.Series, int(math.Ceil(float64(m.End)/7e8)))
	var sum Window
	var sketch float64
	for i, w := range m.Series {
		assert.Equal(t, int64(i)*7e8, w.Start)
		sum.Arrived += w.Arrived
		sum.Completed += w.Completed
		sum.SLOMet += w.SLOMet
		sum.BusyNs += w.BusyNs
		sum.LatencyNsSum += w.LatencyNsSum
		sum.Power = sum.Power.Add(w.Power)
		sketch += w.Latency.GetCount()
	}
	assert.Equal(t, m.End, m.Series[len(m.Series)-1].End)
	assert.Equal(t, m.Arrived, sum.Arrived)
	assert.Equal(t, m.Completed, sum.Completed)
	assert.Equal(t, m.SLOMet, sum.SLOMet)
	assert.Equal(t, m.BusyNs, sum.BusyNs)
	assert.Equal(t, m.Power, sum.Power)
	assert.InDelta(t, m.LatencyNsSum, sum.LatencyNsSum, 1e-6*m.LatencyNsSum)
	assert.Equal(t, float64(m.Completed), sketch)
}

// Autoscaling adds no allocation per query: twice the queries, the same
// allocations (up to the slots and sketch bins a longer run may add).
func TestAutoscaleAllocatesNothingPerQuery(t *testing.T) {
	f := newFixture(t)
	allocs := func(n int64) uint64 {
		src := &stepSource{n: n, gap: 100_000, gap2: 40_000, switchAt: n * 100_000 / 3}
		s := deterministicSpec(t, f, src, 100, policies.JSQ{})
		s.Autoscale = &Autoscale{IntervalNs: 1e8, Target: 0.5, Band: 0.1, WakeNs: 1e7, Min: 1, Initial: 1}
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		m, err := Run(s)
		runtime.ReadMemStats(&b)
		require.NoError(t, err)
		checkInvariants(t, m)
		require.Positive(t, m.Power.Wakes)
		return b.Mallocs - a.Mallocs
	}
	small, big := allocs(100_000), allocs(200_000)
	assert.Less(t, float64(big)-float64(small), 0.01*100_000, "allocations grow with queries: %d then %d", small, big)
}

// Bad settings are errors naming the setting, not panics.
func TestAutoscaleRejectsBadSettings(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		a    Autoscale
		want string
	}{
		{Autoscale{IntervalNs: 0, Target: 0.5, Min: 1}, "interval"},
		{Autoscale{IntervalNs: 1, Target: 1.5, Min: 1}, "target"},
		{Autoscale{IntervalNs: 1, Target: 0.5, Band: 0.5, Min: 1}, "band"},
		{Autoscale{IntervalNs: 1, Target: 0.5, Min: 0}, "min"},
		{Autoscale{IntervalNs: 1, Target: 0.5, Min: 1, Initial: 11}, "initial"},
	} {
		s := deterministicSpec(t, f, &stepSource{n: 10, gap: 1e6}, 10, policies.JSQ{})
		s.Autoscale = &c.a
		_, err := Run(s)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
	s := deterministicSpec(t, f, &stepSource{n: 10, gap: 1e6}, 2, policies.JSQ{})
	s.Instances[1].Fresh = nil
	s.Autoscale = &Autoscale{IntervalNs: 1, Target: 0.5, Min: 1}
	_, err := Run(s)
	require.ErrorContains(t, err, "Fresh")
}
