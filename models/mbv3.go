package models

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// OFA-MobileNetV3 as Once-for-All builds it. Sources (mit-han-lab/
// once-for-all, commit f03b267): elastic_nn/networks/ofa_mbv3.py (base
// widths, stage strides, SE stages, first conv and block, final expand,
// feature mix, classifier), elastic_nn/modules/dynamic_layers.py
// (DynamicMBConvLayer: expand, depthwise, SE, point-linear), elastic_nn/
// modules/dynamic_op.py (DynamicSeparableConv2d: centre kernel slices and
// the 7to5 / 5to3 transform matrices), ofa/utils/pytorch_modules.py
// (SEModule: reduction 4, biases), and the README's search-space table.
const (
	// MBv3W10Name and MBv3W12Name are OFA-MobileNetV3's Lookup names, for
	// width multipliers 1.0 and 1.2 (ofa_mbv3_d234_e346_k357_w1.0 / _w1.2).
	MBv3W10Name = "ofa-mbv3-w1.0"
	MBv3W12Name = "ofa-mbv3-w1.2"

	mbv3Stages      = 5
	mbv3StageBlocks = 4 // max(depth)
	mbv3Blocks      = mbv3Stages * mbv3StageBlocks
	mbv3Classes     = 1000
	mbv3SEReduction = 4
	// The README gives 128-224 (w1.0) and 160-224 (w1.2). OFA's specialized
	// nets use sizes between its training sizes (note8_lat@22ms runs at
	// 140, @31ms at 152; mmrazor's converted configs), on the 4-pixel grid
	// of OFA's resize crop (my_random_resize_crop.py IMAGE_SIZE_SEG = 4).
	mbv3ResMax, mbv3ResStep = 224, 4
)

var (
	mbv3BaseWidth = [9]float64{16, 16, 24, 40, 80, 112, 160, 960, 1280}
	mbv3Stride    = [mbv3Stages]int32{2, 2, 2, 1, 2}
	mbv3UseSE     = [mbv3Stages]bool{false, true, false, true, true}
	mbv3Kernels   = ints(3, 5, 7)
	mbv3Expands   = ints(3, 4, 6)
	mbv3Depths    = ints(2, 3, 4)
)

// mbv3Config is a parsed OFA-MobileNetV3 config: depth per stage, kernel and
// expand index per block (-1 when the block does not run).
type mbv3Config struct {
	res int32
	d   [mbv3Stages]int8
	k   [mbv3Blocks]int8
	e   [mbv3Blocks]int8
}

// mbv3 holds the channel tables of one width's search space.
type mbv3 struct {
	name            string
	resMin          int32
	firstConv       int32 // first conv output = first block input
	firstBlock      int32 // first block output
	stageOut        [mbv3Stages]int32
	finalExpand     int32
	lastChannel     int32
	blockIn         [mbv3Blocks]int32
	mid             [mbv3Blocks][3]int32 // make_divisible(round(in * e))
	seMid           [mbv3Blocks][3]int32 // make_divisible(mid // 4)
	blockID         [mbv3Blocks]int32    // id of the block's expand conv
	finalID, mixID  int32
	fcID            int32
	transformsPerDW int64 // kernel transform matrix entries per elastic depthwise layer
	numLayers       int32
	chanParams      []int8
	layerNames      []string
}

func newMBv3(name string, width float64, resMin int32) *mbv3 {
	m := &mbv3{name: name, resMin: resMin}
	w := func(i int) int32 { return makeDivisible(mbv3BaseWidth[i]*width, 8) }
	m.firstConv, m.firstBlock = w(0), w(1)
	for s := range mbv3Stages {
		m.stageOut[s] = w(s + 2)
	}
	m.finalExpand, m.lastChannel = w(7), w(8)
	// 7to5 is a 25x25 matrix, 5to3 a 9x9 one, in every elastic depthwise
	// layer (DynamicSeparableConv2d with KERNEL_TRANSFORM_MODE = 1).
	m.transformsPerDW = 5*5*5*5 + 3*3*3*3

	id := int32(3) // first conv, first block's depthwise and point-linear
	var names []string
	names = append(names, "first_conv", "first_block.dw", "first_block.pw")
	var chans []int8
	chans = append(chans, 2, 2, 2) // each followed by batch norm
	in := m.firstBlock
	for b := range mbv3Blocks {
		s := b / mbv3StageBlocks
		m.blockIn[b] = in
		for j, e := range mbv3Expands {
			mid := makeDivisible(pyRound(float64(in)*e), 8)
			m.mid[b][j] = mid
			m.seMid[b][j] = makeDivisible(float64(mid/mbv3SEReduction), 8)
		}
		m.blockID[b] = id
		p := fmt.Sprintf("stage%d.block%d.", s+1, b%mbv3StageBlocks)
		names = append(names, p+"expand", p+"dw")
		chans = append(chans, 2, 2)
		if mbv3UseSE[s] {
			names = append(names, p+"se_reduce", p+"se_expand")
			chans = append(chans, 1, 1) // SE convs have biases, no batch norm
		}
		names = append(names, p+"pw")
		chans = append(chans, 2)
		id = int32(len(names))
		in = m.stageOut[s]
	}
	m.finalID, m.mixID, m.fcID = id, id+1, id+2
	names = append(names, "final_expand", "feature_mix", "classifier")
	// final expand: conv + BN; feature mix: no BN, no bias; classifier: bias.
	chans = append(chans, 2, 0, 1)
	m.numLayers = int32(len(names))
	m.layerNames = names
	m.chanParams = chans
	return m
}

