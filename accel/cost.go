package accel

import (
	"math"

	"github.com/sushisim/sushisim/models"
)

// Energy is split by component, in picojoules.
type Energy struct {
	MAC    float64 // multiply-accumulates
	SRAM   float64 // on-chip buffer accesses (PB, weight buffer, activation buffer)
	DRAM   float64 // off-chip reads and writes
	Static float64 // static power over the busy time
}

// Total is the sum of the components, pJ.
func (e Energy) Total() float64 { return e.MAC + e.SRAM + e.DRAM + e.Static }

// Add returns the component-wise sum.
func (e Energy) Add(o Energy) Energy {
	return Energy{e.MAC + o.MAC, e.SRAM + o.SRAM, e.DRAM + o.DRAM, e.Static + o.Static}
}

// Scale returns every component multiplied by f.
func (e Energy) Scale(f float64) Energy {
	return Energy{e.MAC * f, e.SRAM * f, e.DRAM * f, e.Static * f}
}

// Cost is what running a SubNet (or a batch on it, or a PB reload) costs.
type Cost struct {
	LatencyNs      int64 // wall time, ns (Cycles at the clock, rounded)
	Cycles         int64 // busy cycles: sum over layers of max(compute, transfer), or of their sum without overlap
	ComputeCycles  int64 // sum over layers of PE-array cycles
	TransferCycles int64 // sum over layers of DRAM transfer cycles
	DRAMIdleCycles int64 // Cycles during which the DRAM link is idle (room for an overlapped reload)
	MACs           int64 // multiply-accumulates
	WeightBytes    int64 // weight bytes the SubNet needs (once per batch)
	PBHitBytes     int64 // of WeightBytes, those served from the persistent buffer
	OffchipBytes   int64 // all DRAM traffic: weights not resident + activation spill and I/O
	OnchipBytes    int64 // all SRAM traffic (PB, weight buffer, activation buffer)
	Energy         Energy
}

// Bound is "compute" when the array, "memory" when the DRAM link, takes more
// of the cycles.
func (c Cost) Bound() string { return bound(c.ComputeCycles, c.TransferCycles) }

func bound(compute, transfer int64) string {
	if compute >= transfer {
		return "compute"
	}
	return "memory"
}

// PerQuery is the share of one query in a batch of n: bytes and energy divided
// by n, times unchanged (every query of a batch waits for the whole batch).
func (c Cost) PerQuery(n int) Cost {
	if n <= 1 {
		return c
	}
	b := int64(n)
	c.MACs /= b
	c.WeightBytes /= b
	c.PBHitBytes /= b
	c.OffchipBytes /= b
	c.OnchipBytes /= b
	c.Energy = c.Energy.Scale(1 / float64(n))
	return c
}

// LayerCost explains one layer: where its cycles go, which bound wins, bytes
// by memory level and energy by component.
type LayerCost struct {
	Index int          // position in the SubNet
	Layer models.Layer // shape and SuperNet layer id
	Batch int

	MACs           int64
	ComputeCycles  int64
	TransferCycles int64
	Cycles         int64   // max(compute, transfer) overlapped, else weights + max(compute, activations); + layer_overhead_cycles
	Utilization    float64 // MACs / (ComputeCycles x array MACs): how well the layer maps

	WeightBytes     int64 // weights the layer needs
	PBHitBytes      int64 // of those, read from the persistent buffer
	WeightDRAMBytes int64 // of those, streamed from DRAM through the weight buffer
	ActInDRAMBytes  int64 // input activations read from DRAM (network input, spill)
	ActOutDRAMBytes int64 // output activations written to DRAM (spill, network output)
	InputPasses     int64 // times a spilled input is streamed (once per weight-buffer load)
	OffchipBytes    int64

	PBAccessBytes        int64 // persistent buffer reads
	WeightBufAccessBytes int64 // weight buffer writes + reads
	ActBufAccessBytes    int64 // activation buffer reads + writes
	OnchipBytes          int64

	Energy      Energy
	PBpJ        float64 // SRAM energy by buffer, pJ (they sum to Energy.SRAM)
	WeightBufpJ float64
	ActBufpJ    float64
}

