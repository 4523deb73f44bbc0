// Package experiments turns a TOML experiment file into results: strict
// loading and validation (every error names the key path and, where it can,
// the line; all problems at once), the plan of runs ([sweep] grids and
// zipped lists expanded into points, each checked like the file itself;
// replications with derived seeds; every [[policy]] of a task on the same
// query stream), running the plan's tasks on a pool of workers, one shard
// of them or only the unfinished ones, and writing result files (CSV and
// JSON, atomically, byte-identical whatever the workers or shards) that
// Merge assembles.
//
// Start at config.go (the schema), load.go (its checks), sweep.go (points
// and seeds), execute.go (tasks, resume, shards, merge), run.go (one run on
// the engine), observe.go (its trace and time series, as the engine's
// Observer) and results.go (the files).
//
// It knows how runs are made, not how figures look: plots reads what this
// package writes.
package experiments
