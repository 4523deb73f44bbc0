// Package policies holds sushisim's decisions, one small interface each:
//
//   - Selector: which SubNet serves a query (SushiSched's first half);
//   - Cache: which SubGraph stays resident in an accelerator's persistent
//     buffer (SushiSched's second half: none, sgs, ...);
//   - Router: which accelerator instance a query joins.
//
// A new policy is one type plus one line in registry.go. Policies see the
// accelerator only through the SushiAbs row of the resident SubGraph
// (accel.Row) and the catalog; they know nothing of the event loop or files.
package policies
