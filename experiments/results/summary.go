package results

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

	Queries      int64   `json:"queries"` // arrivals
	Completed    int64   `json:"completed"`
	Dropped      int64   `json:"dropped"`
	DropFraction float64 `json:"drop_fraction"` // dropped / queries

	// Over every arrival: a query dropped (or still in flight at the end)
	// meets neither need. SLO and accuracy checks are workloads.SLOMet and
	// workloads.AccuracyMet.
	SLOAttainment   float64 `json:"slo_attainment"`    // completed within the SLO / queries
	AccuracyNeedMet float64 `json:"accuracy_need_met"` // served at or above the accuracy need / queries
	BothMet         float64 `json:"both_met"`          // both at once / queries

	// Over completed queries only (a dropped query has no latency).
	LatencyMsMean       float64 `json:"latency_ms_mean"`
	LatencyMsP50        float64 `json:"latency_ms_p50"`
	LatencyMsP90        float64 `json:"latency_ms_p90"`
	LatencyMsP99        float64 `json:"latency_ms_p99"`
	SLOAttainmentServed float64 `json:"slo_attainment_served"` // completed within the SLO / completed
	AccuracyMeanServed  float64 `json:"accuracy_mean_served"`  // mean top-1 of the SubNets that served

	OffchipBytesPerQuery float64 `json:"offchip_bytes_per_query"`
	OnchipBytesPerQuery  float64 `json:"onchip_bytes_per_query"`
	WeightBytesPerQuery  float64 `json:"weight_bytes_per_query"`
	PBHitFraction        float64 `json:"pb_hit_fraction"`
	ReloadBytesPerQuery  float64 `json:"reload_bytes_per_query"`
	// The free-reload bound (policies.FreeReloadBytes) of the SubNets this
	// run served, per completed query: no cache schedule serving them moves
	// fewer off-chip bytes. 0 when not computed (batching, synthetic
	// hardware). offchip_over_bound = offchip_bytes_per_query / the bound >= 1.
	OffchipBoundBytesPerQuery float64 `json:"offchip_bound_bytes_per_query"`
	OffchipOverBound          float64 `json:"offchip_over_bound"`
	Reloads                   int64   `json:"reloads"`
	EnergyMJPerQuery          float64 `json:"energy_mj_per_query"`
	OffchipEnergyMJPerQ       float64 `json:"offchip_energy_mj_per_query"`
	EnergyMACMJPerQuery       float64 `json:"energy_mac_mj_per_query"`
	EnergySRAMMJPerQuery      float64 `json:"energy_sram_mj_per_query"`
	EnergyDRAMMJPerQuery      float64 `json:"energy_dram_mj_per_query"`
	EnergyStatMJPerQuery      float64 `json:"energy_static_mj_per_query"`
	ReloadEnergyMJPerQ        float64 `json:"energy_reload_mj_per_query"`
	Utilization               float64 `json:"utilization"`
	BatchMean                 float64 `json:"batch_mean"` // queries per service: 1 without batching
	MaxPBBytes                int64   `json:"max_pb_bytes"`
	Events                    uint64  `json:"events"`
	SimS                      float64 `json:"sim_s"`
}
