package models

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Points on an exact quadratic in ln(MACs) (increasing over the range) give
// back that quadratic with zero residual.
func TestFitAccuracyRecoversQuadratic(t *testing.T) {
	f := func(macs float64) float64 { u := math.Log(macs / 1e9); return 78 + 2*u - 0.5*u*u }
	var pts []AccuracyPoint
	for _, m := range []float64{0.3e9, 0.5e9, 1e9, 1.5e9, 2e9} {
		pts = append(pts, AccuracyPoint{Name: "p", MACs: m, Top1: f(m)})
	}
	m, err := FitAccuracy("toy", pts)
	require.NoError(t, err)
	assert.Equal(t, 2, m.Degree)
	assert.InDelta(t, 0, m.RMSE, 1e-9)
	for _, x := range []float64{0.4e9, 0.8e9, 1.7e9} {
		assert.InDelta(t, f(x), m.Predict(int64(x)), 1e-9)
	}
	// Flat outside the fitted range.
	assert.InDelta(t, f(0.3e9), m.Predict(1e6), 1e-9)
	assert.InDelta(t, f(2e9), m.Predict(9e9), 1e-9)
}

// A quadratic that would turn down inside the range is refused in favour of
// the least-squares line; points falling with MACs give their mean.
func TestFitAccuracyStaysMonotone(t *testing.T) {
	// Peak at 1e9 then falling: y = 80 - (ln(m/1e9))^2.
	var pts []AccuracyPoint
	for _, m := range []float64{0.25e9, 0.5e9, 1e9, 2e9, 3e9} {
		u := math.Log(m / 1e9)
		pts = append(pts, AccuracyPoint{MACs: m, Top1: 80 - u*u})
	}
	m, err := FitAccuracy("toy", pts)
	require.NoError(t, err)
	assert.Equal(t, 1, m.Degree)
	prev := -1.0
	for x := 0.2e9; x < 4e9; x *= 1.1 {
		p := m.Predict(int64(x))
		assert.GreaterOrEqual(t, p, prev)
		prev = p
	}
	// Falling points: the constant mean (70+68+66)/3 = 68.
	fall := []AccuracyPoint{{MACs: 1e8, Top1: 70}, {MACs: 2e8, Top1: 68}, {MACs: 4e8, Top1: 66}}
	m, err = FitAccuracy("toy", fall)
	require.NoError(t, err)
	assert.InDelta(t, 68, m.Predict(3e8), 1e-9)
	assert.InDelta(t, math.Sqrt(8.0/3), m.RMSE, 1e-9)
}

func TestFitAccuracyErrors(t *testing.T) {
	_, err := FitAccuracy("toy", []AccuracyPoint{{MACs: 1, Top1: 1}})
	assert.ErrorContains(t, err, "1 points, want at least 3")
	_, err = FitAccuracy("toy", []AccuracyPoint{{MACs: 1e8, Top1: 70}, {MACs: 1e8, Top1: 71}, {MACs: 1e8, Top1: 72}})
	assert.ErrorContains(t, err, "every point has")
	_, err = FitAccuracy("toy", []AccuracyPoint{{Name: "bad", MACs: 1e8, Top1: 170}, {MACs: 2e8, Top1: 71}, {MACs: 3e8, Top1: 72}})
	assert.ErrorContains(t, err, `point "bad"`)
}

// The fitted models rest on the published points (the OFA README's
// ResNet50 and MobileNetV3 rows and the A40 profile of
// dhruvsgarg/once-for-all), fit them within half a
// point of top-1, and are monotone in MACs.
func TestAccuracyFitsOfBuiltinSuperNets(t *testing.T) {
	want := map[string]int{ResNet50Name: 11, MBv3W10Name: 29, MBv3W12Name: 29}
	for _, name := range SuperNetNames() {
		net, err := Lookup(name)
		require.NoError(t, err)
		m, err := AccuracyFit(net)
		require.NoError(t, err)
		assert.Len(t, m.Points, want[name], name)
		assert.Less(t, m.RMSE, 0.5, name)
		for _, p := range m.Points {
			assert.True(t, strings.HasPrefix(p.Source, "published: "), p.Source)
			assert.InDelta(t, p.Top1, m.Predict(int64(p.MACs)), 1.2, "%s %s", name, p.Name)
		}
		again, err := AccuracyFit(net)
		require.NoError(t, err)
		assert.Same(t, m, again, "fitted once")
		c, err := SweepCatalog(net, SweepSteps(net))
		require.NoError(t, err)
		for i := 1; i < len(c.SubNets); i++ {
			if c.SubNets[i].AccuracySource == SourceModel && c.SubNets[i-1].AccuracySource == SourceModel {
				assert.GreaterOrEqual(t, c.SubNets[i].Accuracy, c.SubNets[i-1].Accuracy)
			}
		}
	}
}

func TestEstimateAccuracyPublishedFirst(t *testing.T) {
	net, subs := referenceNets(t)
	for _, s := range subs {
		fresh, err := net.Build(s.Config)
		require.NoError(t, err)
		acc, src := EstimateAccuracy(fresh)
		assert.Equal(t, s.Accuracy, acc)
		assert.Equal(t, s.AccuracySource, src)
	}
	other, err := net.Build("r176-d2,1,1,1,1-e" + list("0.25", 18) + "-w2,2,2,2,2,2")
	require.NoError(t, err)
	acc, src := EstimateAccuracy(other)
	assert.Equal(t, SourceModel, src)
	m, err := AccuracyFit(net)
	require.NoError(t, err)
	assert.Equal(t, m.Predict(other.MACs()), acc)
	assert.True(t, acc > 75 && acc < 80, "%v", acc)
}
