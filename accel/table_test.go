package accel

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
)

// synthNet is a hand-made 61-layer SuperNet shaped like a ResNet: four
// stages of 15 layers (every third a 3x3) at 56, 28, 14 and 7 pixels, then
// an FC layer.
func synthNet() *models.SuperNet {
	var layers []models.Layer
	for s := range 4 {
		w := int32(64 << s)
		for j := range 15 {
			l := models.Layer{ID: int32(len(layers)), Kind: models.Conv, K: w, C: w, R: 1, Stride: 1, H: int32(56 >> s)}
			if j%3 == 1 {
				l.R = 3
			}
			layers = append(layers, l)
		}
	}
	layers = append(layers, models.Layer{ID: int32(len(layers)), Kind: models.Linear, K: 1000, C: 512, R: 1, Stride: 1, H: 1})
	return &models.SuperNet{Name: "synth", Layers: layers}
}

// synthSubNets draws n SubNets of net: each layer kept with probability 0.9
// (the first and last always), its K and C a multiple of 8 between half and
// all of the SuperNet layer's.
func synthSubNets(net *models.SuperNet, n int, r *rand.Rand) []*models.SubNet {
	out := make([]*models.SubNet, n)
	slice := func(v int32) int32 { return 8 * (v/16 + r.Int32N(v/16+1)) }
	for i := range out {
		s := &models.SubNet{Name: "synth", Net: net}
		for j, l := range net.Layers {
			if j > 0 && j < len(net.Layers)-1 && r.Float64() < 0.1 {
				continue
			}
			if l.Kind == models.Conv {
				l.K, l.C = slice(l.K), slice(l.C)
			}
			s.Layers = append(s.Layers, l)
		}
		out[i] = s
	}
	return out
}

// synthCandidates are intersections of random pairs of the SubNets.
func synthCandidates(subnets []*models.SubNet, n int, r *rand.Rand) []models.SubGraph {
	out := make([]models.SubGraph, n)
	for i := range out {
		a, b := subnets[r.IntN(len(subnets))], subnets[r.IntN(len(subnets))]
		out[i] = a.SubGraph().Intersect(b.SubGraph())
	}
	return out
}

// synthTable is a Table on the zcu104 preset over n synthetic SubNets and m
// candidate intersections, drawn from seed; h is the Hardware it was built
// from.
func synthTable(t testing.TB, seed uint64, n, m int) (h *Hardware, net *models.SuperNet, cat []*models.SubNet, cands []models.SubGraph, tab *Table) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	net = synthNet()
	cat = synthSubNets(net, n, r)
	cands = synthCandidates(cat, m, r)
	p, err := Preset("zcu104")
	require.NoError(t, err)
	return &p, net, cat, cands, NewTable(&p, cat, cands)
}

func TestTableMatchesCost(t *testing.T) {
	h, net, cat, cands, tab := synthTable(t, 1, 20, 10)
	distinct := []models.SubGraph{{}} // the empty SubGraph is always a row
	for _, g := range cands {
		seen := false
		for _, d := range distinct {
			seen = seen || d.Equal(g)
		}
		if !seen {
			distinct = append(distinct, g)
		}
	}
	assert.Equal(t, len(distinct), tab.Rows())
	for _, g := range append(cands, models.SubGraph{}) {
		require.True(t, tab.Has(g))
		row := tab.Row(g)
		require.Len(t, row, len(cat))
		for i, s := range cat {
			assert.Equal(t, h.Cost(s, g), row[i])
		}
	}
	// A SubGraph not among the candidates is computed, the same way.
	other := cat[0].SubGraph()
	require.False(t, tab.Has(other))
	row := tab.Row(other)
	for i, s := range cat {
		assert.Equal(t, h.Cost(s, other), row[i])
	}
	assert.False(t, tab.Has(other), "a computed row is not stored")
	// An equal SubGraph built another way finds the precomputed row.
	same := models.NewSubGraph(net.NumLayers()).Union(cands[3])
	assert.True(t, tab.Has(same))
	assert.Equal(t, &tab.Row(cands[3])[0], &tab.Row(same)[0])
}

func TestTableIsASnapshot(t *testing.T) {
	h, _, cat, _, tab := synthTable(t, 3, 5, 0)
	before := append(Row(nil), tab.Row(models.SubGraph{})...)
	h.ClockMHz = 50
	h.DRAMGBps = 1
	assert.Equal(t, before, tab.Row(models.SubGraph{}))
	assert.Equal(t, before, tab.Row(cat[0].SubGraph().Intersect(models.SubGraph{})))
}

func TestTableDeduplicatesCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	net := synthNet()
	cat := synthSubNets(net, 3, r)
	g := cat[1].SubGraph()
	h, err := Preset("u50")
	require.NoError(t, err)
	tab := NewTable(&h, cat, []models.SubGraph{g, g, models.NewSubGraph(net.NumLayers()), {}})
	assert.Equal(t, 2, tab.Rows())
	assert.Greater(t, tab.MemoryBytes(), int64(0))
}

