package policies

import (
	"testing"

	"github.com/sushisim/sushisim/models"
)

// BenchmarkCache is one query's cache work as the engine does it: Served,
// and after a change the SushiAbs row of the new resident SubGraph (a
// fresh O(catalog x layers) computation when it is not a catalog SubNet).
// The stream is the locality stream of the tests, on the zcu104's 2 MiB PB
// and on 16 MiB.
func BenchmarkCache(b *testing.B) {
	for _, pb := range []int64{2 << 20, 16 << 20} {
		env, table := refEnv(b, pb)
		needs := localityNeeds(b, 1, 20000, 0.98)
		env.Warmup = fixedMix(mixOf(b, env, needs))
		row0 := table.Row(models.SubGraph{})
		subs := make([]int32, len(needs))
		for k, n := range needs {
			subs[k] = env.Selector.Select(n, row0)
		}
		for _, name := range []string{"none", "static", "lru", "sgs", "lookahead"} {
			b.Run(name+"/pb="+itoa(pb>>20)+"MiB", func(b *testing.B) {
				spec, _ := CacheSpecFor(name)
				c, err := spec.Build(env)
				if err != nil {
					b.Fatal(err)
				}
				fut := &sliceFuture{needs: needs}
				if nd := c.Needs(); nd.Lookahead > 0 {
					nd.SetFuture(fut)
				}
				changes := 0
				b.ReportAllocs()
				b.ResetTimer()
				for k := 0; k < b.N; k++ {
					j := k % len(subs)
					fut.pos = j + 1
					if c.Served(subs[j]) {
						changes++
						_ = table.Row(c.Resident())
					}
				}
				b.ReportMetric(float64(changes)/float64(b.N), "changes/op")
			})
		}
	}
}

// BenchmarkRoute is one routing decision among 1,000 zcu104 instances
// (a fake ClusterView whose ServiceNs is a selector scan on the instance's
// row, as the engine's), with varied backlogs and queues. The fake has no
// shortest-queue index, so JSQ scans here; the engine's view gives it O(1).
func BenchmarkRoute(b *testing.B) {
	const n = 1000
	f, env, _ := newFakeView(b, n)
	for i := 0; i < n; i++ {
		f.backlog[i] = int64((i*7919)%97) * 1e5
		f.queue[i] = (i * 31) % 5
		if i%3 == 0 {
			f.hold(b, env, i, i%6)
		}
	}
	needs := localityNeeds(b, 1, 4096, 0.98)
	for _, c := range []struct {
		name string
		spec Spec[Router]
	}{
		{"round-robin", &RoundRobinSpec{}}, {"random", &RandomSpec{}}, {"power-of-two", &PowerOfTwoSpec{D: 2}},
		{"affinity-d3", &AffinitySpec{D: 3}}, {"affinity-all", &AffinitySpec{}},
		{"jsq-scan", &JSQSpec{}}, {"least-work", &LeastWorkSpec{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r, err := c.spec.Build(env)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for k := 0; k < b.N; k++ {
				r.Route(needs[k%len(needs)], f)
			}
		})
	}
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for ; v > 0; v /= 10 {
		i--
		buf[i] = byte('0' + v%10)
	}
	return string(buf[i:])
}
