package variate

import (
	"math"
	"math/rand/v2"
)

// Gamma draws Gamma(shape, 1) by Marsaglia and Tsang, "A simple method for
// generating gamma variables", ACM TOMS 26(3), 2000. For shape < 1 it uses
// their boost: Gamma(k) = Gamma(k+1) * U^(1/k), with U^(1/k) drawn as
// exp(-E/k), E ~ Exp(1).
func Gamma(r *rand.Rand, shape float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Exp(-r.ExpFloat64() / shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}
