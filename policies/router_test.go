package policies

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// fakeView is a ClusterView whose state a test sets by hand. ServiceNs
// does what the engine does: the selector's choice on the instance's row.
type fakeView struct {
	queue   []int
	backlog []int64
	rows    []accel.Row
	res     []models.SubGraph
	sel     Selector
}

func (f *fakeView) Instances() int        { return len(f.queue) }
func (f *fakeView) QueueLen(i int) int    { return f.queue[i] }
func (f *fakeView) BacklogNs(i int) int64 { return f.backlog[i] }
func (f *fakeView) ShortestQueue() int    { return scanShortestQueue(f) }
func (f *fakeView) ServiceNs(i int, n Need) int64 {
	s := f.sel.Select(n, f.rows[i])
	if s < 0 {
		return 0
	}
	return f.rows[i][s].LatencyNs
}

// newFakeView is n idle zcu104 instances with nothing resident.
func newFakeView(t testing.TB, n int) (*fakeView, *Env, *accel.Table) {
	t.Helper()
	env, table := refEnv(t, 0)
	f := &fakeView{queue: make([]int, n), backlog: make([]int64, n), sel: env.Selector}
	for i := 0; i < n; i++ {
		f.rows = append(f.rows, table.Row(models.SubGraph{}))
		f.res = append(f.res, models.SubGraph{})
	}
	return f, env, table
}

// hold makes instance i hold catalog SubNet s's weights (all of them, as
// on a PB large enough; the row is computed for exactly that SubGraph).
func (f *fakeView) hold(t testing.TB, env *Env, i, s int) {
	t.Helper()
	g := env.Catalog.Graphs[s]
	f.res[i] = g
	f.rows[i] = env.Table.Row(g)
}

func buildRouter(t testing.TB, spec Spec[Router], env *Env) Router {
	t.Helper()
	require.NoError(t, spec.Validate())
	r, err := spec.Build(env)
	require.NoError(t, err)
	return r
}

// need79 is served by ref3 (79.0%, 27.7 ms on the zcu104; ref4 takes 42 ms
// > 30 ms).
var need79 = Need{MinAccuracy: 79.0, SLO: 30e6}

func TestAffinityPrefersTheInstanceHoldingTheWeights(t *testing.T) {
	f, env, table := newFakeView(t, 4)
	empty := table.Row(models.SubGraph{})
	f.hold(t, env, 2, 3)
	require.Equal(t, int32(3), env.Selector.Select(need79, f.rows[2]))
	saved := empty[3].LatencyNs - f.rows[2][3].LatencyNs
	require.Greater(t, saved, int64(0), "holding ref3 makes ref3 faster")
	for _, d := range []int{0, 4, 9} { // every instance a candidate
		r := buildRouter(t, &AffinitySpec{D: d}, env)
		assert.Equal(t, 2, r.Route(need79, f), "d = %d: equal queues, instance 2 holds the weights", d)
	}
	// a backlog larger than what the PB saves sends it elsewhere: the
	// lowest index among the three equal others
	f.backlog[2] = saved + 1
	assert.Equal(t, 0, buildRouter(t, &AffinitySpec{D: 0}, env).Route(need79, f))
	f.backlog[2] = saved - 1
	assert.Equal(t, 2, buildRouter(t, &AffinitySpec{D: 0}, env).Route(need79, f))
}

// With d = 2 (the shortest queue, instance 0 among equals, and one random
// other) the router may first miss the instance with the weights, but once
// it has sent the class there, that one is always a candidate and keeps
// winning.
func TestAffinityRemembersTheClassInstance(t *testing.T) {
	f, env, _ := newFakeView(t, 4)
	f.hold(t, env, 2, 3)
	r := buildRouter(t, &AffinitySpec{D: 2}, env)
	first := -1
	for k := 0; k < 100; k++ {
		i := r.Route(need79, f)
		if first < 0 && i == 2 {
			first = k
		}
		if first >= 0 {
			require.Equal(t, 2, i, "route %d after the hint was set at %d", k, first)
		}
	}
	require.GreaterOrEqual(t, first, 0, "instance 2 is sampled sooner or later")
	// another class has its own hint; ref3 holds nearly all of ref0
	// (the FEATHER notebook's shapes), so the fast class also ends at instance 2,
	// and before it does, it stays on one instance (all scores tie)
	other := Need{MinAccuracy: 75, SLO: 10e6}
	var got []int
	for k := 0; k < 100; k++ {
		got = append(got, r.Route(other, f))
	}
	assert.Equal(t, 2, got[99])
	for k := 1; k < len(got); k++ {
		if got[k-1] == 2 {
			assert.Equal(t, 2, got[k])
		} else if got[k] != 2 {
			assert.Equal(t, got[0], got[k], "ties keep the remembered instance")
		}
	}
}

