package workloads

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// oneClass is a minimal needs table for tests about arrivals.
var oneClass = NeedsConfig{Class: []NeedClass{{Name: "any", MinAccuracy: 75, SLOMs: 20, Weight: 1}}}

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func mustNew(t testing.TB, c Config, seedA, seedN uint64) *Stream {
	t.Helper()
	s, err := New(c, rng(seedA), rng(seedN), "testdata")
	require.NoError(t, err)
	return s.(*Stream)
}

// gapStats returns the empirical rate (queries/s over the span from 0 to the
// last arrival) and the squared coefficient of variation of the gaps, over
// n arrivals, in one pass without storing them.
func gapStats(t testing.TB, s Source, n int) (rate, cv2 float64) {
	t.Helper()
	var q Query
	var prev int64
	var sum, sumSq float64
	for i := 0; i < n; i++ {
		if !s.Next(&q) { // plain ifs: testify per query would dominate the run time
			require.FailNow(t, "stream ended early", "after %d queries", i)
		}
		g := float64(q.Arrival - prev)
		if g < 0 {
			require.FailNow(t, "arrivals out of order", "query %d at %d after %d", i, q.Arrival, prev)
		}
		sum += g
		sumSq += g * g
		prev = q.Arrival
	}
	mean := sum / float64(n)
	variance := sumSq/float64(n) - mean*mean
	return 1e9 / mean, variance / (mean * mean)
}

func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }
