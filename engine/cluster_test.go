package engine

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// fixture is a runnable cluster over the reference catalog on the zcu104
// preset; each test sets its source and policies.
type fixture struct {
	hw    accel.Hardware
	cat   *policies.Catalog
	table *accel.Table
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	subs, err := models.BuiltinCatalog(net, "reference")
	require.NoError(t, err)
	hw, err := accel.Preset("zcu104")
	require.NoError(t, err)
	cat := policies.NewCatalog(subs)
	return &fixture{hw: hw, cat: cat, table: accel.NewTable(&hw, subs, cat.Graphs)}
}

func (f *fixture) spec(t testing.TB, src workloads.Source, cache string, instances int) Spec {
	t.Helper()
	env := &policies.Env{Catalog: f.cat, Hardware: &f.hw, Table: f.table, Rand: Stream(1, "policy")}
	sel, err := (&policies.AccuracyFirstSpec{}).Build(env)
	require.NoError(t, err)
	cs, err := policies.CacheSpecFor(cache)
	require.NoError(t, err)
	s := Spec{Catalog: f.cat, Selector: sel, Router: policies.JSQ{}, Source: src}
	for i := 0; i < instances; i++ {
		c, err := cs.Build(env)
		require.NoError(t, err)
		s.Instances = append(s.Instances, InstanceSpec{Hardware: &f.hw, Table: f.table, Cache: c})
	}
	return s
}

// fixedSource emits n queries gap ns apart, all with the same need.
type fixedSource struct {
	n, i   int64
	gap    int64
	minAcc float64
	slo    int64
}

func (s *fixedSource) Next(q *workloads.Query) bool {
	if s.i >= s.n {
		return false
	}
	*q = workloads.Query{ID: s.i, Arrival: s.i * s.gap, MinAccuracy: s.minAcc, SLO: s.slo}
	s.i++
	return true
}

// With arrivals slower than service, nobody waits: every latency equals the
// chosen SubNet's SushiAbs service time (a hand calculation of D/D/1).
func TestNoQueueingLatencyIsServiceTime(t *testing.T) {
	f := newFixture(t)
	src := &fixedSource{n: 100, gap: 1e9, minAcc: 79.7, slo: 1e9} // ref5 is the most accurate
	m := run(t, f.spec(t, src, "none", 1))
	svc := f.table.Row(models.SubGraph{})[5].LatencyNs
	assert.Equal(t, int64(100), m.Completed)
	assert.InDelta(t, float64(svc), m.LatencyNsSum/100, 0.5)
	assert.Equal(t, int64(100), m.ServedBySubNet[5])
}

// D/D/1 overloaded: arrivals every svc/2, so query k waits k*svc/2; the
// mean latency is svc + svc/2 * (n-1)/2.
func TestOverloadedDD1MeanLatency(t *testing.T) {
	f := newFixture(t)
	svc := f.table.Row(models.SubGraph{})[0].LatencyNs
	const n = 200
	src := &fixedSource{n: n, gap: svc / 2, minAcc: 0, slo: 0} // SLO 0: always the fastest, ref0
	m := run(t, f.spec(t, src, "none", 1))
	var sum float64
	for k := int64(0); k < n; k++ { // finish_k = (k+1)*svc, arrival_k = k*gap
		sum += float64((k+1)*svc - k*(svc/2))
	}
	want := sum / n
	assert.InDelta(t, want, m.LatencyNsSum/n, 1)
	assert.Equal(t, int64(0), m.SLOMet)
}

func poisson(t testing.TB, seed uint64, rate float64, n int64, locality float64) workloads.Source {
	t.Helper()
	c := workloads.Config{Queries: n,
		Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: rate},
		Needs: workloads.NeedsConfig{Locality: locality, Class: []workloads.NeedClass{
			{Name: "fast", MinAccuracy: 75, SLOMs: 40, Weight: 1},
			{Name: "balanced", MinAccuracy: 78, SLOMs: 80, Weight: 1},
			{Name: "accurate", MinAccuracy: 79.5, SLOMs: 150, Weight: 1},
		}}}
	require.NoError(t, c.Validate())
	src, err := workloads.New(c, Stream(seed, "arrivals"), Stream(seed, "needs"), ".")
	require.NoError(t, err)
	return src
}

