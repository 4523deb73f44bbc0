package execute

import (
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

const pjPerMJ = 1e9

func summarize(x *config.Settings, pol *config.Policy, seed uint64, m *engine.Metrics) results.Summary {
	s := results.Summary{
		Experiment: x.Name, Policy: pol.Name, Cache: pol.Cache, Select: pol.Select, Router: pol.Router,
		Instances: x.Cluster.Instances, Seed: seed,
		Queries: m.Queries, Completed: m.Completed, Dropped: m.Dropped,
		Reloads: m.Reloads, MaxPBBytes: m.MaxPBBytes, Events: m.Events, SimS: float64(m.End) / 1e9,
	}
	if m.Completed == 0 {
		return s
	}
	n := float64(m.Completed)
	s.LatencyMsMean = m.LatencyNsSum / n / 1e6
	s.LatencyMsP50 = m.LatencyQuantileMs(0.50)
	s.LatencyMsP90 = m.LatencyQuantileMs(0.90)
	s.LatencyMsP99 = m.LatencyQuantileMs(0.99)
	s.SLOAttainment = float64(m.SLOMet) / n
	s.AccuracyMean = m.AccuracySum / n
	s.OffchipBytesPerQuery = float64(m.OffchipBytes+m.ReloadBytes) / n
	s.OnchipBytesPerQuery = float64(m.OnchipBytes) / n
	s.WeightBytesPerQuery = float64(m.WeightBytes) / n
	if m.WeightBytes > 0 {
		s.PBHitFraction = float64(m.PBHitBytes) / float64(m.WeightBytes)
	}
	s.ReloadBytesPerQuery = float64(m.ReloadBytes) / n
	total := m.Energy.Add(m.ReloadEnergy)
	s.EnergyMJPerQuery = total.Total() / n / pjPerMJ
	s.OffchipEnergyMJPerQ = total.DRAM / n / pjPerMJ
	s.EnergyMACMJPerQuery = m.Energy.MAC / n / pjPerMJ
	s.EnergySRAMMJPerQuery = m.Energy.SRAM / n / pjPerMJ
	s.EnergyDRAMMJPerQuery = m.Energy.DRAM / n / pjPerMJ
	s.EnergyStatMJPerQuery = m.Energy.Static / n / pjPerMJ
	s.ReloadEnergyMJPerQ = m.ReloadEnergy.Total() / n / pjPerMJ
	if m.End > 0 {
		s.Utilization = float64(m.BusyNs+m.ReloadNs) / float64(m.End) / float64(x.Cluster.Instances)
	}
	if m.Services > 0 {
		s.BatchMean = float64(m.Completed) / float64(m.Services)
	}
	return s
}
