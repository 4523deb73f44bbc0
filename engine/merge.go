package engine

import (
	"fmt"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// Merge adds o, a run of other instances over the same span of time (one
// cell of a datacenter), into m: counters add exactly, the latency sketches
// merge by DDSketch's own merge (bin counts add, so the merged sketch is
// the one a single run would have built from both sets of latencies), the
// end is the later one, and windows of the same index merge the same way.
// Merging cells in a fixed order gives the same bytes whatever process ran
// each cell.
func (m *Metrics) Merge(o *Metrics) error {
	if len(m.ServedBySubNet) != len(o.ServedBySubNet) {
		return fmt.Errorf("engine: merging runs of %d and %d SubNets", len(m.ServedBySubNet), len(o.ServedBySubNet))
	}
	m.Outcome = m.Outcome.Add(o.Outcome)
	m.InFlight += o.InFlight
	m.ByClass.merge(o.ByClass)
	m.ByTenant.merge(o.ByTenant)
	m.LatencyNsSum += o.LatencyNsSum
	m.WeightBytes += o.WeightBytes
	m.PBHitBytes += o.PBHitBytes
	m.OffchipBytes += o.OffchipBytes
	m.OnchipBytes += o.OnchipBytes
	m.Energy = m.Energy.Add(o.Energy)
	m.Reloads += o.Reloads
	m.ReloadBytes += o.ReloadBytes
	m.ReloadNs += o.ReloadNs
	m.ReloadEnergy = m.ReloadEnergy.Add(o.ReloadEnergy)
	m.MaxPBBytes = max(m.MaxPBBytes, o.MaxPBBytes)
	m.MaxPBOverflow = max(m.MaxPBOverflow, o.MaxPBOverflow)
	for i, n := range o.ServedBySubNet {
		m.ServedBySubNet[i] += n
	}
	m.Events += o.Events
	// a cell that ended earlier idles until the datacenter's end (its
	// queues are empty): its instances' time is accounted for up to the
	// common end (INV-14)
	m.ExtendTo(o.End)
	m.Power = m.Power.Add(o.Power)
	if m.End > o.End {
		m.Power.IdleNs += (m.End - o.End) * o.Instances
	}
	m.Instances += o.Instances
	m.BusyNs += o.BusyNs
	m.Services += o.Services
	m.ClockRegressions += o.ClockRegressions
	if err := m.Latency.MergeWith(o.Latency); err != nil {
		return fmt.Errorf("engine: merging latency sketches: %w", err)
	}
	return m.mergeSeries(o)
}

// ExtendTo lengthens a finished run to end, its instances idle (or off,
// if they ended off) in the meantime: what a cell that ran dry earlier
// than the others does until the datacenter's end. The run's windows are
// not extended.
func (m *Metrics) ExtendTo(end Time) {
	if end > m.End {
		m.Power.IdleNs += (end - m.End) * m.Instances
		m.End = end
	}
}

func (m *Metrics) mergeSeries(o *Metrics) error {
	for i := range o.Series {
		w := &o.Series[i]
		if i >= len(m.Series) {
			cp := *w
			cp.Latency = w.Latency.Copy()
			m.Series = append(m.Series, cp)
			continue
		}
		d := &m.Series[i]
		if d.Start != w.Start {
			return fmt.Errorf("engine: window %d starts at %d ns in one run and %d ns in the other", i, d.Start, w.Start)
		}
		d.End = max(d.End, w.End)
		d.Outcome = d.Outcome.Add(w.Outcome)
		d.LatencyNsSum += w.LatencyNsSum
		d.BusyNs += w.BusyNs
		d.ReloadNs += w.ReloadNs
		d.Energy = d.Energy.Add(w.Energy)
		d.Power = d.Power.Add(w.Power)
		if err := d.Latency.MergeWith(w.Latency); err != nil {
			return fmt.Errorf("engine: merging window %d's sketches: %w", i, err)
		}
	}
	return nil
}

// merge adds o's outcomes key by key.
func (t *outcomes) merge(o outcomes) {
	for k := range o {
		d := t.at(int32(k))
		*d = d.Add(o[k])
	}
}

// EmptyMetrics is the zero of Merge: no queries, no instances.
func EmptyMetrics(subnets int) *Metrics { return newMetrics(subnets) }

// EncodeSketch writes a latency sketch of this package (Metrics.Latency,
// Window.Latency) as bytes, for result files; DecodeSketch reads it back
// with the same index mapping and store, bin for bin.
func EncodeSketch(s *ddsketch.DDSketch) []byte {
	var b []byte
	s.Encode(&b, false)
	return b
}

// DecodeSketch reads bytes written by EncodeSketch.
func DecodeSketch(b []byte) (*ddsketch.DDSketch, error) {
	return ddsketch.DecodeDDSketch(b, store.BufferedPaginatedStoreConstructor, nil)
}