// Same spec, same metrics; every arrival is completed (INV-1).
func TestRunIsDeterministicAndConservesQueries(t *testing.T) {
	f := newFixture(t)
	once := func() *Metrics { return run(t, f.spec(t, poisson(t, 9, 60, 5000, 0.95), "sgs", 3)) }
	a, b := once(), once()
	assert.Equal(t, a.Arrived, a.Completed+a.Dropped+a.InFlight, "queries in = completed + dropped + in flight")
	assert.Equal(t, int64(5000), a.Arrived)
	assert.LessOrEqual(t, a.MaxPBBytes, f.hw.PBBytes, "PB occupancy never exceeds capacity")
	assert.Zero(t, a.MaxPBOverflow)
	assert.Greater(t, a.Reloads, int64(0))
	// byte-identical summaries come from identical metrics
	pa, _ := a.Latency.GetValueAtQuantile(0.99)
	pb, _ := b.Latency.GetValueAtQuantile(0.99)
	assert.Equal(t, pa, pb)
	a.Latency, b.Latency = nil, nil
	assert.Equal(t, a, b)
}

func TestSGSServesWeightsFromPB(t *testing.T) {
	f := newFixture(t)
	none := run(t, f.spec(t, poisson(t, 3, 30, 5000, 0.98), "none", 1))
	sgs := run(t, f.spec(t, poisson(t, 3, 30, 5000, 0.98), "sgs", 1))
	assert.Zero(t, none.PBHitBytes)
	assert.Greater(t, sgs.PBHitBytes, int64(0))
	assert.Less(t, sgs.OffchipBytes+sgs.ReloadBytes, none.OffchipBytes)
	// DRAM energy is per byte moved: fewer bytes, less of it, reloads included
	assert.Less(t, sgs.Energy.DRAM+sgs.ReloadEnergy.DRAM, none.Energy.DRAM)
}

// jsqScan is JSQ by scanning every instance's QueueLen: O(N) per query, the
// reference the engine's shortest-queue index is checked against
// (policies.JSQ reads the index).
type jsqScan struct{}

func (jsqScan) Needs() policies.Needs { return policies.Needs{} }

func (jsqScan) Route(_ policies.Need, c policies.ClusterView) int {
	best, bl := 0, c.QueueLen(0)
	for i := 1; i < c.Instances(); i++ {
		if l := c.QueueLen(i); l < bl {
			best, bl = i, l
		}
	}
	return best
}

// The index picks exactly what the O(N) scan of QueueLen picks (fewest
// queries, lowest index on ties), so whole runs under policies.JSQ, which
// reads the cluster's index, equal runs under the scan.
func TestShortestQueueIndexMatchesJSQScan(t *testing.T) {
	f := newFixture(t)
	mk := func(r policies.Router) Spec {
		s := f.spec(t, poisson(t, 4, 40*25, 20000, 0.9), "sgs", 40) // about 90% busy
		s.Router = r
		return s
	}
	scan := run(t, mk(jsqScan{}))
	index := run(t, mk(policies.JSQ{}))
	scan.Latency, index.Latency = nil, nil
	assert.Equal(t, scan, index)
	rr := run(t, mk(&policies.RoundRobin{}))
	assert.NotEqual(t, scan.LatencyNsSum, rr.LatencyNsSum, "another router gives another run: the equality above is not vacuous")
	assert.Greater(t, scan.LatencyNsSum/float64(scan.Completed), float64(f.table.Row(models.SubGraph{})[0].LatencyNs),
		"queries waited, so routing mattered")
}

// BenchmarkQueryPath is the full path of one query: arrive, route, select
// with the SushiAbs row, serve, SGS bookkeeping, metrics; on one instance,
// and on 1,000 at the same load per instance (25 queries/s each: about 90%
// busy on 1,000, 77% on one, where accuracy-first picks faster SubNets for
// queries that waited), routed by an O(N) scan of queue lengths, by the engine's
// shortest-queue index (what policies.JSQ uses), or round-robin.
func BenchmarkQueryPath(b *testing.B) {
	for _, c := range []struct {
		name      string
		instances int
		cache     string
		router    policies.Router
	}{
		{"1/sgs", 1, "sgs", policies.JSQ{}},
		{"1/none", 1, "none", policies.JSQ{}},
		{"1000/sgs/jsq-scan", 1000, "sgs", jsqScan{}},
		{"1000/sgs/jsq-index", 1000, "sgs", policies.JSQ{}},
		{"1000/sgs/round-robin", 1000, "sgs", &policies.RoundRobin{}},
		{"1000/none/jsq-index", 1000, "none", policies.JSQ{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := newFixture(b)
			src := poisson(b, 1, 25*float64(c.instances), int64(b.N), 0.98)
			s := f.spec(b, src, c.cache, c.instances)
			s.Router = c.router
			b.ReportAllocs()
			b.ResetTimer()
			m, err := Run(s)
			b.StopTimer()
			require.NoError(b, err)
			checkInvariants(b, m)
			b.ReportMetric(float64(m.Completed)/b.Elapsed().Seconds()/1e6, "Mqueries/s")
		})
	}
}

