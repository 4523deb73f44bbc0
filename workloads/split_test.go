package workloads

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The parts of a split partition the whole stream: every query of the
// whole stream is in exactly one part, unchanged (arrival, needs, ID), for
// synthetic and replayed arrivals alike; by query each part holds 1/parts
// of it within 4 binomial standard deviations; by class or tenant a part
// holds only its classes or tenants.
func TestSplitPartitionsTheStream(t *testing.T) {
	const n, parts = 30000, 3
	cfgs := processConfigs()
	for _, name := range []string{"poisson", "replay", "azure"} {
		for _, by := range []string{"", SplitByQuery, SplitByClass, SplitByTenant} {
			whole := take(t, cfgs[name], 5, 6, n)
			got := make([]Query, len(whole))
			seen := make([]int, len(whole))
			for part := range parts {
				c := cfgs[name]
				c.Split = SplitConfig{Parts: parts, Part: part, By: by}
				c.Queries = n
				s := mustNew(t, c, 5, 6)
				var q Query
				k := 0
				for s.Next(&q) {
					if seen[q.ID] != 0 {
						require.FailNow(t, "query in two parts", "%s by %q: query %d", name, by, q.ID)
					}
					seen[q.ID] = part + 1
					got[q.ID] = q
					k++
					switch by {
					case SplitByClass:
						require.Equal(t, part, int(q.Class)%parts)
					case SplitByTenant:
						require.Equal(t, part, int(q.Tenant)%parts)
					}
				}
				if by == "" || by == SplitByQuery {
					sd := math.Sqrt(float64(n) / parts * (1 - 1.0/parts))
					assert.InDelta(t, float64(n)/parts, k, 4*sd, "%s part %d", name, part)
				}
			}
			assert.Equal(t, whole, got, "%s by %q: the parts' union is the whole stream", name, by)
		}
	}
}

func TestSplitValidation(t *testing.T) {
	c := validConfig()
	c.Split = SplitConfig{Parts: 2, Part: 2}
	assert.ErrorContains(t, c.Validate(), "split.part: must be in [0,2) (0-based, parts = 2), got 2")
	c.Split = SplitConfig{Part: 1}
	assert.ErrorContains(t, c.Validate(), "split.parts: must be >= 1 when [workload.split] is set, got 0")
	c.Split = SplitConfig{Parts: 2, By: "hash"}
	assert.ErrorContains(t, c.Validate(), `split.by: unknown rule "hash"; known: "query", "class", "tenant"`)
	c = Config{Arrival: ArrivalConfig{Process: ProcessTrace, Trace: TraceConfig{Path: "x.csv", TimeColumn: "t", AccuracyColumn: "a", SLOColumn: "s"}},
		Split: SplitConfig{Parts: 2, By: SplitByClass}}
	assert.ErrorContains(t, c.Validate(), `split.by: "class" needs need classes`)
	c = validConfig()
	c.Split = SplitConfig{Parts: len(c.Needs.Class) + 1, By: SplitByClass}
	assert.ErrorContains(t, c.Validate(), "split.parts: by class, at most one part per need class")
	assert.Equal(t, "part 1 of 4 by query", SplitConfig{Parts: 4, Part: 1}.String())
}

// A split stream still allocates nothing per query.
func TestSplitAllocatesNothing(t *testing.T) {
	for _, name := range []string{"poisson", "replay"} {
		c := processConfigs()[name]
		c.Split = SplitConfig{Parts: 3, Part: 2, By: SplitByClass}
		s := mustNew(t, c, 1, 2)
		var q Query
		assert.Zero(t, testing.AllocsPerRun(10000, func() { s.Next(&q) }), name)
	}
}
