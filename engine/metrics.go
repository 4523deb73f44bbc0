package engine

import (
	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/workloads"
)

// sketchAccuracy is DDSketch's relative accuracy for latency quantiles: a
// reported p99 is within 1% of the true one, whatever the number of queries.
const sketchAccuracy = 0.01

// Metrics are a run's streaming measurements: counters, sums and a latency
// sketch. Nothing here grows with the number of queries.
type Metrics struct {
	// Outcome counts every arrival and what became of it: dropped,
	// completed, needs met (divided by Arrived, a drop is a miss).
	Outcome
	InFlight int64 // still queued or in service when the run stopped
	// The same per need class (Query.Class) and per tenant (Query.Tenant);
	// a query whose needs come from trace columns (Class -1) has no class.
	ByClass  outcomes
	ByTenant outcomes

	LatencyNsSum float64
	Latency      *ddsketch.DDSketch `json:"-"` // milliseconds; EncodeSketch writes it

	WeightBytes  int64 // weight bytes the served SubNets needed
	PBHitBytes   int64 // of those, served from the persistent buffer
	OffchipBytes int64 // all DRAM traffic of service (not reloads)
	OnchipBytes  int64
	Energy       accel.Energy // pJ, of service

	Reloads        int64
	ReloadBytes    int64
	ReloadNs       int64
	ReloadEnergy   accel.Energy // pJ
	MaxPBBytes     int64        // largest resident SubGraph seen, bytes
	MaxPBOverflow  int64        // largest (resident - capacity) seen: 0 when no PB ever overflowed
	ServedBySubNet []int64      // completions per catalog SubNet

	Events    uint64
	End       Time  // simulated time at which the run ended
	Instances int64 // accelerators in the run
	BusyNs    int64
	// Services counts services: queries, or batches of queries that shared
	// one weight fetch (equal to Completed without batching).
	Services int64

	// Power is the instance-time spent idle, waking and off (power.go).
	Power PowerTime
	// Series holds the run's windows when Spec.WindowNs > 0 (series.go).
	Series []Window           `json:"-"`
	window *ddsketch.DDSketch // the open window's latencies

	// ClockRegressions counts events that ran at a time before the previous
	// event's: 0 in a correct run (INV-3).
	ClockRegressions int64
}

// newLatencySketch is a DDSketch with the cubically interpolated index
// mapping: the same relative-accuracy guarantee as the logarithmic one
// (Masson, Rim and Lee, "DDSketch", VLDB 2019, §3.2; sketches-go) at a few
// percent more bins, without a math.Log per value, which was a fifth of a
// query's cost on the engine's hot path.
func newLatencySketch() *ddsketch.DDSketch {
	m, err := mapping.NewCubicallyInterpolatedMapping(sketchAccuracy)
	if err != nil {
		panic(err) // the constant accuracy is valid
	}
	return ddsketch.NewDDSketch(m, store.NewBufferedPaginatedStore(), store.NewBufferedPaginatedStore())
}

func newMetrics(subnets int) *Metrics {
	return &Metrics{Latency: newLatencySketch(), ServedBySubNet: make([]int64, subnets)}
}

// observeQuery records one completed query.
func (m *Metrics) observeQuery(now Time, q *workloads.Query, subnet int32, acc float64) {
	lat := now - q.Arrival // INV-1, INV-5, INV-9: one completion (Served), one per-SubNet count, one sketch value
	m.LatencyNsSum += float64(lat)
	_ = m.Latency.Add(float64(lat) / 1e6)
	if m.window != nil {
		_ = m.window.Add(float64(lat) / 1e6)
	}
	slo := workloads.SLOMet(lat, q.SLO) // INV-6
	met := workloads.AccuracyMet(acc, q.MinAccuracy)
	m.Served(slo, met, acc)
	if c := m.ByClass.at(q.Class); c != nil {
		c.Served(slo, met, acc)
	}
	if t := m.ByTenant.at(q.Tenant); t != nil {
		t.Served(slo, met, acc)
	}
	m.ServedBySubNet[subnet]++
}

// observeService records one service (a query, or a batch of queries
// sharing one weight fetch): its bytes, energy and busy time, once.
func (m *Metrics) observeService(c *accel.Cost) {
	m.WeightBytes += c.WeightBytes
	m.PBHitBytes += c.PBHitBytes
	m.OffchipBytes += c.OffchipBytes
	m.OnchipBytes += c.OnchipBytes
	m.Energy = m.Energy.Add(c.Energy)
	m.BusyNs += c.LatencyNs
	m.Services++
}

func (m *Metrics) observeReload(c *accel.Cost) {
	m.Reloads++
	m.ReloadBytes += c.OffchipBytes
	m.ReloadNs += c.LatencyNs
	m.ReloadEnergy = m.ReloadEnergy.Add(c.Energy)
}

// notePB records a resident SubGraph's size and its instance's capacity,
// for INV-4: MaxPBOverflow <= 0 says no PB ever held more than it fits.
func (m *Metrics) notePB(bytes, capacity int64) {
	m.MaxPBBytes = max(m.MaxPBBytes, bytes)
	m.MaxPBOverflow = max(m.MaxPBOverflow, bytes-capacity)
}

// LatencyQuantileMs is the q-quantile of end-to-end latency in ms (0 when
// nothing completed).
func (m *Metrics) LatencyQuantileMs(q float64) float64 {
	if m.Completed == 0 {
		return 0
	}
	v, err := m.Latency.GetValueAtQuantile(q)
	if err != nil {
		return 0
	}
	return v
}
