package engine

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Spec is one run: a catalog served by N accelerator instances behind a
// router, under one selector and one cache policy per instance, fed by one
// query source.
type Spec struct {
	Hardware *accel.Hardware
	Table    *accel.Table // SushiAbs, shared read-only by all instances
	Catalog  *policies.Catalog
	Router   policies.Router
	Selector policies.Selector
	Caches   []policies.Cache // one per instance; len(Caches) is the instance count
	Source   workloads.Source
	// Kernel runs the events; nil means sushisim's own Kernel.
	Kernel Scheduler
}

// slot is a query in flight. Slots are pooled: a run allocates them only
// while the number of queries in flight grows.
type slot struct {
	q      workloads.Query
	subnet int32
	cost   accel.Cost
}

// instance is one accelerator: a FIFO queue, what it is serving, and what
// its persistent buffer holds.
type instance struct {
	queue       ring
	busy        bool
	serving     int32 // slot in service
	cache       policies.Cache
	resident    models.SubGraph
	row         accel.Row // SushiAbs row of resident: the cost of every SubNet now
	reloadUntil Time      // an overlapped reload streams until then
	reloading   bool
}

// cluster is the state of one run.
type cluster struct {
	spec      Spec
	k         Scheduler
	inst      []instance
	slots     []slot
	free      []int32
	next      workloads.Query
	hasNext   bool
	arrive    Kind
	finish    Kind
	reloadEnd Kind
	blocking  bool
	m         *Metrics
}

// Run simulates spec until the source ends and every query has finished.
func Run(spec Spec) (*Metrics, error) {
	if len(spec.Caches) == 0 {
		return nil, fmt.Errorf("engine: a cluster needs at least one instance")
	}
	c := &cluster{spec: spec, k: spec.Kernel}
	if c.k == nil {
		c.k = NewKernel()
	}
	c.m = newMetrics(len(spec.Catalog.SubNets), spec.Hardware)
	c.blocking = spec.Hardware.Reload != "overlap"
	c.arrive = c.k.Register(c.onArrive)
	c.finish = c.k.Register(c.onFinish)
	c.reloadEnd = c.k.Register(c.onReloadEnd)
	c.inst = make([]instance, len(spec.Caches))
	for i := range c.inst {
		in := &c.inst[i]
		in.cache = spec.Caches[i]
		in.resident = in.cache.Resident()
		in.row = spec.Table.Row(in.resident)
		c.m.notePB(in.resident.Weights() * int64(spec.Hardware.DataBytes))
	}
	c.hasNext = spec.Source.Next(&c.next)
	if c.hasNext {
		c.k.Schedule(c.next.Arrival, c.arrive, 0)
	}
	c.k.Run(-1)
	c.m.Events = c.k.Events()
	c.m.End = c.k.Now()
	for i := range c.inst {
		c.m.InFlight += int64(c.inst[i].queue.len())
		if c.inst[i].busy && !c.inst[i].reloading {
			c.m.InFlight++
		}
	}
	return c.m, nil
}

// Instances implements policies.ClusterView.
func (c *cluster) Instances() int { return len(c.inst) }

// QueueLen implements policies.ClusterView: waiting plus in service.
func (c *cluster) QueueLen(i int) int {
	n := c.inst[i].queue.len()
	if c.inst[i].busy && !c.inst[i].reloading {
		n++
	}
	return n
}

func (c *cluster) alloc() int32 {
	if n := len(c.free); n > 0 {
		s := c.free[n-1]
		c.free = c.free[:n-1]
		return s
	}
	c.slots = append(c.slots, slot{})
	return int32(len(c.slots) - 1)
}

func (c *cluster) onArrive(now Time, _ int32) {
	s := c.alloc()
	c.slots[s].q = c.next
	c.m.Queries++
	c.hasNext = c.spec.Source.Next(&c.next)
	if c.hasNext {
		if c.next.Arrival < now {
			panic(fmt.Sprintf("engine: source went back in time (%d < %d)", c.next.Arrival, now))
		}
		c.k.Schedule(c.next.Arrival, c.arrive, 0)
	}
	q := &c.slots[s].q
	i := c.spec.Router.Route(policies.Need{MinAccuracy: q.MinAccuracy, SLO: q.SLO}, c)
	in := &c.inst[i]
	in.queue.push(s)
	if !in.busy {
		c.start(now, int32(i))
	}
}

// start serves the head of instance i's queue, choosing its SubNet now, when
// the wait is known and the resident SubGraph is the one it will run with.
func (c *cluster) start(now Time, i int32) {
	in := &c.inst[i]
	if in.queue.len() == 0 {
		in.busy = false
		return
	}
	s := in.queue.pop()
	sl := &c.slots[s]
	waited := now - sl.q.Arrival
	sel := c.spec.Selector.Select(policies.Need{MinAccuracy: sl.q.MinAccuracy, SLO: sl.q.SLO, Waited: waited}, in.row)
	sl.subnet = sel
	sl.cost = in.row[sel]
	if rem := in.reloadUntil - now; rem > 0 {
		// An overlapped reload still streaming shares the DRAM link with
		// this query: with compute/transfer overlap its latency becomes
		// max(latency, own transfer + remaining reload), else they add up.
		tr := c.spec.Hardware.CyclesToNs(sl.cost.TransferCycles)
		if !c.spec.Hardware.Overlap {
			sl.cost.LatencyNs += rem
		} else if tr+rem > sl.cost.LatencyNs {
			sl.cost.LatencyNs = tr + rem
		}
	}
	in.busy = true
	in.reloading = false
	in.serving = s
	c.k.Schedule(now+sl.cost.LatencyNs, c.finish, i)
}

func (c *cluster) onFinish(now Time, i int32) {
	in := &c.inst[i]
	s := in.serving
	sl := &c.slots[s]
	c.m.observe(now, &sl.q, sl.subnet, &sl.cost, c.spec.Catalog.SubNets[sl.subnet].Accuracy)
	c.free = append(c.free, s)
	if in.cache.Served(sl.subnet) {
		next := in.cache.Resident()
		rc := c.spec.Hardware.ReloadCost(in.resident, next)
		c.m.observeReload(&rc)
		c.m.notePB(next.Weights() * int64(c.spec.Hardware.DataBytes))
		in.resident = next
		in.row = c.spec.Table.Row(next)
		if rc.LatencyNs > 0 {
			if c.blocking {
				in.reloading = true
				c.k.Schedule(now+rc.LatencyNs, c.reloadEnd, i)
				return
			}
			in.reloadUntil = max(in.reloadUntil, now) + rc.LatencyNs
		}
	}
	c.start(now, i)
}

func (c *cluster) onReloadEnd(now Time, i int32) { c.start(now, i) }

// ring is a growable FIFO of slot numbers that reuses its storage.
type ring struct {
	buf        []int32
	head, size int
}

func (r *ring) len() int { return r.size }

func (r *ring) push(v int32) {
	if r.size == len(r.buf) {
		nb := make([]int32, max(8, 2*len(r.buf)))
		for j := 0; j < r.size; j++ {
			nb[j] = r.buf[(r.head+j)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *ring) pop() int32 {
	v := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v
}
