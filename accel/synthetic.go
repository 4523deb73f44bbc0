package accel

import (
	"fmt"
	"math/rand/v2"

	"github.com/sushisim/sushisim/internal/variate"
)

// Service-time distributions of a synthetic accelerator ([accel.service] dist).
const (
	DistExponential   = "exponential"   // memoryless: the M of M/M/c
	DistDeterministic = "deterministic" // every service exactly mean_ms: the D of M/D/1
	DistGamma         = "gamma"         // squared coefficient of variation cv2 (1 = exponential, 0 < cv2)
)

// ServiceDist is [accel.service]: the service-time distribution of a
// synthetic accelerator. Leave it out for the cost model.
type ServiceDist struct {
	Dist   string  `toml:"dist"`    // exponential | deterministic | gamma
	MeanMs float64 `toml:"mean_ms"` // mean service time, ms (> 0)
	CV2    float64 `toml:"cv2"`     // gamma only: squared coefficient of variation (> 0)
}

// maxServiceMs bounds mean_ms (one simulated day), so that service times
// stay far inside int64 nanoseconds even in the gamma tail.
const maxServiceMs = 86_400_000

// IsZero reports an absent [accel.service] table.
func (s ServiceDist) IsZero() bool { return s == ServiceDist{} }

// validate checks [accel.service] against kind; keys are relative to [accel].
func (s ServiceDist) validate(kind Kind, bad func(key, format string, args ...any)) {
	switch kind {
	case KindSushi:
		if !s.IsZero() {
			bad("service", "only used with kind = %q (kind is %q, the cost model)", KindSynthetic, kind)
		}
		return
	case KindSynthetic:
	default:
		checkEnum("kind", kindNames, kind, bad)
		return
	}
	switch s.Dist {
	case DistExponential, DistDeterministic, DistGamma:
	case "":
		bad("service.dist", "required with kind = %q: %q, %q or %q", KindSynthetic, DistExponential, DistDeterministic, DistGamma)
	default:
		bad("service.dist", "%q: must be %q, %q or %q", s.Dist, DistExponential, DistDeterministic, DistGamma)
	}
	if !(s.MeanMs > 0 && s.MeanMs <= maxServiceMs) {
		bad("service.mean_ms", "%g: must be a positive number of ms, at most %d (one day)", s.MeanMs, maxServiceMs)
	}
	if s.Dist == DistGamma {
		if !(s.CV2 > 0 && s.CV2 <= 100) {
			bad("service.cv2", "%g: must be in (0, 100] (1 = exponential)", s.CV2)
		}
	} else if s.CV2 != 0 {
		bad("service.cv2", "only used with dist = %q (dist is %q)", DistGamma, s.Dist)
	}
}

// Sampler draws the service times of one synthetic accelerator instance
// from its own random stream. It allocates nothing per draw.
type Sampler struct {
	r      *rand.Rand
	dist   string
	meanNs float64
	shape  float64 // gamma: k = 1/cv2
	scale  float64 // gamma: mean/k, ns
}

// NewSampler returns a sampler of s drawing from r. s must be valid (see
// Hardware.Validate with kind = "synthetic").
func (s ServiceDist) NewSampler(r *rand.Rand) *Sampler {
	if r == nil {
		panic("accel: NewSampler needs a random stream")
	}
	p := &Sampler{r: r, dist: s.Dist, meanNs: s.MeanMs * 1e6}
	if s.Dist == DistGamma {
		p.shape = 1 / s.CV2
		p.scale = p.meanNs / p.shape
	}
	return p
}

// MeanNs is the distribution's mean, rounded to ns: what a router predicts.
func (p *Sampler) MeanNs() int64 { return int64(p.meanNs + 0.5) }

// SampleNs draws one service time, rounded to the nearest ns.
func (p *Sampler) SampleNs() int64 {
	var x float64
	switch p.dist {
	case DistExponential:
		x = p.r.ExpFloat64() * p.meanNs
	case DistGamma:
		x = variate.Gamma(p.r, p.shape) * p.scale
	default: // deterministic: no draw, so the stream is left untouched
		x = p.meanNs
	}
	return int64(x + 0.5)
}

// String describes the distribution for reports ("gamma(mean 5 ms, cv2 0.5)").
func (s ServiceDist) String() string {
	if s.Dist == DistGamma {
		return fmt.Sprintf("%s(mean %g ms, cv2 %g)", s.Dist, s.MeanMs, s.CV2)
	}
	return fmt.Sprintf("%s(mean %g ms)", s.Dist, s.MeanMs)
}
