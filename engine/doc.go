// Package engine is sushisim's discrete-event core: the event kernel (an
// integer-nanosecond clock, a typed 4-ary min-heap of pending events, handlers
// registered once per event kind), named random streams derived from the run
// seed, and the serving cluster built on them — queries, accelerator
// instances with FIFO queues and a resident SubGraph, routing, and streaming
// metrics.
//
// Start reading at kernel.go (how time advances), then cluster.go (what
// happens to one query: arrive, route, select, serve, finish, cache update),
// then metrics.go (what is measured) and invariants.go (what must hold after
// every run: INV-1 to INV-14, cited where each is kept). A PB reload is
// charged by accel's rule (accel.Hardware.WithReload): blocking before the
// next query, or overlapped with it (settleReload). What each policy asks
// of the engine is read once, from its policies.Needs (readNeeds).
//
// Two kernels implement Scheduler: Kernel, sushisim's own, and SimgoKernel
// (simgo.go), the same semantics on the third-party engine
// github.com/fschuetz04/simgo, so that a run on both giving identical
// Metrics vouches for the first. An instance whose InstanceSpec.Service is
// set (SyntheticService, for [accel] kind = "synthetic") draws its service
// times from a distribution instead of the SushiAbs table, which is how
// queueing_test.go checks the engine against Erlang C and
// Pollaczek–Khinchine. The cluster keeps an O(1) shortest-queue index,
// instances bucketed by queue length (shortest.go), for routers that ask
// for it.
//
// A cluster can autoscale (autoscale.go): decisions are kernel events, the
// routable instances are always a prefix that ClusterView.Instances
// reports, so routers skip powered-off instances unaware. Every instance's
// time is busy, idle, waking or off (power.go, INV-14); a run can be cut
// into windows that add up to its totals (series.go), and runs of disjoint
// instances (a datacenter's cells) merge exactly (merge.go).
//
// The engine knows nothing of TOML, files or plots: the experiments package
// builds a Spec and calls Run.
package engine
