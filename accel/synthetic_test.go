package accel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func synthetic(t *testing.T, s ServiceDist) Hardware {
	t.Helper()
	h, err := Preset("zcu104")
	require.NoError(t, err)
	h.Kind, h.Service = KindSynthetic, s
	return h
}

func TestSyntheticValidateNamesTheKey(t *testing.T) {
	cases := []struct {
		kind Kind
		s    ServiceDist
		want string
	}{
		{KindSynthetic, ServiceDist{}, "service.dist: required"},
		{KindSynthetic, ServiceDist{Dist: "weibull", MeanMs: 1}, `service.dist: "weibull": must be`},
		{KindSynthetic, ServiceDist{Dist: DistExponential}, "service.mean_ms: 0: must be a positive"},
		{KindSynthetic, ServiceDist{Dist: DistExponential, MeanMs: math.Inf(1)}, "service.mean_ms: +Inf"},
		{KindSynthetic, ServiceDist{Dist: DistExponential, MeanMs: math.NaN()}, "service.mean_ms: NaN"},
		{KindSynthetic, ServiceDist{Dist: DistGamma, MeanMs: 1}, "service.cv2: 0: must be in (0, 100]"},
		{KindSynthetic, ServiceDist{Dist: DistDeterministic, MeanMs: 1, CV2: 2}, `service.cv2: only used with dist = "gamma"`},
		{KindSushi, ServiceDist{Dist: DistExponential, MeanMs: 1}, `service: only used with kind = "synthetic"`},
		{Kind(7), ServiceDist{}, `kind: 7: must be "sushi" or "synthetic"`},
	}
	for _, c := range cases {
		h, err := Preset("zcu104")
		require.NoError(t, err)
		h.Kind, h.Service = c.kind, c.s
		err = h.Validate()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
	for _, s := range []ServiceDist{{Dist: DistExponential, MeanMs: 2}, {Dist: DistDeterministic, MeanMs: 0.5}, {Dist: DistGamma, MeanMs: 3, CV2: 0.25}} {
		h := synthetic(t, s)
		assert.NoError(t, h.Validate(), s.String())
	}
	h, err := Preset("zcu104")
	require.NoError(t, err)
	h.Kind = KindSushi
	assert.NoError(t, h.Validate())
}

func TestSyntheticDecodesFromTOML(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	_, err = toml.Decode("kind = \"synthetic\"\n[service]\ndist = \"gamma\"\nmean_ms = 4.0\ncv2 = 0.5\n", &h)
	require.NoError(t, err)
	assert.Equal(t, ServiceDist{Dist: DistGamma, MeanMs: 4, CV2: 0.5}, h.Service)
	assert.NoError(t, h.Validate())
}

// moments of n draws: mean and squared coefficient of variation.
func moments(p *Sampler, n int) (mean, cv2 float64) {
	var s, s2 float64
	for range n {
		x := float64(p.SampleNs())
		s += x
		s2 += x * x
	}
	mean = s / float64(n)
	return mean, (s2/float64(n) - mean*mean) / (mean * mean)
}

// The samplers reproduce the mean and cv2 they are given: exponential has
// cv2 = 1, deterministic 0 (and exact), gamma the configured cv2. With
// 200,000 draws the standard error of the mean is sqrt(cv2/n) = 0.22% at
// cv2 = 1; the tolerances are about 4 standard errors.
func TestSamplerMoments(t *testing.T) {
	const n = 200_000
	r := rand.New(rand.NewPCG(3, 4))
	exp := ServiceDist{Dist: DistExponential, MeanMs: 5}.NewSampler(r)
	m, c := moments(exp, n)
	assert.InEpsilon(t, 5e6, m, 0.01)
	assert.InDelta(t, 1, c, 0.03)
	assert.Equal(t, int64(5e6), exp.MeanNs())

	det := ServiceDist{Dist: DistDeterministic, MeanMs: 1.2345678}.NewSampler(r)
	for range 10 {
		assert.Equal(t, int64(1234568), det.SampleNs())
	}

	for _, cv2 := range []float64{0.25, 0.5, 2, 4} {
		g := ServiceDist{Dist: DistGamma, MeanMs: 2, CV2: cv2}.NewSampler(r)
		m, c := moments(g, n)
		assert.InEpsilon(t, 2e6, m, 4*math.Sqrt(cv2/n), "gamma cv2=%g mean", cv2)
		// the variance of the sample cv2 grows with the tail: 6% relative is
		// about 4 standard errors at cv2 = 4 (fourth moment of the gamma)
		assert.InEpsilon(t, cv2, c, 0.06, "gamma cv2=%g", cv2)
	}
}

// A deterministic sampler draws nothing, so it leaves its stream as it was.
func TestDeterministicDrawsNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	ref := rand.New(rand.NewPCG(1, 1))
	p := ServiceDist{Dist: DistDeterministic, MeanMs: 1}.NewSampler(r)
	p.SampleNs()
	assert.Equal(t, ref.Uint64(), r.Uint64())
}

func TestSamplerAllocatesNothing(t *testing.T) {
	p := ServiceDist{Dist: DistGamma, MeanMs: 1, CV2: 0.3}.NewSampler(rand.New(rand.NewPCG(1, 2)))
	assert.Zero(t, testing.AllocsPerRun(1000, func() { p.SampleNs() }))
}
