package engine

import (
	"unsafe"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// load makes next instance i's resident SubGraph at now and charges what
// bringing it on chip costs: the reload from what was resident, or, for a
// fill-on-use cache, only what SubNet served (-1: none) did not stream
// (accel.Hardware.FillCost). Under warm start the first SubGraph an
// instance holds is taken as loaded before t = 0, free, for every policy
// alike. It reports true when a blocking reload now occupies the instance.
func (c *cluster) load(now Time, i int32, next models.SubGraph, served int32) bool {
	in := &c.inst[i]
	c.m.notePB(in.hw.WeightBytes(next.Weights()), in.hw.PBBytes)
	rc := &c.reload
	*rc = accel.Cost{} // a synthetic instance: residency costs nothing
	free := in.freeFill
	in.freeFill = false
	switch {
	case in.svc != nil || free:
	case in.fills && served >= 0:
		*rc = in.hw.FillCost(in.resident, next, c.spec.Catalog.Graphs[served])
	default:
		*rc = in.hw.ReloadCost(in.resident, next)
	}
	if c.spec.Observer != nil {
		c.spec.Observer.Reloaded(now, int(i), next, rc)
	}
	in.resident = next
	in.row = in.rows.Row(next)
	switch {
	case in.svc != nil || free:
	case rc.LatencyNs > 0 && in.hw.ReloadOverlaps():
		// charged with the query it overlaps (settleReload)
		in.pending, in.pendingFrom, in.hasPending = *rc, now, true
	case rc.LatencyNs > 0:
		// blocking: the reload runs alone, before the next query; its
		// cost plus the query's is WithReload's blocking sum (INV-8)
		c.m.observeReload(rc)
		in.busy = true
		in.reloading = true
		in.busyUntil = now + rc.LatencyNs
		c.k.Schedule(in.busyUntil, c.reloadEnd, i)
		c.touch(i)
		return true
	default:
		c.m.observeReload(rc) // nothing to load (the PB shrank): counted, free
	}
	return false
}

// settleReload charges instance in's overlapped reload when the query of
// cost q starts at now (q nil: the run ended first). The part streamed
// while the instance was otherwise idle is reload time; the rest shares the
// DRAM link with the query, which WithReload charges once: only its excess
// over the query's idle DRAM cycles delays the query, and static energy
// follows the combined busy time (INV-8).
func (c *cluster) settleReload(in *instance, now Time, q *accel.Cost) {
	alone, rest := in.hw.SplitReload(in.pending, now-in.pendingFrom)
	in.hasPending = false
	c.m.observeReload(&alone)
	c.m.Power.IdleNs -= alone.LatencyNs // it streamed while the instance was idle: reload time, not idle time
	if q != nil && rest.TransferCycles > 0 {
		*q = in.hw.WithReload(*q, rest)
	}
}

// rowCacheBytes bounds the memory of remembered SushiAbs rows per hardware
// kind: a row is one accel.Cost (about 100 B) per catalog SubNet.
const rowCacheBytes = 32 << 20

func rowCacheRows(catalog int) int {
	return max(8, rowCacheBytes/(int(unsafe.Sizeof(accel.Cost{}))*max(catalog, 1)))
}