func newMBv3Net(name string, width float64, resMin int32) func() *SuperNet {
	return func() *SuperNet {
		m := newMBv3(name, width, resMin)
		max := mbv3Config{res: mbv3ResMax}
		for s := range max.d {
			max.d[s] = 2
		}
		for b := range mbv3Blocks {
			max.k[b], max.e[b] = 2, 2
		}
		net := newSuperNet(name, m, max, seq(resMin, mbv3ResMax, mbv3ResStep))
		net.layerNames = m.layerNames
		net.chanParams = m.chanParams
		net.transformParams = mbv3Blocks * m.transformsPerDW
		return net
	}
}

func mbv3Runs(d *[mbv3Stages]int8, b int) bool {
	return b%mbv3StageBlocks < int(mbv3Depths[d[b/mbv3StageBlocks]])
}

func (m *mbv3) parse(config string) (mbv3Config, error) {
	var c mbv3Config
	f, err := configFields(config, "rdke")
	if err != nil {
		return c, err
	}
	if c.res, err = parseResolution(f[0], m.resMin, mbv3ResMax, mbv3ResStep); err != nil {
		return c, err
	}
	ds, err := configList("d", f[1], mbv3Stages)
	if err != nil {
		return c, err
	}
	for i, v := range ds {
		k, err := choiceIndex("d", i, v, mbv3Depths)
		if err != nil {
			return c, err
		}
		c.d[i] = int8(k)
	}
	for fi, key := range []string{"k", "e"} {
		allowed, dst := mbv3Kernels, &c.k
		if key == "e" {
			allowed, dst = mbv3Expands, &c.e
		}
		vs, err := configList(key, f[2+fi], mbv3Blocks)
		if err != nil {
			return c, err
		}
		for b, v := range vs {
			if !mbv3Runs(&c.d, b) {
				dst[b] = -1
				continue
			}
			s := b / mbv3StageBlocks
			if v == skipped {
				return c, fmt.Errorf("%s[%d]: %s marks a skipped block, but d[%d]=%s runs the first %s blocks of stage %d; want one of %s",
					key, b, skipped, s, fmtNum(mbv3Depths[c.d[s]]), fmtNum(mbv3Depths[c.d[s]]), s+1, setString(allowed))
			}
			idx, err := choiceIndex(key, b, v, allowed)
			if err != nil {
				return c, err
			}
			dst[b] = int8(idx)
		}
	}
	return c, nil
}

func (m *mbv3) format(c *mbv3Config) string {
	var sb strings.Builder
	sb.Grow(112)
	sb.WriteString("r")
	sb.WriteString(strconv.Itoa(int(c.res)))
	sb.WriteString("-d")
	for i, v := range c.d {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(fmtNum(mbv3Depths[v]))
	}
	for _, key := range []string{"k", "e"} {
		vals, allowed := &c.k, mbv3Kernels
		if key == "e" {
			vals, allowed = &c.e, mbv3Expands
		}
		sb.WriteString("-")
		sb.WriteString(key)
		for b, v := range vals {
			if b > 0 {
				sb.WriteByte(',')
			}
			if v < 0 {
				sb.WriteString(skipped)
			} else {
				sb.WriteString(fmtNum(allowed[v]))
			}
		}
	}
	return sb.String()
}

// layers appends the SubNet's layers, in execution order, to out.
func (m *mbv3) layers(c *mbv3Config, out []Layer) []Layer {
	var ks, mids [mbv3Blocks]int32
	var depth [mbv3Stages]int
	for s := range depth {
		depth[s] = int(mbv3Depths[c.d[s]])
	}
	for b := range mbv3Blocks {
		if c.k[b] >= 0 {
			ks[b] = int32(mbv3Kernels[c.k[b]])
			mids[b] = m.mid[b][c.e[b]]
		}
	}
	return m.layersOf(c.res, &depth, &ks, &mids, out)
}

