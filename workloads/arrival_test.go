package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const million = 1_000_000

func TestPoissonAndGammaMatchRateAndCV2(t *testing.T) {
	cases := []struct {
		name string
		arr  ArrivalConfig
		cv2  float64 // expected, from the definition of each process
	}{
		{"poisson", ArrivalConfig{Process: ProcessPoisson, Rate: 250}, 1},
		{"gamma-cv2-0.25", ArrivalConfig{Process: ProcessGamma, Rate: 1000, CV2: 0.25}, 0.25},
		{"gamma-cv2-1", ArrivalConfig{Process: ProcessGamma, Rate: 40, CV2: 1}, 1},
		{"gamma-cv2-4", ArrivalConfig{Process: ProcessGamma, Rate: 3000, CV2: 4}, 4},
		{"gamma-cv2-8", ArrivalConfig{Process: ProcessGamma, Rate: 3000, CV2: 8}, 8},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, Config{Queries: million, Arrival: tc.arr, Needs: oneClass}, uint64(100+i), 1)
			rate, cv2 := gapStats(t, s, million)
			t.Logf("rate %v cv2 %v", rate, cv2)
			assert.Less(t, relErr(rate, tc.arr.Rate), 0.02, "rate %v, want %v", rate, tc.arr.Rate)
			assert.Less(t, relErr(cv2, tc.cv2), 0.02, "cv2 %v, want %v", cv2, tc.cv2)
		})
	}
}

// mmppMoments is the stationary inter-arrival mean and CV² of a two-state
// MMPP, from the matrix-analytic form (Fischer and Meier-Hellstern, "The
// Markov-modulated Poisson process (MMPP) cookbook", 1993): with
// D0 = Q - diag(λ) and α = πΛ/(πλ) the state seen by an arrival,
// E[X^n] = n! α (-D0)^{-n} 1. It is computed independently of MeanRate.
func mmppMoments(l0, l1, s0, s1 float64) (mean, cv2 float64) {
	q0, q1 := 1/s0, 1/s1 // switching rates
	// M = -D0 = [[q0+l0, -q0], [-q1, q1+l1]]; its inverse by cofactors.
	a, b, c, d := q0+l0, -q0, -q1, q1+l1
	det := a*d - b*c
	ia, ib, ic, id := d/det, -b/det, -c/det, a/det
	pi0, pi1 := s0/(s0+s1), s1/(s0+s1)
	lbar := pi0*l0 + pi1*l1
	al0, al1 := pi0*l0/lbar, pi1*l1/lbar
	// v = M^{-1} 1, w = M^{-1} v
	v0, v1 := ia+ib, ic+id
	w0, w1 := ia*v0+ib*v1, ic*v0+id*v1
	mean = al0*v0 + al1*v1
	m2 := 2 * (al0*w0 + al1*w1)
	return mean, m2/(mean*mean) - 1
}

func TestMMPPMatchesLongRunRateAndCV2(t *testing.T) {
	for i, arr := range []ArrivalConfig{
		{Process: ProcessMMPP, Rates: []float64{2000, 200}, SojournS: []float64{0.005, 0.02}},
		{Process: ProcessMMPP, Rates: []float64{5000, 0}, SojournS: []float64{0.002, 0.008}}, // on/off
	} {
		// Long-run rate by hand for the first: (2000*0.005 + 200*0.02)/0.025 = 560/s.
		want, ok := arr.MeanRate()
		require.True(t, ok)
		if i == 0 {
			assert.InDelta(t, 560, want, 1e-9)
		}
		mean, cv2 := mmppMoments(arr.Rates[0], arr.Rates[1], arr.SojournS[0], arr.SojournS[1])
		require.InDelta(t, 1/want, mean, 1e-12, "matrix mean and the rate formula agree")
		s := mustNew(t, Config{Queries: million, Arrival: arr, Needs: oneClass}, uint64(200+i), 1)
		rate, gotCV2 := gapStats(t, s, million)
		t.Logf("mmpp rate %v/%v cv2 %v/%v", rate, want, gotCV2, cv2)
		assert.Less(t, relErr(rate, want), 0.02, "rate %v, want %v", rate, want)
		assert.Less(t, relErr(gotCV2, cv2), 0.02, "cv2 %v, want %v", gotCV2, cv2)
	}
}

