package experiments

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Result is one run's summary row plus what is not a result (wall time),
// kept apart so result files stay byte-identical across machines.
type Result struct {
	Summary Summary
	WallS   float64
	Metrics *engine.Metrics
}

// Run runs every [[policy]] of the experiment's first point (the file
// itself when it has no [sweep]) on the same query stream, one after the
// other, and returns their results in file order. It writes no files;
// Execute runs whole sweeps into a results directory.
func Run(x *Experiment) ([]Result, error) {
	px := x
	if len(x.Points) > 0 && x.Points[0].X != nil {
		px = x.Points[0].X
	}
	r := newRunner(1)
	m, err := r.model(px)
	if err != nil {
		return nil, err
	}
	var out []Result
	for i := range px.Policies {
		o, err := r.runPolicy(px, &px.Policies[i], px.Seed, m, nil)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", px.Policies[i].Name, err)
		}
		out = append(out, Result{Summary: o.Summary, WallS: o.WallS, Metrics: o.metrics})
	}
	return out, nil
}

// runner builds what runs share (SubNet catalogs, SushiAbs tables) once
// and hands it to every run that needs it, from any goroutine.
type runner struct {
	models *memo[*builtModel]
	tables *memo[*accel.Table]
}

func newRunner(workers int) *runner {
	// A sweep over hardware makes a table per point: keep only the ones
	// the running workers may still use.
	return &runner{models: newMemo[*builtModel](workers + 2), tables: newMemo[*accel.Table](2*workers + 2)}
}

// builtModel is a point's SubNets, as policies see them.
type builtModel struct {
	key     string
	subnets []*models.SubNet
	cat     *policies.Catalog
	entries []CatalogEntry // for catalog.csv
}

// model builds (or finds) the SubNets of a point's [model].
func (r *runner) model(x *Experiment) (*builtModel, error) {
	m := x.Model
	key := fmt.Sprintf("%#v|%s", m, x.Dir)
	hw := &x.Groups[0].Hardware
	if m.Pareto {
		key += fmt.Sprintf("|%#v", *hw) // the frontier depends on the hardware
	}
	return r.models.get(key, func() (*builtModel, error) {
		subnets, err := SubNets(m, x.Dir)
		if err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		costs, onFront := EmptyPBCosts(subnets, hw)
		if m.Pareto {
			kept := subnets[:0:0]
			for _, s := range subnets { // keep the catalog's order
				if onFront[s] {
					kept = append(kept, s)
				}
			}
			subnets = kept
		}
		b := &builtModel{key: key, subnets: subnets, cat: policies.NewCatalog(subnets)}
		for _, s := range subnets {
			c := costs[s]
			b.entries = append(b.entries, CatalogEntry{
				Name: s.Name, Config: s.Config, MACs: s.MACs(), WeightBytes: s.Weights() * int64(hw.DataBytes),
				Accuracy: s.Accuracy, AccuracySource: s.AccuracySource,
				LatencyMs: float64(c.LatencyNs) / 1e6, EnergyMJ: c.Energy.Total() / pjPerMJ, Pareto: onFront[s],
			})
		}
		return b, nil
	})
}

// EmptyPBCosts is every SubNet's cost with nothing resident on hw (the
// catalog's latency column) and whether it lies on the accuracy-latency
// Pareto frontier.
func EmptyPBCosts(subnets []*models.SubNet, hw *accel.Hardware) (map[*models.SubNet]accel.Cost, map[*models.SubNet]bool) {
	costs := make(map[*models.SubNet]accel.Cost, len(subnets))
	for _, s := range subnets {
		costs[s] = hw.Cost(s, models.SubGraph{})
	}
	lat := func(s *models.SubNet) float64 { return float64(costs[s].LatencyNs) }
	onFront := map[*models.SubNet]bool{}
	for _, s := range (&models.Catalog{SubNets: subnets}).Pareto(lat) {
		onFront[s] = true
	}
	return costs, onFront
}

