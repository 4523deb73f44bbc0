package experiments

import (
	"github.com/sushisim/sushisim/engine"
)

// Summary is one row of summary.csv and one object of summary.json. Field
// order is column order. Energies include PB reloads, and so do off-chip
// bytes: a policy that thrashes the buffer pays for it here.
type Summary struct {
	Experiment string `json:"experiment"`
	Policy     string `json:"policy"`
	Cache      string `json:"cache"`
	Select     string `json:"select"`
	Router     string `json:"router"`
	Instances  int    `json:"instances"`
	Seed       uint64 `json:"seed"`

	Queries   int64 `json:"queries"`
	Completed int64 `json:"completed"`
	Dropped   int64 `json:"dropped"`

	LatencyMsMean float64 `json:"latency_ms_mean"`
	LatencyMsP50  float64 `json:"latency_ms_p50"`
	LatencyMsP90  float64 `json:"latency_ms_p90"`
	LatencyMsP99  float64 `json:"latency_ms_p99"`
	SLOAttainment float64 `json:"slo_attainment"`
	AccuracyMean  float64 `json:"accuracy_mean"`

	OffchipBytesPerQuery float64 `json:"offchip_bytes_per_query"`
	OnchipBytesPerQuery  float64 `json:"onchip_bytes_per_query"`
	WeightBytesPerQuery  float64 `json:"weight_bytes_per_query"`
	PBHitFraction        float64 `json:"pb_hit_fraction"`
	ReloadBytesPerQuery  float64 `json:"reload_bytes_per_query"`
	Reloads              int64   `json:"reloads"`
	EnergyMJPerQuery     float64 `json:"energy_mj_per_query"`
	OffchipEnergyMJPerQ  float64 `json:"offchip_energy_mj_per_query"`
	EnergyMACMJPerQuery  float64 `json:"energy_mac_mj_per_query"`
	EnergySRAMMJPerQuery float64 `json:"energy_sram_mj_per_query"`
	EnergyDRAMMJPerQuery float64 `json:"energy_dram_mj_per_query"`
	EnergyStatMJPerQuery float64 `json:"energy_static_mj_per_query"`
	ReloadEnergyMJPerQ   float64 `json:"energy_reload_mj_per_query"`
	Utilization          float64 `json:"utilization"`
	BatchMean            float64 `json:"batch_mean"` // queries per service: 1 without batching
	MaxPBBytes           int64   `json:"max_pb_bytes"`
	Events               uint64  `json:"events"`
	SimS                 float64 `json:"sim_s"`
}

const pjPerMJ = 1e9

func summarize(x *Experiment, pol *Policy, seed uint64, m *engine.Metrics) Summary {
	s := Summary{
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
