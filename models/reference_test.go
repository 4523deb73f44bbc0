package models

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appendixA reads the six published layer lists, parsed from the FEATHER
// notebook (maeri-project/FEATHER, End2end_Deployment/feather.ipynb), one
// SubNet per line.
func appendixA(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("testdata/appendix_a_shapes.txt")
	require.NoError(t, err)
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, strings.Fields(line))
		}
	}
	require.NoError(t, sc.Err())
	require.Len(t, out, 6)
	return out
}

func referenceNets(t *testing.T) (*SuperNet, []*SubNet) {
	t.Helper()
	net, err := Lookup(ResNet50Name)
	require.NoError(t, err)
	subs, err := BuiltinCatalog(net, ReferenceCatalog)
	require.NoError(t, err)
	require.Len(t, subs, 6)
	return net, subs
}

func convLayers(s *SubNet) []Layer {
	var out []Layer
	for _, l := range s.Layers {
		if l.Kind != Linear {
			out = append(out, l)
		}
	}
	return out
}

// The conv layers of each reference SubNet, in order, are Appendix A's list
// string for string; the classifier follows them.
func TestReferenceShapesMatchAppendixA(t *testing.T) {
	_, subs := referenceNets(t)
	want := appendixA(t)
	// FC input widths: each SubNet's last stage width (OFA README totals "+ FC").
	fcIn := []int32{1640, 1640, 2048, 2048, 1640, 2048}
	for i, s := range subs {
		convs := convLayers(s)
		got := make([]string, len(convs))
		for j, l := range convs {
			got[j] = l.Shape()
		}
		assert.Equal(t, want[i], got, "%s (%s)", s.Name, s.Config)
		last := s.Layers[len(s.Layers)-1]
		assert.Equal(t, Linear, last.Kind, s.Name)
		assert.Equal(t, "fc1000x"+itoa(fcIn[i]), last.Shape(), s.Name)
		assert.Len(t, s.Layers, len(want[i])+1, s.Name)
	}
}

func itoa(v int32) string { return fmtNum(float64(v)) }

// MACs (conv + FC) and parameters against the OFA README's specialized-net
// table (mit-han-lab/once-for-all), within 2%.
func TestReferenceMACsAndParamsMatchOFATable(t *testing.T) {
	_, subs := referenceNets(t)
	want := []struct {
		name          string
		macs, params  float64
		top1          float64
		publishedName string
	}{
		{"ref0", 0.6e9, 9.6e6, 75.0, "resnet50D_MAC@0.6B"},
		{"ref1", 0.9e9, 14.5e6, 76.3, "resnet50D_MAC@0.9B"},
		{"ref2", 1.8e9, 20.7e6, 78.3, "resnet50D_MAC@1.8B"},
		{"ref3", 2.4e9, 29.0e6, 79.0, "resnet50D_MAC@2.4B"},
		{"ref4", 3.7e9, 26.5e6, 79.7, "resnet50D_MAC@3.7B"},
		{"ref5", 4.1e9, 30.9e6, 79.8, "resnet50D_MAC@4.1B"},
	}
	for i, w := range want {
		s := subs[i]
		assert.Equal(t, w.name, s.Name)
		assert.InEpsilon(t, w.macs, float64(s.MACs()), 0.02, "%s MACs %d", s.Name, s.MACs())
		assert.InEpsilon(t, w.params, float64(s.Params()), 0.02, "%s params %d", s.Name, s.Params())
		assert.Equal(t, w.top1, s.Accuracy, s.Name)
		assert.True(t, strings.HasPrefix(s.AccuracySource, "published: "), s.AccuracySource)
		assert.Contains(t, s.AccuracySource, w.publishedName)
		if i > 0 {
			assert.Less(t, subs[i-1].MACs(), s.MACs(), "smallest first")
		}
	}
}

// The FEATHER notebook's per-layer MACs and weights, summed over its
// layers, are conv-only: check them too.
func TestReferenceConvTotalsMatchParsedTotals(t *testing.T) {
	_, subs := referenceNets(t)
	macs := []float64{0.598e9, 0.896e9, 1.793e9, 2.379e9, 3.666e9, 4.063e9}
	weights := []float64{7.95e6, 12.81e6, 18.64e6, 26.87e6, 24.81e6, 28.80e6}
	for i, s := range subs {
		var m, w int64
		for _, l := range convLayers(s) {
			m += l.MACs()
			w += l.Weights()
		}
		assert.InDelta(t, macs[i], float64(m), 0.0006e9, s.Name)
		assert.InDelta(t, weights[i], float64(w), 0.006e6, s.Name)
	}
}

// Pairwise weight overlap against values computed independently from
// FEATHER's own layer->supernet-layer map (an independent route to the
// same sets), conv weights only, as a % of the smaller and the larger.
func TestReferenceOverlapMatchesPublishedTable(t *testing.T) {
	net, subs := referenceNets(t)
	cases := []struct {
		a, b            int
		smaller, larger float64
	}{
		{0, 1, 99.6, 61.8},
		{1, 2, 100, 68.7},
		{2, 3, 100, 69.3},
		{3, 4, 86.7, 80.0},
		{3, 5, 87.0, 81.1},
		{4, 5, 87.7, 75.6},
		{0, 5, 100, 27.6},
	}
	graphs := make([]SubGraph, len(subs))
	for i, s := range subs {
		graphs[i] = SubGraphOf(net.NumLayers(), convLayers(s))
	}
	for _, c := range cases {
		ga, gb := graphs[c.a], graphs[c.b]
		common := float64(ga.IntersectWeights(gb))
		small := float64(min(ga.Weights(), gb.Weights()))
		large := float64(max(ga.Weights(), gb.Weights()))
		assert.InDelta(t, c.smaller, 100*common/small, 0.1, "pair %d-%d %% of smaller", c.a, c.b)
		assert.InDelta(t, c.larger, 100*common/large, 0.1, "pair %d-%d %% of larger", c.a, c.b)
		// The built intersection holds exactly the counted weights.
		assert.Equal(t, int64(common), ga.Intersect(gb).Weights())
	}
	// "The weights common to all six SubNets total 7.91 M, 99.5% of SubNet 0."
	// The digest truncates: we count 7,916,296, 99.57%.
	all := graphs[0]
	for _, g := range graphs[1:] {
		all = all.Intersect(g)
	}
	t.Logf("common to all six: %d weights, %.3f%% of ref0", all.Weights(), 100*float64(all.Weights())/float64(graphs[0].Weights()))
	assert.InDelta(t, 7.91e6, float64(all.Weights()), 0.01e6)
	assert.InDelta(t, 99.5, 100*float64(all.Weights())/float64(graphs[0].Weights()), 0.1)
}

func TestBuiltinCatalogUnknownName(t *testing.T) {
	net, err := Lookup(ResNet50Name)
	require.NoError(t, err)
	_, err = BuiltinCatalog(net, "pareto")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"pareto"`)
	assert.Contains(t, err.Error(), "known: reference")
	assert.Equal(t, []string{"reference"}, BuiltinCatalogNames(net))
}
