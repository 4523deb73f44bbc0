package execute

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// peakHeapOf runs f and samples the heap in use every millisecond: its
// peak, in bytes (a sample can miss a short spike; the runs measured here
// grow their queues steadily).
func peakHeapOf(t *testing.T, f func()) float64 {
	t.Helper()
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return float64(peak)
}
