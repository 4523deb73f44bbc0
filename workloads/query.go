package workloads

// Query is one inference request as the workload produces it. The engine
// copies what it needs; a Source reuses the caller's Query, so it never
// allocates one.
type Query struct {
	ID          int64
	Arrival     int64   // ns since the start of the run (simulated time is int64 nanoseconds)
	MinAccuracy float64 // percent top-1 the answer must reach
	SLO         int64   // latency SLO, ns
	Class       int32   // need-class index (or -1 when needs come from trace columns)
	Tenant      int32   // trace function / tenant index, 0 when none
}

// Source is a lazy, deterministic query stream.
type Source interface {
	// Next fills q with the next query, in non-decreasing Arrival order; false when the stream ends.
	Next(q *Query) bool
}
