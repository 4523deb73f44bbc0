package execute

import (
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Cost is what a plan will take, known before any of it runs: what
// 'sushisim validate' prints and what 'sushisim run' holds against its
// memory budget. The sizes are upper-bound estimates from the plan alone
// (the per-item sizes below); docs/robustness.md compares them with
// measured runs.
type Cost struct {
	Runs         int     // policy runs, warm-up runs included
	Queries      float64 // queries over every run (+Inf: a trace without limits whose length is unknown)
	Events       float64 // simulated events: an arrival and a completion per query
	MemoryBytes  float64 // peak memory with every worker busy on the most expensive point
	ResultsBytes float64 // files written into the results directory
}

// Per-item sizes of the estimate. A query waiting in a queue holds a slot
// (the query, its cost and bookkeeping, as engine's slot), counted six
// times: the slots grow by append (old and new arrays live together while
// copying) and Go's collector lets the heap reach twice its live data
// before it runs. Measured: 707 bytes of peak RSS per waiting query (1.5 M
// waiting, docs/robustness.md), 4.0 slots; six leave room for the
// collector's timing. An instance holds its cache state, queue and row
// cache (bench/bigrun: about 10 KiB per SGS instance, docs/performance.md,
// doubled); a time-series window one row in memory and about 200 bytes of
// CSV and JSON; a per-query trace row about 40 bytes gzipped; a policy
// run's summary, quantiles and catalog about 4 KiB of files; a figure at
// most 200 KiB per format.
const (
	baseBytes        = 32 << 20 // the process: runtime, binary, catalogs
	instanceBytes    = 20 << 10
	windowFileBytes  = 200
	traceRowBytes    = 40
	runFileBytes     = 4 << 10
	figureFileBytes  = 200 << 10
	slotBytes        = 6 * (int(unsafe.Sizeof(workloads.Query{})+unsafe.Sizeof(accel.Cost{})) + 24)
	windowBytes      = int(unsafe.Sizeof(results.Window{}))
	tableCostBytes   = int(unsafe.Sizeof(accel.Cost{}))
	defaultQueriesPS = 1e6 // queries a second one core simulates (docs/performance.md: 1.0-1.1 M on 1,000 instances)
)

// CPUSeconds is the estimated simulation time on one core.
func (c Cost) CPUSeconds() float64 { return c.Queries / defaultQueriesPS }

// String is the one-line summary validate and run print.
func (c Cost) String() string {
	return fmt.Sprintf("%d runs, %s queries, %s events, ~%s CPU, peak memory ~%s, results ~%s",
		c.Runs, count(c.Queries), count(c.Events), duration(c.CPUSeconds()), Bytes(c.MemoryBytes), Bytes(c.ResultsBytes))
}

// Estimate is the cost of running x on workers cores.
func Estimate(x *config.Experiment, workers int) (Cost, error) {
	return estimate(x, workers, true)
}

// estimate is Estimate; without count it leaves the length of a stream
// that ends by itself unknown (its cost +Inf) instead of running it
// through: what Execute's check of the cost model needs, after the
// caller's Estimate has counted (a 10^8-row trace takes tens of seconds).
func estimate(x *config.Experiment, workers int, count bool) (Cost, error) {
	var c Cost
	runs := 0
	for _, p := range x.Points {
		runs += len(p.Policies) * x.Sweep.Replications * max(1, p.Datacenter.Cells)
	}
	busy := float64(min(max(workers, 1), runs)) // each policy of a task is a job of its own
	peak := 0.0
	e := newEstimator(count)
	for _, p := range x.Points {
		pc, err := e.pointCost(x, &p.Settings)
		if err != nil {
			if len(x.Sweep.Keys) > 0 {
				err = fmt.Errorf("%w [sweep point %d: %s]", err, p.Index, p.Label(x.Sweep.Keys))
			}
			return c, err
		}
		reps := float64(x.Sweep.Replications)
		cells := max(1, p.Datacenter.Cells) // a task per cell: pc is the largest cell's
		c.Runs += pc.runs * x.Sweep.Replications * cells
		c.Queries += pc.queries * float64(pc.runs) * reps * float64(cells)
		c.ResultsBytes += pc.files * reps * float64(cells)
		peak = max(peak, pc.memory)
	}
	c.Events = 2 * c.Queries
	c.MemoryBytes = baseBytes + busy*peak
	c.ResultsBytes += float64(len(x.FiguresToDraw())*len(x.Output.Formats)) * figureFileBytes
	return c, nil
}

// pointRuns is the cost of one task (every policy once) of a point.
type pointRuns struct {
	runs    int     // policy runs, warm-ups included
	queries float64 // queries a run
	memory  float64 // peak bytes of one run
	files   float64 // bytes of files a task writes
}

// estimator remembers what points share: SubNets, their fastest costs and
// the length of each workload that ends by itself.
type estimator struct {
	subnets map[modelKey][]*models.SubNet
	fastest map[tableKey]float64 // the fastest empty-PB latency, ns, of checked costs
	count   bool                 // run streams that end by themselves through to count them
	counts  map[string]arrivals  // by workloadKey
}

func newEstimator(count bool) *estimator {
	return &estimator{subnets: map[modelKey][]*models.SubNet{}, fastest: map[tableKey]float64{}, count: count, counts: map[string]arrivals{}}
}

// arrivals is what workloads.CountArrivals found.
type arrivals struct{ n, lastNs int64 }

// countArrivals counts s's workload once for every point that shares it
// (a sweep of policies or hardware over one trace reads the trace once).
func (e *estimator) countArrivals(s *config.Settings) (arrivals, error) {
	k := workloadKey(s.Dir, s.Workload)
	if a, ok := e.counts[k]; ok {
		return a, nil
	}
	n, last, err := workloads.CountArrivals(s.Workload, s.Dir, config.MaxQueries)
	if err != nil {
		return arrivals{}, err
	}
	e.counts[k] = arrivals{n, last}
	return e.counts[k], nil
}

func (e *estimator) pointCost(x *config.Experiment, s *config.Settings) (pointRuns, error) {
	var pc pointRuns
	for _, pol := range s.Policies {
		pc.runs += 1 + policies.WarmupRuns(pol.CacheSpec)
	}
	q := config.ExpectedQueries(&s.Workload)
	durS := config.ExpectedDurationS(&s.Workload)
	if math.IsInf(q, 1) && e.count && s.Workload.EndsByItself() {
		a, err := e.countArrivals(s)
		if err != nil {
			return pc, fmt.Errorf("%s: workload: %w", s.Path, err) // CheckFiles names the line
		}
		q, durS = float64(a.n), min(durS, float64(a.lastNs)/1e9)
	}
	instances := s.Cluster.Instances
	if d := &s.Datacenter; d.Cells > 1 { // one task runs one cell: the largest
		q, instances = q*d.Weight(0), d.Sizes[0]
	}
	pc.queries = q
	key := modelKey{model: s.Model, dir: s.Dir}
	subnets, ok := e.subnets[key]
	if !ok {
		var err error
		if subnets, err = SubNets(s.Model, s.Dir); err != nil {
			return pc, fmt.Errorf("%s: model: %w", s.Path, err)
		}
		e.subnets[key] = subnets
	}
	n := float64(len(subnets))
	tables := 0.0
	for range s.Groups {
		tables += n * n * float64(tableCostBytes) // a SushiAbs row per SubNet, a Cost per SubNet in each
	}
	share, err := e.overload(s, key, subnets)
	if err != nil {
		return pc, err
	}
	backlog := q * share
	windows := 0.0
	if x.Output.WindowS > 0 {
		windows = min(durS/x.Output.WindowS, config.MaxWindows)
	}
	pc.memory = tables + float64(instances)*instanceBytes + backlog*float64(slotBytes) + windows*float64(windowBytes)
	pc.files = float64(len(s.Policies)) * (runFileBytes + windows*windowFileBytes)
	if x.Output.Trace {
		pc.files += float64(len(s.Policies)) * q * traceRowBytes
	}
	return pc, nil
}

// overload is the share of a run's queries that can pile up in queues: 0
// when the cluster can serve the mean arrival rate with its fastest SubNet
// and nothing resident, else 1 - capacity/rate (the excess arrives faster
// than anything leaves). Traces, whose rate is the file's, count as
// overloaded: an upper bound. On the way it checks every SubNet's cost on
// every group's hardware (checkCosts).
func (e *estimator) overload(s *config.Settings, mk modelKey, subnets []*models.SubNet) (float64, error) {
	capacity := 0.0
	for gi := range s.Groups {
		g := &s.Groups[gi]
		hw := &g.Hardware
		fastest := math.Inf(1)
		if hw.Kind == accel.KindSynthetic {
			fastest = hw.Service.MeanMs * 1e6
		} else {
			tk := tableKey{model: mk, hw: *hw}
			f, ok := e.fastest[tk]
			if !ok {
				var err error
				if f, err = checkCosts(hw, subnets); err != nil {
					key := "accel"
					if len(s.Cluster.Group) > 0 {
						key = fmt.Sprintf("cluster.group[%d].accel", gi)
					}
					return 0, fmt.Errorf("%s: %s: %w", s.Path, key, err)
				}
				e.fastest[tk] = f
			}
			fastest = f
		}
		if fastest > 0 {
			capacity += float64(g.Count*max(hw.Batch, 1)) * 1e9 / fastest
		}
	}
	rate, ok := s.Workload.Arrival.MeanRate()
	if !ok {
		return 1, nil
	}
	if rate <= capacity {
		return 0, nil
	}
	return 1 - capacity/rate, nil
}

// maxLatencyNs bounds one query's modelled service: a day.
const maxLatencyNs = 86400e9

// checkCosts refuses hardware on which the cost model gives a SubNet a
// cost outside physics (a zero or day-long latency, a negative or infinite
// energy), with nothing resident, with itself resident, and for loading it:
// every input is finite and in range on its own, but extreme ones (a clock
// of 1e300 MHz) overflow the arithmetic, which the run would otherwise
// report as a broken invariant. It returns the fastest latency, ns.
func checkCosts(hw *accel.Hardware, subnets []*models.SubNet) (float64, error) {
	fastest := math.Inf(1)
	for _, sn := range subnets {
		own := sn.SubGraph()
		for _, c := range []struct {
			what string
			cost accel.Cost
		}{{"with nothing resident", hw.Cost(sn, models.SubGraph{})}, {"with itself resident", hw.Cost(sn, own)},
			{"to load into the PB", hw.ReloadCost(models.SubGraph{}, own)}} {
			en := c.cost.Energy
			for _, v := range []float64{en.MAC, en.SRAM, en.DRAM, en.Static} {
				if !(v >= 0) || math.IsInf(v, 0) {
					return 0, fmt.Errorf("the cost model gives SubNet %s %s an energy of %g pJ: an input of this hardware is out of physical range (clock_mhz %g)",
						sn.Name, c.what, v, hw.ClockMHz)
				}
			}
			if l := c.cost.LatencyNs; c.what != "to load into the PB" && (l < 1 || float64(l) > maxLatencyNs) {
				return 0, fmt.Errorf("the cost model gives SubNet %s %s a latency of %d ns (allowed: 1 ns to a day): an input of this hardware is out of physical range (clock_mhz %g)",
					sn.Name, c.what, l, hw.ClockMHz)
			}
		}
		fastest = min(fastest, float64(hw.Cost(sn, models.SubGraph{}).LatencyNs))
	}
	return fastest, nil
}

// Bytes formats a size with a binary unit.
func Bytes(b float64) string {
	if math.IsInf(b, 0) || math.IsNaN(b) {
		return "unbounded"
	}
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

func count(n float64) string {
	switch {
	case math.IsInf(n, 0):
		return "unbounded"
	case n >= 1e9:
		return fmt.Sprintf("%.3g", n)
	}
	// thousands separated: 1,500,000
	s := strconv.FormatFloat(math.Round(n), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func duration(s float64) string {
	switch {
	case math.IsInf(s, 0):
		return "unbounded"
	case s < 0.1:
		return "<0.1 s"
	case s < 60:
		return fmt.Sprintf("%.1f s", s)
	case s < 3600:
		return fmt.Sprintf("%.1f min", s/60)
	case s < 86400:
		return fmt.Sprintf("%.1f h", s/3600)
	}
	return fmt.Sprintf("%.1f days", s/86400)
}