// A cache-blind selector chooses as if the PB were empty: with no queueing
// it picks exactly what the no-cache run picks, while the cache-aware one,
// once SGS holds weights of the SubNet just above the SLO, moves up to it.
func TestCacheBlindSelectionIgnoresThePB(t *testing.T) {
	f := newFixture(t)
	f.hw.WeightTransfer = accel.WeightsSerialized // weight transfer on the critical path, so caching shortens service
	f.table = accel.NewTable(&f.hw, f.cat.SubNets, f.cat.Graphs)
	empty := f.table.Row(models.SubGraph{})
	slo := empty[3].LatencyNs - 1000 // ref3 misses the SLO by 1 us with nothing cached
	run := func(cache string, aware bool) *Metrics {
		src := &fixedSource{n: 400, gap: 1e9, minAcc: 0, slo: slo}
		s := f.spec(t, src, cache, 1)
		env := &policies.Env{Catalog: f.cat, Hardware: &f.hw, Table: f.table}
		sel, err := (&policies.AccuracyFirstSpec{SelectorParams: policies.SelectorParams{CacheAware: &aware}}).Build(env)
		require.NoError(t, err)
		s.Selector = sel
		m, err := Run(s)
		require.NoError(t, err)
		return m
	}
	none, blind, aware := run("none", true), run("sgs", false), run("sgs", true)
	assert.Equal(t, int64(400), none.ServedBySubNet[2], "with an empty PB ref2 is the best that fits")
	assert.Equal(t, none.ServedBySubNet, blind.ServedBySubNet)
	assert.Greater(t, blind.PBHitBytes, int64(0), "the blind run still caches and runs faster")
	assert.Greater(t, aware.ServedBySubNet[3], int64(300), "aware selection moves up to ref3 once its weights are resident")
	assert.Greater(t, aware.AccuracySum, blind.AccuracySum)
}

// LRU with write_allocate fills its buffer from the weights each query
// streams, so its changes write the PB but read nothing more from DRAM
// (the first fill included: nothing is resident before the first query
// streams); without it, LRU pays its reloads like SGS, which decides ahead.
func TestLRUFillsFromTheStreamWithoutReloadTraffic(t *testing.T) {
	f := newFixture(t)
	lruRun := func(wa bool) *Metrics {
		s := f.spec(t, poisson(t, 5, 20, 3000, 0.5), "lru", 1)
		c, err := (&policies.LRUSpec{WriteAllocate: wa}).Build(&policies.Env{Catalog: f.cat, Hardware: &f.hw})
		require.NoError(t, err)
		s.Instances[0].Cache = c
		m, err := Run(s)
		require.NoError(t, err)
		return m
	}
	lru, paid := lruRun(true), lruRun(false)
	assert.Greater(t, lru.Reloads, int64(0))
	assert.Zero(t, lru.ReloadBytes)
	assert.Greater(t, lru.ReloadEnergy.SRAM, 0.0, "writing the PB still costs SRAM energy")
	assert.Equal(t, lru.Reloads, paid.Reloads, "the same decisions")
	assert.Greater(t, paid.ReloadBytes, int64(0), "without write-allocate every new byte is read again")
	sgs, err := Run(f.spec(t, poisson(t, 5, 20, 3000, 0.5), "sgs", 1))
	require.NoError(t, err)
	assert.Greater(t, sgs.ReloadBytes, int64(0))
}

