package policies

// Needs is everything a policy asks of the engine beyond its interface's
// decision method, declared in one value by the policy's Needs method and
// read once, when a run starts (engine.Run). The zero value asks for
// nothing; a new policy that needs nothing returns Needs{}.
type Needs struct {
	// Backlog (routers): the router reads ClusterView.BacklogNs, so the
	// engine predicts each query's service when it is routed (one selector
	// scan per arrival) to keep the backlogs; for other routers it skips
	// the prediction.
	Backlog bool
	// CacheBlind (selectors): the selector chooses as if the PB were empty;
	// the engine hands it the empty-PB row, and still costs the chosen
	// SubNet with what is resident. It is the baseline against which
	// cache-aware selection's accuracy gain is measured.
	CacheBlind bool
	// FillOnUse (caches): the cache's new contents are captured from the
	// weights the query just served streamed in (write-allocate, like a
	// hardware LRU buffer), so the engine charges DRAM only for what was
	// not streamed (accel.Hardware.FillCost), not a full reload.
	FillOnUse bool
	// Lookahead (caches): the number of queries still to arrive the cache
	// sees (the clairvoyant lookahead heuristic). The engine reads the source that
	// far ahead and hands the view to SetFuture, which must be set when
	// Lookahead > 0.
	Lookahead int
	SetFuture func(Future)
}
