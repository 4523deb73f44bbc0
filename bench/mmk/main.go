package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/fschuetz04/simgo"

	"github.com/sushisim/sushisim/engine"
)

// model is the M/M/k queue (Poisson arrivals, exponential service, k
// servers, FIFO). Times are integer
// nanoseconds in every variant (simgo holds them in float64, exactly), and
// every variant draws in the same order — A1, then at each arrival i its
// service S_i and the next gap A_{i+1} — so all of them report bit-identical
// statistics.
type model struct {
	n            int     // customers
	k            int     // servers
	lambda, mu   float64 // per second
	r            *rand.Rand
	arrived      int
	waitNs       int64 // sum of waits in queue
	sojournNs    int64 // sum of waits + services
	lastDeparted int64
}

func newModel(n, k int, lambda, mu float64, seed uint64) *model {
	return &model{n: n, k: k, lambda: lambda, mu: mu, r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// ns converts exponential seconds to ns, rounding half up.
func ns(s float64) int64 { return int64(s*1e9 + 0.5) }

func (m *model) gap() int64     { return ns(m.r.ExpFloat64() / m.lambda) }
func (m *model) service() int64 { return ns(m.r.ExpFloat64() / m.mu) }

// customer is one waiting customer: when it arrived and its service.
type customer struct{ arrival, service int64 }

// fifo is a queue of waiting customers that reuses its storage.
type fifo struct {
	buf        []customer
	head, size int
}

func (f *fifo) push(c customer) {
	if f.size == len(f.buf) {
		nb := make([]customer, max(16, 2*len(f.buf)))
		for j := 0; j < f.size; j++ {
			nb[j] = f.buf[(f.head+j)%len(f.buf)]
		}
		f.buf, f.head = nb, 0
	}
	f.buf[(f.head+f.size)%len(f.buf)] = c
	f.size++
}

func (f *fifo) pop() customer {
	c := f.buf[f.head]
	f.head = (f.head + 1) % len(f.buf)
	f.size--
	return c
}

// runEngine is the model on one of sushisim's Schedulers: two event kinds,
// handlers registered once, no allocation per event.
func runEngine(m *model, k engine.Scheduler) {
	var q fifo
	busy := 0
	var arrive, depart engine.Kind
	arrive = k.Register(func(now engine.Time, _ int32) {
		m.arrived++
		s := m.service()
		if m.arrived < m.n {
			k.Schedule(now+m.gap(), arrive, 0)
		}
		m.sojournNs += s
		if busy < m.k {
			busy++
			k.Schedule(now+s, depart, 0)
			return
		}
		q.push(customer{now, s})
	})
	depart = k.Register(func(now engine.Time, _ int32) {
		m.lastDeparted = now
		if q.size > 0 {
			c := q.pop()
			m.waitNs += now - c.arrival
			m.sojournNs += now - c.arrival
			k.Schedule(now+c.service, depart, 0)
			return
		}
		busy--
	})
	k.Schedule(m.gap(), arrive, 0)
	k.Run(-1)
}

// runKernel is runEngine on *engine.Kernel itself, as a model written for
// sushisim calls it: Schedule is a direct, inlinable call. It stays a copy:
// a generic runEngine[S Scheduler] would not keep that call direct, since Go
// compiles one body per GC shape (every pointer type shares one) and calls
// S's methods through its dictionary, indirectly.
func runKernel(m *model, k *engine.Kernel) {
	var q fifo
	busy := 0
	var arrive, depart engine.Kind
	arrive = k.Register(func(now engine.Time, _ int32) {
		m.arrived++
		s := m.service()
		if m.arrived < m.n {
			k.Schedule(now+m.gap(), arrive, 0)
		}
		m.sojournNs += s
		if busy < m.k {
			busy++
			k.Schedule(now+s, depart, 0)
			return
		}
		q.push(customer{now, s})
	})
	depart = k.Register(func(now engine.Time, _ int32) {
		m.lastDeparted = now
		if q.size > 0 {
			c := q.pop()
			m.waitNs += now - c.arrival
			m.sojournNs += now - c.arrival
			k.Schedule(now+c.service, depart, 0)
			return
		}
		busy--
	})
	k.Schedule(m.gap(), arrive, 0)
	k.Run(-1)
}

// runSimgoEvents is the model on simgo's events and handlers: one Timeout
// and one handler closure per model event.
func runSimgoEvents(m *model) {
	var sim simgo.Simulation
	var q fifo
	busy := 0
	var arrive func(*simgo.Event)
	var depart func(*simgo.Event)
	at := func(delay int64, h func(*simgo.Event)) { sim.Timeout(float64(delay)).AddHandler(h) }
	arrive = func(*simgo.Event) {
		now := int64(sim.Now())
		m.arrived++
		s := m.service()
		if m.arrived < m.n {
			at(m.gap(), arrive)
		}
		m.sojournNs += s
		if busy < m.k {
			busy++
			at(s, depart)
			return
		}
		q.push(customer{now, s})
	}
	depart = func(*simgo.Event) {
		now := int64(sim.Now())
		m.lastDeparted = now
		if q.size > 0 {
			c := q.pop()
			m.waitNs += now - c.arrival
			m.sojournNs += now - c.arrival
			at(c.service, depart)
			return
		}
		busy--
	}
	at(m.gap(), arrive)
	sim.Run()
}

// resource is a counted resource for simgo processes (simgo ships none): a
// request is an event triggered when one of the k units is free, in FIFO
// order of requests.
type resource struct {
	sim     *simgo.Simulation
	free    int
	waiting []*simgo.Event
	head    int
}

func (r *resource) request() *simgo.Event {
	ev := r.sim.Event()
	if r.free > 0 {
		r.free--
		ev.Trigger()
		return ev
	}
	if r.head > 0 && r.head == len(r.waiting) {
		r.waiting, r.head = r.waiting[:0], 0
	}
	r.waiting = append(r.waiting, ev)
	return ev
}

func (r *resource) release() {
	if r.head < len(r.waiting) {
		ev := r.waiting[r.head]
		r.waiting[r.head] = nil
		r.head++
		ev.Trigger() // the unit passes straight to the next in line
		return
	}
	r.free++
}

// runSimgoProcesses is the model in simgo's README style: a source process
// and one goroutine process per customer that requests a server, holds it
// for its service and releases it.
func runSimgoProcesses(m *model) {
	var sim simgo.Simulation
	res := &resource{sim: &sim, free: m.k}
	customerProc := func(arrival, s int64) func(simgo.Process) {
		return func(proc simgo.Process) {
			proc.Wait(res.request())
			now := int64(proc.Now())
			m.waitNs += now - arrival
			m.sojournNs += now - arrival + s
			proc.Wait(proc.Timeout(float64(s)))
			m.lastDeparted = int64(proc.Now())
			res.release()
		}
	}
	sim.Process(func(proc simgo.Process) {
		a := m.gap()
		for i := 1; i <= m.n; i++ {
			proc.Wait(proc.Timeout(float64(a)))
			m.arrived++
			s := m.service()
			sim.Process(customerProc(int64(proc.Now()), s))
			if i < m.n {
				a = m.gap()
			}
		}
	})
	sim.Run()
}

func maxRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}

func main() {
	variant := flag.String("variant", "sushisim", "sushisim | sushisim-iface (the same through the engine.Scheduler interface) | sushisim-simgo | simgo-events | simgo-processes")
	n := flag.Int("n", 1_000_000, "customers")
	k := flag.Int("k", 10, "servers")
	lambda := flag.Float64("lambda", 9, "arrival rate, per second")
	mu := flag.Float64("mu", 1, "service rate per server, per second")
	seed := flag.Uint64("seed", 42, "PCG seed")
	flag.Parse()
	if *n < 1 || *k < 1 || !(*lambda > 0) || !(*mu > 0) {
		fmt.Fprintln(os.Stderr, "mmk: n and k must be >= 1, lambda and mu > 0")
		os.Exit(2)
	}
	m := newModel(*n, *k, *lambda, *mu, *seed)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	switch *variant {
	case "sushisim":
		runKernel(m, engine.NewKernel())
	case "sushisim-iface":
		runEngine(m, engine.NewKernel())
	case "sushisim-simgo":
		runEngine(m, engine.NewSimgoKernel())
	case "simgo-events":
		runSimgoEvents(m)
	case "simgo-processes":
		runSimgoProcesses(m)
	default:
		fmt.Fprintf(os.Stderr, "mmk: unknown variant %q (sushisim, sushisim-iface, sushisim-simgo, simgo-events, simgo-processes)\n", *variant)
		os.Exit(2)
	}
	wall := time.Since(start).Seconds()
	runtime.ReadMemStats(&after)
	events := 2 * *n // arrivals and departures: the same denominator for every variant
	fmt.Printf("variant=%s n=%d k=%d events=%d wall_s=%.4f events_per_s=%.0f mean_wait_s=%.9f mean_sojourn_s=%.9f end_s=%.6f allocs_per_customer=%.2f gcs=%d peak_rss_mib=%.1f\n",
		*variant, *n, *k, events, wall, float64(events)/wall,
		float64(m.waitNs)/float64(*n)/1e9, float64(m.sojournNs)/float64(*n)/1e9, float64(m.lastDeparted)/1e9,
		float64(after.Mallocs-before.Mallocs)/float64(*n), after.NumGC-before.NumGC, maxRSSMiB())
}
