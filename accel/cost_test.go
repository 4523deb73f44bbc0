package accel

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
)

// handHW has round numbers so that every cost below can be worked by hand:
// 16 x 9 x 9 array at 100 MHz (10 ns/cycle), int8, DRAM 10 B/cycle (1 GB/s,
// the ports carry 256 B/cycle), activation halves of 100,000 B, weight
// buffer halves of 10,000 B, and energies MAC 1, PB 2, WB 3, act 4, DRAM 100
// pJ; static 0.01 W = 100 pJ per cycle.
func handHW() Hardware {
	return Hardware{
		ArrayK: 16, ArrayC: 9, ArrayTaps: 9, Pointwise: PointwiseChannels, Strided: StridedSkip,
		ClockMHz: 100, DataBytes: 1,
		PBBytes: 1_000_000, WeightBufBytes: 20_000, ActBufBytes: 200_000, DeviceOnChipBytes: 10_000_000,
		DRAMGBps: 1, DRAMEfficiency: 1, DRAMPorts: 16, DRAMPortBytes: 16,
		Energy:          EnergyTable{MACpJ: 1, PBpJPerByte: 2, WeightBufpJPerByte: 3, ActBufpJPerByte: 4, DRAMpJPerByte: 100, StaticW: 0.01},
		ArrayEfficiency: 1, WeightTransfer: WeightsOverlapped, Reload: ReloadBlocking, Batch: 1,
	}
}

// fastHW is handHW with 100 B/cycle of DRAM (10 GB/s).
func fastHW() Hardware {
	h := handHW()
	h.DRAMGBps = 10
	return h
}

// subnetOf makes a SubNet of the given layers (ids 0..n-1) in a SuperNet
// made of exactly those layers.
func subnetOf(layers ...models.Layer) *models.SubNet {
	for i := range layers {
		layers[i].ID = int32(i)
	}
	net := &models.SuperNet{Name: "hand", Layers: layers}
	return &models.SubNet{Name: "hand", Net: net, Layers: append([]models.Layer(nil), layers...)}
}

var (
	conv3x3   = models.Layer{Kind: models.Conv, K: 32, C: 18, R: 3, Stride: 1, H: 20}
	conv1x1   = models.Layer{Kind: models.Conv, K: 32, C: 162, R: 1, Stride: 1, H: 10}
	depthwise = models.Layer{Kind: models.Depthwise, K: 32, C: 1, R: 3, Stride: 1, H: 20}
	fc        = models.Layer{Kind: models.Linear, K: 1000, C: 2048, R: 1, Stride: 1, H: 1}
)

func TestHandHardwareIsValid(t *testing.T) {
	h := handHW()
	require.NoError(t, h.Validate())
	assert.Equal(t, 10.0, h.DRAMBytesPerCycle())
	h = fastHW()
	assert.Equal(t, 100.0, h.DRAMBytesPerCycle())
	assert.Equal(t, int64(1296), h.PeakMACsPerCycle())
}

