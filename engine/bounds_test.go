package engine

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

// residentLog collects the served sequence and every SubGraph a run made
// resident: the offline optimum over those SubGraphs can only be at or
// below what the run paid, if the engine's accounting is the one the
// optimum uses.
type residentLog struct {
	seq   []int32
	cands []models.SubGraph
}

func (l *residentLog) Arrived(Time, *workloads.Query, int) {}
func (l *residentLog) Dropped(Time, *workloads.Query, int) {}
func (l *residentLog) Completed(_ Time, _ *workloads.Query, _ int, s int32, _ *accel.Cost) {
	l.seq = append(l.seq, s)
}
func (l *residentLog) Reloaded(_ Time, _ int, g models.SubGraph, _ *accel.Cost) { l.add(g) }

func (l *residentLog) add(g models.SubGraph) {
	for _, h := range l.cands {
		if h.Equal(g) {
			return
		}
	}
	l.cands = append(l.cands, g)
}

// Property, over random small instances (4 SubNets sampled from
// OFA-ResNet50, a PB of 0.5-8 MiB, 3 need classes, locality drawn in
// [0, 1), warm or cold start): every online cache policy moves at least
// as many off-chip bytes (service plus reloads) as the offline optimal
// schedule over the SubGraphs any of them used, which is itself at least
// the free-reload bound. Selection is cache-blind latency-first, so every
// policy serves the same SubNet sequence and the bounds are over one
// problem. A policy that got a byte for free, or an engine that forgot to
// charge one, fails here.
func TestBoundsHoldForEveryOnlinePolicy(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		for _, warm := range []bool{false, true} {
			t.Run(fmt.Sprintf("seed%d-warm%v", seed, warm), func(t *testing.T) { checkBounds(t, seed, warm) })
		}
	}
}

func checkBounds(t *testing.T, seed uint64, warm bool) {
	r := Stream(seed, "bounds")
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	sample, err := models.SampleCatalog(net, 4, r)
	require.NoError(t, err)
	cat := policies.NewCatalog(sample.SubNets)
	hw, err := accel.Preset("zcu104")
	require.NoError(t, err)
	hw.PBBytes = int64(512<<10) + r.Int64N(15*(512<<10))
	table := accel.NewTable(&hw, sample.SubNets, cat.Graphs)
	accs := make([]float64, 0, 4)
	for _, s := range sample.SubNets {
		accs = append(accs, s.Accuracy)
	}
	wc := workloads.Config{Queries: 150,
		Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: 5},
		Needs: workloads.NeedsConfig{Locality: r.Float64(), Class: []workloads.NeedClass{
			{Name: "a", MinAccuracy: accs[0], SLOMs: 1e3, Weight: 1},
			{Name: "b", MinAccuracy: accs[1], SLOMs: 1e3, Weight: 1},
			{Name: "c", MinAccuracy: accs[2], SLOMs: 1e3, Weight: 1},
		}}}
	blind := false
	env := &policies.Env{Catalog: cat, Hardware: &hw, Table: table, Rand: Stream(seed, "policy"),
		Warmup: func(float64) ([]float64, error) { return []float64{0.25, 0.25, 0.25, 0.25}, nil }}
	sel, err := (&policies.LatencyFirstSpec{SelectorParams: policies.SelectorParams{CacheAware: &blind}}).Build(env)
	require.NoError(t, err)
	env.Selector = sel
	specs := map[string]policies.Spec[policies.Cache]{
		"none":          &policies.NoneSpec{},
		"static-auto":   &policies.StaticSpec{SubGraph: "auto"},
		"static-named":  &policies.StaticSpec{SubGraph: sample.SubNets[int(seed)%4].Name},
		"lru":           &policies.LRUSpec{},
		"lru-wa":        &policies.LRUSpec{WriteAllocate: true},
		"sgs":           &policies.SGSSpec{Q: 5, Window: 20},
		"sgs-intersect": &policies.SGSSpec{Q: 3, Window: 10, Candidates: "intersection"},
		"lookahead":     &policies.LookaheadSpec{Q: 5, Window: 20},
	}
	log := &residentLog{cands: []models.SubGraph{models.NewSubGraph(cat.Layers())}}
	paid := map[string]int64{}
	fills := map[string]bool{}
	var seq []int32
	for name, cs := range specs {
		c, err := cs.Build(env)
		require.NoError(t, err)
		fills[name] = c.Needs().FillOnUse
		src, err := workloads.New(wc, Stream(seed, "arrivals"), Stream(seed, "needs"), ".")
		require.NoError(t, err)
		log.seq = log.seq[:0]
		m := run(t, Spec{Catalog: cat, Selector: sel, Router: policies.JSQ{}, Source: src, Observer: log, WarmStart: warm,
			Instances: []InstanceSpec{{Hardware: &hw, Table: table, Cache: c}}})
		if seq == nil {
			seq = append([]int32(nil), log.seq...)
		}
		require.Equal(t, seq, log.seq, "%s: cache-blind selection serves the same sequence", name)
		paid[name] = m.OffchipBytes + m.ReloadBytes
	}
	var free int64
	for _, s := range seq {
		free += policies.FreeReloadBytes(&hw, cat.SubNets[s], cat.Layers())
	}
	opt := map[bool]int64{}
	for _, wa := range []bool{false, true} {
		opt[wa], _, err = policies.OptimalSchedule(&hw, cat, seq, log.cands, policies.ScheduleOptions{WarmStart: warm, WriteAllocate: wa})
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, free, opt[true], "free-reload bound <= offline optimum")
	assert.LessOrEqual(t, opt[true], opt[false], "write-allocate can only make moves cheaper")
	for name, b := range paid {
		assert.LessOrEqual(t, opt[fills[name]], b, "%s paid less than the offline optimum over its own SubGraphs", name)
		assert.LessOrEqual(t, free, b, "%s paid less than the free-reload bound", name)
	}
	t.Logf("PB %.2f MiB, %d candidates: free-reload %.0f, optimum %.0f (write-allocate %.0f); paid %v", float64(hw.PBBytes)/(1<<20), len(log.cands), float64(free), float64(opt[false]), float64(opt[true]), paid)
}
