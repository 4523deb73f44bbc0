package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The latency sketch keeps DDSketch's guarantee: every quantile is within 1%
// of the exact order statistic of the same values (checked on 100,000
// latencies spanning five decades).
func TestLatencySketchWithinOnePercent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sk := newLatencySketch()
	xs := make([]float64, 100_000)
	for i := range xs {
		xs[i] = 0.05 * (1 + r.ExpFloat64()) * float64(int64(1)<<r.IntN(14)) // 0.05 ms .. ~5 s
		require.NoError(t, sk.Add(xs[i]))
	}
	slices.Sort(xs)
	for _, q := range []float64{0.01, 0.1, 0.5, 0.9, 0.99, 0.999} {
		got, err := sk.GetValueAtQuantile(q)
		require.NoError(t, err)
		want := xs[int(q*float64(len(xs)-1))]
		assert.InEpsilon(t, want, got, 0.01, "quantile %g", q)
	}
}
