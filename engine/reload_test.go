package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

// overlapRun serves n most-accurate queries arriving gap ns apart on one
// zcu104 with reload = "overlap", whose PB flips between empty and the first layers
// of ref5 that fit after every query: a full reload after every other query.
func overlapRun(t *testing.T, n, gap int64) (*fixture, *Metrics, [2]models.SubGraph) {
	return reloadRun(t, accel.ReloadOverlap, n, gap)
}

// reloadRun is overlapRun in either reload mode.
func reloadRun(t *testing.T, mode accel.Reload, n, gap int64) (*fixture, *Metrics, [2]models.SubGraph) {
	f := newFixture(t)
	f.hw.Reload = mode
	f.table = accel.NewTable(&f.hw, f.cat.SubNets, f.cat.Graphs)
	s := f.spec(t, &fixedSource{n: n, gap: gap, minAcc: 79.7, slo: 1e12}, "none", 1)
	g := [2]models.SubGraph{{}, fitting(&f.hw, f.cat.Graphs[5])}
	s.Instances[0].Cache = &flipCache{g: g}
	return f, run(t, s), g
}

// fitting is the longest prefix of g's layers that fits the PB.
func fitting(hw *accel.Hardware, g models.SubGraph) models.SubGraph {
	out := models.NewSubGraph(g.Len())
	for i := 0; i < g.Len(); i++ {
		next := out.With(int32(i), g.At(int32(i)))
		if hw.WeightBytes(next.Weights()) > hw.PBBytes {
			break
		}
		out = next
	}
	return out
}

// staticPJ is static power over a busy time, in pJ: the closed form the
// cost model's static energy follows (W x s = J; 1 J = 1e12 pJ).
func staticPJ(hw *accel.Hardware, busyNs float64) float64 {
	return hw.Energy.StaticW * busyNs * 1e-9 * 1e12
}

// With queries back to back, every reload overlaps the query after it
// (WithReload's rule): static energy is counted once, over the busy time,
// and busy plus reload time never exceeds the elapsed time (INV-8). Each
// query's cycles are summed here by hand from accel's own query and reload
// costs: q + max(0, R - idle DRAM cycles of q) when a reload precedes it,
// and the last reload streams alone at the end.
func TestOverlapReloadChargesStaticOnce(t *testing.T) {
	const n = 41
	f, m, g := overlapRun(t, n, 0)
	require.Equal(t, int64(n), m.Completed)
	full := f.hw.ReloadCost(g[0], g[1])
	require.Positive(t, full.TransferCycles)
	var cycles int64
	for k := int64(0); k < n; k++ {
		q := f.hw.Cost(f.cat.SubNets[5], g[k%2]) // resident flips after every query
		cycles += q.Cycles
		if k%2 == 1 { // the reload of ref5 was issued as this query started
			cycles += max(0, full.TransferCycles-q.DRAMIdleCycles)
		}
	}
	cycles += full.TransferCycles // after query n-1 (even), ref5 loads alone
	busy := float64(cycles) * 1e3 / f.hw.ClockMHz
	static := m.Energy.Static + m.ReloadEnergy.Static
	assert.InEpsilon(t, staticPJ(&f.hw, busy), static, 1e-9)
	assert.InDelta(t, busy, float64(m.BusyNs+m.ReloadNs), float64(n)) // ns rounding per service
	assert.LessOrEqual(t, m.BusyNs+m.ReloadNs, m.End, "utilisation <= 1")
	assert.Equal(t, int64(n), m.Reloads)
	assert.Equal(t, (n+1)/2*full.OffchipBytes, m.ReloadBytes, "every byte of every reload")
}

// When a query arrives while a reload streams on an idle instance, the
// part streamed alone is reload time and the rest overlaps the query:
// static energy still follows busy time and utilisation stays <= 1.
func TestOverlapReloadPartlyAlone(t *testing.T) {
	f := newFixture(t)
	f.hw.Reload = accel.ReloadOverlap
	full := f.hw.ReloadCost(models.SubGraph{}, fitting(&f.hw, f.cat.Graphs[5]))
	q := f.hw.Cost(f.cat.SubNets[5], models.SubGraph{})
	gap := q.LatencyNs + full.LatencyNs/2 // arrives mid-reload
	_, m, _ := overlapRun(t, 40, gap)
	assert.InEpsilon(t, staticPJ(&f.hw, float64(m.BusyNs+m.ReloadNs)), m.Energy.Static+m.ReloadEnergy.Static, 1e-6)
	assert.LessOrEqual(t, m.BusyNs+m.ReloadNs, m.End)
	assert.Greater(t, m.ReloadNs, int64(0), "part of each reload streamed alone")
}

// With reload = "blocking" the engine runs each reload on its own before
// the query after it; the sum is accel's blocking rule: busy plus reload
// time and static energy equal those of WithReload(query, reload) summed
// over the queries, and every reload adds its whole time.
func TestBlockingReloadIsWithReloadsSum(t *testing.T) {
	const n = 41
	f, m, g := reloadRun(t, accel.ReloadBlocking, n, 0)
	full := f.hw.ReloadCost(g[0], g[1])
	var cycles int64
	var static float64
	for k := int64(0); k < n; k++ {
		q := f.hw.Cost(f.cat.SubNets[5], g[k%2])
		if k%2 == 1 {
			q = f.hw.WithReload(q, full)
		}
		cycles += q.Cycles
		static += q.Energy.Static
	}
	cycles += full.Cycles // the reload after the last query
	static += full.Energy.Static
	assert.InEpsilon(t, static, m.Energy.Static+m.ReloadEnergy.Static, 1e-9)
	assert.InDelta(t, float64(cycles)*1e3/f.hw.ClockMHz, float64(m.BusyNs+m.ReloadNs), float64(n))
	assert.Equal(t, (n+1)/2*full.LatencyNs, m.ReloadNs, "blocking: every reload's whole time")
}