// Each case: a single-layer SubNet (so it reads its input from DRAM and
// writes its output there), nothing resident.
func TestLayerByHand(t *testing.T) {
	cases := []struct {
		name      string
		layer     models.Layer
		hw        Hardware
		compute   int64 // worked by hand from the mapping rules
		offchip   int64 // weights + input + output bytes
		transfer  int64 // ceil(offchip / bytes per cycle)
		bound     string
		actReads  int64 // input bytes x K tiles (depthwise: x 1)
		utilBound float64
	}{
		// 3x3: ceil(32/16)=2 x ceil(18/9)=2 x ceil(9/9)=1 x 20^2 = 1,600 cycles;
		// bytes 32*18*9=5,184 + 18*400=7,200 + 32*400=12,800 = 25,184.
		{"3x3 compute-bound", conv3x3, fastHW(), 1600, 25184, 252, "compute", 2 * 7200, 1},
		{"3x3 memory-bound", conv3x3, handHW(), 1600, 25184, 2519, "memory", 2 * 7200, 1},
		// 1x1, taps folded into channels: 2 x ceil(162/81)=2 x 10^2 = 400;
		// bytes 5,184 + 16,200 + 3,200 = 24,584.
		{"1x1 compute-bound", conv1x1, fastHW(), 400, 24584, 246, "compute", 2 * 16200, 1},
		{"1x1 memory-bound", conv1x1, handHW(), 400, 24584, 2459, "memory", 2 * 16200, 1},
		// depthwise on one C lane: 2 x ceil(9/9) x 400 = 800 (utilisation 1/9);
		// bytes 288 + 12,800 + 12,800 = 25,888.
		{"depthwise compute-bound", depthwise, fastHW(), 800, 25888, 259, "compute", 12800, 1.0 / 9},
		{"depthwise memory-bound", depthwise, handHW(), 800, 25888, 2589, "memory", 12800, 1.0 / 9},
		// FC: ceil(1000/16)=63 x ceil(2048/81)=26 = 1,638 cycles; bytes
		// 2,048,000 + 2,048 + 1,000 = 2,051,048: memory-bound even at 100 B/cycle.
		{"fc memory-bound", fc, fastHW(), 1638, 2051048, 20511, "memory", 63 * 2048, 2048000.0 / (1638 * 1296)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := subnetOf(c.layer)
			lc := c.hw.LayerCosts(s, models.SubGraph{})
			require.Len(t, lc, 1)
			l := lc[0]
			assert.Equal(t, c.compute, l.ComputeCycles)
			assert.Equal(t, c.offchip, l.OffchipBytes)
			assert.Equal(t, c.transfer, l.TransferCycles)
			assert.Equal(t, max(c.compute, c.transfer), l.Cycles)
			assert.Equal(t, c.bound, l.Bound())
			assert.InDelta(t, c.utilBound, l.Utilization, 1e-12)
			assert.Equal(t, c.layer.Weights(), l.WeightDRAMBytes)
			w := c.layer.Weights()
			in, out := c.layer.InActs(), c.layer.OutActs()
			assert.Equal(t, in, l.ActInDRAMBytes)
			assert.Equal(t, out, l.ActOutDRAMBytes)
			// SRAM: weight buffer written and read, activation buffer reads +
			// output writes + input fill.
			assert.Equal(t, 2*w, l.WeightBufAccessBytes)
			assert.Equal(t, c.actReads+out+in, l.ActBufAccessBytes)
			// Energy by hand: pJ figures 1 / 3 / 4 / 100, static 100 pJ/cycle.
			assert.InDelta(t, float64(c.layer.MACs()), l.Energy.MAC, 1e-6)
			assert.InDelta(t, float64(3*2*w+4*(c.actReads+out+in)), l.Energy.SRAM, 1e-6)
			assert.InDelta(t, float64(100*c.offchip), l.Energy.DRAM, 1e-6)
			assert.InDelta(t, float64(100*l.Cycles), l.Energy.Static, 1e-6)
			// Weights serialized: their transfer, then compute beside the
			// activations' transfer (the rest of the bytes).
			h := c.hw
			h.WeightTransfer = WeightsSerialized
			wT := int64(math.Ceil(float64(w) / h.DRAMBytesPerCycle()))
			assert.Equal(t, wT+max(c.compute, c.transfer-wT), h.LayerCosts(s, models.SubGraph{})[0].Cycles)
			// The totals agree with the layer.
			cost := c.hw.Cost(s, models.SubGraph{})
			assert.Equal(t, l.Cycles*10, cost.LatencyNs)
			assert.InDelta(t, l.Energy.Total(), cost.Energy.Total(), 1e-6)
		})
	}
}

func TestPointwiseMappings(t *testing.T) {
	s := subnetOf(conv1x1)
	h := fastHW()
	// pixels: 2 x ceil(162/9)=18 x ceil(100/9)=12 = 432; single tap: 2 x 18 x 100 = 3,600.
	h.Pointwise = PointwisePixels
	assert.Equal(t, int64(432), h.Cost(s, models.SubGraph{}).ComputeCycles)
	h.Pointwise = PointwiseSingle
	assert.Equal(t, int64(3600), h.Cost(s, models.SubGraph{}).ComputeCycles)
}