// Bound is "compute" or "memory", whichever takes more cycles.
func (l LayerCost) Bound() string { return bound(l.ComputeCycles, l.TransferCycles) }

// Cost of one query on s with SubGraph resident in the PB (the caller keeps
// resident within the PB: see PBFits). It does not allocate.
func (h *Hardware) Cost(s *models.SubNet, resident models.SubGraph) Cost {
	return h.BatchCost(s, resident, 1)
}

// BatchCost of a batch of queries on s: weights are fetched once for the
// batch, activations scale with it. Latency is the whole batch's; see
// Cost.PerQuery for one query's share. A batch below 1 counts as 1.
func (h *Hardware) BatchCost(s *models.SubNet, resident models.SubGraph, batch int) Cost {
	m := h.model()
	b := int64(max(batch, 1))
	var a costSum
	n := len(s.Layers)
	for i, l := range s.Layers {
		p := m.plan(l, b, i == 0, i == n-1)
		e := m.eval(&p, resident.LayerWeights(l))
		a.add(&p, &e)
	}
	return a.finish(&m)
}

// LayerCosts is the per-layer explanation of Cost (batch 1).
func (h *Hardware) LayerCosts(s *models.SubNet, resident models.SubGraph) []LayerCost {
	return h.BatchLayerCosts(s, resident, 1)
}

// BatchLayerCosts is the per-layer explanation of BatchCost.
func (h *Hardware) BatchLayerCosts(s *models.SubNet, resident models.SubGraph, batch int) []LayerCost {
	m := h.model()
	b := int64(max(batch, 1))
	out := make([]LayerCost, len(s.Layers))
	n := len(s.Layers)
	for i, l := range s.Layers {
		p := m.plan(l, b, i == 0, i == n-1)
		e := m.eval(&p, resident.LayerWeights(l))
		en, pbE, wbE, actE := m.layerEnergy(&p, &e)
		out[i] = LayerCost{
			Index: i, Layer: l, Batch: int(b),
			MACs: p.macs, ComputeCycles: p.compute, TransferCycles: e.transfer, Cycles: e.cycles,
			Utilization:     float64(p.macs) / (float64(p.compute) * float64(m.peak)),
			WeightBytes:     p.weightBytes,
			PBHitBytes:      e.pb,
			WeightDRAMBytes: e.streamed,
			ActInDRAMBytes:  e.inDRAM, ActOutDRAMBytes: p.outDRAM, InputPasses: e.passes,
			OffchipBytes:  e.offchip,
			PBAccessBytes: e.pb, WeightBufAccessBytes: 2 * e.streamed, ActBufAccessBytes: e.act,
			OnchipBytes: e.pb + 2*e.streamed + e.act,
			Energy:      en,
			PBpJ:        pbE, WeightBufpJ: wbE, ActBufpJ: actE,
		}
		if p.compute == 0 {
			out[i].Utilization = 0
		}
	}
	return out
}

// ReloadCost of making to resident when from is: the bytes of to that from
// does not hold are read from DRAM (as stored there: padded like streamed
// weights, see padK) and written into the PB. The time is the
// DRAM transfer alone (the array is not involved); static energy is charged
// over it. Whether that time blocks the next query is Hardware.Reload's
// business (see WithReload).
func (h *Hardware) ReloadCost(from, to models.SubGraph) Cost {
	return h.FillCost(from, to, models.SubGraph{})
}

