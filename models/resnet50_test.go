package models

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func r50Net(t testing.TB) *SuperNet {
	t.Helper()
	net, err := Lookup(ResNet50Name)
	require.NoError(t, err)
	return net
}

// make_divisible(v, 8) worked by hand: int(v+4)//8*8, at least 8, plus 8 if
// that fell more than 10% below v.
func TestMakeDivisible(t *testing.T) {
	cases := []struct {
		v    float64
		want int32
	}{
		{41.6, 40}, // 64*0.65: int(45.6)//8*8 = 40 >= 37.44
		{51.2, 48}, // 64*0.8
		{20, 24},   // 40//2: int(24)//8*8 = 24
		{34, 32},   // round(168*0.2)
		{58.8, 56}, // int(62.8)//8*8 = 56 >= 52.9
		{3, 8},     // floor at the divisor
		{11.9, 16}, // int(15.9)//8*8 = 8 < 10.71, so +8
		{1331.2, 1328},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, makeDivisible(c.v, 8), "make_divisible(%v)", c.v)
	}
	assert.Equal(t, 2.0, pyRound(2.5), "Python rounds half to even")
	assert.Equal(t, 4.0, pyRound(3.5))
}

// Channel options against an OFA-derived FLOPs predictor's: stem [40,48,64]; stages [168,208,256], [336,408,512],
// [664,816,1024], [1328,1640,2048].
func TestResNet50ChannelTables(t *testing.T) {
	r := newResNet50()
	assert.Equal(t, [3]int32{40, 48, 64}, r.stemOut)
	assert.Equal(t, [3]int32{24, 24, 32}, r.stemMid)
	assert.Equal(t, [4][3]int32{{168, 208, 256}, {336, 408, 512}, {664, 816, 1024}, {1328, 1640, 2048}}, r.stageOut)
	// mid = make_divisible(round(out*e)): by hand for the widest stage.
	assert.Equal(t, [3]int32{408, 512, 720}, r.mid[3][2]) // 409.6->410->408, 512, 716.8->717->720
	assert.Equal(t, [3]int32{32, 40, 56}, r.mid[0][0])    // 33.6->34->32, 42->40, 58.8->59->56
}

func TestResNet50SuperNetLayers(t *testing.T) {
	net := r50Net(t)
	require.Equal(t, 62, net.NumLayers()) // 3 stem + 18*3 + 4 shortcuts + FC
	for i, l := range net.Layers {
		require.Equal(t, int32(i), l.ID)
	}
	shape := func(id int32) string { return net.Layers[id].Shape() }
	assert.Equal(t, "32x3x3@224/2", shape(0))
	assert.Equal(t, "32x32x3@112", shape(1))
	assert.Equal(t, "64x32x3@112", shape(2))
	assert.Equal(t, "88x64x1@56", shape(3)) // 256*0.35 = 89.6 -> 88
	assert.Equal(t, "256x64x1@56", shape(6))
	assert.Equal(t, "stage1.block0.downsample", net.LayerName(6))
	assert.Equal(t, "176x176x3@56/2", shape(17)) // stage 2 block 0 conv2
	assert.Equal(t, "stage2.block0.conv2", net.LayerName(17))
	assert.Equal(t, "fc1000x2048", shape(61))
	assert.Equal(t, "classifier", net.LayerName(61))
	assert.Equal(t, "layer99", net.LayerName(99))
	assert.Equal(t, []int32{128, 144, 160, 176, 192, 208, 224}, net.Resolutions)
	// The full SuperNet is the largest config.
	max, err := net.Build("r224-d2,2,2,2,2-e" + strings.Repeat("0.35,", 17) + "0.35-w2,2,2,2,2,2")
	require.NoError(t, err)
	assert.Equal(t, net.Layers, max.Layers)
	assert.True(t, net.Full().Equal(max.SubGraph()))
	assert.Equal(t, net.Params(), max.Params())
	// Lookup returns the same SuperNet every time.
	assert.Same(t, net, r50Net(t))
}

