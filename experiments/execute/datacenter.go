package execute

import (
	"fmt"

	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// dcTables collects a datacenter plan's rows while merging.
type dcTables struct {
	dc, cells []results.DatacenterRow
	series    []results.SeriesRow
	runner    *runner // builds the SubNets the summaries need
}

// mergeCells turns the task files of one replication's cells (files, in
// cell order) into the task file of the whole datacenter: each policy's
// cell metrics merged (engine.Metrics.Merge), summarised as one run. It
// adds the datacenter's and each cell's rows to dt.
func mergeCells(x *config.Experiment, t results.Task, files []*results.TaskFile, dt *dcTables) (*results.TaskFile, error) {
	px := &x.Points[t.Point].Settings
	if dt.runner == nil {
		dt.runner = newRunner(1)
	}
	bm, err := dt.runner.model(px) // the SubNets, for the off-chip bound
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	out := &results.TaskFile{Version: results.Version, Plan: x.Hash, Point: t.Point, Replication: t.Replication, Seed: t.Seed,
		Catalog: files[0].Catalog}
	for pi := range px.Policies {
		pol := &px.Policies[pi]
		ms := make([]*engine.Metrics, len(files))
		var end int64
		for c, tf := range files {
			m, err := decodeCell(tf.Runs[pi].Cell)
			if err != nil {
				return nil, fmt.Errorf("merge: %s, policy %q: %w", results.TaskPath("", cellTask(t, c)), pol.Name, err)
			}
			ms[c], end = m, max(end, m.End)
		}
		all := engine.EmptyMetrics(len(ms[0].ServedBySubNet))
		for c, m := range ms {
			m.ExtendTo(end) // every cell lasts as long as the datacenter
			dt.cells = append(dt.cells, dcRow(px, t, c, len(files), pol.Name, m))
			if err := all.Merge(m); err != nil {
				return nil, fmt.Errorf("merge: cell %d, policy %q: %w", c, pol.Name, err)
			}
		}
		if err := all.CheckInvariants(); err != nil {
			return nil, fmt.Errorf("merge: the merged cells break an invariant (a bug: please report it): %w", err)
		}
		dt.dc = append(dt.dc, dcRow(px, t, -1, len(files), pol.Name, all))
		dt.series = append(dt.series, seriesRows(px, t, pol.Name, all)...)
		// the bound is linear in the SubNets served: the cells' bounds add up
		run := results.RunRecord{Summary: summarize(px, pol, t.Seed, all, offchipBound(px, bm, all.ServedBySubNet)),
			Quantiles: latencyQuantiles(all), Served: all.ServedBySubNet, Classes: outcomes(all, px.Workload.Classes())}
		if len(files) == 1 {
			run.Windows = files[0].Runs[pi].Windows // output.window_s of a one-cell datacenter (config refuses it with more)
		}
		out.Runs = append(out.Runs, run)
	}
	return out, nil
}

func cellTask(t results.Task, c int) results.Task {
	t.Cell = c
	return t
}

const nsPerS = 1e9

// jOf is the energy in J of instance-time ns at power w W.
func jOf(w float64, ns int64) float64 { return w * float64(ns) / nsPerS }

// dcRow is one row of datacenter.csv (cell -1) or cells.csv.
func dcRow(px *config.Settings, t results.Task, cell, cells int, policy string, m *engine.Metrics) results.DatacenterRow {
	d := &px.Datacenter
	p := m.Power
	r := results.DatacenterRow{Point: t.Point, Replication: t.Replication, Cell: cell, Policy: policy, Cells: cells,
		Instances: m.Instances, SimS: float64(m.End) / nsPerS, Queries: m.Arrived, Completed: m.Completed, Dropped: m.Dropped,
		LatencyMsP50: m.LatencyQuantileMs(0.5), LatencyMsP99: m.LatencyQuantileMs(0.99), Wakes: p.Wakes,
		BusyInstS: float64(m.BusyNs+m.ReloadNs) / nsPerS, IdleInstS: float64(p.IdleNs) / nsPerS,
		WakingInstS: float64(p.WakingNs) / nsPerS, OffInstS: float64(p.OffNs) / nsPerS}
	if m.Arrived > 0 {
		r.SLOAttainment = float64(m.SLOMet) / float64(m.Arrived)
	}
	if m.End > 0 {
		r.MeanActive = float64(p.ActiveNs) / float64(m.End)
	}
	e := m.Energy.Add(m.ReloadEnergy)
	r.EnergyMACJ, r.EnergySRAMJ, r.EnergyDRAMJ, r.EnergyStatJ = e.MAC/pjPerJ, e.SRAM/pjPerJ, e.DRAM/pjPerJ, e.Static/pjPerJ
	r.EnergyIdleJ, r.EnergyWakeJ, r.EnergyOffJ = jOf(d.IdleW, p.IdleNs), jOf(d.WakingW, p.WakingNs), jOf(d.OffW, p.OffNs)
	r.EnergyJ = e.Total()/pjPerJ + r.EnergyIdleJ + r.EnergyWakeJ + r.EnergyOffJ
	if m.Arrived > 0 {
		r.EnergyJPerQ = r.EnergyJ / float64(m.Arrived)
	}
	if m.End > 0 {
		r.MeanPowerW = r.EnergyJ / r.SimS
	}
	if r.EnergyJ > 0 {
		r.ReloadShareE = m.ReloadEnergy.Total() / pjPerJ / r.EnergyJ
	}
	return r
}

const pjPerJ = 1e12

// seriesRows are the datacenter's windows.
func seriesRows(px *config.Settings, t results.Task, policy string, m *engine.Metrics) []results.SeriesRow {
	d := &px.Datacenter
	var out []results.SeriesRow
	for i := range m.Series {
		w := &m.Series[i]
		span := float64(w.End-w.Start) / nsPerS
		r := results.SeriesRow{Point: t.Point, Replication: t.Replication, Policy: policy, TS: float64(w.Start) / nsPerS,
			WindowS: span, Arrived: w.Arrived, Completed: w.Completed, Dropped: w.Dropped,
			EnergyServeJ: w.Energy.Total() / pjPerJ, EnergyIdleJ: jOf(d.IdleW, w.Power.IdleNs),
			EnergyWakeJ: jOf(d.WakingW, w.Power.WakingNs), EnergyOffJ: jOf(d.OffW, w.Power.OffNs)}
		r.EnergyJ = r.EnergyServeJ + r.EnergyIdleJ + r.EnergyWakeJ + r.EnergyOffJ
		if span > 0 {
			r.LoadQPS = float64(w.Arrived) / span
			r.MeanActive = float64(w.Power.ActiveNs) / float64(w.End-w.Start)
			r.PowerW = r.EnergyJ / span
		}
		if w.Power.ActiveNs > 0 {
			r.Utilization = float64(w.BusyNs+w.ReloadNs) / float64(w.Power.ActiveNs)
		}
		if ended := w.Completed + w.Dropped; ended > 0 {
			// as in summary.csv and the per-run windows: a drop is a miss
			r.SLOAttainment = float64(w.SLOMet) / float64(ended)
		}
		if w.Completed > 0 {
			r.LatencyMsMean = w.LatencyNsSum / float64(w.Completed) / 1e6
			if v, err := w.Latency.GetValueAtQuantile(0.99); err == nil {
				r.LatencyMsP99 = v
			}
		}
		out = append(out, r)
	}
	return out
}