// FillCost is ReloadCost when the PB may also capture weights as they
// stream past for the query just served (write-allocate): the new bytes of
// to are all written into the PB, but only those the query did not stream
// (to minus from, minus streamed) are read from DRAM again. An LRU buffer
// fills this way; a policy that decides ahead, like SGS, reloads.
func (h *Hardware) FillCost(from, to, streamed models.SubGraph) Cost {
	m := h.model()
	// One pass, no allocation (it runs on every LRU change). Per layer, the
	// weights of to outside from ∪ streamed, by inclusion-exclusion: exact
	// for leading slices, whose intersections are leading slices.
	var newW, missing int64
	for i := 0; i < to.Len(); i++ {
		t := to.At(int32(i))
		f := from.At(int32(i)).Meet(t)
		s := streamed.At(int32(i)).Meet(t)
		newW += t.Weights() - f.Weights()
		// Read as stored in DRAM: padded like streamed weights (padK).
		missing += m.padK(t.Weights()-f.Weights()-s.Weights()+f.Meet(s).Weights(), t.K)
	}
	written := newW * m.dataBytes
	read := missing * m.dataBytes
	tc := m.transferCycles(read)
	return Cost{
		LatencyNs:      h.CyclesToNs(tc),
		Cycles:         tc,
		TransferCycles: tc,
		OffchipBytes:   read,
		OnchipBytes:    written,
		Energy: Energy{
			SRAM:   float64(written) * m.e.PBpJPerByte,
			DRAM:   float64(read) * m.e.DRAMpJPerByte,
			Static: m.staticpJ(tc),
		},
	}
}

// model is Hardware resolved into the numbers the per-layer formulas use.
type model struct {
	ak, ac, at int64
	pointwise  Pointwise
	dataBytes  int64
	actHalf    int64 // each half of the ping-pong activation buffer
	wbHalf     int64 // each half of the double-buffered weight buffer
	bpc        float64
	overlap    bool    // transfer overlapped with compute
	actDRAM    bool    // every layer's activations to and from DRAM
	pad        bool    // DRAM tensors padded to the array tile
	arrayEff   float64 // share of rounded array cycles that do work
	dense      bool    // strided layers computed at stride 1
	overhead   int64   // fixed cycles per layer
	e          EnergyTable
	clockMHz   float64
	peak       int64
}

func (h *Hardware) model() model {
	return model{
		ak: int64(h.ArrayK), ac: int64(h.ArrayC), at: int64(h.ArrayTaps),
		pointwise: h.Pointwise,
		dataBytes: int64(h.DataBytes),
		actHalf:   h.ActBufBytes / 2,
		wbHalf:    h.WeightBufBytes / 2,
		bpc:       h.DRAMBytesPerCycle(),
		overlap:   h.WeightTransfer == WeightsOverlapped,
		actDRAM:   h.Activations == ActivationsDRAM,
		pad:       h.Padding == PaddingArray,
		arrayEff:  h.ArrayEfficiency,
		dense:     h.Strided == StridedDense,
		overhead:  h.LayerOverheadCycles,
		e:         h.Resolved(),
		clockMHz:  h.ClockMHz,
		peak:      h.PeakMACsPerCycle(),
	}
}

// padK is what n bytes (or weights) of a tensor with k output channels
// become on the DRAM bus with padding = "array": k rounded up to the
// array's K, whole zero filters or output channels. It is the one padding
// rule for streamed weights, PB fills and outputs; n otherwise.
func (m *model) padK(n int64, k int32) int64 {
	if !m.pad || k <= 0 {
		return n
	}
	return cdiv(n*roundUp(int64(k), m.ak), int64(k))
}

// derate stretches ideal array cycles by the array efficiency.
func (m *model) derate(cycles int64) int64 {
	if m.arrayEff == 1 || m.arrayEff <= 0 {
		return cycles
	}
	return int64(math.Ceil(float64(cycles) / m.arrayEff))
}

func roundUp(a, b int64) int64 { return cdiv(a, b) * b }

