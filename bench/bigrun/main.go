package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bigrun:", err)
	os.Exit(1)
}

func maxRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}

// build is the run: the reference OFA-ResNet50 catalog on instances zcu104
// accelerators (or synthetic ones with exponential service of the same
// mean), Poisson arrivals at perInstance queries/s per instance with three
// need classes and temporal locality, the cache and router named.
func build(queries int64, instances int, kind, cache, router string, perInstance float64, seed uint64, memo *policies.RunMemo) (engine.Spec, error) {
	net, err := models.Lookup("ofa-resnet50")
	if err != nil {
		return engine.Spec{}, err
	}
	subs, err := models.BuiltinCatalog(net, "reference")
	if err != nil {
		return engine.Spec{}, err
	}
	hw, err := accel.Preset("zcu104")
	if err != nil {
		return engine.Spec{}, err
	}
	cat := policies.NewCatalog(subs)
	table := accel.NewTable(&hw, subs, cat.Graphs)
	switch kind {
	case "zcu104":
	case "synthetic":
		hw.Kind = accel.KindSynthetic
		hw.Service = accel.ServiceDist{Dist: accel.DistExponential, MeanMs: 20}
	default:
		return engine.Spec{}, fmt.Errorf("-kind %q: want zcu104 or synthetic", kind)
	}
	if err := hw.Validate(); err != nil {
		return engine.Spec{}, err
	}
	wc := workloads.Config{Queries: queries,
		Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: perInstance * float64(instances)},
		Needs: workloads.NeedsConfig{Locality: 0.98, Class: []workloads.NeedClass{
			{Name: "fast", MinAccuracy: 75, SLOMs: 40, Weight: 1},
			{Name: "balanced", MinAccuracy: 78, SLOMs: 80, Weight: 1},
			{Name: "accurate", MinAccuracy: 79.5, SLOMs: 150, Weight: 1},
		}}}
	src, err := workloads.New(wc, engine.Stream(seed, "arrivals"), engine.Stream(seed, "needs"), ".")
	if err != nil {
		return engine.Spec{}, err
	}
	env := func(name string) *policies.Env {
		return &policies.Env{Catalog: cat, Hardware: &hw, Table: table, Rand: engine.Stream(seed, name), Memo: memo}
	}
	ss, err := policies.SelectorSpecFor("accuracy-first")
	if err != nil {
		return engine.Spec{}, err
	}
	spec := engine.Spec{Catalog: cat, Source: src}
	if spec.Selector, err = ss.Build(env("select")); err != nil {
		return engine.Spec{}, err
	}
	rs, err := policies.RouterSpecFor(router)
	if err != nil {
		return engine.Spec{}, err
	}
	renv := env("router")
	renv.Selector = spec.Selector
	if spec.Router, err = rs.Build(renv); err != nil {
		return engine.Spec{}, err
	}
	cs, err := policies.CacheSpecFor(cache)
	if err != nil {
		return engine.Spec{}, err
	}
	for i := range instances {
		c, err := cs.Build(env(fmt.Sprintf("cache/%d", i)))
		if err != nil {
			return engine.Spec{}, err
		}
		spec.Instances = append(spec.Instances, engine.InstanceSpec{Hardware: &hw, Table: table, Cache: c,
			Service: engine.SyntheticService(&hw, seed, i)})
	}
	return spec, nil
}

func main() {
	queries := flag.Int64("queries", 1_000_000, "queries to simulate")
	instances := flag.Int("instances", 1000, "accelerator instances")
	kind := flag.String("kind", "zcu104", "zcu104 (the cost model) or synthetic (exponential service, 20 ms mean)")
	cache := flag.String("cache", "sgs", "cache policy")
	router := flag.String("router", "jsq", "router")
	rate := flag.Float64("rate", 25, "arrivals per second per instance")
	seed := flag.Uint64("seed", 1, "run seed")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run (engine.Run only) to this file")
	flag.Parse()
	if *queries < 1 || *instances < 1 || !(*rate > 0) {
		fail(fmt.Errorf("-queries and -instances must be >= 1 and -rate > 0"))
	}
	memo := policies.NewRunMemo()
	spec, err := build(*queries, *instances, *kind, *cache, *router, *rate, *seed, memo)
	if err != nil {
		fail(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rssBefore := maxRSSMiB()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
	}
	start := time.Now()
	m, err := engine.Run(spec)
	if err != nil {
		fail(err)
	}
	wall := time.Since(start).Seconds()
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	runtime.ReadMemStats(&after)
	if err := m.CheckInvariants(); err != nil {
		fail(err)
	}
	fmt.Printf("queries=%d instances=%d kind=%s cache=%s router=%s completed=%d events=%d sim_s=%.1f wall_s=%.2f queries_per_s=%.0f "+
		"mean_latency_ms=%.3f p99_ms=%.3f digest=%s sgs_memo_hit_rate=%.3f peak_rss_mib=%.1f rss_before_run_mib=%.1f heap_inuse_mib=%.1f sys_mib=%.1f alloc_during_run_mib=%.1f mallocs_per_query=%.4f gcs=%d\n",
		*queries, *instances, *kind, *cache, *router, m.Completed, m.Events, float64(m.End)/1e9, wall, float64(m.Completed)/wall,
		m.LatencyNsSum/float64(m.Completed)/1e6, m.LatencyQuantileMs(0.99), digest(m), hitRate(memo), maxRSSMiB(), rssBefore,
		float64(after.HeapInuse)/(1<<20), float64(after.Sys)/(1<<20), float64(after.TotalAlloc-before.TotalAlloc)/(1<<20),
		float64(after.Mallocs-before.Mallocs)/float64(*queries), after.NumGC-before.NumGC)
}

// digest fingerprints every result of the run (counters, sums, latency
// quantiles, per-SubNet completions) so that a speed change can show its
// results byte-identical on runs too large for the experiments layer.
func digest(m *engine.Metrics) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d %d %d %d %d %x %x %d %d %d %d %+v %d %d %d %+v %d %d %v %d %d %d %d %d",
		m.Arrived, m.Completed, m.Dropped, m.InFlight, m.SLOMet, m.LatencyNsSum, m.AccuracySum,
		m.WeightBytes, m.PBHitBytes, m.OffchipBytes, m.OnchipBytes, m.Energy,
		m.Reloads, m.ReloadBytes, m.ReloadNs, m.ReloadEnergy, m.MaxPBBytes, m.MaxPBOverflow,
		m.ServedBySubNet, m.Events, m.End, m.BusyNs, m.Services, m.ClockRegressions)
	for q := 0.0; q <= 1; q += 1.0 / 64 {
		fmt.Fprintf(h, " %x", m.LatencyQuantileMs(q))
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:8])
}

// hitRate is the share of SGS decisions whose candidate the run's memo held.
func hitRate(memo *policies.RunMemo) float64 {
	h, m := memo.CandidateStats()
	if h+m == 0 {
		return 0
	}
	return float64(h) / float64(h+m)
}
