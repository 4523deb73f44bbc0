package engine

import (
	"errors"
	"fmt"
	"math"
)

// CheckInvariants reports every conservation law a finished run broke, or
// nil: queries in = completed + dropped + in flight; the clock never went
// back; no persistent buffer ever held more than its capacity; every energy
// component is finite and non-negative; and the per-SubNet, SLO, byte and
// sketch counters agree with the completions. Tests call it after every
// run; a violation is an engine bug, never a user error.
func (m *Metrics) CheckInvariants() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Queries != m.Completed+m.Dropped+m.InFlight {
		bad("queries %d != completed %d + dropped %d + in flight %d", m.Queries, m.Completed, m.Dropped, m.InFlight)
	}
	if m.Completed < 0 || m.Dropped < 0 || m.InFlight < 0 {
		bad("negative count: completed %d, dropped %d, in flight %d", m.Completed, m.Dropped, m.InFlight)
	}
	if m.ClockRegressions != 0 {
		bad("the clock went back %d times", m.ClockRegressions)
	}
	if m.MaxPBOverflow > 0 {
		bad("a persistent buffer held %d bytes more than its capacity", m.MaxPBOverflow)
	}
	var served int64
	for _, n := range m.ServedBySubNet {
		served += n
	}
	if served != m.Completed {
		bad("completions per SubNet sum to %d, completed is %d", served, m.Completed)
	}
	if m.SLOMet > m.Completed {
		bad("%d queries met their SLO of %d completed", m.SLOMet, m.Completed)
	}
	if m.PBHitBytes > m.WeightBytes {
		bad("PB hit bytes %d exceed weight bytes %d", m.PBHitBytes, m.WeightBytes)
	}
	if m.Latency != nil && int64(math.Round(m.Latency.GetCount())) != m.Completed {
		bad("the latency sketch holds %g values, completed is %d", m.Latency.GetCount(), m.Completed)
	}
	for _, e := range []struct {
		name string
		v    float64
	}{{"MAC", m.Energy.MAC}, {"SRAM", m.Energy.SRAM}, {"DRAM", m.Energy.DRAM}, {"static", m.Energy.Static},
		{"reload MAC", m.ReloadEnergy.MAC}, {"reload SRAM", m.ReloadEnergy.SRAM}, {"reload DRAM", m.ReloadEnergy.DRAM},
		{"reload static", m.ReloadEnergy.Static}} {
		if !(e.v >= 0) || math.IsInf(e.v, 0) {
			bad("%s energy %g is not a finite non-negative number", e.name, e.v)
		}
	}
	if m.BusyNs < 0 || m.End < 0 {
		bad("negative time: busy %d ns, end %d ns", m.BusyNs, m.End)
	}
	return errors.Join(errs...)
}