// layersOf builds the layers from explicit mid widths, so that networks
// outside the search space's expand choices (the hand-designed
// MobileNetV3-Large) can be built from the same code for checking.
func (m *mbv3) layersOf(res int32, depth *[mbv3Stages]int, ks, mids *[mbv3Blocks]int32, out []Layer) []Layer {
	if out == nil {
		out = make([]Layer, 0, m.numLayers)
	}
	h := res
	add := func(l Layer) {
		out = append(out, l)
	}
	add(Layer{ID: 0, Kind: Conv, K: m.firstConv, C: 3, R: 3, Stride: 2, H: h})
	h = out[0].OutH()
	// The first block has expand ratio 1: no expand conv, no SE.
	add(Layer{ID: 1, Kind: Depthwise, K: m.firstConv, C: 1, R: 3, Stride: 1, H: h})
	add(Layer{ID: 2, Kind: Conv, K: m.firstBlock, C: m.firstConv, R: 1, Stride: 1, H: h})
	in := m.firstBlock
	for b := range mbv3Blocks {
		s, i := b/mbv3StageBlocks, b%mbv3StageBlocks
		if i >= depth[s] {
			continue
		}
		stride := int32(1)
		if i == 0 {
			stride = mbv3Stride[s]
		}
		mid, id := mids[b], m.blockID[b]
		add(Layer{ID: id, Kind: Conv, K: mid, C: in, R: 1, Stride: 1, H: h})
		add(Layer{ID: id + 1, Kind: Depthwise, K: mid, C: 1, R: ks[b], Stride: stride, H: h})
		h = out[len(out)-1].OutH()
		id += 2
		if mbv3UseSE[s] {
			se := makeDivisible(float64(mid/mbv3SEReduction), 8)
			// Squeeze-excite works on the pooled 1x1 map.
			add(Layer{ID: id, Kind: Conv, K: se, C: mid, R: 1, Stride: 1, H: 1})
			add(Layer{ID: id + 1, Kind: Conv, K: mid, C: se, R: 1, Stride: 1, H: 1})
			id += 2
		}
		o := m.stageOut[s]
		add(Layer{ID: id, Kind: Conv, K: o, C: mid, R: 1, Stride: 1, H: h})
		in = o
	}
	add(Layer{ID: m.finalID, Kind: Conv, K: m.finalExpand, C: in, R: 1, Stride: 1, H: h})
	// Global average pooling comes before the feature mix conv.
	add(Layer{ID: m.mixID, Kind: Conv, K: m.lastChannel, C: m.finalExpand, R: 1, Stride: 1, H: 1})
	add(Layer{ID: m.fcID, Kind: Linear, K: mbv3Classes, C: m.lastChannel, R: 1, Stride: 1, H: 1})
	return out
}

// sample draws a config uniformly over each choice, as OFA's
// sample_active_subnet does (plus the resolution).
func (m *mbv3) sample(r *rand.Rand) string {
	var c mbv3Config
	c.res = m.resMin + mbv3ResStep*int32(r.IntN(int((mbv3ResMax-m.resMin)/mbv3ResStep)+1))
	for s := range c.d {
		c.d[s] = int8(r.IntN(len(mbv3Depths)))
	}
	for b := range mbv3Blocks {
		k, e := int8(r.IntN(len(mbv3Kernels))), int8(r.IntN(len(mbv3Expands)))
		if !mbv3Runs(&c.d, b) {
			k, e = -1, -1
		}
		c.k[b], c.e[b] = k, e
	}
	return m.format(&c)
}

// sweepChain lists configs from the smallest to the largest, each one
// choice step up from the one before (see sweepLevels).
func (m *mbv3) sweepChain() []string {
	nres := int8((mbv3ResMax - m.resMin) / mbv3ResStep)
	levels := []int8{nres}
	for range mbv3Stages {
		levels = append(levels, 2)
	}
	for range 2 * mbv3Blocks {
		levels = append(levels, 2)
	}
	return sweepLevels(levels, func(v []int8) string {
		var c mbv3Config
		c.res = m.resMin + mbv3ResStep*int32(v[0])
		copy(c.d[:], v[1:1+mbv3Stages])
		for b := range mbv3Blocks {
			c.k[b], c.e[b] = v[1+mbv3Stages+b], v[1+mbv3Stages+mbv3Blocks+b]
			if !mbv3Runs(&c.d, b) {
				c.k[b], c.e[b] = -1, -1
			}
		}
		return m.format(&c)
	})
}
