package engine

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// leastWork routes a query to the instance whose backlog (rest of the
// current service plus every queued service) is smallest, the lowest index
// among ties. With service times drawn at routing (a synthetic instance's
// backlog is exact) this is the central FIFO queue of M/G/c: a query joins
// the server that frees first, which is where FCFS would put it (Kiefer and
// Wolfowitz's workload vector). JSQ is not: it counts queries, not work.
type leastWork struct{}

func (leastWork) Needs() policies.Needs { return policies.Needs{Backlog: true} }

func (leastWork) Route(_ policies.Need, c policies.ClusterView) int {
	best, bl := 0, c.BacklogNs(0)
	for i := 1; i < c.Instances(); i++ {
		if b := c.BacklogNs(i); b < bl {
			best, bl = i, b
		}
	}
	return best
}

// queue is a queueing model run on synthetic instances.
type queue struct {
	servers int
	lambda  float64 // arrivals per second
	service accel.ServiceDist
}

func (q queue) meanS() float64 { return q.service.MeanMs / 1e3 }
func (q queue) rho() float64   { return q.lambda * q.meanS() / float64(q.servers) }

// wantWq is the closed-form mean wait in queue, seconds: Erlang C for
// exponential service on c servers; Pollaczek–Khinchine,
// Wq = lambda E[S^2] / (2 (1 - rho)), for one server and any distribution,
// with E[S^2] = S^2 (1 + cv2) (cv2 = 0 deterministic, 1 exponential).
func (q queue) wantWq() float64 {
	s := q.meanS()
	if q.service.Dist == accel.DistExponential && q.servers > 1 {
		return erlangC(q.servers, q.lambda, 1/s)
	}
	if q.servers != 1 {
		panic("no closed form for M/G/c, c > 1")
	}
	cv2 := map[string]float64{accel.DistExponential: 1, accel.DistDeterministic: 0, accel.DistGamma: q.service.CV2}[q.service.Dist]
	return q.lambda * s * s * (1 + cv2) / (2 * (1 - q.rho()))
}

func (q queue) String() string {
	return fmt.Sprintf("%s/c=%d/rho=%.2f", q.service, q.servers, q.rho())
}

// spec builds a run of n Poisson arrivals on q.servers synthetic zcu104
// instances (the SubNet selector still runs; the PB stays empty).
func (q queue) spec(t testing.TB, f *fixture, n int64, seed uint64) Spec {
	t.Helper()
	hw := f.hw
	hw.Kind, hw.Service = accel.KindSynthetic, q.service
	require.NoError(t, hw.Validate())
	c := workloads.Config{Queries: n,
		Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: q.lambda},
		Needs:   workloads.NeedsConfig{Class: []workloads.NeedClass{{Name: "any", MinAccuracy: 75, SLOMs: 1000, Weight: 1}}}}
	src, err := workloads.New(c, Stream(seed, "arrivals"), Stream(seed, "needs"), ".")
	require.NoError(t, err)
	env := &policies.Env{Catalog: f.cat, Hardware: &hw, Table: f.table, Rand: Stream(seed, "policy")}
	sel, err := (&policies.AccuracyFirstSpec{}).Build(env)
	require.NoError(t, err)
	s := Spec{Catalog: f.cat, Selector: sel, Router: leastWork{}, Source: src}
	for i := 0; i < q.servers; i++ {
		s.Instances = append(s.Instances, InstanceSpec{Hardware: &hw, Table: f.table, Cache: &policies.NoCache{},
			Service: SyntheticService(&hw, seed, i)})
	}
	return s
}

// meanWq is a run's mean wait in queue, seconds: sojourn minus service.
func meanWq(m *Metrics) float64 {
	return (m.LatencyNsSum - float64(m.BusyNs)) / float64(m.Completed) / 1e9
}

// t975 is Student's t 0.975 quantile for 1..10 degrees of freedom
// (standard tables, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
var t975 = []float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228}

// replicate runs r independent replications of n queries (workers at a
// time) and returns the mean Wq and the half-width of its 95% confidence
// interval (Student's t with r-1 degrees of freedom).
func (q queue) replicate(t testing.TB, f *fixture, n int64, r, workers int) (mean, half float64) {
	t.Helper()
	require.True(t, r >= 2 && r-1 < len(t975), "2 to %d replications", len(t975))
	ms := make([]*Metrics, r)
	errs := make([]error, r)
	specs := make([]Spec, r)
	for i := range specs {
		specs[i] = q.spec(t, f, n, uint64(1000+i))
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ms[i], errs[i] = Run(specs[i])
			}
		}()
	}
	for i := range r {
		next <- i
	}
	close(next)
	wg.Wait()
	xs := make([]float64, r)
	for i, m := range ms {
		require.NoError(t, errs[i])
		checkInvariants(t, m)
		require.Equal(t, n, m.Completed)
		xs[i] = meanWq(m)
	}
	var s, s2 float64
	for _, x := range xs {
		s += x
	}
	mean = s / float64(r)
	for _, x := range xs {
		s2 += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(s2 / float64(r-1))
	return mean, t975[r-1] * sd / math.Sqrt(float64(r))
}

