package engine

import (
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// lookahead reads the query source ahead of time: always one query (the
// next arrival), and as many more as a clairvoyant policy (lookahead) asks
// to see. It is a ring that reuses its storage; its capacity is a power of
// two so that wrapping is a mask.
type lookahead struct {
	src  workloads.Source
	buf  []workloads.Query
	head int
	size int
	want int // queries to hold: the next arrival plus the lookahead
	done bool
}

func (a *lookahead) init(src workloads.Source, depth int) {
	a.src = src
	n := 1
	for n < depth+1 {
		n *= 2
	}
	a.buf = make([]workloads.Query, n)
	a.want = depth + 1
	a.fill()
}

func (a *lookahead) fill() {
	for !a.done && a.size < a.want {
		if !a.src.Next(&a.buf[(a.head+a.size)&(len(a.buf)-1)]) {
			a.done = true
			return
		}
		a.size++
	}
}

func (a *lookahead) peek(k int) (*workloads.Query, bool) {
	if k >= a.size {
		return nil, false
	}
	return &a.buf[(a.head+k)&(len(a.buf)-1)], true
}

// pop moves the next query into q and reads one more from the source.
func (a *lookahead) pop(q *workloads.Query) {
	*q = a.buf[a.head]
	a.head = (a.head + 1) & (len(a.buf) - 1)
	a.size--
	a.fill()
}

// Peek implements policies.Future: the need of the k-th query still to
// arrive (0 = the next one).
func (a *lookahead) Peek(k int) (policies.Need, bool) {
	q, ok := a.peek(k)
	if !ok {
		return policies.Need{}, false
	}
	return policies.Need{MinAccuracy: q.MinAccuracy, SLO: q.SLO}, true
}