// Batching by hand: 8 queries at t = 0 on an instance that batches up to 4.
// The first finds the instance idle and starts alone (the engine never
// waits to fill a batch); the next four, queued meanwhile, form one batch,
// the last three another. Every query picks ref5 (loose SLO). Weights are
// fetched once per batch: latencies are L1, L1+L4 (x4), L1+L4+L3 (x3), with
// Lk accel's BatchCost of ref5 for k queries.
func TestBatchesShareOneWeightFetch(t *testing.T) {
	f := newFixture(t)
	f.hw.Batch = 4
	src := &fixedSource{n: 8, gap: 0, minAcc: 0, slo: 1e12}
	m, err := Run(f.spec(t, src, "none", 1))
	require.NoError(t, err)
	ref5 := f.cat.SubNets[5]
	b := func(k int) accel.Cost { return f.hw.BatchCost(ref5, models.SubGraph{}, k) }
	l1, l4, l3 := b(1).LatencyNs, b(4).LatencyNs, b(3).LatencyNs
	assert.Equal(t, int64(3), m.Services)
	assert.Equal(t, int64(8), m.ServedBySubNet[5])
	want := float64(l1 + 4*(l1+l4) + 3*(l1+l4+l3))
	assert.InDelta(t, want/8, m.LatencyNsSum/8, 1)
	assert.Less(t, l4, 4*l1, "a batch of 4 is faster than 4 queries one by one")
	assert.Equal(t, 3*ref5.Weights(), m.WeightBytes, "weights once per batch, not per query")
	assert.Equal(t, b(1).OffchipBytes+b(4).OffchipBytes+b(3).OffchipBytes, m.OffchipBytes)
	require.NoError(t, m.CheckInvariants())
}

// A query whose accuracy need the batch's SubNet does not meet ends the
// batch, so nobody is overtaken. q0 keeps the instance busy with ref5;
// then q1's SLO leaves room for ref1 but not ref2 after its wait, q2 (70%)
// joins it, q3 (79%) is not met by ref1 (76.3%) and waits for the next.
func TestBatchStopsAtANeedItCannotMeet(t *testing.T) {
	f := newFixture(t)
	f.hw.Batch = 4
	row := f.table.Row(models.SubGraph{})
	room := (row[1].LatencyNs + row[2].LatencyNs) / 2 // ref1 fits, ref2 does not
	q := []workloads.Query{
		{ID: 0, Arrival: 0, MinAccuracy: 0, SLO: 1e12},
		{ID: 1, Arrival: 1e6, MinAccuracy: 0, SLO: row[5].LatencyNs - 1e6 + room},
		{ID: 2, Arrival: 1e6, MinAccuracy: 70, SLO: 1e12},
		{ID: 3, Arrival: 1e6, MinAccuracy: 79, SLO: 1e12},
	}
	m, err := Run(f.spec(t, &sliceSource{q: q}, "none", 1))
	require.NoError(t, err)
	assert.Equal(t, int64(3), m.Services)
	assert.Equal(t, int64(2), m.ServedBySubNet[1])
	assert.Equal(t, int64(2), m.ServedBySubNet[5])
}

type sliceSource struct {
	q []workloads.Query
	i int
}

func (s *sliceSource) Next(q *workloads.Query) bool {
	if s.i >= len(s.q) {
		return false
	}
	*q = s.q[s.i]
	s.i++
	return true
}

// flipCache changes its PB on every query, between nothing and one layer
// of a SubNet, without allocating: it puts the engine's reload path on
// every query.
type flipCache struct {
	g  [2]models.SubGraph
	on int
}

func (c *flipCache) Resident() models.SubGraph { return c.g[c.on] }
func (c *flipCache) Served(int32) bool         { c.on ^= 1; return true }
func (c *flipCache) Needs() policies.Needs     { return policies.Needs{} }

// The query path allocates nothing in steady state: a 50,000-query run
// makes far fewer allocations than queries (setup, pools growing, and one
// SubGraph per SGS decision every Q = 50 queries). A per-query allocation
// would add 50,000; so would one per reload, which the flipping cache
// makes on every query.
func TestQueryPathDoesNotAllocatePerQuery(t *testing.T) {
	f := newFixture(t)
	const n = 50000
	ref0 := f.cat.Graphs[0]
	for _, cache := range []string{"sgs", "flip", "flip-overlap"} {
		s := f.spec(t, poisson(t, 2, 20, n, 0.98), "sgs", 4)
		if cache == "flip-overlap" {
			hw := f.hw
			hw.Reload = accel.ReloadOverlap
			for i := range s.Instances {
				s.Instances[i].Hardware = &hw
			}
		}
		if cache != "sgs" {
			for i := range s.Instances {
				s.Instances[i].Cache = &flipCache{g: [2]models.SubGraph{{}, models.NewSubGraph(ref0.Len()).With(0, ref0.At(0))}}
			}
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := Run(s)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		require.Equal(t, int64(n), m.Completed)
		if cache != "sgs" {
			require.Equal(t, int64(n), m.Reloads, "a reload after every query")
		}
		allocs := after.Mallocs - before.Mallocs
		assert.Less(t, allocs, uint64(n/5), "%s: %d allocations for %d queries", cache, allocs, n)
	}
}