func TestLeastWorkByHand(t *testing.T) {
	f, env, table := newFakeView(t, 4)
	svc := table.Row(models.SubGraph{})[3].LatencyNs
	f.backlog = []int64{5e6, 3e6, 3e6, 9e6} // finish = backlog + svc: 1 and 2 tie
	r := buildRouter(t, &LeastWorkSpec{}, env)
	assert.Equal(t, 1, r.Route(need79, f), "tie between 1 and 2: lowest index")
	f.hold(t, env, 2, 3)
	assert.Equal(t, 2, r.Route(need79, f), "2 finishes first: same backlog, faster service")
	assert.Less(t, f.backlog[2]+f.rows[2][3].LatencyNs, f.backlog[1]+svc)
}

func TestJSQAndRoundRobin(t *testing.T) {
	f, env, _ := newFakeView(t, 4)
	f.queue = []int{3, 1, 1, 2}
	assert.Equal(t, 1, buildRouter(t, &JSQSpec{}, env).Route(need79, f))
	rr := buildRouter(t, &RoundRobinSpec{}, env)
	var got []int
	for k := 0; k < 6; k++ {
		got = append(got, rr.Route(need79, f))
	}
	assert.Equal(t, []int{0, 1, 2, 3, 0, 1}, got)
}

// Queue length = index on 1,000 instances, so the chosen index is the
// minimum of the sample. For d = 2 distinct uniform draws,
// E[min] = (N-2)/3 = 332.67 (P(min >= k) = C(N-k,2)/C(N,2), summed); its
// standard deviation is ~235, so the mean of 20,000 routes lies within
// 4 standard errors (6.7) of it. Random's mean is (N-1)/2.
func TestSampledRoutersMatchClosedForms(t *testing.T) {
	const n, routes = 1000, 20000
	f, env, _ := newFakeView(t, n)
	for i := range f.queue {
		f.queue[i] = i
	}
	p2 := buildRouter(t, &PowerOfTwoSpec{D: 2}, env)
	rnd := buildRouter(t, &RandomSpec{}, &Env{Rand: pcg(3, 3)})
	var s2, sr float64
	for k := 0; k < routes; k++ {
		s2 += float64(p2.Route(need79, f))
		sr += float64(rnd.Route(need79, f))
	}
	se2 := math.Sqrt(float64(n*n)/18) / math.Sqrt(routes)
	assert.InDelta(t, float64(n-2)/3, s2/routes, 4*se2)
	ser := float64(n) / math.Sqrt(12) / math.Sqrt(routes)
	assert.InDelta(t, float64(n-1)/2, sr/routes, 4*ser)
	// d >= N samples everyone: exactly JSQ
	f.queue[0], f.queue[7] = 5, -1
	assert.Equal(t, 7, buildRouter(t, &PowerOfTwoSpec{D: n}, env).Route(need79, f))
}

// Floyd's sampler: d distinct indices, each index drawn with probability
// d/N per call.
func TestSamplerDistinctAndUniform(t *testing.T) {
	s := sampler{r: pcg(9, 9)}
	const n, d, calls = 10, 3, 30000
	count := make([]int, n)
	for k := 0; k < calls; k++ {
		got := s.draw(n, d)
		require.Len(t, got, d)
		seen := map[int]bool{}
		for _, i := range got {
			require.False(t, seen[i], "distinct")
			require.True(t, i >= 0 && i < n)
			seen[i] = true
			count[i]++
		}
	}
	p := float64(d) / n
	sd := math.Sqrt(calls * p * (1 - p))
	for i, c := range count {
		assert.InDelta(t, calls*p, float64(c), 4*sd, "index %d", i)
	}
	assert.Equal(t, []int{0, 1, 2}, s.draw(3, 5), "d >= N: everyone, in order")
}

func TestRoutersDeterministicAndAllocationFree(t *testing.T) {
	f, env, _ := newFakeView(t, 64)
	for i := range f.backlog {
		f.backlog[i] = int64((i * 7919) % 13 * 1e6)
		f.queue[i] = (i * 31) % 5
	}
	for name, mk := range routers {
		seq := func() []int {
			e := *env
			e.Rand = pcg(4, 4)
			r := buildRouter(t, mk(), &e)
			var out []int
			for k := 0; k < 200; k++ {
				out = append(out, r.Route(Need{MinAccuracy: 75 + float64(k%4), SLO: int64(20+k%3*20) * 1e6}, f))
			}
			return out
		}
		assert.Equal(t, seq(), seq(), name)
		r := buildRouter(t, mk(), env)
		r.Route(need79, f)
		assert.Zero(t, testing.AllocsPerRun(100, func() { r.Route(need79, f) }), name)
	}
}

func TestRouterValidation(t *testing.T) {
	assert.EqualError(t, (&PowerOfTwoSpec{D: 0}).Validate(), "d: must be >= 1, got 0")
	assert.EqualError(t, (&AffinitySpec{D: -1}).Validate(), "d: must be >= 0 (0 = auto: every instance up to 32, else 5: the shortest queue and 4 samples), got -1")
	_, err := (&AffinitySpec{D: 2}).Build(&Env{})
	assert.EqualError(t, err, "router: affinity needs a random stream (Env.Rand)")
}

