package engine

import (
	"fmt"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Spec is one run: a catalog served by accelerator instances behind a
// router, under one selector and one cache policy per instance, fed by one
// query source.
type Spec struct {
	Catalog   *policies.Catalog
	Router    policies.Router
	Selector  policies.Selector
	Instances []InstanceSpec
	Source    workloads.Source
	// Kernel runs the events; nil means sushisim's own Kernel.
	Kernel Scheduler
	// Observer, if set, sees every arrival, drop, completion and reload.
	Observer Observer
	// WarmStart loads each instance's first resident SubGraph before
	// t = 0 at no cost, whatever the policy: a static cache's SubGraph, or
	// the first one an online policy adopts. Without it every byte brought
	// on chip is paid, the first fill included.
	WarmStart bool
	// Autoscale, if set, powers instances up and down with load
	// (autoscale.go); every InstanceSpec then needs Fresh.
	Autoscale *Autoscale
	// WindowNs > 0 cuts the run into windows this long (Metrics.Series).
	WindowNs int64
}

// InstanceSpec is one accelerator. Instances of one group share their
// Hardware and Table (read-only); each has its own Cache (and Service).
type InstanceSpec struct {
	Hardware *accel.Hardware
	Table    *accel.Table // SushiAbs for this hardware
	Cache    policies.Cache
	// Service, when set, replaces the cost model's service time: a query's
	// service is drawn from it when the query is routed here (so the
	// instance's backlog is exact), whatever SubNet the selector picks, and
	// the query moves no bytes and spends no energy; reloads cost nothing.
	// SyntheticService builds it for kind = "synthetic" hardware.
	Service ServiceSampler
	// Fresh, when set, builds the cache a powered-up instance starts with
	// (an empty PB); the autoscaler needs it.
	Fresh func() policies.Cache
}

// ServiceSampler draws an instance's service times (accel.Sampler).
type ServiceSampler interface {
	SampleNs() int64 // one service time, ns
	MeanNs() int64   // the mean, ns: what ClusterView.ServiceNs predicts
}

// SyntheticService is the Service of instance i for hardware hw in a run
// with this seed: a sampler on the stream "service/<i>" when hw is
// synthetic, nil (the cost model) otherwise.
func SyntheticService(hw *accel.Hardware, seed uint64, i int) ServiceSampler {
	if hw.Kind != accel.KindSynthetic {
		return nil
	}
	return hw.Service.NewSampler(Stream(seed, fmt.Sprintf("service/%d", i)))
}

// slot is a query in flight. Slots are pooled: a run allocates them only
// while the number of queries in flight grows.
type slot struct {
	q      workloads.Query
	subnet int32
	cost   accel.Cost
	est    int64 // service predicted when routed, for backlog accounting
}

// instance is one accelerator: a FIFO queue, what it is serving, and what
// its persistent buffer holds.
type instance struct {
	hw        *accel.Hardware
	rows      *accel.RowCache // SushiAbs rows of this instance's hardware, remembered per run
	svc       ServiceSampler  // nil: service times from the SushiAbs row
	queue     ring
	queuedNs  int64 // predicted service of the queries waiting
	busyUntil Time  // when the query in service (or a blocking reload) ends
	busy      bool
	batch     []int32 // slots in service: one query, or a batch sharing one weight fetch
	batchMax  int     // largest batch (accel batch; 1 = SUSHI's batch-1 serving)
	cache     policies.Cache
	resident  models.SubGraph
	row       accel.Row // SushiAbs row of resident: the cost of every SubNet now
	emptyRow  accel.Row // the row with nothing resident, for cache-blind selection
	fills     bool      // the cache fills from what queries stream (Needs.FillOnUse)
	reloading bool      // a blocking reload is under way
	// pending is an overlapped reload not yet charged: it streams from
	// pendingFrom and is charged when the next query starts (accel's
	// SplitReload and WithReload), or at the end of the run.
	pending     accel.Cost
	pendingFrom Time
	hasPending  bool
	freeFill    bool  // warm start: the next PB change is the free first load
	power       uint8 // powerOn, powerWaking or powerOff (power.go)
	since       Time  // start of the current idle, waking or off period
}

// qlen is what QueueLen reports: waiting plus in service.
func (in *instance) qlen() int {
	n := in.queue.len()
	if in.busy && !in.reloading {
		n += len(in.batch)
	}
	return n
}

// The cluster is the view routers read, with an O(1) shortest queue.
var _ policies.ClusterView = (*cluster)(nil)

// cluster is the state of one run.
type cluster struct {
	spec      Spec
	k         Scheduler
	inst      []instance
	slots     []slot
	free      []int32
	accuracy  []float64  // per catalog SubNet
	blind     bool       // the selector is cache-blind: it chooses from empty-PB rows
	backlog   bool       // the router reads BacklogNs: predict each query's service when routed
	share     accel.Cost // a completed query's share of its service, for the observer (a field: no allocation)
	reload    accel.Cost // the last PB change's cost, a field for the same reason
	ahead     lookahead
	shortest  shortestIndex
	last      Time // time of the previous event, for the monotone-clock check
	arrive    Kind
	finish    Kind
	reloadEnd Kind
	m         *Metrics
	// active is the number of routable instances, always the first ones
	// (all of them without autoscaling).
	active      int
	activeSince Time
	as          *autoscaler // nil without autoscaling
	series      *series     // nil without windows
}

// Run simulates spec until the source ends and every query has finished.
func Run(spec Spec) (*Metrics, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	c := &cluster{spec: spec, k: spec.Kernel}
	if c.k == nil {
		c.k = NewKernel()
	}
	c.m = newMetrics(len(spec.Catalog.SubNets))
	for _, s := range spec.Catalog.SubNets {
		c.accuracy = append(c.accuracy, s.Accuracy)
	}
	c.arrive = c.k.Register(c.onArrive)
	c.finish = c.k.Register(c.onFinish)
	c.reloadEnd = c.k.Register(c.onReloadEnd)
	c.inst = make([]instance, len(spec.Instances))
	caches := map[*accel.Table]*accel.RowCache{} // one per hardware kind
	for i, is := range spec.Instances {
		in := &c.inst[i]
		in.hw, in.cache, in.svc = is.Hardware, is.Cache, is.Service
		in.batchMax = max(1, in.hw.Batch)
		if is.Table.Batch() != 1 {
			return nil, fmt.Errorf("engine: instance %d: SushiAbs table built for batch %d; the engine forms batches itself and needs batch-1 rows", i, is.Table.Batch())
		}
		if caches[is.Table] == nil {
			caches[is.Table] = accel.NewRowCache(is.Table, rowCacheRows(len(spec.Catalog.SubNets)))
		}
		in.rows = caches[is.Table]
		in.emptyRow = in.rows.Row(models.SubGraph{})
		in.resident = models.NewSubGraph(spec.Catalog.Layers())
		in.row = in.emptyRow
		in.freeFill = spec.WarmStart
	}
	depth, err := c.readNeeds()
	if err != nil {
		return nil, err
	}
	for i := range c.inst {
		if first := c.inst[i].cache.Resident(); !first.Empty() {
			c.load(c.k.Now(), int32(i), first, -1) // before t = 0 (warm) or paid at t = 0
		}
	}
	c.last = c.k.Now()
	c.active, c.activeSince = len(c.inst), c.last
	c.ahead.init(spec.Source, depth)
	if q, ok := c.ahead.peek(0); ok {
		// before the periodic events: the kernel keeps the first event
		// scheduled into an empty slot out of its heap, and an arrival
		// there stays (each schedules its successor first), so a query
		// costs one heap sift; a periodic event there would keep it
		c.k.Schedule(q.Arrival, c.arrive, 0)
	}
	if err := c.startPeriodic(); err != nil {
		return nil, err
	}
	c.k.Run(-1)
	c.m.Events = c.k.Events()
	c.m.End = c.last // periodic events after the last query do not lengthen the run
	for i := range c.inst {
		in := &c.inst[i]
		if in.hasPending {
			// the last reload streams alone; the run lasts until it ends (INV-8)
			c.settleReload(in, in.pendingFrom+in.pending.LatencyNs, nil)
			c.m.End = max(c.m.End, in.pendingFrom+in.pending.LatencyNs)
		}
		c.m.InFlight += int64(in.qlen()) // INV-1
	}
	c.finishPeriodic()
	c.m.Instances = int64(len(c.inst))
	return c.m, nil
}

// readNeeds reads, once, what the run's policies declare they need
// (policies.Needs) and returns the lookahead the source must be read with.
func (c *cluster) readNeeds() (depth int, err error) {
	c.backlog = c.spec.Router.Needs().Backlog
	c.blind = c.spec.Selector.Needs().CacheBlind
	for i := range c.inst {
		in := &c.inst[i]
		nd := in.cache.Needs()
		in.fills = nd.FillOnUse
		if nd.Lookahead > 0 {
			if nd.SetFuture == nil {
				return 0, fmt.Errorf("engine: instance %d: the cache asks for a lookahead of %d queries but sets no SetFuture", i, nd.Lookahead)
			}
			depth = max(depth, nd.Lookahead)
			nd.SetFuture(&c.ahead)
		}
	}
	return depth, nil
}

// check rejects a Spec the run cannot start from (a programming error in
// the caller, reported as an error rather than a panic mid-run).
func (s *Spec) check() error {
	switch {
	case len(s.Instances) == 0:
		return fmt.Errorf("engine: a cluster needs at least one instance")
	case s.Catalog == nil || len(s.Catalog.SubNets) == 0:
		return fmt.Errorf("engine: the catalog is empty")
	case s.Router == nil || s.Selector == nil || s.Source == nil:
		return fmt.Errorf("engine: Spec needs a Router, a Selector and a Source")
	}
	for i, is := range s.Instances {
		if is.Hardware == nil || is.Table == nil || is.Cache == nil {
			return fmt.Errorf("engine: instance %d needs Hardware, Table and Cache", i)
		}
	}
	return nil
}

// tick runs at the start of every handler: the clock never goes back
// (INV-3), counted rather than trusted.
func (c *cluster) tick(now Time) {
	if now < c.last {
		c.m.ClockRegressions++
	}
	c.last = now
}

// BacklogNs implements policies.ClusterView: the predicted time until
// instance i could start one more query (the rest of what it is doing, plus
// the predicted service of everything waiting).
func (c *cluster) BacklogNs(i int) int64 {
	in := &c.inst[i]
	return max(0, in.busyUntil-c.k.Now()) + in.queuedNs
}

// ServiceNs implements policies.ClusterView: the service time instance i
// would give the need now, with its resident SubGraph (a synthetic
// instance's mean).
func (c *cluster) ServiceNs(i int, n policies.Need) int64 {
	in := &c.inst[i]
	if in.svc != nil {
		return in.svc.MeanNs()
	}
	s := c.spec.Selector.Select(n, c.selectRow(in))
	if s < 0 {
		return 0
	}
	return in.row[s].LatencyNs
}

// selectRow is the row the selector chooses from: what the instance's PB
// holds, or, for a cache-blind selector, an empty PB. The chosen SubNet is
// always costed with the real resident row.
func (c *cluster) selectRow(in *instance) accel.Row {
	if c.blind {
		return in.emptyRow
	}
	return in.row
}

// Instances implements policies.ClusterView.
// Only the routable instances count: an autoscaler keeps them first.
func (c *cluster) Instances() int { return c.active }

// QueueLen implements policies.ClusterView: waiting plus in service.
func (c *cluster) QueueLen(i int) int { return c.inst[i].qlen() }

// ShortestQueue is the instance with the fewest queries (waiting plus in
// service), the lowest index among ties: what a join-shortest-queue router
// computes by scanning QueueLen, in O(1) here. The engine keeps instances
// bucketed by queue length from the first call on (shortest.go), at O(1)
// per queue change, so runs whose router never asks pay nothing.
func (c *cluster) ShortestQueue() int {
	if !c.shortest.on {
		c.shortest.build(c.inst)
		for i := c.active; i < len(c.inst); i++ {
			c.touch(int32(i)) // not routable: never the shortest
		}
	}
	return c.shortest.min()
}

// touch re-keys instance i in the shortest-queue index after its queue
// length may have changed.
func (c *cluster) touch(i int32) {
	if c.shortest.on {
		c.shortest.update(i, c.queueKey(i))
	}
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
	c.tick(now)
	s := c.alloc()
	sl := &c.slots[s]
	c.ahead.pop(&sl.q)
	c.m.observeArrival(&sl.q) // INV-1: every arrival counted once
	if q, ok := c.ahead.peek(0); ok {
		if q.Arrival < now {
			panic(fmt.Sprintf("engine: source went back in time (%d < %d)", q.Arrival, now))
		}
		c.k.Schedule(q.Arrival, c.arrive, 0)
	}
	n := policies.Need{MinAccuracy: sl.q.MinAccuracy, SLO: sl.q.SLO}
	i := c.spec.Router.Route(n, c)
	if i < 0 || i >= c.active {
		panic(fmt.Sprintf("engine: router chose instance %d of %d", i, c.active))
	}
	in := &c.inst[i]
	switch {
	case in.svc != nil:
		sl.est = in.svc.SampleNs() // the actual service: the backlog is exact
	case c.backlog:
		sl.est = c.ServiceNs(i, n)
	default:
		sl.est = 0 // no router reads backlogs: skip the prediction
	}
	in.queuedNs += sl.est
	in.queue.push(s)
	if c.spec.Observer != nil {
		c.spec.Observer.Arrived(now, &sl.q, i)
	}
	if !in.busy {
		c.settle(in, now) // its idle time ends
		c.start(now, int32(i))
	}
	c.touch(int32(i))
}

// start serves the head of instance i's queue, choosing its SubNet now, when
// the wait is known and the resident SubGraph is the one it will run with.
func (c *cluster) start(now Time, i int32) {
	in := &c.inst[i]
	for {
		if in.queue.len() == 0 {
			in.busy = false
			in.reloading = false
			c.idleFrom(now, i)
			return
		}
		s := in.queue.pop()
		sl := &c.slots[s]
		in.queuedNs -= sl.est
		waited := now - sl.q.Arrival
		sel := c.spec.Selector.Select(policies.Need{MinAccuracy: sl.q.MinAccuracy, SLO: sl.q.SLO, Waited: waited}, c.selectRow(in))
		if sel == policies.Drop {
			// admission control turned it away: counted, never served (INV-1)
			c.m.observeDrop(&sl.q)
			c.free = append(c.free, s)
			if c.spec.Observer != nil {
				c.spec.Observer.Dropped(now, &sl.q, int(i))
			}
			continue
		}
		sl.subnet = sel
		in.batch = append(in.batch[:0], s)
		if in.svc != nil {
			sl.cost = accel.Cost{LatencyNs: sl.est}
		} else {
			c.fillBatch(in, sel)
			if k := len(in.batch); k == 1 {
				sl.cost = in.row[sel]
			} else {
				// weights fetched once for the whole batch (SuperServe
				// serves batches; SUSHI is batch-1, the default)
				sl.cost = in.hw.BatchCost(c.spec.Catalog.SubNets[sel], in.resident, k)
			}
			if in.hasPending {
				c.settleReload(in, now, &sl.cost)
			}
		}
		in.busy = true
		in.reloading = false
		in.busyUntil = now + sl.cost.LatencyNs
		c.k.Schedule(in.busyUntil, c.finish, i)
		return
	}
}

// fillBatch adds to the batch headed by a query served with SubNet sel the
// queries waiting behind it, in FIFO order, while the batch has room and
// the next one's accuracy need is met by sel (it stops at the first that
// is not, so no query is overtaken).
func (c *cluster) fillBatch(in *instance, sel int32) {
	acc := c.accuracy[sel]
	for len(in.batch) < in.batchMax && in.queue.len() > 0 {
		next := in.queue.peek()
		if c.slots[next].q.MinAccuracy > acc {
			return
		}
		in.queue.pop()
		in.queuedNs -= c.slots[next].est
		c.slots[next].subnet = sel
		in.batch = append(in.batch, next)
	}
}

func (c *cluster) onFinish(now Time, i int32) {
	c.tick(now)
	in := &c.inst[i]
	head := &c.slots[in.batch[0]]
	sel := head.subnet
	c.m.observeService(&head.cost)
	if c.spec.Observer != nil {
		c.share = head.cost.PerQuery(len(in.batch))
	}
	changed := false
	for _, s := range in.batch {
		c.m.observeQuery(now, &c.slots[s].q, sel, c.accuracy[sel])
		if c.spec.Observer != nil {
			c.spec.Observer.Completed(now, &c.slots[s].q, int(i), sel, &c.share)
		}
		c.free = append(c.free, s)
		// every query of a batch is a served SubNet the cache policy sees
		changed = in.cache.Served(sel) || changed
	}
	in.batch = in.batch[:0]
	if changed && c.load(now, i, in.cache.Resident(), sel) {
		return // a blocking reload: the queue restarts at its end
	}
	c.start(now, i)
	c.touch(i)
}

func (c *cluster) onReloadEnd(now Time, i int32) {
	c.tick(now)
	c.start(now, i)
	c.touch(i)
}
