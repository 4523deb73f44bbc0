// Package workloads produces query streams for sushisim: arrival processes
// (poisson, gamma, mmpp, diurnal, constant), replay of CSV timestamp traces,
// of the Azure Functions 2019 invocation counts and of the Azure LLM
// inference traces of 2023 (built in, scaled exactly to a load, looped,
// offset), and each query's (minimum accuracy, latency SLO) need, drawn
// from need classes with temporal locality (a sticky Markov chain), phases
// over time and per-tenant mixes, or picked by a trace column.
//
// It knows nothing of hardware, policies or TOML parsing: Config carries toml
// tags so the experiments package decodes [workload] straight into it, and
// Validate names every bad key relative to [workload]; Check also opens and
// checks every file the configuration names.
//
// Arrival processes are registered (Register, Processes): each entry holds
// the keys it reads and how to validate and build it, so a new process is
// one registration (docs/extending.md).
//
// Streams are lazy (memory independent of their length), allocate nothing
// per query, and are deterministic: the same seeds give the same stream.
// Time is an exact int64 nanosecond clock: each gap is rounded to the
// nearest ns and the rounding residual is carried into the next gap, so the
// n-th arrival is the exact sum of n gaps rounded once, with no drift;
// trace replays scale each request's time from the first exactly.
//
// New returns a Source (a *Stream); besides Next the Stream offers Err (a
// trace that failed mid-replay), Close (release a trace file early) and
// Tenants (the names of tenant indices, for an Azure Functions replay).
// docs/workloads.md is the user guide: every TOML key, the trace formats,
// and the real Azure datasets.
package workloads
