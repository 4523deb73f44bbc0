// Package workloads produces query streams for sushisim: arrival processes
// (poisson, gamma, mmpp, diurnal, constant), replay of CSV timestamp traces
// and of the Azure Functions 2019 invocation counts, and each query's
// (minimum accuracy, latency SLO) need, drawn from need classes with temporal
// locality (a sticky Markov chain), phases over time and per-tenant mixes.
//
// It knows nothing of hardware, policies or TOML parsing: Config carries toml
// tags so the experiments package decodes [workload] straight into it, and
// Validate names every bad key relative to [workload].
//
// Streams are lazy (memory independent of their length), allocate nothing
// per query, and are deterministic: the same seeds give the same stream.
// Time is an exact int64 nanosecond clock: each gap is rounded to the
// nearest ns and the rounding residual is carried into the next gap, so the
// n-th arrival is the exact sum of n gaps rounded once, with no drift.
//
// New returns a *Stream; besides Next it offers Err (a trace that failed
// mid-replay), Close (release a trace file early), Emitted and Tenants (the
// Azure function behind each tenant index). docs/workloads.md is the user
// guide: every TOML key, the trace formats, and the real Azure dataset.
package workloads