func TestTableRowLookupDoesNotAllocate(t *testing.T) {
	_, _, _, cands, tab := synthTable(t, 7, 10, 10)
	allocs := testing.AllocsPerRun(50, func() { _ = tab.Row(cands[4]) })
	assert.Zero(t, allocs)
}

func TestTableConcurrentReaders(t *testing.T) {
	h, _, cat, cands, tab := synthTable(t, 9, 10, 8)
	var wg sync.WaitGroup
	results := make([][]int64, 4)
	for w := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, g := range cands {
				results[w] = append(results[w], tab.Row(g)[w].LatencyNs)
			}
		}()
	}
	wg.Wait()
	for w := range results {
		for i, g := range cands {
			assert.Equal(t, h.Cost(cat[w], g).LatencyNs, results[w][i])
		}
	}
}

// Growing the resident SubGraph never makes a SubNet slower nor moves more
// bytes off chip: grow it layer by layer, then slice by slice.
func TestLatencyMonotoneInResidency(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	net := synthNet()
	cat := synthSubNets(net, 4, r)
	for _, transfer := range []WeightTransfer{WeightsOverlapped, WeightsSerialized} {
		h, err := Preset("zcu104")
		require.NoError(t, err)
		h.WeightTransfer = transfer
		for _, s := range cat {
			g := models.NewSubGraph(net.NumLayers())
			prev := h.Cost(s, g)
			step := func(next models.SubGraph) {
				c := h.Cost(s, next)
				assert.LessOrEqual(t, c.LatencyNs, prev.LatencyNs)
				assert.LessOrEqual(t, c.OffchipBytes, prev.OffchipBytes)
				assert.GreaterOrEqual(t, c.PBHitBytes, prev.PBHitBytes)
				prev = c
				g = next
			}
			for _, l := range net.Layers { // grow K a quarter at a time, then C
				for q := int32(1); q <= 4; q++ {
					step(g.With(l.ID, models.Slice{K: l.K * q / 4, C: l.C / 2, R: l.R}))
				}
				step(g.With(l.ID, models.SliceOf(l)))
			}
			assert.Equal(t, s.Weights(), prev.PBHitBytes)
		}
	}
}

func BenchmarkCost(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	net := synthNet()
	cat := synthSubNets(net, 1, r)
	h, _ := Preset("zcu104")
	g := cat[0].SubGraph()
	for b.Loop() {
		_ = h.Cost(cat[0], g)
	}
}

func benchTable(b *testing.B) (*Table, []models.SubGraph) {
	b.Helper()
	r := rand.New(rand.NewPCG(42, 42))
	net := synthNet()
	cat := synthSubNets(net, 1000, r)
	cands := synthCandidates(cat, 1000, r)
	h, err := Preset("zcu104")
	require.NoError(b, err)
	return NewTable(&h, cat, cands[:10]), cands
}

// BenchmarkTableRowCompute is Row for a SubGraph that is not a candidate:
// 1,000 SubNets x ~55 layers evaluated.
func BenchmarkTableRowCompute(b *testing.B) {
	tab, cands := benchTable(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		_ = tab.Row(cands[10+i%990])
		i++
	}
}

// BenchmarkTableRowLookup is Row for a precomputed candidate.
func BenchmarkTableRowLookup(b *testing.B) {
	tab, cands := benchTable(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		_ = tab.Row(cands[i%10])
		i++
	}
}

// BenchmarkNewTable1000x1000 builds SushiAbs for 1,000 SubNets x 1,000
// candidate SubGraphs (run with -benchtime=1x).
func BenchmarkNewTable1000x1000(b *testing.B) {
	r := rand.New(rand.NewPCG(42, 42))
	net := synthNet()
	cat := synthSubNets(net, 1000, r)
	cands := synthCandidates(cat, 1000, r)
	h, _ := Preset("zcu104")
	var tab *Table
	for b.Loop() {
		tab = NewTable(&h, cat, cands)
	}
	b.ReportMetric(float64(tab.MemoryBytes())/(1<<20), "MiB")
	b.ReportMetric(float64(tab.Rows()), "rows")
}

func TestRowCacheReturnsTheTablesRows(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	subs, err := models.BuiltinCatalog(net, "reference")
	require.NoError(t, err)
	tab := NewTable(&h, subs, nil)
	c := NewRowCache(tab, 2)
	a := subs[0].SubGraph().Intersect(subs[5].SubGraph())
	b := subs[1].SubGraph().Intersect(subs[4].SubGraph())
	ra := c.Row(a)
	assert.Equal(t, tab.Row(a), ra)
	assert.Same(t, &ra[0], &c.Row(a)[0], "a second lookup is the remembered row")
	c.Row(b)
	c.Row(subs[2].SubGraph()) // third distinct: the cache starts over
	again := c.Row(a)
	assert.Equal(t, tab.Row(a), again)
	assert.NotSame(t, &ra[0], &again[0], "after the reset the row is computed anew")
	assert.Equal(t, tab.Row(models.SubGraph{}), c.Row(models.SubGraph{}), "precomputed rows pass through")
}
