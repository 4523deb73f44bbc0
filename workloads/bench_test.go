package workloads

import (
	"runtime"
	"testing"
)

// BenchmarkNext generates b.N queries from each process (arrival + need),
// restarting finite traces off the clock. With -benchmem it shows 0 B/op
// and 0 allocs/op: memory is constant however many arrivals are made. The
// heap-MB metric is the live heap after the run.
func BenchmarkNext(b *testing.B) {
	for _, name := range []string{"poisson", "gamma", "mmpp", "diurnal", "constant", "azure", "trace", "replay"} {
		c := processConfigs()[name]
		b.Run(name, func(b *testing.B) {
			s := mustNew(b, c, 1, 2)
			var q Query
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if !s.Next(&q) {
					b.StopTimer()
					s = mustNew(b, c, 1, 2)
					b.StartTimer()
					s.Next(&q)
				}
			}
			b.StopTimer()
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/1e6, "heap-MB")
		})
	}
}