// ResNet-50-D is expressible: width 1.0, expand 0.25 and extra depths
// [1,2,2,1] over the base [2,2,4,2] give blocks [3,4,6,3] with mid widths
// 64/128/256/512, and d[0]=2 the 32-32-64 stem. Source: torchvision's ResNet50_Weights.IMAGENET1K_V1
// meta (num_params 25,557,032; 4.09 GFLOPS, which are MACs), adjusted by
// hand for the D stem: the 7x7 conv (64x3x7x7 = 9,408 weights, BN 128)
// becomes three 3x3 convs (864 + 9,216 + 18,432 = 28,512 weights, BN 256),
// and at 112x112 its MACs go from 118,013,952 to 357,695,488. The
// avgpool_conv shortcut costs what torchvision's strided 1x1 does.
func TestResNet50StandardResNet50D(t *testing.T) {
	net := r50Net(t)
	s, err := net.Build("r224-d2,1,2,2,1-e" + strings.Repeat("0.25,", 17) + "0.25-w2,2,2,2,2,2")
	require.NoError(t, err)
	assert.Equal(t, int64(25_557_032-9_408-128+28_512+256), s.Params())
	wantMACs := 4.09e9 - 118_013_952 + 357_695_488
	assert.InEpsilon(t, wantMACs, float64(s.MACs()), 0.02)
	assert.Len(t, s.Layers, 3+16*3+4+1)
}

func TestResNet50ConfigErrors(t *testing.T) {
	net := r50Net(t)
	e18 := strings.Repeat("0.25,", 17) + "0.25"
	ok := "r224-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2"
	_, err := net.Build(ok)
	require.NoError(t, err)
	cases := []struct{ config, want string }{
		{"r224-d2,1,1,5,1-e" + e18 + "-w2,2,2,2,2,2", "ofa-resnet50 config: d[3]: 5 not in {0,1,2}"},
		{"r100-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2", "resolution: 100 not in 128..224 step 16"},
		{"r200-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2", "resolution: 200 not in 128..224 step 16"},
		{"rabc-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2", "resolution: abc not in 128..224 step 16"},
		{"r224-d2,1,1,1,1-e" + strings.Repeat("0.25,", 16) + "0.25-w2,2,2,2,2,2", "e: 17 values, want 18"},
		{"r224-d2,1,1,1-e" + e18 + "-w2,2,2,2,2,2", "d: 4 values, want 5"},
		{"r224-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,3", "w[5]: 3 not in {0,1,2} (indices into width multipliers 0.65,0.8,1.0)"},
		{"r224-d2,1,1,1,1-e0.3," + strings.Repeat("0.25,", 16) + "0.25-w2,2,2,2,2,2", "e[0]: 0.3 not in {0.2,0.25,0.35}"},
		{"r224-d2,1,1,1,1-e0.25,_," + strings.Repeat("0.25,", 15) + "0.25-w2,2,2,2,2,2", "e[1]: _ marks a skipped block, but d[1]=1 runs the first 3 blocks of stage 1"},
		{"r224-d2,1,1,1,1-e" + e18, "missing field w (want fields r, d, e, w)"},
		{"r224-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2-k3", `unknown field "k3" (want fields r, d, e, w)`},
		{"r224-r160-d2,1,1,1,1-e" + e18 + "-w2,2,2,2,2,2", "field r given twice"},
		{"", "empty config"},
		{"r224--d2,1,1,1,1", "empty field"},
		{"r224-d-e" + e18 + "-w2,2,2,2,2,2", "d: no values, want 5"},
		{"r224-d2,1,,1,1-e" + e18 + "-w2,2,2,2,2,2", `d[2]: "" not in {0,1,2}`},
	}
	for _, c := range cases {
		_, err := net.Build(c.config)
		if assert.Error(t, err, c.config) {
			assert.Contains(t, err.Error(), c.want, c.config)
		}
	}
}

