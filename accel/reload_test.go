package accel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
)

// SplitReload by hand: fastHW runs at 100 MHz (10 ns a cycle); a reload of
// 26 transfer cycles lasts 260 ns. 100 ns after it starts, 10 cycles have
// streamed alone (with their static energy and all the bytes); 16 remain
// for the query to hide.
func TestSplitReloadByHand(t *testing.T) {
	h := fastHW()
	require.Equal(t, 100.0, h.ClockMHz)
	half := models.NewSubGraph(1).With(0, models.Slice{K: 16, C: 18, R: 3})
	r := h.ReloadCost(models.SubGraph{}, half) // 26 cycles, 260 ns
	alone, rest := h.SplitReload(r, 100)
	assert.Equal(t, int64(10), alone.Cycles)
	assert.Equal(t, int64(100), alone.LatencyNs)
	assert.Equal(t, r.OffchipBytes, alone.OffchipBytes, "every byte is the reload's")
	assert.Equal(t, r.Energy.DRAM, alone.Energy.DRAM)
	assert.InEpsilon(t, r.Energy.Static*10/26, alone.Energy.Static, 1e-12, "static over 10 of 26 cycles")
	assert.Equal(t, Cost{Cycles: 16, TransferCycles: 16, LatencyNs: 160}, rest)

	alone, rest = h.SplitReload(r, 0)
	assert.Zero(t, alone.Cycles)
	assert.Zero(t, alone.Energy.Static)
	assert.Equal(t, int64(26), rest.TransferCycles, "back to back: all of it overlaps the query")

	alone, rest = h.SplitReload(r, 10_000)
	assert.Equal(t, r, alone, "finished before the query: the reload itself")
	assert.Zero(t, rest.TransferCycles)

	alone, _ = h.SplitReload(r, -5)
	assert.Zero(t, alone.Cycles, "a negative gap streams nothing")
}

func TestReloadOverlaps(t *testing.T) {
	h := fastHW()
	h.Reload = ReloadBlocking
	assert.False(t, h.ReloadOverlaps())
	h.Reload = ReloadOverlap
	assert.True(t, h.ReloadOverlaps())
}
