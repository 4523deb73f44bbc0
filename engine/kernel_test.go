package engine

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Events come out in (time, scheduling order): checked against a stable sort
// of the same random schedule.
func TestKernelOrderMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	k := NewKernel()
	type rec struct {
		t   Time
		arg int32
	}
	var got []rec
	kind := k.Register(func(now Time, arg int32) { got = append(got, rec{now, arg}) })
	var want []rec
	for i := 0; i < 5000; i++ {
		tm := Time(r.IntN(200)) // many ties
		k.Schedule(tm, kind, int32(i))
		want = append(want, rec{tm, int32(i)})
	}
	slices.SortStableFunc(want, func(a, b rec) int { return int(a.t - b.t) })
	k.Run(-1)
	require.Equal(t, want, got)
	assert.Equal(t, uint64(5000), k.Events())
}

// Events scheduled from handlers, including at the current time, run after
// those already queued for that time; the clock never goes back (INV-3).
func TestKernelNestedScheduleAndMonotoneClock(t *testing.T) {
	k := NewKernel()
	var order []int32
	var last Time
	var kind Kind
	kind = k.Register(func(now Time, arg int32) {
		require.GreaterOrEqual(t, now, last)
		last = now
		order = append(order, arg)
		if arg < 3 {
			k.Schedule(now, kind, arg+10)
		}
	})
	for i := int32(0); i < 4; i++ {
		k.Schedule(5, kind, i)
	}
	k.Run(-1)
	assert.Equal(t, []int32{0, 1, 2, 3, 10, 11, 12}, order)
}

func TestKernelRunUntilStopsAndKeepsPending(t *testing.T) {
	k := NewKernel()
	n := 0
	kind := k.Register(func(Time, int32) { n++ })
	for _, tm := range []Time{1, 5, 10, 11} {
		k.Schedule(tm, kind, 0)
	}
	k.Run(10) // events at exactly `until` run
	assert.Equal(t, 3, n)
	assert.Equal(t, Time(10), k.Now())
	assert.Equal(t, 1, k.Pending())
}

func TestKernelPanicsOnPastEvent(t *testing.T) {
	k := NewKernel()
	kind := k.Register(func(Time, int32) {})
	k.Schedule(10, kind, 0)
	k.Run(-1)
	assert.Panics(t, func() { k.Schedule(5, kind, 0) })
}

// mmk is an M/M/k FIFO queue on the kernel: the benchmark model of
// bench/mmk (docs/performance.md), and a correctness check
// against Erlang C.
type mmk struct {
	k              *Kernel
	r              *rand.Rand
	lambda, mu     float64
	servers, busy  int
	queue          []Time // arrival times waiting (ring via slice reuse)
	head           int
	arrive, depart Kind
	left, served   int
	waitSum        float64
}

func newMMK(servers int, lambda, mu float64, n int, seed uint64) *mmk {
	m := &mmk{k: NewKernel(), r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), lambda: lambda, mu: mu, servers: servers, left: n}
	m.arrive = m.k.Register(m.onArrive)
	m.depart = m.k.Register(m.onDepart)
	m.k.Schedule(secs(m.r.ExpFloat64()/lambda), m.arrive, 0)
	return m
}

// secs converts positive seconds to ns, rounding half up (math.Round is a
// fifth of the benchmark's time and gives the same result for x >= 0).
func secs(s float64) Time { return Time(s*1e9 + 0.5) }

func (m *mmk) onArrive(now Time, _ int32) {
	m.left--
	if m.left > 0 {
		m.k.Schedule(now+secs(m.r.ExpFloat64()/m.lambda), m.arrive, 0)
	}
	if m.busy < m.servers {
		m.busy++
		m.served++
		m.k.Schedule(now+secs(m.r.ExpFloat64()/m.mu), m.depart, 0)
		return
	}
	if m.head > 0 && m.head == len(m.queue) {
		m.queue, m.head = m.queue[:0], 0
	}
	m.queue = append(m.queue, now)
	m.served++
}

