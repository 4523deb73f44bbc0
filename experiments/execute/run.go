package execute

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// Result is one run's summary row plus what is not a result (wall time),
// kept apart so result files stay byte-identical across machines.
type Result struct {
	Summary results.Summary
	WallS   float64
	Metrics *engine.Metrics
}

// Run runs every [[policy]] of the experiment's first point (the file
// itself when it has no [sweep]) on the same query stream, one after the
// other, and returns their results in file order. It writes no files;
// Execute runs whole sweeps into a results directory.
func Run(x *config.Experiment) ([]Result, error) {
	px := &x.Points[0].Settings
	if px.Datacenter.Cells > 1 {
		return nil, fmt.Errorf("%s: a datacenter of %d cells runs with Execute (sushisim run), cell by cell", x.Path, px.Datacenter.Cells)
	}
	r := newRunner(1)
	m, err := r.model(px)
	if err != nil {
		return nil, err
	}
	cp := newCellPlan(px, results.Task{Seed: px.Seed})
	var out []Result
	for i := range px.Policies {
		o, err := r.runPolicy(cp, &px.Policies[i], m, nil)
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
	models *memo[modelKey, *builtModel]
	tables *memo[tableKey, *accel.Table]
}

func newRunner(workers int) *runner {
	// A sweep over hardware makes a table per point: keep only the ones
	// the running workers may still use.
	return &runner{models: newMemo[modelKey, *builtModel](workers + 2), tables: newMemo[tableKey, *accel.Table](2*workers + 2)}
}

// modelKey is what a point's SubNets depend on: [model], the directory
// that resolves a catalog file, and, for a Pareto filter, the hardware
// whose costs draw the frontier (the zero Hardware otherwise, so points
// that differ only in hardware share one catalog).
type modelKey struct {
	model config.ModelConfig
	dir   string
	hw    accel.Hardware
}

// tableKey is what a SushiAbs table depends on: the SubNets and the
// hardware it costs them on.
type tableKey struct {
	model modelKey
	hw    accel.Hardware
}

// builtModel is a point's SubNets, as policies see them.
type builtModel struct {
	key     modelKey
	subnets []*models.SubNet
	cat     *policies.Catalog
	entries []results.CatalogEntry // for catalog.csv
}

// model builds (or finds) the SubNets of a point's [model].
func (r *runner) model(x *config.Settings) (*builtModel, error) {
	m := x.Model
	hw := &x.Groups[0].Hardware
	key := modelKey{model: m, dir: x.Dir}
	if m.Pareto {
		key.hw = *hw // the frontier depends on the hardware
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
			b.entries = append(b.entries, results.CatalogEntry{
				Name: s.Name, Config: s.Config, MACs: s.MACs(), WeightBytes: hw.WeightBytes(s.Weights()),
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
func SubNets(m config.ModelConfig, dir string) ([]*models.SubNet, error) {
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
	case config.IsCatalogFile(m.Catalog):
		c, err := models.LoadCatalogCSV(config.Resolve(dir, m.Catalog))
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
	t, _ := r.tables.get(tableKey{model: m.key, hw: *hw}, func() (*accel.Table, error) {
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
	Summary   results.Summary
	Quantiles []float64        // latency ms at results.LatencyQuantiles
	Windows   []results.Window // time series, when asked for
	Served    []int64          // completions per catalog SubNet
	Classes   []results.Outcome
	WallS     float64
	metrics   *engine.Metrics
	catalog   []results.CatalogEntry
	cell      []byte // a datacenter cell's metrics, encoded (cellRecord)
}

// observe asks a run for a per-query trace and/or time series.
type observe struct {
	windowNs  int64
	tracePath string // "" for none
}

// runPolicy runs one policy on a point's cell (the whole point without
// [datacenter]).
func (r *runner) runPolicy(cp *cellPlan, pol *config.Policy, m *builtModel, obs *observe) (runOutput, error) {
	mix := warmups(func(untilS float64) ([]float64, error) { return r.warmup(cp, pol, m, untilS) })
	start := time.Now()
	met, ob, err := r.simulate(cp, pol, pol.CacheSpec, m, mix, obs)
	if err != nil {
		return runOutput{}, err
	}
	x := &cp.settings
	out := runOutput{Summary: summarize(x, pol, cp.pseed, met, offchipBound(x, m, met.ServedBySubNet)), WallS: time.Since(start).Seconds(), metrics: met,
		Served: met.ServedBySubNet, Quantiles: latencyQuantiles(met), Classes: outcomes(met, x.Workload.Classes())}
	if ob != nil {
		out.Windows = ob.windows
	}
	if err := checkFinite(&out.Summary, out.Windows); err != nil {
		return runOutput{}, err
	}
	return out, nil
}

// warmups makes Env.Warmup from a warm-up pass: each length of pass runs
// once, on its first call (every instance of a cluster asks).
func warmups(pass func(untilS float64) ([]float64, error)) func(float64) ([]float64, error) {
	var mu sync.Mutex
	done := map[float64]func() ([]float64, error){}
	return func(untilS float64) ([]float64, error) {
		mu.Lock()
		f := done[untilS]
		if f == nil {
			f = sync.OnceValues(func() ([]float64, error) { return pass(untilS) })
			done[untilS] = f
		}
		mu.Unlock()
		return f()
	}
}

// warmup runs the policy's workload once without caching (same selector,
// router and seed), over its first untilS simulated seconds (0: all of
// it), and returns the share of each SubNet served: what a policy chosen
// offline (static "auto") is built from.
func (r *runner) warmup(cp *cellPlan, pol *config.Policy, m *builtModel, untilS float64) ([]float64, error) {
	if d := cp.settings.Workload.DurationS; untilS > 0 && (d == 0 || untilS < d) {
		early := *cp
		early.settings.Workload.DurationS = untilS
		cp = &early
	}
	met, _, err := r.simulate(cp, pol, &policies.NoneSpec{}, m, nil, nil)
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
func (r *runner) simulate(cp *cellPlan, pol *config.Policy, cache policies.Spec[policies.Cache], m *builtModel, mix func(float64) ([]float64, error), obs *observe) (*engine.Metrics, *observer, error) {
	x, seed := &cp.settings, cp.pseed
	src, err := workloads.New(x.Workload, engine.Stream(cp.wseed, "arrivals"), engine.Stream(cp.wseed, "needs"), x.Dir)
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
	memo := policies.NewRunMemo()                    // this run's alone: parallel runs share m.cat
	env := func(gi int, name string) *policies.Env { // gi < 0: a cluster-wide policy, no one group's hardware
		e := &policies.Env{Catalog: m.cat, Rand: engine.Stream(seed, name), Warmup: mix, Memo: memo}
		if gi >= 0 {
			e.Hardware, e.Table = &x.Groups[gi].Hardware, tables[gi]
		}
		return e
	}
	spec := engine.Spec{Catalog: m.cat, Source: src, WarmStart: x.Cluster.WarmStart, Autoscale: cp.autoscale, WindowNs: cp.windowNs}
	if cp.keep != nil {
		spec.Source = &cellSource{src: src, keep: cp.keep}
	}
	if x.Engine.Kernel == config.KernelSimgo {
		spec.Kernel = engine.NewSimgoKernel()
	}
	if spec.Selector, err = pol.SelectorSpec.Build(env(-1, "select")); err != nil {
		return nil, nil, err
	}
	renv := env(-1, "router")
	renv.Selector = spec.Selector
	if spec.Router, err = pol.RouterSpec.Build(renv); err != nil {
		return nil, nil, err
	}
	for gi := range x.Groups {
		g := &x.Groups[gi]
		for range g.Count {
			i := len(spec.Instances)
			build := func(name string) (policies.Cache, error) {
				cenv := env(gi, name)
				cenv.Selector = spec.Selector // a clairvoyant cache predicts what the selector will serve
				return cache.Build(cenv)
			}
			c, err := build(fmt.Sprintf("cache/%d", i))
			if err != nil {
				return nil, nil, err
			}
			is := engine.InstanceSpec{Hardware: &g.Hardware, Table: tables[gi], Cache: c,
				Service: engine.SyntheticService(&g.Hardware, seed, i)}
			if cp.autoscale != nil {
				wakes := 0
				is.Fresh = func() policies.Cache {
					// each power-up's cache draws from its own stream; a
					// spec that built once builds again
					wakes++
					c, err := build(fmt.Sprintf("cache/%d/wake/%d", i, wakes))
					if err != nil {
						panic(fmt.Sprintf("cache %q built once, then failed: %v", pol.Cache, err)) // a bug, not input
					}
					return c
				}
			}
			spec.Instances = append(spec.Instances, is)
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

func latencyQuantiles(m *engine.Metrics) []float64 {
	out := make([]float64, len(results.LatencyQuantiles))
	for i, q := range results.LatencyQuantiles {
		out[i] = m.LatencyQuantileMs(q)
	}
	return out
}

// memo builds values once per key, for concurrent callers, and keeps the
// most recently used few.
type memo[K comparable, T any] struct {
	mu    sync.Mutex
	keep  int
	items map[K]*memoItem[T]
	clock uint64
}

type memoItem[T any] struct {
	once sync.Once
	val  T
	err  error
	used uint64
}

func newMemo[K comparable, T any](keep int) *memo[K, T] {
	return &memo[K, T]{keep: keep, items: map[K]*memoItem[T]{}}
}

func (m *memo[K, T]) get(key K, build func() (T, error)) (T, error) {
	m.mu.Lock()
	it, ok := m.items[key]
	if !ok {
		it = &memoItem[T]{}
		m.items[key] = it
		for len(m.items) > m.keep { // drop the least recently used
			var old K
			found, oldest := false, uint64(0)
			for k, v := range m.items {
				if v != it && (!found || v.used < oldest) {
					old, oldest, found = k, v.used, true
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