// theoryCase is one closed-form check: r replications of n queries.
type theoryCase struct {
	q queue
	n int64
	r int
}

// checkTheory asserts the replications' mean Wq is within 2% of the closed
// form and that the closed form lies inside their 95% confidence interval.
func checkTheory(t *testing.T, cases []theoryCase, workers int) {
	f := newFixture(t)
	for _, c := range cases {
		t.Run(c.q.String(), func(t *testing.T) {
			mean, half := c.q.replicate(t, f, c.n, c.r, workers)
			want := c.q.wantWq()
			t.Logf("Wq closed form %.6f s, simulated %.6f ± %.6f s (95%% CI), error %+.2f%%, CI half-width %.2f%%",
				want, mean, half, 100*(mean-want)/want, 100*half/want)
			assert.InEpsilon(t, want, mean, 0.02, "within 2%% of the closed form")
			assert.InDelta(t, want, mean, half, "the closed form inside the 95%% CI of %d replications", c.r)
		})
	}
}

// exp, det and gam are service distributions with a 10 ms mean.
var (
	exp10 = accel.ServiceDist{Dist: accel.DistExponential, MeanMs: 10}
	det10 = accel.ServiceDist{Dist: accel.DistDeterministic, MeanMs: 10}
	gam10 = accel.ServiceDist{Dist: accel.DistGamma, MeanMs: 10, CV2: 0.5}
)

// at is the queue with c servers at utilisation rho.
func at(c int, rho float64, s accel.ServiceDist) queue {
	return queue{servers: c, lambda: rho * float64(c) / (s.MeanMs / 1e3), service: s}
}

// TestQueueingTheory checks the engine and the cluster against M/M/c
// (Erlang C) and M/G/1 (Pollaczek–Khinchine) mean waits at moderate loads,
// sized so the CI half-width is about 1–1.5% (8 replications of 200,000 or
// 300,000 queries each, about two seconds in all). The heavy-traffic
// version, up to rho = 0.95, needs 10-100x more queries:
// go test -tags validation -run Theory ./engine (queueing_long_test.go).
func TestQueueingTheory(t *testing.T) {
	checkTheory(t, []theoryCase{
		{q: at(1, 0.5, exp10), n: 200_000, r: 8},
		{q: at(4, 0.7, exp10), n: 300_000, r: 8},
		{q: at(1, 0.8, det10), n: 200_000, r: 8},
		{q: at(1, 0.7, gam10), n: 200_000, r: 8},
	}, 1)
}

// The closed forms the theory tests lean on, against values worked
// elsewhere: Erlang C for M/M/10 at lambda = 9 is 0.6687
// (Erlang C formula, e.g. Kleinrock, Queueing Systems Vol. 1, 1975); with one server it is the M/M/1 wait
// rho/(mu - lambda), which Pollaczek–Khinchine gives with cv2 = 1.
func TestClosedForms(t *testing.T) {
	assert.InDelta(t, 0.6687, erlangC(10, 9, 1), 5e-5)
	assert.InDelta(t, 0.8/(1-0.8), erlangC(1, 0.8, 1), 1e-12)
	assert.InDelta(t, 0.8/(100-80), at(1, 0.8, exp10).wantWq(), 1e-12)
	// M/D/1 waits half as long as M/M/1
	assert.InDelta(t, at(1, 0.8, exp10).wantWq()/2, at(1, 0.8, det10).wantWq(), 1e-12)
}

// A synthetic instance ignores SubNets and the PB: with SGS caching and a
// deterministic 10 ms service, every query is busy exactly 10 ms, moves no
// bytes, spends no energy and causes no reload, while the selector and the
// cache policy still run.
func TestSyntheticIgnoresSubNetsAndPB(t *testing.T) {
	f := newFixture(t)
	s := at(1, 0.5, det10).spec(t, f, 2000, 3)
	env := &policies.Env{Catalog: f.cat, Hardware: s.Instances[0].Hardware, Table: f.table, Rand: Stream(3, "cache/0")}
	cs, err := policies.CacheSpecFor("sgs")
	require.NoError(t, err)
	s.Instances[0].Cache, err = cs.Build(env)
	require.NoError(t, err)
	m := run(t, s)
	assert.Equal(t, int64(2000), m.Completed)
	assert.Equal(t, 2000*int64(10e6), m.BusyNs)
	assert.Zero(t, m.OffchipBytes+m.OnchipBytes+m.WeightBytes+m.ReloadBytes+m.Reloads+m.ReloadNs)
	assert.Zero(t, m.Energy.Total()+m.ReloadEnergy.Total())
	assert.Equal(t, int64(2000), m.ServedBySubNet[5], "the selector still picks the most accurate SubNet that meets the SLO")
	assert.Positive(t, m.MaxPBBytes, "SGS still chose what to keep resident")
}