func (m *mmk) onDepart(now Time, _ int32) {
	if m.head < len(m.queue) {
		m.waitSum += float64(now-m.queue[m.head]) / 1e9
		m.head++
		m.k.Schedule(now+secs(m.r.ExpFloat64()/m.mu), m.depart, 0)
		return
	}
	m.busy--
}

// erlangC is the M/M/c mean wait in queue (closed form).
func erlangC(c int, lambda, mu float64) float64 {
	a := lambda / mu
	rho := a / float64(c)
	sum, term := 0.0, 1.0
	for k := 0; k < c; k++ {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	last := term * a / float64(c) / (1 - rho)
	pw := last / (sum + last)
	return pw / (float64(c)*mu - lambda)
}

func TestKernelMMkMatchesErlangC(t *testing.T) {
	const n = 400000
	m := newMMK(4, 3.2, 1, n, 7) // rho = 0.8
	m.k.Run(-1)
	want := erlangC(4, 3.2, 1)
	got := m.waitSum / float64(n)
	assert.InEpsilon(t, want, got, 0.05, "M/M/4 rho=0.8 mean wait: Erlang C %.4f, simulated %.4f", want, got)
	assert.Equal(t, uint64(2*n), m.k.Events())
}

// BenchmarkKernel is the M/M/10 rho=0.9 model the peer engines (SimPy, simgo) are
// compared on in bench/mmk:
// ns/op is per model event (arrival or departure).
func BenchmarkKernel(b *testing.B) {
	n := max(b.N/2, 1)
	m := newMMK(10, 9, 1, n, 42)
	b.ReportAllocs()
	b.ResetTimer()
	m.k.Run(-1)
	b.StopTimer()
	b.ReportMetric(float64(m.k.Events())/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

// BenchmarkKernelLargeHeap is M/M/1000 at
// rho = 0.9, about 900 pending events, where heap depth dominates.
func BenchmarkKernelLargeHeap(b *testing.B) {
	n := max(b.N/2, 1)
	m := newMMK(1000, 900, 1, n, 42)
	b.ReportAllocs()
	b.ResetTimer()
	m.k.Run(-1)
	b.StopTimer()
	b.ReportMetric(float64(m.k.Events())/b.Elapsed().Seconds()/1e6, "Mevents/s")
}

// Renumbering sequence numbers when they would overflow (every 2^24
// schedules; every 64 here) keeps the order of events: a run with many
// ties, events scheduled from handlers (at the current time too) and a
// pending event outside the heap, equal event for event to the same run
// on a kernel that never renumbers in it.
func TestKernelRenumberKeepsOrder(t *testing.T) {
	type rec struct {
		t   Time
		arg int32
	}
	trace := func(limit uint64) ([]rec, uint64) {
		k := NewKernel()
		k.seqLimit = limit
		r := rand.New(rand.NewPCG(3, 4))
		var got []rec
		next := int32(0)
		var kind Kind
		kind = k.Register(func(now Time, arg int32) {
			got = append(got, rec{now, arg})
			if len(got) > 20000 {
				return
			}
			n := r.IntN(3) // 0, 1 or 2 successors, often at equal times
			if k.Pending() > 12 {
				n = 0 // renumbering needs fewer than seqLimit/2 pending
			}
			for range n {
				next++
				k.Schedule(now+Time(r.IntN(3)), kind, next)
			}
			if k.Pending() == 0 {
				next++
				k.Schedule(now, kind, next)
			}
		})
		for range 10 {
			next++
			k.Schedule(0, kind, next)
		}
		k.Run(-1)
		return got, k.seq
	}
	want, _ := trace(seqLimit)
	got, seq := trace(64)
	require.Greater(t, len(want), 20000)
	require.Equal(t, want, got)
	assert.Less(t, seq, uint64(64), "it renumbered")
}
