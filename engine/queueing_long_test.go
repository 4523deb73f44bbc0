//go:build validation

package engine

import (
	"testing"

	"github.com/sushisim/sushisim/accel"
)

// TestQueueingTheoryHeavyTraffic is the long validation: M/M/1 and M/M/4
// against Erlang C, M/D/1 and M/G/1 (gamma, cv2 = 0.5) against
// Pollaczek–Khinchine, at rho = 0.5, 0.8, 0.9 and 0.95, ten replications
// each, sized for a CI half-width near 1% (the variance of a mean wait grows
// like (1-rho)^-2 per query). About 470 M queries: 75 s on two cores. Run
// it with
//
//	go test -tags validation -run HeavyTraffic -v -timeout 30m ./engine
func TestQueueingTheoryHeavyTraffic(t *testing.T) {
	var cases []theoryCase
	add := func(c int, rho float64, s accel.ServiceDist, n int64) {
		cases = append(cases, theoryCase{q: at(c, rho, s), n: n, r: 10})
	}
	add(1, 0.5, exp10, 200_000)
	add(1, 0.8, exp10, 800_000)
	add(1, 0.9, exp10, 3_000_000)
	add(1, 0.95, exp10, 10_000_000)
	add(4, 0.5, exp10, 1_000_000) // Wq is small and rare here: 200,000 gave a 1.3% CI
	add(4, 0.8, exp10, 1_000_000)
	add(4, 0.9, exp10, 4_000_000)
	add(4, 0.95, exp10, 12_000_000)
	add(1, 0.5, det10, 200_000)
	add(1, 0.8, det10, 300_000)
	add(1, 0.9, det10, 1_500_000)
	add(1, 0.95, det10, 5_000_000)
	add(1, 0.9, gam10, 2_000_000)
	add(1, 0.95, gam10, 6_000_000)
	checkTheory(t, cases, 2)
}
