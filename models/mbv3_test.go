package models

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mbv3Net(t testing.TB, name string) *SuperNet {
	t.Helper()
	net, err := Lookup(name)
	require.NoError(t, err)
	return net
}

func list(v string, n int) string { return strings.TrimSuffix(strings.Repeat(v+",", n), ",") }

func TestMBv3SuperNetLayers(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	// 3 fixed + 8 blocks without SE x 3 + 12 with SE x 5 + final expand,
	// feature mix, classifier.
	require.Equal(t, 3+8*3+12*5+3, net.NumLayers())
	for i, l := range net.Layers {
		require.Equal(t, int32(i), l.ID)
	}
	byName := map[string]Layer{}
	for _, l := range net.Layers {
		byName[net.LayerName(l.ID)] = l
	}
	shape := func(n string) string { return byName[n].Shape() }
	assert.Equal(t, "16x3x3@224/2", shape("first_conv"))
	assert.Equal(t, "dw16x1x3@112", shape("first_block.dw"))
	assert.Equal(t, "16x16x1@112", shape("first_block.pw"))
	// Max expand 6 of the 16-channel input: 96; elastic kernel max 7.
	assert.Equal(t, "96x16x1@112", shape("stage1.block0.expand"))
	assert.Equal(t, "dw96x1x7@112/2", shape("stage1.block0.dw"))
	assert.NotContains(t, byName, "stage1.block0.se_reduce", "no SE in the first elastic stage")
	// SE on the 40-wide stage: mid 144 (24*6), reduce to make_divisible(144//4) = 40, at 1x1.
	assert.Equal(t, "40x144x1@1", shape("stage2.block0.se_reduce"))
	assert.Equal(t, "144x40x1@1", shape("stage2.block0.se_expand"))
	// Mid widths follow the block's input: 112*6 entering stage 5, 160*6 after.
	assert.Equal(t, "dw672x1x7@14/2", shape("stage5.block0.dw"))
	assert.Equal(t, "dw960x1x7@7", shape("stage5.block1.dw"))
	assert.Equal(t, "960x160x1@7", shape("final_expand"))
	assert.Equal(t, "1280x960x1@1", shape("feature_mix"))
	assert.Equal(t, "fc1000x1280", shape("classifier"))
	assert.Equal(t, seq(128, 224, 4), net.Resolutions)
	// Kernel transform matrices: 25x25 + 9x9 in each of 20 elastic depthwise layers.
	assert.Equal(t, int64(20*(625+81)), net.TransformParams())
	assert.Equal(t, net.Params(), func() int64 {
		var p int64
		for _, l := range net.Layers {
			p += net.LayerParams(l)
		}
		return p + 14120
	}())
}

// The w1.2 widths against the OFA tutorial's printed w1.2 subnet
// (tutorial/ofa.ipynb, cell 20 output): 3x3_Conv_O24, MBConv1 O24, stages
// O32/O48/O96/O136/O192, 1x1_Conv_O1152, 1x1_Conv_O1536, 1536x1000_Linear.
func TestMBv3W12Widths(t *testing.T) {
	m := newMBv3(MBv3W12Name, 1.2, 160)
	assert.Equal(t, int32(24), m.firstConv)
	assert.Equal(t, int32(24), m.firstBlock)
	assert.Equal(t, [5]int32{32, 48, 96, 136, 192}, m.stageOut)
	assert.Equal(t, int32(1152), m.finalExpand)
	assert.Equal(t, int32(1536), m.lastChannel)
	net := mbv3Net(t, MBv3W12Name)
	assert.Equal(t, seq(160, 224, 4), net.Resolutions)
}

// MobileNetV3-Large is not in the search space (its third stage expands by
// 2.5 and 2.3), so it is built from the same layer code with its own mid
// widths (Howard et al. 2019, Table 1). Sources: torchvision's
// MobileNet_V3_Large_Weights.IMAGENET1K_V1 meta, num_params 5,483,032, less
// the 1,280 bias of torchvision's 960->1280 Linear (OFA's feature mix conv
// has none); and Howard et al. 2019 Table 3: 219M MAdds (within 2%).
func TestMBv3MobileNetV3Large(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	m := newMBv3(MBv3W10Name, 1.0, 128)
	ks := [20]int32{3, 3, 0, 0, 5, 5, 5, 0, 3, 3, 3, 3, 3, 3, 0, 0, 5, 5, 5, 0}
	mids := [20]int32{64, 72, 0, 0, 72, 120, 120, 0, 240, 200, 184, 184, 480, 672, 0, 0, 672, 960, 960, 0}
	depth := [5]int{2, 3, 4, 2, 3}
	s := &SubNet{Net: net, Layers: m.layersOf(224, &depth, &ks, &mids, nil)}
	assert.Equal(t, int64(5_483_032-1_280), s.Params())
	assert.InEpsilon(t, 219e6, float64(s.MACs()), 0.02)
}