func TestResNet50CanonicalForm(t *testing.T) {
	net := r50Net(t)
	canon := "r160-d0,0,0,1,0-e0.2,0.2,_,_,0.2,0.2,_,_,0.2,0.2,0.2,0.25,0.2,_,0.2,0.25,_,_-w0,0,0,0,0,1"
	variants := []string{
		canon,
		// Settings of blocks that do not run are ignored.
		"r160-d0,0,0,1,0-e0.2,0.2,0.35,0.35,0.2,0.2,0.2,0.25,0.2,0.2,0.2,0.25,0.2,0.35,0.2,0.25,0.2,0.2-w0,0,0,0,0,1",
		// d[0]=1 skips the stem's residual conv just as d[0]=0 does; w[0]=1
		// gives the same 24-wide stem as w[0]=0.
		"r160-d1,0,0,1,0-e0.2,0.2,_,_,0.2,0.2,_,_,0.2,0.2,0.2,0.25,0.2,_,0.2,0.25,_,_-w1,0,0,0,0,1",
		// Field order, spacing and number spelling are free.
		" w0,0,0,0,0,1 - e.2,0.20,_,_,0.2,0.2,_,_,0.2,0.2,0.2,.25,0.2,_,0.2,0.25,_,_ - d0,0,0,1,0 - r160 ",
	}
	var first *SubNet
	for _, v := range variants {
		s, err := net.Build(v)
		require.NoError(t, err, v)
		assert.Equal(t, canon, s.Config, v)
		assert.Equal(t, canon, s.Name)
		if first == nil {
			first = s
		}
		assert.Equal(t, first.Layers, s.Layers, v)
	}
	// Round trip over every point of a coarse grid of the space.
	for _, res := range []int{128, 176, 224} {
		for d := range 3 {
			for w := range 3 {
				for e := range 3 {
					cfg := fmt.Sprintf("r%d-d%d,%d,%d,%d,%d-e%s-w%d,%d,%d,%d,%d,%d", res, 2-d, d, (d+1)%3, (d+2)%3, d,
						strings.TrimSuffix(strings.Repeat(fmtNum(r50Expands[e])+",", 18), ","), w, (w+1)%3, w, (w+2)%3, w, (w+1)%3)
					s, err := net.Build(cfg)
					require.NoError(t, err, cfg)
					again, err := net.Build(s.Config)
					require.NoError(t, err)
					assert.Equal(t, s.Config, again.Config)
					assert.Equal(t, s.Layers, again.Layers)
				}
			}
		}
	}
}

// Resolutions between OFA's training sizes follow the conv arithmetic:
// 144 -> 72 (stem /2) -> 36 (max-pool) -> 18 -> 9 -> 5 (ceil for odd sizes).
func TestResNet50OddResolution(t *testing.T) {
	net := r50Net(t)
	s, err := net.Build("r144-d0,0,0,0,0-e" + strings.Repeat("0.2,", 17) + "0.2-w0,0,0,0,0,0")
	require.NoError(t, err)
	hs := map[string]int32{}
	for _, l := range s.Layers {
		hs[net.LayerName(l.ID)] = l.H
	}
	assert.Equal(t, int32(144), hs["stem.conv0"])
	assert.Equal(t, int32(72), hs["stem.conv2"])
	assert.Equal(t, int32(36), hs["stage1.block0.conv1"])
	assert.Equal(t, int32(18), hs["stage2.block0.conv3"])
	assert.Equal(t, int32(18), hs["stage2.block0.downsample"])
	assert.Equal(t, int32(9), hs["stage3.block1.conv2"])
	assert.Equal(t, int32(5), hs["stage4.block0.conv3"])
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("resnet18")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `supernet "resnet18" unknown (known: `)
	assert.Contains(t, err.Error(), ResNet50Name)
}
