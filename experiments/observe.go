package experiments

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/DataDog/sketches-go/ddsketch"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Window is one row of timeseries.csv: what completed in one window of
// simulated time [t_s, t_s + window_s).
type Window struct {
	TS            float64 `json:"t_s"`
	Arrived       int64   `json:"arrived"`
	Completed     int64   `json:"completed"`
	LatencyMsMean float64 `json:"latency_ms_mean"`
	LatencyMsP99  float64 `json:"latency_ms_p99"`
	SLOAttainment float64 `json:"slo_attainment"`
	AccuracyMean  float64 `json:"accuracy_mean"`
	PBHitFraction float64 `json:"pb_hit_fraction"`
	ResidentBytes float64 `json:"resident_bytes"` // mean over instances at the window's end
	Reloads       int64   `json:"reloads"`
	ReloadBytes   int64   `json:"reload_bytes"`
}

// observer records a run query by query, for a trace file and time series.
//
// The engine has no observer hook, so it listens at the interfaces a run is
// built from, whose contracts fix the order of events: the source (every
// query, in arrival order), the router (called once per arrival, in that
// order: it says which instance the query joins), and each instance's cache
// (Served is called when that instance finishes a query; instances serve
// their queue in FIFO order). So the k-th Served call of instance i
// completes the k-th query routed to i. A selector that drops queries
// (admission control) breaks that pairing: finish checks the recorded
// totals against the engine's own metrics and refuses a trace that
// disagrees, rather than write a wrong one.
type observer struct {
	k       engine.Scheduler
	cat     *policies.Catalog
	classes []workloads.NeedClass
	pending ring[workloads.Query] // read from the source, not yet routed
	queues  []ring[workloads.Query]
	insts   []*observedCache

	windowNs int64
	windows  []Window
	cur      windowAcc

	trace     *bufio.Writer
	traceGz   *gzip.Writer
	traceFile *os.File
	tracePath string
	line      []byte

	// totals checked against engine.Metrics
	broken    bool // a completion or an arrival found nothing to pair with
	completed int64
	latSum    float64
	sloMet    int64
}

type windowAcc struct {
	index                int64
	arrived, completed   int64
	latSum, accSum       float64
	sloMet               int64
	hitBytes, weightByte int64
	reloads, reloadBytes int64
	sketch               *ddsketch.DDSketch
}

// newObserver wraps spec's source, router and caches.
func newObserver(spec *engine.Spec, o *observe, classes []workloads.NeedClass) (*observer, error) {
	if spec.Kernel == nil {
		spec.Kernel = engine.NewKernel()
	}
	k := spec.Kernel // its Now is the time of the event being handled
	ob := &observer{k: k, cat: spec.Catalog, classes: classes, windowNs: o.windowNs,
		queues: make([]ring[workloads.Query], len(spec.Instances))}
	spec.Source = &observedSource{Source: spec.Source, ob: ob}
	spec.Router = &observedRouter{Router: spec.Router, ob: ob}
	for i := range spec.Instances {
		is := &spec.Instances[i]
		c := &observedCache{Cache: is.Cache, ob: ob, i: i, hw: is.Hardware, table: is.Table, synthetic: is.Service != nil}
		c.resident = is.Cache.Resident()
		c.row = is.Table.Row(c.resident)
		ob.insts = append(ob.insts, c)
		if cv, ok := is.Cache.(policies.Clairvoyant); ok {
			is.Cache = &observedClairvoyant{observedCache: c, cv: cv}
		} else {
			is.Cache = c
		}
	}
	if o.windowNs > 0 {
		ob.cur.sketch = newSketch()
	}
	if o.tracePath != "" {
		if err := ob.openTrace(o.tracePath); err != nil {
			return nil, err
		}
	}
	return ob, nil
}

func newSketch() *ddsketch.DDSketch {
	s, err := ddsketch.NewDefaultDDSketch(0.01)
	if err != nil {
		panic(err) // a constant, valid accuracy
	}
	return s
}

