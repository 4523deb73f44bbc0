package engine

import (
	"fmt"
	"slices"
)

// Time is simulated time in integer nanoseconds. Floats are never
// accumulated: a run of 10^9 events keeps exact time.
type Time = int64

// Kind names an event type; handlers are registered once per kind.
type Kind uint32

// Handler runs an event. arg is the event's payload: an index the model
// chose when scheduling (an instance number, a pool slot).
type Handler func(now Time, arg int32)

// event is 16 bytes, so that the four children of a 4-ary heap node share
// one 64-byte cache line: the time, then one word holding the scheduling
// sequence number above the kind and the argument. Ordering by (t, w) is
// ordering by (t, seq), since sequence numbers are unique; no interface, no
// closure, so scheduling allocates nothing once the heap has grown.
type event struct {
	t Time
	w uint64 // seq<<seqShift | kind<<32 | uint32(arg)
}

const (
	kindBits = 8 // at most 256 handlers
	seqShift = 32 + kindBits
	// seqLimit is where sequence numbers wrap: the kernel then renumbers
	// its pending events 0, 1, ... in their order (see renumber).
	seqLimit = 1 << (64 - seqShift)
)

func makeEvent(t Time, seq uint64, kind Kind, arg int32) event {
	return event{t: t, w: seq<<seqShift | uint64(kind)<<32 | uint64(uint32(arg))}
}

func (e *event) kind() Kind { return Kind(e.w>>32) & (1<<kindBits - 1) }
func (e *event) arg() int32 { return int32(uint32(e.w)) }

func (a *event) before(b *event) bool {
	return a.t < b.t || (a.t == b.t && a.w < b.w)
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
// Two shortcuts keep most events to one heap sift or none:
//   - While a handler runs an event from the heap, that event still sits at
//     the root (stale): the first event the handler schedules takes its
//     place with one sift-down, instead of a pop's sift-down plus a push's
//     sift-up.
//   - One pending event is kept out of the heap, in next: an event
//     scheduled while next is free goes there in O(1). A model whose
//     handler schedules its successor first (an arrival scheduling the next
//     arrival) keeps that stream out of the heap altogether, so a query
//     costs one sift (its service's), not two.
//
// The next event is the earlier of next and the heap's root.
type Kernel struct {
	now      Time
	seq      uint64
	seqLimit uint64 // seqLimit; lower in tests, to exercise renumbering
	events   uint64
	heap     []event // 4-ary min-heap on (t, w)
	stale    bool    // heap[0] is the event being handled
	next     event   // a pending event outside the heap, when hasNext
	hasNext  bool
	handlers []Handler
}

// NewKernel returns an empty kernel at time 0.
func NewKernel() *Kernel { return &Kernel{heap: make([]event, 0, 64), seqLimit: seqLimit} }

// Register adds a handler and returns the kind that schedules it.
func (k *Kernel) Register(h Handler) Kind {
	if len(k.handlers) == 1<<kindBits {
		panic(fmt.Sprintf("engine: more than %d event kinds", 1<<kindBits))
	}
	k.handlers = append(k.handlers, h)
	return Kind(len(k.handlers) - 1)
}

// Now is the current simulated time.
func (k *Kernel) Now() Time { return k.now }

// Events is the number of events executed so far.
func (k *Kernel) Events() uint64 { return k.events }

// Pending is the number of scheduled events not yet run.
func (k *Kernel) Pending() int {
	n := len(k.heap)
	if k.stale {
		n--
	}
	if k.hasNext {
		n++
	}
	return n
}

// Schedule queues an event of kind at time t. Scheduling in the past is a
// model bug, not a user error, so it panics rather than corrupt the clock.
func (k *Kernel) Schedule(t Time, kind Kind, arg int32) {
	if t < k.now {
		panic(fmt.Sprintf("engine: event scheduled at %d ns, before now (%d ns)", t, k.now))
	}
	if k.seq == k.seqLimit {
		k.renumber()
	}
	e := makeEvent(t, k.seq, kind, arg)
	k.seq++
	switch {
	case k.stale:
		k.stale = false
		k.down(e)
	case !k.hasNext:
		k.next, k.hasNext = e, true
	default:
		k.heap = append(k.heap, e)
		k.up(len(k.heap) - 1)
	}
}

// Step runs the earliest pending event; false when none remain.
func (k *Kernel) Step() bool {
	if k.hasNext && (len(k.heap) == 0 || k.next.before(&k.heap[0])) {
		e := k.next
		k.hasNext = false
		k.now = e.t
		k.events++
		k.handlers[e.kind()](e.t, e.arg())
		return true
	}
	if len(k.heap) == 0 {
		return false
	}
	e := k.heap[0]
	k.now = e.t
	k.events++
	k.stale = true
	k.handlers[e.kind()](e.t, e.arg())
	if k.stale { // the handler scheduled nothing: remove the event
		k.removeRoot()
	}
	return true
}

func (k *Kernel) removeRoot() {
	k.stale = false
	n := len(k.heap) - 1
	last := k.heap[n]
	k.heap = k.heap[:n]
	if n > 0 {
		k.down(last)
	}
}

// peek is the time of the earliest pending event; false when none remain.
func (k *Kernel) peek() (Time, bool) {
	switch {
	case len(k.heap) == 0:
		return k.next.t, k.hasNext
	case k.hasNext && k.next.t < k.heap[0].t:
		return k.next.t, true
	}
	return k.heap[0].t, true
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
	for t, ok := k.peek(); ok && t <= until; t, ok = k.peek() {
		k.Step()
	}
	k.now = until
}

// renumber gives the pending events sequence numbers 0, 1, ... in their
// (t, seq) order when the numbers would overflow their bits, every
// seqLimit (16.7 M) events: their order, and so every run, is unchanged,
// at the cost of a sort of the pending events.
func (k *Kernel) renumber() {
	if k.stale { // the event being handled is done with: drop it now
		k.removeRoot()
	}
	all := k.heap
	var nextW uint64
	if k.hasNext {
		nextW = k.next.w
		all = append(all, k.next)
	}
	if uint64(len(all)) >= k.seqLimit/2 {
		panic(fmt.Sprintf("engine: %d events pending, more than the kernel's %d", len(all), k.seqLimit/2))
	}
	slices.SortFunc(all, func(a, b event) int {
		if a.before(&b) {
			return -1
		}
		return 1 // sequence numbers are unique: never equal
	})
	at, count := -1, len(all)
	for i := range all {
		if k.hasNext && all[i].w == nextW {
			at = i
		}
		all[i].w = uint64(i)<<seqShift | all[i].w&(1<<seqShift-1)
	}
	if at >= 0 { // back out of the heap; a sorted array is a heap
		k.next = all[at]
		all = slices.Delete(all, at, at+1)
	}
	k.heap = all
	k.seq = uint64(count)
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
