// Package results owns the files a run writes: summary.csv and
// summary.json (one row per run), aggregate.csv (mean and 95% CI over
// replications), quantiles.csv, catalog.csv, timeseries.csv, timing.csv,
// plan.json, the per-task files under points/ and the per-query traces,
// and for a datacenter datacenter.csv, cells.csv and datacenter_series.csv,
// with their readers and writers. Everything but the timing files is a
// pure function of the experiment file.
//
// It also holds the figure spec ([[figure]] as written and validated) and
// the registry of figure kinds: plots registers each kind it draws, and
// config validates [[figure]] against the registry, so neither imports the
// other and plots needs nothing but this package.
package results