// SubNets makes the SubNets a [model] table asks for (before any Pareto
// filter); dir resolves a relative catalog file.
func SubNets(m ModelConfig, dir string) ([]*models.SubNet, error) {
	net, err := models.Lookup(m.SuperNet)
	if err != nil {
		return nil, err
	}
	switch {
	case m.Sample > 0:
		c, err := models.SampleCatalog(net, m.Sample, engine.Stream(m.SampleSeed, "model.sample"))
		if err != nil {
			return nil, err
		}
		return c.SubNets, nil
	case m.Sweep > 0:
		c, err := models.SweepCatalog(net, m.Sweep)
		if err != nil {
			return nil, err
		}
		return c.SubNets, nil
	case isCatalogFile(m.Catalog):
		c, err := models.LoadCatalogCSV(resolve(dir, m.Catalog))
		if err != nil {
			return nil, err
		}
		if c.Net != net {
			return nil, fmt.Errorf("catalog %s holds %s SubNets, not %s", m.Catalog, c.Net.Name, net.Name)
		}
		return c.SubNets, nil
	default:
		return models.BuiltinCatalog(net, m.Catalog)
	}
}

// table is the SushiAbs table of one accelerator kind for a model. Rows
// are precomputed for the SubGraphs policies most often make resident:
// each SubNet itself. Others are computed on change.
func (r *runner) table(hw *accel.Hardware, m *builtModel) *accel.Table {
	t, _ := r.tables.get(fmt.Sprintf("%s|%#v", m.key, *hw), func() (*accel.Table, error) {
		// batch-1 rows: the engine forms batches itself (up to hw.Batch
		// queries on one SubNet) and costs them with BatchCost
		one := *hw
		one.Batch = 1
		return accel.NewTable(&one, m.subnets, m.cat.Graphs), nil
	})
	return t
}

// runOutput is what one policy's run leaves.
type runOutput struct {
	Summary   Summary
	Quantiles []float64 // latency ms at LatencyQuantiles
	Windows   []Window  // time series, when asked for
	Served    []int64   // completions per catalog SubNet
	WallS     float64
	metrics   *engine.Metrics
	catalog   []CatalogEntry
}

// observe asks a run for a per-query trace and/or time series.
type observe struct {
	windowNs  int64
	tracePath string // "" for none
}

// runPolicy runs one policy on a point with one seed.
func (r *runner) runPolicy(x *Experiment, pol *Policy, seed uint64, m *builtModel, obs *observe) (runOutput, error) {
	var mix []float64
	if w, ok := pol.CacheSpec.(policies.WarmupUser); ok && w.NeedsWarmup() {
		var err error
		if mix, err = r.warmup(x, pol, seed, m); err != nil {
			return runOutput{}, fmt.Errorf("warm-up: %w", err)
		}
	}
	start := time.Now()
	met, ob, err := r.simulate(x, pol, pol.CacheSpec, seed, m, mix, obs)
	if err != nil {
		return runOutput{}, err
	}
	out := runOutput{Summary: summarize(x, pol, seed, met), WallS: time.Since(start).Seconds(), metrics: met,
		Served: met.ServedBySubNet, Quantiles: latencyQuantiles(met)}
	if ob != nil {
		out.Windows = ob.windows
	}
	return out, nil
}

// warmup runs the policy's workload once without caching (same selector,
// router and seed) and returns the share of each SubNet served: what a
// policy chosen offline (static "auto") is built from.
func (r *runner) warmup(x *Experiment, pol *Policy, seed uint64, m *builtModel) ([]float64, error) {
	met, _, err := r.simulate(x, pol, &policies.NoneSpec{}, seed, m, nil, nil)
	if err != nil {
		return nil, err
	}
	mix := make([]float64, len(met.ServedBySubNet))
	if met.Completed == 0 {
		return mix, nil
	}
	for i, n := range met.ServedBySubNet {
		mix[i] = float64(n) / float64(met.Completed)
	}
	return mix, nil
}