func TestStridedModes(t *testing.T) {
	l := conv3x3
	l.Stride = 2 // OutH = (20 + 2 - 3)/2 + 1 = 10
	s := subnetOf(l)
	h := fastHW()
	assert.Equal(t, int64(2*2*100), h.Cost(s, models.SubGraph{}).ComputeCycles)
	h.Strided = StridedDense // all (20 + 2 - 3 + 1)^2 = 400 stride-1 positions
	assert.Equal(t, int64(2*2*400), h.Cost(s, models.SubGraph{}).ComputeCycles)
	// MACs stay those of the kept outputs.
	assert.Equal(t, l.MACs(), h.Cost(s, models.SubGraph{}).MACs)
}

func TestFCComputeBoundWhenResident(t *testing.T) {
	s := subnetOf(fc)
	h := fastHW()
	h.PBBytes = 4_000_000
	c := h.LayerCosts(s, s.SubGraph())[0]
	// Only 2,048 + 1,000 activation bytes move: 31 cycles < 1,638.
	assert.Equal(t, int64(2048000), c.PBHitBytes)
	assert.Equal(t, int64(0), c.WeightDRAMBytes)
	assert.Equal(t, int64(3048), c.OffchipBytes)
	assert.Equal(t, int64(31), c.TransferCycles)
	assert.Equal(t, "compute", c.Bound())
	assert.InDelta(t, 2*2048000.0, c.PBpJ, 1e-6)
}

func TestResidentSliceServesItsShare(t *testing.T) {
	s := subnetOf(conv3x3)
	h := handHW()
	// Half the filters resident: 16 x 18 x 9 = 2,592 bytes from the PB.
	g := models.NewSubGraph(1).With(0, models.Slice{K: 16, C: 18, R: 3})
	c := h.Cost(s, g)
	assert.Equal(t, int64(5184), c.WeightBytes)
	assert.Equal(t, int64(2592), c.PBHitBytes)
	assert.Equal(t, int64(25184-2592), c.OffchipBytes)
	// A resident slice larger than the layer only serves the layer's part.
	big := models.NewSubGraph(1).With(0, models.Slice{K: 64, C: 64, R: 3})
	assert.Equal(t, int64(5184), h.Cost(s, big).PBHitBytes)
}

// A chain of three layers: only the first reads its input from DRAM, only
// the last writes all of its output; in between, activations stay in the
// buffer halves unless they overflow.
func TestActivationSpill(t *testing.T) {
	a := models.Layer{Kind: models.Conv, K: 160, C: 9, R: 3, Stride: 1, H: 120}  // in 129,600 B, out 2,304,000 B
	b := models.Layer{Kind: models.Conv, K: 16, C: 160, R: 1, Stride: 1, H: 120} // in 2,304,000, out 230,400
	c := models.Layer{Kind: models.Conv, K: 8, C: 16, R: 1, Stride: 2, H: 120}   // in 230,400, out 8 x 60^2 = 28,800
	s := subnetOf(a, b, c)
	h := handHW()
	lc := h.LayerCosts(s, models.SubGraph{})
	// a: input 129,600 > half (100,000): 100,000 loaded once, 29,600 streamed
	// per weight-buffer load; a's 12,960 weight bytes need ceil(12,960/10,000)
	// = 2 loads. Output: 2,304,000 - 100,000 spills.
	assert.Equal(t, int64(2), lc[0].InputPasses)
	assert.Equal(t, int64(100000+2*29600), lc[0].ActInDRAMBytes)
	assert.Equal(t, int64(2304000-100000), lc[0].ActOutDRAMBytes)
	// b: reads back the spilled 2,204,000 (its 2,560 weight bytes fit one
	// load); writes 230,400 - 100,000.
	assert.Equal(t, int64(1), lc[1].InputPasses)
	assert.Equal(t, int64(2204000), lc[1].ActInDRAMBytes)
	assert.Equal(t, int64(130400), lc[1].ActOutDRAMBytes)
	// c (last): reads back 130,400, writes its whole output.
	assert.Equal(t, int64(130400), lc[2].ActInDRAMBytes)
	assert.Equal(t, int64(28800), lc[2].ActOutDRAMBytes)
	// With a's weights resident the spilled input is streamed once.
	g := models.SubGraphOf(3, []models.Layer{a})
	assert.Equal(t, int64(129600), h.LayerCosts(s, g)[0].ActInDRAMBytes)
}

