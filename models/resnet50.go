package models

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// OFA-ResNet50 as Once-for-All builds it. Sources (mit-han-lab/once-for-all,
// commit f03b267): ofa/imagenet_classification/networks/resnets.py
// (BASE_DEPTH_LIST, STAGE_WIDTH_LIST, max-pool), elastic_nn/networks/
// ofa_resnets.py (stem, stage strides, set_active_subnet), elastic_nn/modules/
// dynamic_layers.py (DynamicResNetBottleneckBlock: mid width, avgpool_conv
// shortcut), and the README's search-space table (width 0.65/0.8/1.0, depth
// 0/1/2, expand 0.2/0.25/0.35, resolution 128-224).
const (
	// ResNet50Name is OFA-ResNet50's Lookup name.
	ResNet50Name = "ofa-resnet50"

	r50Blocks  = 18   // 4+4+6+4: base depth + max extra depth per stage
	r50Classes = 1000 // ImageNet
	// OFA trains at {128,160,192,224} (train_ofa_net.py image_size) and the
	// README gives the range 128-224; we allow every 16 in between.
	r50ResMin, r50ResMax, r50ResStep = 128, 224, 16
)

var (
	r50BaseDepth   = [4]int{2, 2, 4, 2}
	r50StageWidth  = [4]float64{256, 512, 1024, 2048}
	r50StageStride = [4]int32{1, 2, 2, 2}
	r50WidthMults  = []float64{0.65, 0.8, 1.0}
	r50Expands     = []float64{0.2, 0.25, 0.35}
	r50Depths      = ints(0, 1, 2)
	r50StemDepths  = ints(0, 1, 2)
	r50WidthIdx    = ints(0, 1, 2)
)

// r50Config is a parsed OFA-ResNet50 config. Indices, not values: d holds
// extra blocks per stage (d[0] is the stem: its residual conv runs only when
// d[0] is the maximum, as set_active_subnet sets input_stem_skipping), e the
// expand index of each block (-1 when the block does not run), w the width
// index of the stem's first two convs (w[0]), the stem output (w[1]) and each
// stage (w[2..5]).
type r50Config struct {
	res int32
	d   [5]int8
	e   [r50Blocks]int8
	w   [6]int8
}

// resnet50 holds the channel tables of the search space, computed once.
type resnet50 struct {
	stemMid  [3]int32    // make_divisible(stemOut // 2)
	stemOut  [3]int32    // make_divisible(64 * w)
	stageOut [4][3]int32 // make_divisible(width * w)
	// mid[s][w][e]: make_divisible(round(out * e)), the bottleneck width
	mid        [4][3][3]int32
	blockStage [r50Blocks]int   // stage of each block
	blockIndex [r50Blocks]int   // position within its stage
	blockID    [r50Blocks]int32 // SuperNet id of the block's conv1
	fcID       int32
}

func newResNet50() *resnet50 {
	n := &resnet50{}
	for i, w := range r50WidthMults {
		n.stemOut[i] = makeDivisible(64*w, 8)
		n.stemMid[i] = makeDivisible(float64(n.stemOut[i]/2), 8)
		for s := range 4 {
			out := makeDivisible(r50StageWidth[s]*w, 8)
			n.stageOut[s][i] = out
			for j, e := range r50Expands {
				n.mid[s][i][j] = makeDivisible(pyRound(float64(out)*e), 8)
			}
		}
	}
	id := int32(3) // three stem convs first
	b := 0
	for s := range 4 {
		for i := range r50BaseDepth[s] + 2 {
			n.blockStage[b], n.blockIndex[b], n.blockID[b] = s, i, id
			id += 3
			if i == 0 {
				id++ // the avgpool_conv shortcut
			}
			b++
		}
	}
	n.fcID = id
	return n
}

