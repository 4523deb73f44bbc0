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
	if h.Reload == ReloadOverlap {
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