func TestNothingResidentVersusAllResident(t *testing.T) {
	s := subnetOf(conv3x3, conv1x1, depthwise, fc)
	h := handHW()
	h.PBBytes = 3_000_000
	none := h.Cost(s, models.SubGraph{})
	assert.Equal(t, s.Weights(), none.WeightBytes)
	assert.Equal(t, int64(0), none.PBHitBytes)
	var wd int64
	for _, l := range h.LayerCosts(s, models.SubGraph{}) {
		wd += l.WeightDRAMBytes
	}
	assert.Equal(t, s.Weights(), wd, "nothing resident: every weight byte comes from DRAM")

	require.True(t, h.PBFits(s.SubGraph()))
	all := h.Cost(s, s.SubGraph())
	assert.Equal(t, s.Weights(), all.PBHitBytes)
	wd = 0
	for _, l := range h.LayerCosts(s, s.SubGraph()) {
		wd += l.WeightDRAMBytes
	}
	assert.Equal(t, int64(0), wd, "SubNet resident: no weight byte from DRAM")
	assert.Equal(t, none.OffchipBytes-s.Weights(), all.OffchipBytes)
	assert.Less(t, all.LatencyNs, none.LatencyNs)
}

func TestPBFits(t *testing.T) {
	s := subnetOf(conv3x3) // 5,184 weights
	h := handHW()
	h.PBBytes = 5184
	assert.True(t, h.PBFits(s.SubGraph()))
	h.PBBytes = 5183
	assert.False(t, h.PBFits(s.SubGraph()))
	h.DataBytes = 2
	h.PBBytes = 10368
	assert.True(t, h.PBFits(s.SubGraph()))
}

func TestInt16DoublesBytes(t *testing.T) {
	s := subnetOf(conv3x3)
	h8, h16 := fastHW(), fastHW()
	h16.DataBytes = 2
	c8, c16 := h8.Cost(s, models.SubGraph{}), h16.Cost(s, models.SubGraph{})
	assert.Equal(t, 2*c8.OffchipBytes, c16.OffchipBytes)
	assert.Equal(t, 2*c8.WeightBytes, c16.WeightBytes)
	assert.Equal(t, c8.ComputeCycles, c16.ComputeCycles)
}

func TestReloadCost(t *testing.T) {
	s := subnetOf(conv3x3)
	h := handHW()
	full := s.SubGraph()
	half := models.NewSubGraph(1).With(0, models.Slice{K: 16, C: 18, R: 3})

	r := h.ReloadCost(models.SubGraph{}, full)
	// 5,184 bytes at 10 B/cycle: 519 cycles = 5,190 ns.
	assert.Equal(t, int64(5184), r.OffchipBytes)
	assert.Equal(t, int64(519), r.TransferCycles)
	assert.Equal(t, int64(5190), r.LatencyNs)
	assert.InDelta(t, 5184*100.0, r.Energy.DRAM, 1e-6)
	assert.InDelta(t, 5184*2.0, r.Energy.SRAM, 1e-6) // written into the PB
	assert.InDelta(t, 519*100.0, r.Energy.Static, 1e-6)

	// Only the bytes not already resident move.
	assert.Equal(t, int64(2592), h.ReloadCost(half, full).OffchipBytes)
	assert.Equal(t, Cost{}, h.ReloadCost(full, full))
	assert.Equal(t, Cost{}, h.ReloadCost(full, half), "shrinking loads nothing")
}