// newResNet50Net builds the SuperNet value.
func newResNet50Net() *SuperNet {
	r := newResNet50()
	max := r50Config{res: r50ResMax}
	max.d = [5]int8{2, 2, 2, 2, 2}
	max.w = [6]int8{2, 2, 2, 2, 2, 2}
	for b := range max.e {
		max.e[b] = 2
	}
	net := newSuperNet(ResNet50Name, r, max, seq(r50ResMin, r50ResMax, r50ResStep))
	net.layerNames = r.layerNames()
	net.chanParams = make([]int8, len(net.Layers))
	for i := range net.chanParams {
		net.chanParams[i] = 2 // batch-norm gamma and beta after every conv
	}
	net.chanParams[r.fcID] = 1 // the classifier's bias
	return net
}

// stageBlocks returns the first block index of stage s and its block count.
func (r *resnet50) stageBlocks(s int) (first, n int) {
	for b := range r50Blocks {
		if r.blockStage[b] == s {
			if r.blockIndex[b] == 0 {
				first = b
			}
			n++
		}
	}
	return first, n
}

// runs reports whether block b runs under depths d.
func (r *resnet50) runs(d *[5]int8, b int) bool {
	s := r.blockStage[b]
	return r.blockIndex[b] < r50BaseDepth[s]+int(d[s+1])
}

func (r *resnet50) parse(config string) (r50Config, error) {
	var c r50Config
	f, err := configFields(config, "rdew")
	if err != nil {
		return c, err
	}
	if c.res, err = parseResolution(f[0], r50ResMin, r50ResMax, r50ResStep); err != nil {
		return c, err
	}
	ds, err := configList("d", f[1], 5)
	if err != nil {
		return c, err
	}
	for i, v := range ds {
		allowed := r50Depths
		if i == 0 {
			allowed = r50StemDepths
		}
		k, err := choiceIndex("d", i, v, allowed)
		if err != nil {
			return c, err
		}
		c.d[i] = int8(k)
	}
	ws, err := configList("w", f[3], 6)
	if err != nil {
		return c, err
	}
	for i, v := range ws {
		k, err := choiceIndex("w", i, v, r50WidthIdx)
		if err != nil {
			return c, fmt.Errorf("%w (indices into width multipliers 0.65,0.8,1.0)", err)
		}
		c.w[i] = int8(k)
	}
	es, err := configList("e", f[2], r50Blocks)
	if err != nil {
		return c, err
	}
	for b, v := range es {
		if !r.runs(&c.d, b) {
			c.e[b] = -1 // any value is accepted and ignored: the block does not run
			continue
		}
		s := r.blockStage[b]
		if v == skipped {
			return c, fmt.Errorf("e[%d]: %s marks a skipped block, but d[%d]=%d runs the first %d blocks of stage %d; want one of %s",
				b, skipped, s+1, c.d[s+1], r50BaseDepth[s]+int(c.d[s+1]), s+1, setString(r50Expands))
		}
		k, err := choiceIndex("e", b, v, r50Expands)
		if err != nil {
			return c, err
		}
		c.e[b] = int8(k)
	}
	r.canonicalize(&c)
	return c, nil
}

// canonicalize maps configs that build the same SubNet onto one: the stem's
// residual conv runs only at d[0]=2, so d[0]=1 is d[0]=0; and w[0]=1 gives
// the same stem width as w[0]=0 (both 24).
func (r *resnet50) canonicalize(c *r50Config) {
	if c.d[0] != 2 {
		c.d[0] = 0
	}
	for c.w[0] > 0 && r.stemMid[c.w[0]] == r.stemMid[c.w[0]-1] {
		c.w[0]--
	}
}

func (r *resnet50) format(c *r50Config) string {
	var sb strings.Builder
	sb.Grow(128)
	sb.WriteString("r")
	sb.WriteString(strconv.Itoa(int(c.res)))
	sb.WriteString("-d")
	for i, v := range c.d {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.Itoa(int(v)))
	}
	sb.WriteString("-e")
	for b, v := range c.e {
		if b > 0 {
			sb.WriteByte(',')
		}
		if v < 0 {
			sb.WriteString(skipped)
		} else {
			sb.WriteString(fmtNum(r50Expands[v]))
		}
	}
	sb.WriteString("-w")
	for i, v := range c.w {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.Itoa(int(v)))
	}
	return sb.String()
}

