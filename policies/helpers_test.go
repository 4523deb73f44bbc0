package policies

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/workloads"
)

// reference is the six reference OFA-ResNet50 SubNets (accuracy 75.0, 76.3,
// 78.3, 79.0, 79.7, 79.8; OFA README, mit-han-lab/once-for-all).
func reference(t testing.TB) *Catalog {
	t.Helper()
	net, err := models.Lookup("ofa-resnet50")
	require.NoError(t, err)
	subs, err := models.BuiltinCatalog(net, "reference")
	require.NoError(t, err)
	return NewCatalog(subs)
}

// rowOf is a made-up SushiAbs row with the given latencies.
func rowOf(lat ...int64) accel.Row {
	r := make(accel.Row, len(lat))
	for i, l := range lat {
		r[i].LatencyNs = l
	}
	return r
}

// toy is a 4-layer SuperNet of 1x1 layers (weights = K, since C = R = 1),
// small enough that every cache decision can be worked by hand:
//
//	a:   l0 10, l1 20
//	b:   l2 30, l3 5
//	c:   l0 6,  l3 8
//	big: l1 100
func toy(t testing.TB) *Catalog {
	t.Helper()
	lin := func(id, k int32) models.Layer {
		return models.Layer{ID: id, Kind: models.Linear, K: k, C: 1, R: 1, Stride: 1, H: 1}
	}
	net := &models.SuperNet{Name: "toy", Layers: []models.Layer{lin(0, 10), lin(1, 100), lin(2, 30), lin(3, 8)}}
	sub := func(name string, acc float64, ls ...models.Layer) *models.SubNet {
		return &models.SubNet{Name: name, Net: net, Layers: ls, Accuracy: acc}
	}
	return NewCatalog([]*models.SubNet{
		sub("a", 70, lin(0, 10), lin(1, 20)),
		sub("b", 71, lin(2, 30), lin(3, 5)),
		sub("c", 72, lin(0, 6), lin(3, 8)),
		sub("big", 73, lin(1, 100)),
	})
}

const (
	toyA, toyB, toyC, toyBig = 0, 1, 2, 3
)

// slicesOf lists a SubGraph's K per layer (the toy's weights per layer).
func slicesOf(g models.SubGraph) []int64 {
	out := make([]int64, g.Len())
	for l := range out {
		out[l] = g.At(int32(l)).Weights()
	}
	return out
}

// zcu is the zcu104 preset with the given PB size in bytes (int8: bytes =
// weights).
func zcu(t testing.TB, pb int64) *accel.Hardware {
	t.Helper()
	h, err := accel.Preset("zcu104")
	require.NoError(t, err)
	if pb > 0 {
		h.PBBytes = pb
	}
	return &h
}

// localityNeeds draws n needs from the quickstart's three need classes
// (75%/10 ms, 78%/25 ms, 79.5%/60 ms: on the zcu104 with nothing resident,
// accuracy-first serves them with ref0 (7.8 ms), ref2 (21.1 ms) and ref5
// (44.7 ms)) with a sticky chain that keeps the class with probability
// locality.
func localityNeeds(t testing.TB, seed uint64, n int64, locality float64) []Need {
	t.Helper()
	c := workloads.Config{Queries: n,
		Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: 10},
		Needs: workloads.NeedsConfig{Locality: locality, Class: []workloads.NeedClass{
			{Name: "fast", MinAccuracy: 75, SLOMs: 10, Weight: 1},
			{Name: "balanced", MinAccuracy: 78, SLOMs: 25, Weight: 1},
			{Name: "accurate", MinAccuracy: 79.5, SLOMs: 60, Weight: 1},
		}}}
	require.NoError(t, c.Validate())
	src, err := workloads.New(c, pcg(seed, 1), pcg(seed, 2), ".")
	require.NoError(t, err)
	var out []Need
	var q workloads.Query
	for src.Next(&q) {
		out = append(out, Need{MinAccuracy: q.MinAccuracy, SLO: q.SLO})
	}
	return out
}

// sliceFuture is a Future over a list of needs; pos is the next to arrive.
type sliceFuture struct {
	needs []Need
	pos   int
}

func (f *sliceFuture) Peek(k int) (Need, bool) {
	if f.pos+k >= len(f.needs) {
		return Need{}, false
	}
	return f.needs[f.pos+k], true
}

// replay serves needs on one instance with no queueing: each query takes
// the selector's SubNet on the row of what the cache holds, then the cache
// hears of it. It returns the PB hit bytes and the reload bytes.
func replay(t testing.TB, c Cache, sel Selector, table *accel.Table, needs []Need) (hits, reload int64) {
	t.Helper()
	fut := &sliceFuture{needs: needs}
	if nd := c.Needs(); nd.Lookahead > 0 {
		nd.SetFuture(fut)
	}
	res := c.Resident()
	row := table.Row(res)
	for k, n := range needs {
		fut.pos = k + 1 // query k has arrived
		s := sel.Select(n, row)
		require.GreaterOrEqual(t, s, int32(0))
		hits += row[s].PBHitBytes
		if c.Served(s) {
			next := c.Resident()
			reload += next.Weights() - next.IntersectWeights(res)
			res = next
			row = table.Row(res)
		}
	}
	return hits, reload
}

func pcg(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// accelHW25 is hardware with a 25-byte PB of int8 weights, for the toy.
var accelHW25 = accel.Hardware{PBBytes: 25, DataBytes: 1}

// fixedMix is an Env.Warmup that returns mix, as a warm-up pass would.
func fixedMix(mix []float64) func(float64) ([]float64, error) {
	return func(float64) ([]float64, error) { return mix, nil }
}
