package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// processConfigs is one configuration per arrival process, with bursty
// settings, used by the determinism, allocation and benchmark checks.
func processConfigs() map[string]Config {
	needs := NeedsConfig{Locality: 0.8, Class: threeClasses(0.5, 0.3, 0.2)}
	out := map[string]Config{}
	for name, arr := range map[string]ArrivalConfig{
		"poisson":  {Process: ProcessPoisson, Rate: 1000},
		"gamma":    {Process: ProcessGamma, Rate: 1000, CV2: 8},
		"mmpp":     {Process: ProcessMMPP, Rates: []float64{5000, 100}, SojournS: []float64{0.01, 0.05}},
		"diurnal":  {Process: ProcessDiurnal, Rate: 1000, Amplitude: 0.8, PeriodS: 60},
		"constant": {Process: ProcessConstant, Rate: 1000},
		"azure":    {Process: ProcessAzure, Azure: AzureConfig{Path: "azure_sample.csv", Spread: SpreadPoisson}},
		"trace":    {Process: ProcessTrace, Trace: TraceConfig{Path: "trace_sample.csv", TimeColumn: "timestamp_ms", TimeUnit: "ms", TenantColumn: "tenant"}},
		"replay":   {Process: ProcessReplay, Rate: 1000, Replay: ReplayConfig{Builtin: BuiltinAzureCode, Loop: true, OffsetS: 100}},
	} {
		out[name] = Config{Queries: 1 << 62, Arrival: arr, Needs: needs}
	}
	return out
}

func take(t *testing.T, c Config, seedA, seedN uint64, n int) []Query {
	t.Helper()
	c.Queries = int64(n)
	s := mustNew(t, c, seedA, seedN)
	out := make([]Query, 0, n)
	var q Query
	for s.Next(&q) {
		out = append(out, q)
	}
	return out
}

func TestSameSeedsSameStream(t *testing.T) {
	for name, c := range processConfigs() {
		a := take(t, c, 42, 43, 50000)
		b := take(t, c, 42, 43, 50000)
		require.NotEmpty(t, a)
		assert.Equal(t, a, b, name)
	}
}

// The arrivals and needs streams are separate: changing one seed leaves the
// other subsystem's sequence untouched.
func TestSubsystemStreamsAreSeparate(t *testing.T) {
	c := processConfigs()["gamma"]
	base := take(t, c, 1, 2, 20000)
	otherNeeds := take(t, c, 1, 3, 20000)
	otherArrivals := take(t, c, 4, 2, 20000)
	sameClass := 0
	for i := range base {
		require.Equal(t, base[i].Arrival, otherNeeds[i].Arrival)
		require.Equal(t, base[i].Class, otherArrivals[i].Class)
		if base[i].Class == otherNeeds[i].Class {
			sameClass++
		}
	}
	assert.Less(t, sameClass, 19000, "a new needs seed gives new classes")
}

// Streams from different seeds are independent: the correlation of their
// gap sequences (and of their class sequences) is within 4 standard errors
// (4/sqrt(n)) of 0, where identical streams would give 1.
func TestDifferentSeedsIndependent(t *testing.T) {
	const n = 200000
	for _, name := range []string{"poisson", "gamma", "mmpp"} {
		a := take(t, processConfigs()[name], 7, 8, n)
		b := take(t, processConfigs()[name], 9, 10, n)
		ga, gb := make([]float64, n-1), make([]float64, n-1)
		ca, cb := make([]float64, n), make([]float64, n)
		for i := range n {
			if i > 0 {
				ga[i-1] = float64(a[i].Arrival - a[i-1].Arrival)
				gb[i-1] = float64(b[i].Arrival - b[i-1].Arrival)
			}
			ca[i], cb[i] = float64(a[i].Class), float64(b[i].Class)
		}
		assert.InDelta(t, 0, correlation(ga, gb), 4/math.Sqrt(n), "%s gaps", name)
		// Classes are autocorrelated (p = 0.8): the standard error of a
		// cross-correlation grows by (1+p²)/(1-p²) = 4.6; allow 4 of those.
		assert.InDelta(t, 0, correlation(ca, cb), 4*math.Sqrt(4.6/n), "%s classes", name)
	}
	self := take(t, processConfigs()["poisson"], 7, 8, 1000)
	g := make([]float64, 999)
	for i := range g {
		g[i] = float64(self[i+1].Arrival - self[i].Arrival)
	}
	assert.InDelta(t, 1, correlation(g, g), 1e-12, "the statistic sees dependence")
}

func correlation(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx, sy = sx+x[i], sy+y[i]
		sxx, syy, sxy = sxx+x[i]*x[i], syy+y[i]*y[i], sxy+x[i]*y[i]
	}
	cov := sxy/n - sx/n*sy/n
	return cov / math.Sqrt((sxx/n-sx/n*sx/n)*(syy/n-sy/n*sy/n))
}

// Next allocates nothing, for every process.
func TestNextAllocatesNothing(t *testing.T) {
	for name, c := range processConfigs() {
		s := mustNew(t, c, 1, 2)
		var q Query
		for range 100 { // warm up
			s.Next(&q)
		}
		allocs := testing.AllocsPerRun(50, func() { s.Next(&q) })
		assert.Zero(t, allocs, name)
	}
}

func TestNilRandomStreams(t *testing.T) {
	c := validConfig()
	_, err := New(c, nil, rng(1), "")
	assert.EqualError(t, err, "workloads.New: the arrivals random stream is nil")
	_, err = New(c, rng(1), nil, "")
	assert.EqualError(t, err, "workloads.New: the needs random stream is nil")
}
