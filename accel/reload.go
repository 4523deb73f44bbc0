package accel

// WithReload charges a reload to the query served right after it, following
// h.Reload: "blocking" adds the reload's time before the query; "overlap"
// streams it in the DRAM cycles the query leaves idle, so only the excess
// delays the query. Bytes and dynamic energy always add up; static energy
// follows the combined busy time.
func (h *Hardware) WithReload(query, reload Cost) Cost {
	m := h.model()
	c := query
	c.TransferCycles += reload.TransferCycles
	c.OffchipBytes += reload.OffchipBytes
	c.OnchipBytes += reload.OnchipBytes
	c.Energy.SRAM += reload.Energy.SRAM
	c.Energy.DRAM += reload.Energy.DRAM
	c.Energy.MAC += reload.Energy.MAC
	if h.ReloadOverlaps() {
		hidden := min(reload.TransferCycles, query.DRAMIdleCycles)
		c.DRAMIdleCycles -= hidden
		c.Cycles += reload.TransferCycles - hidden
	} else {
		c.Cycles += reload.Cycles
		c.DRAMIdleCycles += reload.Cycles - reload.TransferCycles
	}
	c.LatencyNs = h.CyclesToNs(c.Cycles)
	c.Energy.Static = m.staticpJ(c.Cycles)
	return c
}

// ReloadOverlaps reports whether h streams a PB reload during the next
// query (reload = "overlap") instead of loading it before (the blocking
// default). Callers ask this rather than compare the Reload value.
func (h *Hardware) ReloadOverlaps() bool { return h.Reload == ReloadOverlap }

// SplitReload divides an overlapped reload at the moment the next query
// starts, elapsedNs after the reload was issued. Before that moment the
// reload streamed alone: alone carries all its bytes and dynamic energy and
// the cycles it streamed, with their static energy (the accelerator is
// busy, nothing hides them). The rest still to stream shares the DRAM link
// with the query: rest holds only those cycles, for WithReload to hide in
// the query's idle DRAM cycles. A reload that finished before the query
// (elapsedNs >= its latency) is all alone; elapsedNs = 0 hands all of it
// to the query, which is WithReload's rule for back-to-back service.
func (h *Hardware) SplitReload(reload Cost, elapsedNs int64) (alone, rest Cost) {
	m := h.model()
	streamed := reload.TransferCycles
	if elapsedNs < reload.LatencyNs {
		streamed = min(streamed, int64(float64(max(elapsedNs, 0))*h.ClockMHz/1e3))
	}
	alone = reload
	alone.Cycles = streamed
	alone.TransferCycles = streamed
	alone.DRAMIdleCycles = 0
	alone.LatencyNs = h.CyclesToNs(streamed)
	alone.Energy.Static = m.staticpJ(streamed)
	left := reload.TransferCycles - streamed
	rest = Cost{Cycles: left, TransferCycles: left, LatencyNs: h.CyclesToNs(left)}
	return alone, rest
}