func TestWithReload(t *testing.T) {
	s := subnetOf(conv3x3)
	h := fastHW() // compute-bound: 1,600 cycles, 252 of transfer, 1,348 idle
	q := h.Cost(s, models.SubGraph{})
	require.Equal(t, int64(1348), q.DRAMIdleCycles)
	half := models.NewSubGraph(1).With(0, models.Slice{K: 16, C: 18, R: 3})
	r := h.ReloadCost(models.SubGraph{}, half) // 2,592 B at 100 B/cycle: 26 cycles
	require.Equal(t, int64(26), r.TransferCycles)

	h.Reload = ReloadBlocking
	b := h.WithReload(q, r)
	assert.Equal(t, int64(1626), b.Cycles)
	assert.Equal(t, int64(16260), b.LatencyNs)
	assert.Equal(t, q.OffchipBytes+2592, b.OffchipBytes)
	assert.InDelta(t, q.Energy.DRAM+r.Energy.DRAM, b.Energy.DRAM, 1e-6)

	h.Reload = ReloadOverlap // 26 cycles hide in the 1,348 idle ones
	o := h.WithReload(q, r)
	assert.Equal(t, q.Cycles, o.Cycles)
	assert.Equal(t, q.LatencyNs, o.LatencyNs)
	assert.Equal(t, int64(1348-26), o.DRAMIdleCycles)

	big := Cost{TransferCycles: 2000, Cycles: 2000, OffchipBytes: 200000}
	o = h.WithReload(q, big) // 2,000 - 1,348 = 652 cycles show
	assert.Equal(t, int64(1600+652), o.Cycles)
	assert.Equal(t, int64(0), o.DRAMIdleCycles)
}

func TestBatchFetchesWeightsOnce(t *testing.T) {
	s := subnetOf(conv3x3, conv1x1)
	h := handHW()
	one := h.BatchCost(s, models.SubGraph{}, 1)
	four := h.BatchCost(s, models.SubGraph{}, 4)
	w := s.Weights()
	assert.Equal(t, w, four.WeightBytes, "weights once per batch")
	act1 := one.OffchipBytes - w
	assert.Equal(t, w+4*act1, four.OffchipBytes, "activations once per query")
	assert.Equal(t, 4*one.ComputeCycles, four.ComputeCycles)
	assert.Equal(t, 4*one.MACs, four.MACs)
	pq := four.PerQuery(4)
	assert.Equal(t, four.LatencyNs, pq.LatencyNs)
	assert.Equal(t, (w+4*act1)/4, pq.OffchipBytes)
	assert.Less(t, pq.OffchipBytes, one.OffchipBytes, "batching cuts DRAM bytes per query")
	assert.InDelta(t, four.Energy.Total()/4, pq.Energy.Total(), 1e-6)
	// Batch below 1 counts as 1; Cost is batch 1.
	assert.Equal(t, one, h.BatchCost(s, models.SubGraph{}, 0))
	assert.Equal(t, one, h.Cost(s, models.SubGraph{}))
}

func TestPixelMappingPacksTheBatchOfFC(t *testing.T) {
	s := subnetOf(fc)
	h := fastHW()
	h.Pointwise = PointwisePixels
	// 63 x ceil(2048/9)=228 x ceil(B/9): batch 1..9 cost the same cycles.
	assert.Equal(t, int64(63*228), h.BatchCost(s, models.SubGraph{}, 1).ComputeCycles)
	assert.Equal(t, int64(63*228), h.BatchCost(s, models.SubGraph{}, 9).ComputeCycles)
	assert.Equal(t, int64(63*228*2), h.BatchCost(s, models.SubGraph{}, 10).ComputeCycles)
}

func TestLayerOverhead(t *testing.T) {
	s := subnetOf(conv3x3, conv1x1)
	h := fastHW()
	base := h.Cost(s, models.SubGraph{})
	h.LayerOverheadCycles = 100
	c := h.Cost(s, models.SubGraph{})
	assert.Equal(t, base.Cycles+200, c.Cycles)
	assert.Equal(t, base.ComputeCycles, c.ComputeCycles)
}