// OFA's Note8 specialized nets, whose configs mmrazor publishes, against
// the OFA README's MACs and params (within 2%).
func TestMBv3ReferenceNets(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	subs, err := BuiltinCatalog(net, ReferenceCatalog)
	require.NoError(t, err)
	require.Len(t, subs, 2)
	want := []struct {
		name         string
		macs, params float64
		top1         float64
	}{
		{"note8_lat@22ms", 67e6, 4.3e6, 70.4},
		{"note8_lat@31ms", 101e6, 4.6e6, 72.8},
	}
	for i, w := range want {
		s := subs[i]
		assert.Equal(t, w.name, s.Name)
		assert.InEpsilon(t, w.macs, float64(s.MACs()), 0.02, s.Name)
		assert.InEpsilon(t, w.params, float64(s.Params()), 0.02, s.Name)
		assert.Equal(t, w.top1, s.Accuracy)
		assert.Contains(t, s.AccuracySource, "published: ")
	}
	// mmrazor's README lists the converted w1.0 supernet at 7.6M params: the
	// largest SubNet (the SuperNet without its transform matrices).
	assert.InEpsilon(t, 7.6e6, float64(net.Params()-net.TransformParams()), 0.02)
	_, err = BuiltinCatalog(mbv3Net(t, MBv3W12Name), ReferenceCatalog)
	assert.ErrorContains(t, err, "ofa-mbv3-w1.2 has no builtin catalogs")
}

func TestMBv3ConfigErrors(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	k, e := list("3", 20), list("4", 20)
	ok := "r224-d4,4,4,4,4-k" + k + "-e" + e
	_, err := net.Build(ok)
	require.NoError(t, err)
	cases := []struct{ config, want string }{
		{"r224-d4,4,5,4,4-k" + k + "-e" + e, "ofa-mbv3-w1.0 config: d[2]: 5 not in {2,3,4}"},
		{"r224-d4,4,4,4,4-k4," + list("3", 19) + "-e" + e, "k[0]: 4 not in {3,5,7}"},
		{"r224-d4,4,4,4,4-k" + k + "-e" + list("4", 19) + ",5", "e[19]: 5 not in {3,4,6}"},
		{"r100-d4,4,4,4,4-k" + k + "-e" + e, "resolution: 100 not in 128..224 step 4"},
		{"r226-d4,4,4,4,4-k" + k + "-e" + e, "resolution: 226 not in 128..224 step 4"},
		{"r224-d4,4,4,4,4-k" + list("3", 19) + "-e" + e, "k: 19 values, want 20"},
		{"r224-d4,4,4,4-k" + k + "-e" + e, "d: 4 values, want 5"},
		{"r224-d2,4,4,4,4-k3,_," + list("3", 18) + "-e" + e, "k[1]: _ marks a skipped block, but d[0]=2 runs the first 2 blocks of stage 1"},
		{"r224-d4,4,4,4,4-k" + k, "missing field e"},
		{"r224-d4,4,4,4,4-k" + k + "-e" + e + "-w0", `unknown field "w0" (want fields r, d, k, e)`},
	}
	for _, c := range cases {
		_, err := net.Build(c.config)
		if assert.Error(t, err, c.config) {
			assert.Contains(t, err.Error(), c.want, c.config)
		}
	}
	_, err = mbv3Net(t, MBv3W12Name).Build("r128-d4,4,4,4,4-k" + k + "-e" + e)
	assert.ErrorContains(t, err, "resolution: 128 not in 160..224 step 4")
}

func TestMBv3CanonicalForm(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	canon := "r152-d2,2,3,3,4-k5,3,_,_,5,5,_,_,3,3,5,_,3,5,7,_,3,3,5,5-e3,3,_,_,4,3,_,_,4,4,4,_,4,3,4,_,6,3,3,3"
	// OFA-style full lists (values for skipped blocks ignored), fields reordered.
	full := "e3,3,3,3,4,3,3,3,4,4,4,3,4,3,4,3,6,3,3,3-k5,3,3,3,5,5,3,3,3,3,5,3,3,5,7,3,3,3,5,5-r152-d2,2,3,3,4"
	for _, cfg := range []string{canon, full} {
		s, err := net.Build(cfg)
		require.NoError(t, err)
		assert.Equal(t, canon, s.Config)
		again, err := net.Build(s.Config)
		require.NoError(t, err)
		assert.Equal(t, s.Layers, again.Layers)
	}
}

// An elastic kernel is the centre of the 7x7: a k=3 SubNet and a k=7 SubNet
// of the same widths share 3x3 per channel of every elastic depthwise layer,
// and everything else.
func TestMBv3ElasticKernelSubGraph(t *testing.T) {
	net := mbv3Net(t, MBv3W10Name)
	d, e := "d4,4,4,4,4", list("6", 20)
	k3, err := net.Build("r224-" + d + "-k" + list("3", 20) + "-e" + e)
	require.NoError(t, err)
	k7, err := net.Build("r224-" + d + "-k" + list("7", 20) + "-e" + e)
	require.NoError(t, err)
	assert.True(t, k7.SubGraph().Equal(net.Full()), "the largest SubNet is the SuperNet")
	assert.True(t, k7.SubGraph().Contains(k3.SubGraph()))
	var dwDiff int64
	for _, l := range k7.Layers {
		if l.Kind == Depthwise && l.ID != 1 {
			dwDiff += int64(l.K) * (49 - 9)
		}
	}
	assert.Equal(t, k7.Weights()-dwDiff, k3.Weights())
	assert.Equal(t, k3.Weights(), k7.SubGraph().IntersectWeights(k3.SubGraph()))
	// MACs of a depthwise layer: K x R^2 x out^2 (C = 1).
	for _, l := range k3.Layers {
		if net.LayerName(l.ID) == "stage1.block0.dw" {
			assert.Equal(t, int64(96*9*56*56), l.MACs())
		}
	}
}