// layers appends the SubNet's layers, in execution order, to out.
func (r *resnet50) layers(c *r50Config, out []Layer) []Layer {
	if out == nil {
		out = make([]Layer, 0, r.fcID+1)
	}
	h := c.res
	mid, stem := r.stemMid[c.w[0]], r.stemOut[c.w[1]]
	conv := func(id, k, cin, rr, stride int32) {
		l := Layer{ID: id, Kind: Conv, K: k, C: cin, R: rr, Stride: stride, H: h}
		out = append(out, l)
	}
	conv(0, mid, 3, 3, 2)
	h = out[len(out)-1].OutH()
	if c.d[0] == 2 {
		conv(1, mid, mid, 3, 1)
	}
	conv(2, stem, mid, 3, 1)
	h = (h-1)/2 + 1 // max-pool 3x3, stride 2, pad 1
	in := stem
	for b := range r50Blocks {
		if !r.runs(&c.d, b) {
			continue
		}
		s := r.blockStage[b]
		first := r.blockIndex[b] == 0
		o := r.stageOut[s][c.w[s+2]]
		m := r.mid[s][c.w[s+2]][c.e[b]]
		stride := int32(1)
		if first {
			stride = r50StageStride[s]
		}
		id := r.blockID[b]
		conv(id, m, in, 1, 1)
		conv(id+1, m, m, 3, stride)
		h = out[len(out)-1].OutH()
		conv(id+2, o, m, 1, 1)
		if first {
			// avgpool_conv: AvgPool(stride, ceil_mode) then 1x1, so the
			// conv sees the block's output resolution.
			conv(id+3, o, in, 1, 1)
		}
		in = o
	}
	out = append(out, Layer{ID: r.fcID, Kind: Linear, K: r50Classes, C: in, R: 1, Stride: 1, H: 1})
	return out
}

func (r *resnet50) layerNames() []string {
	names := make([]string, r.fcID+1)
	names[0], names[1], names[2] = "stem.conv0", "stem.conv1", "stem.conv2"
	for b := range r50Blocks {
		p := fmt.Sprintf("stage%d.block%d.", r.blockStage[b]+1, r.blockIndex[b])
		id := r.blockID[b]
		names[id], names[id+1], names[id+2] = p+"conv1", p+"conv2", p+"conv3"
		if r.blockIndex[b] == 0 {
			names[id+3] = p + "downsample"
		}
	}
	names[r.fcID] = "classifier"
	return names
}

// sample draws a config uniformly over each choice, as OFA's
// sample_active_subnet does: d[0] from {0, 2} (stem residual conv off or
// on), everything else over all its values, plus the resolution.
func (r *resnet50) sample(rng *rand.Rand) string {
	var c r50Config
	c.res = r50ResMin + r50ResStep*int32(rng.IntN((r50ResMax-r50ResMin)/r50ResStep+1))
	c.d[0] = int8(2 * rng.IntN(2))
	for s := 1; s < 5; s++ {
		c.d[s] = int8(rng.IntN(len(r50Depths)))
	}
	for i := range c.w {
		c.w[i] = int8(rng.IntN(len(r50WidthIdx)))
	}
	for b := range c.e {
		c.e[b] = int8(rng.IntN(len(r50Expands)))
		if !r.runs(&c.d, b) {
			c.e[b] = -1
		}
	}
	r.canonicalize(&c)
	return r.format(&c)
}

// sweepChain lists configs from the smallest to the largest, each one
// choice step up from the one before (see sweepLevels).
func (r *resnet50) sweepChain() []string {
	// res, d[0..4], w[0..5], e[0..17]; d[0] and w[0] have one effective
	// step each (0 -> 2).
	levels := []int8{(r50ResMax - r50ResMin) / r50ResStep, 1, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2}
	for range r50Blocks {
		levels = append(levels, 2)
	}
	return sweepLevels(levels, func(v []int8) string {
		c := r50Config{res: r50ResMin + r50ResStep*int32(v[0])}
		copy(c.d[:], v[1:6])
		copy(c.w[:], v[6:12])
		c.d[0] *= 2
		c.w[0] *= 2
		for b := range c.e {
			c.e[b] = v[12+b]
			if !r.runs(&c.d, b) {
				c.e[b] = -1
			}
		}
		return r.format(&c)
	})
}