// shortestView is a fakeView that also offers a (deliberately different)
// shortest-queue index, to see which one a router consults.
type shortestView struct {
	*fakeView
	idx int
}

func (s shortestView) ShortestQueue() int { return s.idx }

func TestJSQUsesTheViewsIndex(t *testing.T) {
	f, _, _ := newFakeView(t, 4)
	f.queue = []int{3, 1, 1, 2}
	assert.Equal(t, 3, JSQ{}.Route(need79, shortestView{f, 3}), "the index's answer")
	assert.Equal(t, 1, JSQ{}.Route(need79, f), "the scan's answer: first of the shortest")
}

// Skipping instances whose backlog alone rules them out is exact: the
// same choice as scoring every instance.
func TestLeastWorkPruningIsExact(t *testing.T) {
	f, env, _ := newFakeView(t, 50)
	r := pcg(6, 6)
	for k := 0; k < 300; k++ {
		for i := range f.backlog {
			f.backlog[i] = int64(r.IntN(5)) * 10e6
		}
		f.hold(t, env, r.IntN(50), r.IntN(6))
		n := Need{MinAccuracy: 75 + float64(r.IntN(5)), SLO: int64(10+r.IntN(50)) * 1e6}
		want, ws := 0, finishNs(f, 0, n)
		for i := 1; i < 50; i++ {
			if s := finishNs(f, i, n); s < ws {
				want, ws = i, s
			}
		}
		require.Equal(t, want, buildRouter(t, &LeastWorkSpec{D: 50}, env).Route(n, f), "d = N scores every instance")
		require.Equal(t, want, buildRouter(t, &AffinitySpec{D: 50}, env).Route(n, f), "a fresh affinity router scoring every instance has no hint")
	}
}

// The tolerance, by hand: need79's class last went to instance 1; instance
// 0 is idle, so fin(0) = svc and fin(1) = backlog(1) + svc. The class stays
// on 1 while backlog(1) <= tolerance x svc.
func TestAffinityToleranceByHand(t *testing.T) {
	f, env, table := newFakeView(t, 2)
	svc := table.Row(models.SubGraph{})[3].LatencyNs
	for _, c := range []struct {
		tol     float64
		backlog int64
		want    int
	}{
		{0, 0, 1},              // a tie: the class's instance
		{0, 1, 0},              // 1 ns later: the expected finish decides
		{0.5, svc * 4 / 10, 1}, // 0.4 svc of extra wait is within 0.5 svc
		{0.5, svc * 6 / 10, 0},
		{2, svc * 19 / 10, 1},
	} {
		r := buildRouter(t, &AffinitySpec{D: 0, Tolerance: c.tol}, env)
		f.backlog = []int64{svc, 0} // make 1 the best once: the class's instance
		require.Equal(t, 1, r.Route(need79, f))
		f.backlog = []int64{0, c.backlog}
		assert.Equal(t, c.want, r.Route(need79, f), "tolerance %v, backlog %d of svc %d", c.tol, c.backlog, svc)
	}
	assert.EqualError(t, (&AffinitySpec{Tolerance: -1}).Validate(), "tolerance: must be a finite number >= 0, got -1")
}

// d = 0 is auto: exhaustive up to 32 instances, 5 candidates (the
// shortest queue and 4 samples) beyond.
func TestAutoD(t *testing.T) {
	assert.Equal(t, 4, autoD(0, 4))
	assert.Equal(t, 32, autoD(0, 32))
	assert.Equal(t, 5, autoD(0, 1000))
	assert.Equal(t, 7, autoD(7, 1000))
}

// Sampling least-work and affinity always score the view's shortest queue
// as one of their d candidates: on 100 instances with d = 2, only instance
// 57 is idle and the index points at it, so every route goes there (a
// lone sample would find it once in 100).
func TestSampledRoutersScoreTheShortestQueue(t *testing.T) {
	f, env, _ := newFakeView(t, 100)
	for i := range f.backlog {
		f.backlog[i], f.queue[i] = 50e6, 2
	}
	f.backlog[57], f.queue[57] = 0, 0
	v := shortestView{f, 57}
	for _, spec := range []Spec[Router]{&LeastWorkSpec{D: 2}, &AffinitySpec{D: 2}} {
		r := buildRouter(t, spec, env)
		for k := 0; k < 50; k++ {
			n := Need{MinAccuracy: 75 + float64(k%5), SLO: int64(10+k%7*10) * 1e6}
			require.Equal(t, 57, r.Route(n, v), "%T route %d", spec, k)
		}
	}
}

// scanShortestQueue is ClusterView.ShortestQueue by scanning QueueLen.
func scanShortestQueue(c ClusterView) int {
	best, bl := 0, c.QueueLen(0)
	for i := 1; i < c.Instances(); i++ {
		if l := c.QueueLen(i); l < bl {
			best, bl = i, l
		}
	}
	return best
}
