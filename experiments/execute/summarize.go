package execute

import (
	"strconv"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/policies"
	"github.com/sushisim/sushisim/workloads"
)

const pjPerMJ = 1e9

// summarize turns a run's metrics into its summary row. bound is the
// run's free-reload off-chip bound in bytes (0: not computed).
func summarize(x *config.Settings, pol *config.Policy, seed uint64, m *engine.Metrics, bound int64) results.Summary {
	s := results.Summary{
		Experiment: x.Name, Policy: pol.Name, Cache: pol.Cache, Select: pol.Select, Router: pol.Router,
		Instances: x.Cluster.Instances, Seed: seed,
		Queries: m.Arrived, Completed: m.Completed, Dropped: m.Dropped,
		Reloads: m.Reloads, MaxPBBytes: m.MaxPBBytes, Events: m.Events, SimS: float64(m.End) / 1e9,
	}
	s.DropFraction, s.SLOAttainment, s.AccuracyNeedMet, s.BothMet = m.Outcome.Shares()
	if m.Completed == 0 {
		return s
	}
	n := float64(m.Completed)
	s.LatencyMsMean = m.LatencyNsSum / n / 1e6
	s.LatencyMsP50 = m.LatencyQuantileMs(0.50)
	s.LatencyMsP90 = m.LatencyQuantileMs(0.90)
	s.LatencyMsP99 = m.LatencyQuantileMs(0.99)
	s.SLOAttainmentServed = float64(m.SLOMet) / n
	s.AccuracyMeanServed = m.AccuracySum / n
	s.OffchipBytesPerQuery = float64(m.OffchipBytes+m.ReloadBytes) / n
	s.OnchipBytesPerQuery = float64(m.OnchipBytes) / n
	s.WeightBytesPerQuery = float64(m.WeightBytes) / n
	if m.WeightBytes > 0 {
		s.PBHitFraction = float64(m.PBHitBytes) / float64(m.WeightBytes)
	}
	s.ReloadBytesPerQuery = float64(m.ReloadBytes) / n
	if bound > 0 {
		s.OffchipBoundBytesPerQuery = float64(bound) / n
		s.OffchipOverBound = float64(m.OffchipBytes+m.ReloadBytes) / float64(bound)
	}
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

// offchipBound is the free-reload bound (policies.FreeReloadBytes) of the
// SubNets a run served, in bytes: for each SubNet the least any group's
// hardware could move serving it once, times its completions. 0 when the
// bound does not apply: batches share a weight fetch among queries, and
// synthetic hardware moves no bytes.
func offchipBound(x *config.Settings, m *builtModel, served []int64) int64 {
	for i := range x.Groups {
		if hw := &x.Groups[i].Hardware; hw.Batch > 1 || hw.Kind == accel.KindSynthetic {
			return 0
		}
	}
	layers := m.cat.Layers()
	var total int64
	for s, n := range served {
		if n == 0 {
			continue
		}
		least := int64(-1)
		for i := range x.Groups {
			if b := policies.FreeReloadBytes(&x.Groups[i].Hardware, m.subnets[s], layers); least < 0 || b < least {
				least = b
			}
		}
		total += n * least
	}
	return total
}

// outcomes breaks a run's arrivals down by need class (named as in the
// file) and by tenant.
func outcomes(m *engine.Metrics, classes []workloads.NeedClass) []results.Outcome {
	var out []results.Outcome
	for i, o := range m.ByClass {
		key := strconv.Itoa(i)
		if i < len(classes) && classes[i].Name != "" {
			key = classes[i].Name
		}
		out = append(out, outcome("class", key, o))
	}
	for i, o := range m.ByTenant {
		out = append(out, outcome("tenant", strconv.Itoa(i), o))
	}
	return out
}

func outcome(group, key string, o engine.Outcome) results.Outcome {
	r := results.Outcome{Group: group, Key: key, Queries: o.Arrived, Completed: o.Completed, Dropped: o.Dropped}
	_, r.SLOAttainment, r.AccuracyNeedMet, r.BothMet = o.Shares()
	if o.Completed > 0 {
		r.AccuracyMeanServed = o.AccuracySum / float64(o.Completed)
	}
	return r
}