// A sinusoidal Poisson process over whole periods has mean rate `rate`;
// when the period is long against the gaps, a gap started at t is about
// Exp(λ(t)) and gaps start in proportion to λ(t), so
// E[X²] = 2/λ̄ · mean(1/λ) = 2/(λ̄² sqrt(1-a²)) and CV² = 2/sqrt(1-a²) - 1.
func TestDiurnalMatchesRateAndCV2(t *testing.T) {
	const rate, amp, period = 10000.0, 0.5, 10.0
	arr := ArrivalConfig{Process: ProcessDiurnal, Rate: rate, Amplitude: amp, PeriodS: period, PhaseS: 2.5}
	s := mustNew(t, Config{DurationS: 10 * period, Arrival: arr, Needs: oneClass}, 300, 1)
	var q Query
	var n int
	var prev int64
	var sum, sumSq float64
	var firstHalf, secondHalf int // of each period, after the phase shift
	for s.Next(&q) {
		g := float64(q.Arrival - prev)
		sum, sumSq, prev = sum+g, sumSq+g*g, q.Arrival
		n++
		if math.Mod(float64(q.Arrival)/1e9-2.5+100*period, period) < period/2 {
			firstHalf++
		} else {
			secondHalf++
		}
	}
	wantN := rate * 10 * period // 10^6
	assert.Less(t, relErr(float64(n), wantN), 0.02, "count %d over 10 periods, want %v", n, wantN)
	mean := sum / float64(n)
	cv2 := (sumSq/float64(n) - mean*mean) / (mean * mean)
	wantCV2 := 2/math.Sqrt(1-amp*amp) - 1
	t.Logf("diurnal n %d cv2 %v/%v share %v", n, cv2, wantCV2, float64(firstHalf)/float64(firstHalf+secondHalf))
	assert.Less(t, relErr(cv2, wantCV2), 0.02, "cv2 %v, want %v", cv2, wantCV2)
	// The positive half of the sine carries (1 + 2a/π)/2 of the arrivals.
	share := float64(firstHalf) / float64(firstHalf+secondHalf)
	assert.InDelta(t, (1+2*amp/math.Pi)/2, share, 0.003)
}

// Constant arrivals at 3/s land at exactly round(n·10^9/3) ns: the clock
// carries each gap's rounding residual, so a million gaps of 333333333.3 ns
// do not drift (plain per-gap rounding would be 333 µs late by then).
func TestConstantIsExactAndDoesNotDrift(t *testing.T) {
	s := mustNew(t, Config{Queries: million, Arrival: ArrivalConfig{Process: ProcessConstant, Rate: 3}, Needs: oneClass}, 1, 1)
	var q Query
	for n := int64(1); n <= million; n++ {
		require.True(t, s.Next(&q))
		want := (n*1_000_000_000 + 1) / 3 // round(n·10^9/3) in integers
		if q.Arrival != want {
			require.Equal(t, want, q.Arrival, "arrival %d", n)
		}
	}
	assert.False(t, s.Next(&q), "the count limit ends the stream")
}

func TestClockCarriesResidual(t *testing.T) {
	var c clock
	for i := 0; i < 10; i++ {
		c.advance(0.4)
	}
	assert.Equal(t, int64(4), c.now, "ten gaps of 0.4 ns sum to 4 ns, not 0")
	_, ok := c.advance(math.Inf(1))
	assert.False(t, ok)
	c = clock{now: math.MaxInt64 - 10}
	_, ok = c.advance(20)
	assert.False(t, ok, "overflow past int64 ends the stream instead of wrapping")
}

func TestDurationLimitEndsStream(t *testing.T) {
	s := mustNew(t, Config{DurationS: 2, Arrival: ArrivalConfig{Process: ProcessConstant, Rate: 10}, Needs: oneClass}, 1, 1)
	var q Query
	n := 0
	for s.Next(&q) {
		assert.Less(t, q.Arrival, int64(2e9))
		n++
	}
	assert.Equal(t, 19, n, "arrivals at 0.1 … 1.9 s; the one at 2.0 s is at the limit")
	assert.False(t, s.Next(&q), "an ended stream stays ended")
}

// A stationary process has E[N(0,T)] = λ̄T for every T, including the first
// instants: this checks MMPP's first state is drawn from the stationary law
// (starting in state 0 would give 2 + 1800·∫P₀ ≈ 10.9 instead of 5.6 here).
func TestMMPPIsStationaryFromStart(t *testing.T) {
	arr := ArrivalConfig{Process: ProcessMMPP, Rates: []float64{2000, 200}, SojournS: []float64{0.005, 0.02}}
	const runs, horizon = 4000, 0.01 // s
	total := 0
	for seed := range uint64(runs) {
		s := mustNew(t, Config{DurationS: horizon, Arrival: arr, Needs: oneClass}, 1000+seed, 1)
		var q Query
		for s.Next(&q) {
			total++
		}
	}
	want := 560 * horizon // λ̄T = 5.6
	assert.InDelta(t, want, float64(total)/runs, 0.05*want)
}
