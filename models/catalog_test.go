package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleCatalogDeterministicAndUniform(t *testing.T) {
	for _, name := range SuperNetNames() {
		net, err := Lookup(name)
		require.NoError(t, err)
		a, err := SampleCatalog(net, 300, rand.New(rand.NewPCG(7, 1)))
		require.NoError(t, err)
		b, err := SampleCatalog(net, 300, rand.New(rand.NewPCG(7, 1)))
		require.NoError(t, err)
		c, err := SampleCatalog(net, 300, rand.New(rand.NewPCG(8, 1)))
		require.NoError(t, err)
		require.Len(t, a.SubNets, 300)
		seen := map[string]bool{}
		res := map[int32]int{}
		for i, s := range a.SubNets {
			assert.Equal(t, s.Config, b.SubNets[i].Config, "same seed, same catalog")
			assert.Equal(t, s.Name, b.SubNets[i].Name)
			assert.False(t, seen[s.Config], "distinct")
			seen[s.Config] = true
			if i > 0 {
				assert.LessOrEqual(t, a.SubNets[i-1].MACs(), s.MACs(), "sorted by MACs")
			}
			assert.NotEmpty(t, s.AccuracySource)
			res[s.Layers[0].H]++
		}
		assert.NotEqual(t, a.SubNets[0].Config, c.SubNets[0].Config, "another seed, another catalog")
		// Every resolution is drawn, none far from its share (binomial
		// 300/len, 5 sigma bound).
		assert.Len(t, res, len(net.Resolutions), name)
		mean := 300.0 / float64(len(net.Resolutions))
		for r, k := range res {
			assert.InDelta(t, mean, float64(k), 5*math.Sqrt(mean), "%s resolution %d", name, r)
		}
		assert.Equal(t, "s000", a.SubNets[0].Name)
		assert.Equal(t, "s299", a.SubNets[299].Name)
	}
	net, _ := Lookup(ResNet50Name)
	_, err := SampleCatalog(net, 0, rand.New(rand.NewPCG(1, 1)))
	assert.ErrorContains(t, err, "sample size: 0")
	_, err = SampleCatalog(net, 3, nil)
	assert.ErrorContains(t, err, "nil random source")
}

func TestSweepCatalogNestedSmallestToLargest(t *testing.T) {
	for _, name := range SuperNetNames() {
		net, err := Lookup(name)
		require.NoError(t, err)
		steps := SweepSteps(net)
		all, err := SweepCatalog(net, steps)
		require.NoError(t, err)
		first, last := all.SubNets[0], all.SubNets[steps-1]
		assert.Equal(t, net.Resolutions[0], first.Layers[0].H)
		assert.True(t, last.SubGraph().Equal(net.Full()), "%s: the sweep ends at the whole SuperNet", name)
		for i := 1; i < steps; i++ {
			prev, cur := all.SubNets[i-1], all.SubNets[i]
			assert.NotEqual(t, prev.Config, cur.Config)
			assert.Less(t, prev.MACs(), cur.MACs(), "%s step %d", name, i)
			assert.True(t, cur.SubGraph().Contains(prev.SubGraph()), "%s step %d holds the one before", name, i)
		}
		// The smallest SubNet is no larger than any sampled one.
		smp, err := SampleCatalog(net, 50, rand.New(rand.NewPCG(3, 3)))
		require.NoError(t, err)
		assert.LessOrEqual(t, first.MACs(), smp.SubNets[0].MACs())
		// n evenly spread: the ends and round(i (L-1)/(n-1)) between.
		five, err := SweepCatalog(net, 5)
		require.NoError(t, err)
		for i, s := range five.SubNets {
			j := (i*(steps-1) + 2) / 4
			assert.Equal(t, all.SubNets[j].Config, s.Config)
		}
		one, err := SweepCatalog(net, 1)
		require.NoError(t, err)
		assert.Equal(t, first.Config, one.SubNets[0].Config)
		_, err = SweepCatalog(net, steps+1)
		assert.ErrorContains(t, err, "sweep size")
		_, err = SweepCatalog(net, 0)
		assert.ErrorContains(t, err, "sweep size: 0 not in 1..")
	}
}

// Pareto frontier by hand: five SubNets with (latency, accuracy)
// a(1, 70), b(2, 69), c(2, 75), d(3, 75), e(4, 76): b is beaten by a, d by
// c (same accuracy, slower); the frontier is a, c, e.
func TestParetoByHand(t *testing.T) {
	net, _ := Lookup(ResNet50Name)
	lat := map[string]float64{"a": 1, "b": 2, "c": 2, "d": 3, "e": 4}
	acc := map[string]float64{"a": 70, "b": 69, "c": 75, "d": 75, "e": 76}
	var subs []*SubNet
	for _, n := range []string{"d", "b", "e", "a", "c"} {
		subs = append(subs, &SubNet{Name: n, Net: net, Accuracy: acc[n]})
	}
	cat := &Catalog{Net: net, SubNets: subs}
	calls := 0
	front := cat.Pareto(func(s *SubNet) float64 { calls++; return lat[s.Name] })
	var names []string
	for _, s := range front {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"a", "c", "e"}, names)
	assert.Equal(t, 5, calls, "latency asked once per SubNet")
	pc := cat.ParetoCatalog(func(s *SubNet) float64 { return lat[s.Name] })
	assert.Same(t, net, pc.Net)
	assert.Len(t, pc.SubNets, 3)
	assert.Empty(t, (&Catalog{Net: net}).Pareto(func(*SubNet) float64 { return 0 }))
}

// On the reference catalog with MACs as the latency, every SubNet is on the
// frontier (accuracy rises with MACs in the OFA table).
func TestParetoReferenceByMACs(t *testing.T) {
	net, subs := referenceNets(t)
	front := (&Catalog{Net: net, SubNets: subs}).Pareto(func(s *SubNet) float64 { return float64(s.MACs()) })
	assert.Len(t, front, 6)
}

// Building 1,000 sampled SubNets (draw, parse, layers, accuracy) must take
// well under a second; go test -bench Catalog -benchtime 3x.
func BenchmarkSampleCatalog1000(b *testing.B) {
	for _, name := range SuperNetNames() {
		net, err := Lookup(name)
		require.NoError(b, err)
		_, err = AccuracyFit(net)
		require.NoError(b, err)
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := SampleCatalog(net, 1000, rand.New(rand.NewPCG(uint64(i), 1))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	net, err := Lookup(ResNet50Name)
	require.NoError(b, err)
	cfg := resnet50Reference[5].config
	for b.Loop() {
		if _, err := net.Build(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// A SuperNet value made outside Lookup has no search space: errors, not panics.
func TestHandMadeSuperNet(t *testing.T) {
	net := &SuperNet{Name: ResNet50Name, Layers: []Layer{{ID: 0, Kind: Linear, K: 10, C: 10, R: 1, Stride: 1, H: 1}}}
	_, err := net.Build("r224")
	assert.ErrorContains(t, err, "has no search space")
	_, err = SweepCatalog(net, 3)
	assert.ErrorContains(t, err, "has no search space")
	_, err = SampleCatalog(net, 3, rand.New(rand.NewPCG(1, 1)))
	assert.ErrorContains(t, err, "has no search space")
	assert.Equal(t, 0, SweepSteps(net))
	s := &SubNet{Net: net, Layers: net.Layers, Config: "x"}
	acc, src := EstimateAccuracy(s)
	assert.Equal(t, 0.0, acc)
	assert.Equal(t, "", src)
	assert.Equal(t, int64(100), s.Params(), "no per-channel parameters known")
}
