package engine

import (
	"fmt"

	"github.com/fschuetz04/simgo"
)

// maxSimgoTime is the largest time SimgoKernel accepts: simgo keeps time in
// float64, which holds every integer nanosecond exactly only up to 2^53 ns
// (about 104 simulated days).
const maxSimgoTime = Time(1) << 53

// SimgoKernel is a Scheduler on github.com/fschuetz04/simgo v0.5.0, a
// third-party event engine, using its events and handlers (no processes):
// each Schedule is one simgo Timeout with one handler. simgo orders events
// at equal times by scheduling order, as Kernel does, so a model run on
// either gives identical results; that is what it is for. It is slower:
// each event costs simgo about nine allocations and a runtime finalizer
// (measured in docs/performance.md).
//
// Times are nanoseconds held in float64; they must stay below 2^53 ns.
type SimgoKernel struct {
	sim      simgo.Simulation
	handlers []Handler
	now      Time
	events   uint64
	// simgo's RunUntil(target) leaves its clock at target. Run(until) asks
	// for until+0.5, so that every event at until runs, which leaves simgo's
	// clock half a nanosecond ahead of Now: events scheduled at exactly Now
	// after such a Run wait here, in order, for the next Run.
	atNow []pendingEvent
}

type pendingEvent struct {
	kind Kind
	arg  int32
}

// NewSimgoKernel returns an empty simgo-backed kernel at time 0.
func NewSimgoKernel() *SimgoKernel { return &SimgoKernel{} }

// Register implements Scheduler.
func (k *SimgoKernel) Register(h Handler) Kind {
	k.handlers = append(k.handlers, h)
	return Kind(len(k.handlers) - 1)
}

// Now implements Scheduler.
func (k *SimgoKernel) Now() Time { return k.now }

// Events implements Scheduler.
func (k *SimgoKernel) Events() uint64 { return k.events }

// Schedule implements Scheduler: a simgo Timeout of t - now with a handler
// that runs kind. Like Kernel, it panics on a time in the past (a model
// bug), and on a time simgo's float64 clock cannot hold exactly.
func (k *SimgoKernel) Schedule(t Time, kind Kind, arg int32) {
	if t < k.now {
		panic(fmt.Sprintf("engine: event scheduled at %d ns, before now (%d ns)", t, k.now))
	}
	if t >= maxSimgoTime {
		panic(fmt.Sprintf("engine: simgo kernel: event at %d ns is past 2^53 ns, where float64 time stops being exact", t))
	}
	delay := float64(t) - k.sim.Now()
	if delay < 0 { // t == now, after a Run(until) that left simgo at until+0.5
		k.atNow = append(k.atNow, pendingEvent{kind, arg})
		return
	}
	k.sim.Timeout(delay).AddHandler(func(*simgo.Event) { k.fire(t, kind, arg) })
}

func (k *SimgoKernel) fire(t Time, kind Kind, arg int32) {
	k.now = t
	k.events++
	k.handlers[kind](t, arg)
}

// Run implements Scheduler with Kernel's semantics: until < 0 runs every
// event; until >= 0 runs every event at or before until and leaves the
// clock at until.
func (k *SimgoKernel) Run(until Time) {
	if until >= 0 && until < k.now {
		return
	}
	// events held at Now come before anything simgo holds (all later)
	for len(k.atNow) > 0 {
		e := k.atNow[0]
		k.atNow = k.atNow[1:]
		k.fire(k.now, e.kind, e.arg)
	}
	k.atNow = nil
	if until < 0 {
		k.sim.Run()
		return
	}
	if until >= maxSimgoTime {
		panic(fmt.Sprintf("engine: simgo kernel: Run(%d) is past 2^53 ns", until))
	}
	k.sim.RunUntil(float64(until) + 0.5)
	k.now = until
}
