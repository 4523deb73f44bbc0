// Package engine is sushisim's discrete-event core: the event kernel (an
// integer-nanosecond clock, a typed 4-ary min-heap of pending events, handlers
// registered once per event kind), named random streams derived from the run
// seed, and the serving cluster built on them — queries, accelerator
// instances with FIFO queues and a resident SubGraph, routing, and streaming
// metrics.
//
// Start reading at kernel.go (how time advances), then cluster.go (what
// happens to one query: arrive, route, select, serve, finish, cache update),
// then metrics.go (what is measured).
//
// The engine knows nothing of TOML, files or plots: the experiments package
// builds a Spec and calls Run.
package engine
