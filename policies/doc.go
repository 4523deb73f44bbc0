// Package policies holds sushisim's decisions, one small interface each:
//
//   - Selector: which SubNet serves a query (SushiSched's first half):
//     accuracy-first, latency-first, slack (SlackFit), fixed (one SubNet
//     for all), each with optional admission control (drop what no SubNet
//     can serve within its needs);
//   - Cache: which SubGraph stays resident in an accelerator's persistent
//     buffer (SushiSched's second half): none, static, lru, sgs, and the
//     clairvoyant lookahead heuristic; sgs, static and lookahead share one
//     greedy knapsack over layer slices (knapsack.go);
//   - bounds (bound.go): the free-reload bound and the exact offline
//     optimal schedule, lower bounds on off-chip bytes, not policies;
//   - Router: which accelerator instance a query joins: round-robin,
//     random, jsq, power-of-two, least-work, affinity.
//
// A new policy is one type plus one line in registry.go (the recipe is
// docs/extending.md); its parameters are the toml-tagged fields of its
// Spec, flat in the [[policy]] table. What a policy asks of the engine
// beyond its decision (backlogs, a cache-blind row, fill on use, a
// lookahead) it declares in one value, Needs, which the engine reads once
// per run. Policies see the accelerator only through its SushiAbs costs
// (accel.Row, and accel.Table for lookahead's forecasts), its PB capacity
// and the catalog, and the cluster only through ClusterView; they know
// nothing of the event loop or files. The per-query paths (Select, Route,
// Served without a change) allocate nothing.
package policies