func cdiv(a, b int64) int64 {
	if b <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

func (m *model) transferCycles(bytes int64) int64 {
	if bytes <= 0 {
		return 0
	}
	return int64(math.Ceil(float64(bytes) / m.bpc))
}

func (m *model) staticpJ(cycles int64) float64 {
	return m.e.StaticW * float64(cycles) * 1e6 / m.clockMHz
}

// computeCycles maps a layer onto the K x C x taps array, one output pixel
// per cycle, over pixels = batch x OutH^2 output pixels (with Strided
// "dense", a strided layer computes all (H + 2 pad - R + 1)^2 stride-1
// positions instead):
//   - RxR conv: ceil(K/AK) x ceil(C/AC) x ceil(R^2/AT) x pixels;
//   - depthwise: one input-channel lane (output k reads only channel k):
//     ceil(K/AK) x ceil(R^2/AT) x pixels;
//   - 1x1 conv and FC by Pointwise: "channels" ceil(K/AK) x ceil(C/(AC x AT))
//     x pixels; "pixels" ceil(K/AK) x ceil(C/AC) x ceil(pixels/AT);
//     "single" ceil(K/AK) x ceil(C/AC) x pixels.
func (m *model) computeCycles(l models.Layer, pixels int64) int64 {
	kT := cdiv(int64(l.K), m.ak)
	c := int64(l.C)
	taps := int64(l.R) * int64(l.R)
	switch {
	case l.Kind == models.Depthwise:
		return kT * cdiv(taps, m.at) * pixels
	case l.Kind == models.Linear || l.R == 1:
		switch m.pointwise {
		case PointwisePixels:
			return kT * cdiv(c, m.ac) * cdiv(pixels, m.at)
		case PointwiseSingle:
			return kT * cdiv(c, m.ac) * pixels
		}
		return kT * cdiv(c, m.ac*m.at) * pixels
	}
	return kT * cdiv(c, m.ac) * cdiv(taps, m.at) * pixels
}

// layerPlan is the part of a layer's cost that does not depend on what the
// PB holds.
type layerPlan struct {
	macs, compute int64
	weightBytes   int64
	inFirst       int64 // network input loaded once into the input half (first layer only)
	spillIn       int64 // input bytes beyond the input half: streamed from DRAM on every pass
	outDRAM       int64 // output bytes written to DRAM: beyond the output half, or all of the network output
	actBase       int64 // activation buffer traffic besides DRAM refills: input reads once per K tile + output writes
	multiPass     bool  // a spilled input is re-streamed per weight-buffer load (not depthwise)
	k             int32 // output channels, for padding = "array" (padK)
}

func (m *model) plan(l models.Layer, batch int64, first, last bool) layerPlan {
	o := int64(l.OutH())
	po := o // output positions the array computes
	if m.dense && l.Stride > 1 && l.Kind != models.Linear {
		po = int64(l.H + 2*l.Pad() - l.R + 1)
	}
	in := batch * l.InActs() * m.dataBytes
	out := batch * l.OutActs() * m.dataBytes
	p := layerPlan{
		macs:        batch * l.MACs(),
		compute:     m.derate(m.computeCycles(l, batch*po*po)),
		weightBytes: l.Weights() * m.dataBytes,
		multiPass:   l.Kind != models.Depthwise,
		k:           l.K,
	}
	if m.pad {
		// The bus carries the zero channels the array tile needs.
		inC := int64(l.InChannels())
		if l.Kind == models.Depthwise {
			in = in / inC * roundUp(inC, m.ak)
		} else {
			in = in / inC * roundUp(inC, m.ac)
		}
		out = m.padK(out, l.K)
	}
	switch {
	case m.actDRAM:
		// Layer by layer: the whole input comes from DRAM (on every pass,
		// see eval) and the whole output goes back.
		p.spillIn, p.outDRAM = in, out
	default:
		p.spillIn, p.outDRAM = max(0, in-m.actHalf), max(0, out-m.actHalf)
		if first {
			p.inFirst = min(in, m.actHalf)
		}
		if last {
			p.outDRAM = out
		}
	}
	kReuse := cdiv(int64(l.K), m.ak)
	if l.Kind == models.Depthwise {
		kReuse = 1 // each input channel feeds one filter, in one K tile
	}
	p.actBase = in*kReuse + out
	return p
}

// layerEval is a layer's traffic and time with resElems of its weights
// resident; energies follow linearly from it (see energy).
type layerEval struct {
	pb, streamed     int64 // weight bytes from the PB; from DRAM through the weight buffer
	passes, inDRAM   int64
	offchip          int64
	transfer, cycles int64
	act              int64 // activation buffer bytes
}

func (m *model) eval(p *layerPlan, resElems int64) layerEval {
	var e layerEval
	e.pb = resElems * m.dataBytes
	e.streamed = p.weightBytes - e.pb
	e.streamed = m.padK(e.streamed, p.k)
	e.passes = 1
	if p.spillIn > 0 && p.multiPass && e.streamed > m.wbHalf && m.wbHalf > 0 {
		// Output-stationary over the input: each load of the weight
		// buffer's half streams the spilled input once.
		e.passes = cdiv(e.streamed, m.wbHalf)
	}
	e.inDRAM = p.inFirst + p.spillIn*e.passes
	e.offchip = e.streamed + e.inDRAM + p.outDRAM
	e.transfer = m.transferCycles(e.offchip)
	if m.overlap {
		e.cycles = max(p.compute, e.transfer)
	} else {
		// Weights first, then compute with the activations streaming.
		w := m.transferCycles(e.streamed)
		e.cycles = w + max(p.compute, e.transfer-w)
	}
	e.cycles += m.overhead
	e.act = p.actBase + e.inDRAM // reads, output writes, refills from DRAM
	return e
}

// layerEnergy is a layer's energy, with the SRAM part by buffer.
func (m *model) layerEnergy(p *layerPlan, e *layerEval) (en Energy, pb, wb, act float64) {
	pb = float64(e.pb) * m.e.PBpJPerByte
	wb = float64(2*e.streamed) * m.e.WeightBufpJPerByte // written from DRAM, read by the array
	act = float64(e.act) * m.e.ActBufpJPerByte
	en = Energy{
		MAC:    float64(p.macs) * m.e.MACpJ,
		SRAM:   pb + wb + act,
		DRAM:   float64(e.offchip) * m.e.DRAMpJPerByte,
		Static: m.staticpJ(e.cycles),
	}
	return en, pb, wb, act
}

// costSum accumulates integer totals over layers; energies are computed
// once at the end (they are linear in the totals).
type costSum struct {
	c                 Cost
	streamed, actSRAM int64
}

func (a *costSum) add(p *layerPlan, e *layerEval) {
	a.c.Cycles += e.cycles
	a.c.ComputeCycles += p.compute
	a.c.TransferCycles += e.transfer
	a.c.DRAMIdleCycles += e.cycles - e.transfer
	a.c.MACs += p.macs
	a.c.WeightBytes += p.weightBytes
	a.c.PBHitBytes += e.pb
	a.c.OffchipBytes += e.offchip
	a.streamed += e.streamed
	a.actSRAM += e.act
}

func (a *costSum) finish(m *model) Cost {
	c := a.c
	c.OnchipBytes = c.PBHitBytes + 2*a.streamed + a.actSRAM
	c.LatencyNs = int64(math.Round(float64(c.Cycles) * 1e3 / m.clockMHz))
	c.Energy = Energy{
		MAC: float64(c.MACs) * m.e.MACpJ,
		SRAM: float64(c.PBHitBytes)*m.e.PBpJPerByte + float64(2*a.streamed)*m.e.WeightBufpJPerByte +
			float64(a.actSRAM)*m.e.ActBufpJPerByte,
		DRAM:   float64(c.OffchipBytes) * m.e.DRAMpJPerByte,
		Static: m.staticpJ(c.Cycles),
	}
	return c
}
