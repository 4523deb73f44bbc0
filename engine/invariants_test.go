package engine

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/workloads"
)

// checkInvariants fails t when a finished run broke any of INV-1 to INV-11
// (Metrics.CheckInvariants); every end-to-end engine test calls it.
func checkInvariants(t testing.TB, m *Metrics) {
	t.Helper()
	require.NoError(t, m.CheckInvariants())
}

// run runs spec and checks its invariants.
func run(t testing.TB, spec Spec) *Metrics {
	t.Helper()
	m, err := Run(spec)
	require.NoError(t, err)
	checkInvariants(t, m)
	return m
}

// Each invariant, INV-1 to INV-14, catches the violation it is named after: a checker that
// cannot fail would vouch for nothing.
func TestCheckInvariantsCatchesEachViolation(t *testing.T) {
	good := func() *Metrics {
		m := newMetrics(2)
		q := workloads.Query{Arrival: 0, SLO: 10}
		c := accel.Cost{LatencyNs: 5, WeightBytes: 100, PBHitBytes: 40, Energy: accel.Energy{MAC: 1, SRAM: 2, DRAM: 3, Static: 4}}
		m.End, m.Instances = 10, 1
		for range 3 {
			m.observeArrival(&q)
		}
		m.observeDrop(&q)
		m.InFlight = 1
		m.observeService(&c)
		m.observeQuery(5, &q, 1, 75)
		rc := accel.Cost{Energy: accel.Energy{DRAM: 7}}
		m.observeReload(&rc)
		m.Power.IdleNs = 5 // busy 5 + idle 5 = 1 instance x 10 ns
		return m
	}
	require.NoError(t, good().CheckInvariants())
	cases := []struct {
		name  string
		spoil func(m *Metrics)
		want  string
	}{
		{"conservation", func(m *Metrics) { m.InFlight++ }, "INV-1: arrived 3 != completed 1 + dropped 1 + in flight 2"},
		{"negative", func(m *Metrics) { m.Dropped, m.InFlight = -1, 3 }, "INV-2: negative count"},
		{"clock", func(m *Metrics) { m.ClockRegressions = 2 }, "INV-3: the clock went back 2 times"},
		{"pb", func(m *Metrics) { m.notePB(11, 10) }, "INV-4: a persistent buffer held 1 bytes more than its capacity"},
		{"per-subnet", func(m *Metrics) { m.ServedBySubNet[0]++ }, "INV-5: completions per SubNet sum to 2"},
		{"slo", func(m *Metrics) { m.SLOMet = 2 }, "INV-6: 2 queries met their SLO of 1 completed"},
		{"needs met", func(m *Metrics) { m.BothMet = 2 }, "INV-12: needs met: accuracy 1, both 2, SLO 1 of 1 completed"},
		{"per tenant", func(m *Metrics) { m.ByTenant[0].Dropped = 0 }, "INV-13: per-tenant counts"},
		{"pb hits", func(m *Metrics) { m.PBHitBytes = 101 }, "INV-7: PB hit bytes 101 exceed weight bytes 100"},
		{"utilisation", func(m *Metrics) { m.ReloadNs = 6 }, "INV-8: busy 5 ns + reload 6 ns exceed 1 instances x 10 ns elapsed"},
		{"sketch", func(m *Metrics) { _ = m.Latency.Add(1) }, "INV-9: the latency sketch holds 2 values, completed is 1"},
		{"energy sign", func(m *Metrics) { m.ReloadEnergy.MAC = -1 }, "INV-10: reload MAC energy -1"},
		{"energy finite", func(m *Metrics) { m.Energy.DRAM = math.Inf(1) }, "INV-10: DRAM energy +Inf"},
		{"time", func(m *Metrics) { m.End = -1 }, "INV-11: negative time"},
		{"power time", func(m *Metrics) { m.Power.OffNs = 1 }, "INV-14: busy 5 + reload 0 + idle 5 + waking 0 + off 1 = 11 ns, want 1 instances x 10 ns"},
		{"negative idle", func(m *Metrics) { m.Power.IdleNs, m.Power.OffNs = -1, 6 }, "INV-14"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good()
			c.spoil(m)
			err := m.CheckInvariants()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
