package workloads

import (
	"math"
	"math/rand/v2"
)

// gammaProcess is a renewal process with gamma-distributed gaps: shape
// k = 1/cv2 and scale 1/(rate*k), so the mean gap is 1/rate and the squared
// coefficient of variation is cv2 (cv2 = 1 is Poisson, cv2 > 1 is bursty).
type gammaProcess struct {
	r       *rand.Rand
	shape   float64
	scaleNs float64
	clk     clock
}

func newGammaProcess(r *rand.Rand, rate, cv2 float64) *gammaProcess {
	k := 1 / cv2
	return &gammaProcess{r: r, shape: k, scaleNs: 1e9 / (rate * k)}
}

func (p *gammaProcess) next(q *Query) bool {
	t, ok := p.clk.advance(gammaVariate(p.r, p.shape) * p.scaleNs)
	q.Arrival = t
	return ok
}

// gammaVariate draws Gamma(shape, 1) by Marsaglia and Tsang, "A simple
// method for generating gamma variables", ACM TOMS 26(3), 2000. For
// shape < 1 it uses their boost: Gamma(k) = Gamma(k+1) * U^(1/k), with
// U^(1/k) drawn as exp(-E/k), E ~ Exp(1).
func gammaVariate(r *rand.Rand, shape float64) float64 {
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