// TraceColumns are the columns of a per-query trace file.
var TraceColumns = []string{"query", "arrival_s", "finish_s", "latency_ms", "class", "tenant", "min_accuracy",
	"slo_ms", "slo_met", "instance", "subnet", "accuracy", "pb_hit_bytes", "weight_bytes"}

func (ob *observer) openTrace(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	ob.traceFile, ob.tracePath = f, path
	ob.traceGz = gzip.NewWriter(f) // no name or time in the header: same run, same bytes
	ob.trace = bufio.NewWriterSize(ob.traceGz, 1<<16)
	for i, c := range TraceColumns {
		if i > 0 {
			ob.trace.WriteByte(',')
		}
		ob.trace.WriteString(c)
	}
	ob.trace.WriteByte('\n')
	return nil
}

// close drops an unfinished trace file (finish renames a complete one).
func (ob *observer) close() {
	if ob.traceFile != nil {
		ob.traceFile.Close()
		os.Remove(ob.traceFile.Name())
		ob.traceFile = nil
	}
}

func (ob *observer) routed(i int) {
	if ob.pending.size == 0 {
		ob.broken = true
		return
	}
	q := ob.pending.pop()
	ob.queues[i].push(q)
	if ob.windowNs > 0 {
		ob.advance(ob.k.Now())
		ob.cur.arrived++
	}
}

// completed records the query instance i just finished with subnet s,
// served with cost c.
func (ob *observer) served(i int, s int32, c *accel.Cost) {
	now := ob.k.Now()
	if ob.queues[i].size == 0 {
		ob.broken = true
		return
	}
	q := ob.queues[i].pop()
	lat := now - q.Arrival
	met := lat <= q.SLO
	acc := ob.cat.SubNets[s].Accuracy
	ob.completed++
	ob.latSum += float64(lat)
	if met {
		ob.sloMet++
	}
	if ob.windowNs > 0 {
		ob.advance(now)
		w := &ob.cur
		w.completed++
		w.latSum += float64(lat)
		w.accSum += acc
		if met {
			w.sloMet++
		}
		w.hitBytes += c.PBHitBytes
		w.weightByte += c.WeightBytes
		_ = w.sketch.Add(float64(lat) / 1e6)
	}
	if ob.trace != nil {
		b := ob.line[:0]
		b = strconv.AppendInt(b, q.ID, 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(q.Arrival)/1e9, 'f', 9, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(now)/1e9, 'f', 9, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(lat)/1e6, 'f', 6, 64)
		b = append(b, ',')
		if q.Class >= 0 && int(q.Class) < len(ob.classes) && ob.classes[q.Class].Name != "" {
			b = append(b, ob.classes[q.Class].Name...)
		} else {
			b = strconv.AppendInt(b, int64(q.Class), 10)
		}
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(q.Tenant), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, q.MinAccuracy, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(q.SLO)/1e6, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendBool(b, met)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = append(b, ob.cat.SubNets[s].Name...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, acc, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.PBHitBytes, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.WeightBytes, 10)
		b = append(b, '\n')
		ob.trace.Write(b)
		ob.line = b
	}
}

func (ob *observer) reloaded(bytes int64) {
	if ob.windowNs > 0 {
		ob.advance(ob.k.Now())
		ob.cur.reloads++
		ob.cur.reloadBytes += bytes
	}
}

// advance closes every window that ended before now.
func (ob *observer) advance(now int64) {
	for now >= (ob.cur.index+1)*ob.windowNs {
		ob.closeWindow()
	}
}

