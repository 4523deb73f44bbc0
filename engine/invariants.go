package engine

import (
	"errors"
	"fmt"
	"math"
)

// The invariants a finished run keeps, numbered so that the code keeping
// each one and the tests checking it can cite it:
//
//	INV-1  queries in = completed + dropped + in flight: every arrival is
//	       counted once, and a drop is a miss, never lost;
//	INV-2  no count is negative;
//	INV-3  the clock never goes back;
//	INV-4  no persistent buffer ever holds more than its capacity;
//	INV-5  completions per catalog SubNet sum to the completions;
//	INV-6  no more queries met their SLO than completed;
//	INV-7  PB hit bytes never exceed the weight bytes served;
//	INV-8  busy plus reload time never exceeds the elapsed time of every
//	       instance (utilisation <= 1): every reload is charged through
//	       accel's rule (Hardware.WithReload), so a reload overlapped with a
//	       query counts its hidden cycles, and their static energy, once;
//	INV-9  the latency sketch holds one value per completion;
//	INV-10 every energy component is finite and non-negative;
//	INV-11 busy time and the end time are non-negative;
//	INV-12 no more completions met their accuracy need than completed, and
//	       none met both needs without meeting each;
//	INV-13 the per-tenant outcomes add up to the run's (every query has a
//	       tenant; classes may be absent when needs come from a trace);
//	INV-14 every instance's time is accounted for once: busy + reload +
//	       idle + waking + off time is the number of instances times the
//	       elapsed time (power.go), and no part is negative.
//
// CheckInvariants reports every invariant a finished run broke, each error
// starting with its number, or nil. Tests call it after every run; a
// violation is an engine bug, never a user error.
func (m *Metrics) CheckInvariants() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Arrived != m.Completed+m.Dropped+m.InFlight {
		bad("INV-1: arrived %d != completed %d + dropped %d + in flight %d", m.Arrived, m.Completed, m.Dropped, m.InFlight)
	}
	if m.Completed < 0 || m.Dropped < 0 || m.InFlight < 0 {
		bad("INV-2: negative count: completed %d, dropped %d, in flight %d", m.Completed, m.Dropped, m.InFlight)
	}
	if m.ClockRegressions != 0 {
		bad("INV-3: the clock went back %d times", m.ClockRegressions)
	}
	if m.MaxPBOverflow > 0 {
		bad("INV-4: a persistent buffer held %d bytes more than its capacity", m.MaxPBOverflow)
	}
	var served int64
	for _, n := range m.ServedBySubNet {
		served += n
	}
	if served != m.Completed {
		bad("INV-5: completions per SubNet sum to %d, completed is %d", served, m.Completed)
	}
	if m.SLOMet > m.Completed {
		bad("INV-6: %d queries met their SLO of %d completed", m.SLOMet, m.Completed)
	}
	if m.AccuracyMet > m.Completed || m.BothMet > min(m.SLOMet, m.AccuracyMet) {
		bad("INV-12: needs met: accuracy %d, both %d, SLO %d of %d completed", m.AccuracyMet, m.BothMet, m.SLOMet, m.Completed)
	}
	var tenants Outcome
	for _, o := range m.ByTenant {
		tenants = tenants.Add(o)
	}
	tenants.AccuracySum = m.AccuracySum // a float sum in another order: the counts are what must match
	if tenants != m.Outcome {
		bad("INV-13: per-tenant counts %+v do not add up to the run's %+v", tenants, m.Outcome)
	}
	if m.PBHitBytes > m.WeightBytes {
		bad("INV-7: PB hit bytes %d exceed weight bytes %d", m.PBHitBytes, m.WeightBytes)
	}
	if m.BusyNs+m.ReloadNs > m.End*m.Instances {
		bad("INV-8: busy %d ns + reload %d ns exceed %d instances x %d ns elapsed", m.BusyNs, m.ReloadNs, m.Instances, m.End)
	}
	if m.Latency != nil && int64(math.Round(m.Latency.GetCount())) != m.Completed {
		bad("INV-9: the latency sketch holds %g values, completed is %d", m.Latency.GetCount(), m.Completed)
	}
	m.checkEnergies(bad)
	p := m.Power
	if sum := m.BusyNs + m.ReloadNs + p.IdleNs + p.WakingNs + p.OffNs; sum != m.End*m.Instances || p.IdleNs < 0 || p.WakingNs < 0 || p.OffNs < 0 {
		bad("INV-14: busy %d + reload %d + idle %d + waking %d + off %d = %d ns, want %d instances x %d ns elapsed",
			m.BusyNs, m.ReloadNs, p.IdleNs, p.WakingNs, p.OffNs, sum, m.Instances, m.End)
	}
	if m.BusyNs < 0 || m.End < 0 {
		bad("INV-11: negative time: busy %d ns, end %d ns", m.BusyNs, m.End)
	}
	return errors.Join(errs...)
}

// checkEnergies is INV-10.
func (m *Metrics) checkEnergies(bad func(format string, args ...any)) {
	for _, e := range []struct {
		name string
		v    float64
	}{{"MAC", m.Energy.MAC}, {"SRAM", m.Energy.SRAM}, {"DRAM", m.Energy.DRAM}, {"static", m.Energy.Static},
		{"reload MAC", m.ReloadEnergy.MAC}, {"reload SRAM", m.ReloadEnergy.SRAM}, {"reload DRAM", m.ReloadEnergy.DRAM},
		{"reload static", m.ReloadEnergy.Static}} {
		if !(e.v >= 0) || math.IsInf(e.v, 0) {
			bad("INV-10: %s energy %g is not a finite non-negative number", e.name, e.v)
		}
	}
}
