package workloads

import (
	"math/rand/v2"

	"github.com/sushisim/sushisim/internal/variate"
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

func (p *gammaProcess) Next(q *Query) bool {
	t, ok := p.clk.advance(variate.Gamma(p.r, p.shape) * p.scaleNs)
	q.Arrival = t
	return ok
}