func (ob *observer) closeWindow() {
	w := &ob.cur
	row := Window{TS: float64(w.index*ob.windowNs) / 1e9, Arrived: w.arrived, Completed: w.completed,
		Reloads: w.reloads, ReloadBytes: w.reloadBytes}
	if w.completed > 0 {
		n := float64(w.completed)
		row.LatencyMsMean = w.latSum / n / 1e6
		if v, err := w.sketch.GetValueAtQuantile(0.99); err == nil {
			row.LatencyMsP99 = v
		}
		row.SLOAttainment = float64(w.sloMet) / n
		row.AccuracyMean = w.accSum / n
	}
	if w.weightByte > 0 {
		row.PBHitFraction = float64(w.hitBytes) / float64(w.weightByte)
	}
	var res int64
	for _, c := range ob.insts {
		res += c.residentBytes()
	}
	row.ResidentBytes = float64(res) / float64(len(ob.insts))
	ob.windows = append(ob.windows, row)
	*w = windowAcc{index: w.index + 1, sketch: w.sketch}
	w.sketch.Clear()
}

// finish checks the observed run against the engine's metrics, closes the
// last window and renames the trace into place.
func (ob *observer) finish(m *engine.Metrics) error {
	if ob.broken || m.Dropped > 0 || ob.completed != m.Completed || ob.latSum != m.LatencyNsSum || ob.sloMet != m.SLOMet {
		return fmt.Errorf("per-query trace and time series: %d queries dropped by the selector; "+
			"without an engine observer hook the trace cannot pair completions with queries "+
			"(observed %d completions, engine %d): turn off output.trace and output.window_s for this policy",
			m.Dropped, ob.completed, m.Completed)
	}
	if ob.windowNs > 0 {
		ob.advance(m.End)
		ob.closeWindow()
	}
	if ob.trace == nil {
		return nil
	}
	if err := ob.trace.Flush(); err != nil {
		return err
	}
	if err := ob.traceGz.Close(); err != nil {
		return err
	}
	f := ob.traceFile
	ob.traceFile = nil
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return publish(f.Name(), ob.tracePath)
}

type observedSource struct {
	workloads.Source
	ob *observer
}

func (s *observedSource) Next(q *workloads.Query) bool {
	if !s.Source.Next(q) {
		return false
	}
	s.ob.pending.push(*q)
	return true
}

type observedRouter struct {
	policies.Router
	ob *observer
}

func (r *observedRouter) Route(n policies.Need, c policies.ClusterView) int {
	i := r.Router.Route(n, c)
	r.ob.routed(i)
	return i
}

type observedCache struct {
	policies.Cache
	ob       *observer
	i        int
	hw       *accel.Hardware
	table    *accel.Table
	resident models.SubGraph
	row      accel.Row
	// synthetic: service times come from a distribution, and queries move
	// no bytes (engine.InstanceSpec.Service)
	synthetic bool
}

func (c *observedCache) residentBytes() int64 {
	return c.resident.Weights() * int64(c.hw.DataBytes)
}

var noCost accel.Cost

func (c *observedCache) Served(s int32) bool {
	cost := &c.row[s]
	if c.synthetic {
		cost = &noCost
	}
	c.ob.served(c.i, s, cost)
	changed := c.Cache.Served(s)
	if changed {
		next := c.Cache.Resident()
		var bytes int64
		if !c.synthetic {
			bytes = c.hw.ReloadCost(c.resident, next).OffchipBytes
			c.ob.reloaded(bytes)
		}
		c.resident, c.row = next, c.table.Row(next)
	}
	return changed
}

// observedClairvoyant keeps a clairvoyant cache clairvoyant when observed.
type observedClairvoyant struct {
	*observedCache
	cv policies.Clairvoyant
}

func (c *observedClairvoyant) Lookahead() int              { return c.cv.Lookahead() }
func (c *observedClairvoyant) SetFuture(f policies.Future) { c.cv.SetFuture(f) }

// ring is a growable FIFO that reuses its storage.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) push(v T) {
	if r.size == len(r.buf) {
		nb := make([]T, max(16, 2*len(r.buf)))
		for j := 0; j < r.size; j++ {
			nb[j] = r.buf[(r.head+j)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *ring[T]) pop() T {
	v := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v
}
