package variate

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Gamma(k, 1) has mean k and variance k: checked over 10^6 draws for shapes
// on both sides of the shape < 1 boost.
func TestGammaMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []float64{0.125, 0.5, 1, 4, 20} {
		const n = 1_000_000
		var s, s2 float64
		for i := 0; i < n; i++ {
			x := Gamma(r, k)
			s += x
			s2 += x * x
		}
		mean := s / n
		v := s2/n - mean*mean
		assert.InEpsilon(t, k, mean, 0.01, "shape %g mean", k)
		assert.InEpsilon(t, k, v, 0.03, "shape %g variance", k)
	}
}

func TestGammaAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	assert.Zero(t, testing.AllocsPerRun(1000, func() { Gamma(r, 0.3) }))
}