func TestEnergyComponentsSumAndMatchBytes(t *testing.T) {
	s := subnetOf(conv3x3, conv1x1, depthwise, fc)
	h := handHW()
	g := models.NewSubGraph(4).With(0, models.Slice{K: 16, C: 18, R: 3}).With(3, models.Slice{K: 500, C: 2048, R: 1})
	c := h.Cost(s, g)
	e := c.Energy
	assert.InDelta(t, e.MAC+e.SRAM+e.DRAM+e.Static, e.Total(), 1e-9)
	// Independent of the per-layer path: each component from the byte counts.
	assert.InDelta(t, float64(s.MACs())*1, e.MAC, 1e-6)
	assert.InDelta(t, float64(c.OffchipBytes)*100, e.DRAM, 1e-6)
	assert.InDelta(t, float64(c.Cycles)*100, e.Static, 1e-6)
	var sram, pbB, wbB, actB float64
	var layers Energy
	for _, l := range h.LayerCosts(s, g) {
		pbB += float64(l.PBAccessBytes)
		wbB += float64(l.WeightBufAccessBytes)
		actB += float64(l.ActBufAccessBytes)
		sram += l.PBpJ + l.WeightBufpJ + l.ActBufpJ
		layers = layers.Add(l.Energy)
	}
	assert.InDelta(t, 2*pbB+3*wbB+4*actB, e.SRAM, 1e-6)
	assert.InDelta(t, sram, e.SRAM, 1e-6)
	assert.InDelta(t, layers.Total(), e.Total(), 1e-3)
	assert.Equal(t, c.OnchipBytes, int64(pbB+wbB+actB))
}

func TestCostDoesNotAllocate(t *testing.T) {
	s := subnetOf(conv3x3, conv1x1, depthwise, fc)
	h := handHW()
	g := s.SubGraph()
	allocs := testing.AllocsPerRun(100, func() { _ = h.Cost(s, g) })
	assert.Zero(t, allocs)
}

// Write-allocate fill: weights the served SubNet streamed are captured for
// free; only what neither the old PB nor the stream held is read again.
func TestFillCostReadsOnlyWhatWasNotStreamed(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	// one 3x3 layer: slices are (K, C, R); weights K*C*9
	sg := func(k, c int32) models.SubGraph {
		return models.SubGraphFromSlices([]models.Slice{{K: k, C: c, R: 3}})
	}
	from, to, streamed := sg(16, 16), sg(64, 64), sg(32, 64)
	// new bytes: 64*64*9 - 16*16*9 = 34560; not streamed nor held:
	// 64*64*9 - (16*16*9 + 32*64*9 - 16*16*9) = 36864 - 18432 = 18432
	c := h.FillCost(from, to, streamed)
	assert.Equal(t, int64(34560), c.OnchipBytes)
	assert.Equal(t, int64(18432), c.OffchipBytes)
	r := h.ReloadCost(from, to)
	assert.Equal(t, int64(34560), r.OffchipBytes, "a plain reload reads every new byte")
	// everything streamed: no DRAM read, no time
	z := h.FillCost(from, to, to)
	assert.Zero(t, z.OffchipBytes)
	assert.Zero(t, z.LatencyNs)
	assert.Equal(t, int64(34560), z.OnchipBytes)
}

// Slices that are not nested (from wider in K, streamed in C), over two
// layers, one of which to does not hold: inclusion-exclusion by hand.
func TestFillCostNonNestedSlices(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	from := models.SubGraphFromSlices([]models.Slice{{K: 32, C: 16, R: 3}, {K: 8, C: 8, R: 1}})
	streamed := models.SubGraphFromSlices([]models.Slice{{K: 16, C: 32, R: 3}})
	to := models.SubGraphFromSlices([]models.Slice{{K: 64, C: 64, R: 3}})
	// layer 0: |to| = 36864, held 32*16*9 = 4608, streamed 16*32*9 = 4608,
	// both 16*16*9 = 2304; new = 36864 - 4608 = 32256; read = 36864 - 6912
	c := h.FillCost(from, to, streamed)
	assert.Equal(t, int64(32256), c.OnchipBytes)
	assert.Equal(t, int64(29952), c.OffchipBytes)
	allocs := testing.AllocsPerRun(50, func() { _ = h.FillCost(from, to, streamed) })
	assert.Zero(t, allocs)
}