// simulate builds the cluster of one run and runs it.
func (r *runner) simulate(x *Experiment, pol *Policy, cache cacheSpec, seed uint64, m *builtModel, mix []float64, obs *observe) (*engine.Metrics, *observer, error) {
	src, err := workloads.New(x.Workload, engine.Stream(seed, "arrivals"), engine.Stream(seed, "needs"), x.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("workload: %w", err)
	}
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	tables := make([]*accel.Table, len(x.Groups))
	for i := range x.Groups {
		tables[i] = r.table(&x.Groups[i].Hardware, m)
	}
	memo := policies.NewRunMemo() // this run's alone: parallel runs share m.cat
	env := func(gi int, name string) *policies.Env {
		return &policies.Env{Catalog: m.cat, Hardware: &x.Groups[gi].Hardware, Table: tables[gi], Rand: engine.Stream(seed, name), Mix: mix, Memo: memo}
	}
	spec := engine.Spec{Catalog: m.cat, Source: src}
	if x.Engine.Kernel == KernelSimgo {
		spec.Kernel = engine.NewSimgoKernel()
	}
	if spec.Selector, err = pol.SelectorSpec.Build(env(0, "select")); err != nil {
		return nil, nil, err
	}
	renv := env(0, "router")
	renv.Selector = spec.Selector
	if spec.Router, err = pol.RouterSpec.Build(renv); err != nil {
		return nil, nil, err
	}
	for gi := range x.Groups {
		g := &x.Groups[gi]
		for range g.Count {
			cenv := env(gi, fmt.Sprintf("cache/%d", len(spec.Instances)))
			cenv.Selector = spec.Selector // a clairvoyant cache predicts what the selector will serve
			c, err := cache.Build(cenv)
			if err != nil {
				return nil, nil, err
			}
			spec.Instances = append(spec.Instances, engine.InstanceSpec{Hardware: &g.Hardware, Table: tables[gi], Cache: c,
				Service: engine.SyntheticService(&g.Hardware, seed, len(spec.Instances))})
		}
	}
	var ob *observer
	if obs != nil {
		if ob, err = newObserver(&spec, obs, x.Workload.Classes()); err != nil {
			return nil, nil, err
		}
		defer ob.close() // drops an unfinished trace; nothing after finish
	}
	met, err := engine.Run(spec)
	if err != nil {
		return nil, nil, err
	}
	if err := met.CheckInvariants(); err != nil {
		return nil, nil, fmt.Errorf("simulation invariant broken (a bug: please report it): %w", err)
	}
	if s, ok := src.(interface{ Err() error }); ok && s.Err() != nil {
		return nil, nil, fmt.Errorf("workload: %w", s.Err())
	}
	if ob != nil {
		if err := ob.finish(met); err != nil {
			return nil, nil, err
		}
	}
	return met, ob, nil
}

// LatencyQuantiles are the quantiles of end-to-end latency saved for every
// run (quantiles.csv): enough for a latency CDF, from the run's sketch.
var LatencyQuantiles = func() []float64 {
	q := []float64{0, 0.001, 0.005}
	for i := 1; i <= 99; i++ {
		q = append(q, float64(i)/100)
	}
	return append(q, 0.995, 0.999, 1)
}()

func latencyQuantiles(m *engine.Metrics) []float64 {
	out := make([]float64, len(LatencyQuantiles))
	for i, q := range LatencyQuantiles {
		out[i] = m.LatencyQuantileMs(q)
	}
	return out
}

// memo builds values once per key, for concurrent callers, and keeps the
// most recently used few.
type memo[T any] struct {
	mu    sync.Mutex
	keep  int
	items map[string]*memoItem[T]
	clock uint64
}

type memoItem[T any] struct {
	once sync.Once
	val  T
	err  error
	used uint64
}

func newMemo[T any](keep int) *memo[T] {
	return &memo[T]{keep: keep, items: map[string]*memoItem[T]{}}
}

func (m *memo[T]) get(key string, build func() (T, error)) (T, error) {
	m.mu.Lock()
	it, ok := m.items[key]
	if !ok {
		it = &memoItem[T]{}
		m.items[key] = it
		for len(m.items) > m.keep { // drop the least recently used
			old, oldest := "", uint64(0)
			for k, v := range m.items {
				if v != it && (old == "" || v.used < oldest) {
					old, oldest = k, v.used
				}
			}
			delete(m.items, old)
		}
	}
	m.clock++
	it.used = m.clock
	m.mu.Unlock()
	it.once.Do(func() { it.val, it.err = build() })
	return it.val, it.err
}

var errInterrupted = errors.New("interrupted")
