package engine

import "fmt"

// Time is simulated time in integer nanoseconds. Floats are never
// accumulated: a run of 10^9 events keeps exact time.
type Time = int64

// Kind names an event type; handlers are registered once per kind.
type Kind uint32

// Handler runs an event. arg is the event's payload: an index the model
// chose when scheduling (an instance number, a pool slot).
type Handler func(now Time, arg int32)

// event is a plain 24-byte struct: no interface, no closure, so scheduling
// allocates nothing once the heap has grown to its working size.
type event struct {
	t    Time
	seq  uint64
	kind Kind
	arg  int32
}

func (a *event) before(b *event) bool {
	return a.t < b.t || (a.t == b.t && a.seq < b.seq)
}

// Scheduler is what a model needs from an event kernel. Kernel is sushisim's
// own; a second implementation on a third-party engine can vouch for it.
type Scheduler interface {
	Register(h Handler) Kind
	Schedule(t Time, k Kind, arg int32)
	Now() Time
	Run(until Time) // until < 0: run until no events remain
	Events() uint64 // events executed so far
}

// Kernel is a sequential event kernel. Events at equal times run in the
// order they were scheduled (FIFO tie-break by sequence number), which makes
// every run reproducible.
//
// While a handler runs, the event it is handling still sits at the root of
// the heap (stale): the first event the handler schedules takes its place
// with one sift-down, instead of a pop's sift-down plus a push's sift-up.
// Most handlers schedule at least one event (the next arrival, the next
// service), so most events cost one sift.
type Kernel struct {
	now      Time
	seq      uint64
	events   uint64
	heap     []event // 4-ary min-heap on (t, seq)
	stale    bool    // heap[0] is the event being handled
	handlers []Handler
}

// NewKernel returns an empty kernel at time 0.
func NewKernel() *Kernel { return &Kernel{heap: make([]event, 0, 64)} }

// Register adds a handler and returns the kind that schedules it.
func (k *Kernel) Register(h Handler) Kind {
	k.handlers = append(k.handlers, h)
	return Kind(len(k.handlers) - 1)
}

// Now is the current simulated time.
func (k *Kernel) Now() Time { return k.now }

// Events is the number of events executed so far.
func (k *Kernel) Events() uint64 { return k.events }

// Pending is the number of scheduled events not yet run.
func (k *Kernel) Pending() int {
	if k.stale {
		return len(k.heap) - 1
	}
	return len(k.heap)
}

// Schedule queues an event of kind at time t. Scheduling in the past is a
// model bug, not a user error, so it panics rather than corrupt the clock.
func (k *Kernel) Schedule(t Time, kind Kind, arg int32) {
	if t < k.now {
		panic(fmt.Sprintf("engine: event scheduled at %d ns, before now (%d ns)", t, k.now))
	}
	k.seq++
	e := event{t: t, seq: k.seq, kind: kind, arg: arg}
	if k.stale {
		k.stale = false
		k.down(e)
		return
	}
	k.heap = append(k.heap, e)
	k.up(len(k.heap) - 1)
}

// Step runs the earliest pending event; false when none remain.
func (k *Kernel) Step() bool {
	if len(k.heap) == 0 {
		return false
	}
	e := k.heap[0]
	k.now = e.t
	k.events++
	k.stale = true
	k.handlers[e.kind](e.t, e.arg)
	if k.stale { // the handler scheduled nothing: remove the event
		k.stale = false
		n := len(k.heap) - 1
		last := k.heap[n]
		k.heap = k.heap[:n]
		if n > 0 {
			k.down(last)
		}
	}
	return true
}

// Run executes events in time order. With until >= 0 it runs every event
// at or before until (those scheduled meanwhile too) and leaves the clock at
// until; an until before Now does nothing, since the clock never goes back.
// With until < 0 it runs until no events remain.
func (k *Kernel) Run(until Time) {
	if until < 0 {
		for k.Step() {
		}
		return
	}
	if until < k.now {
		return
	}
	for len(k.heap) > 0 && k.heap[0].t <= until {
		k.Step()
	}
	k.now = until
}

func (k *Kernel) up(i int) {
	h := k.heap
	e := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// down puts e at the root, in place of the event there, and sifts it down.
func (k *Kernel) down(e event) {
	h := k.heap
	n := len(h)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		// smallest of up to four children
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&e) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = e
}
