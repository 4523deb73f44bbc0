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

// SLOMet is the one latency check: a query meets its SLO when its latency
// (arrival to completion, ns) is at most its SLO. Every metric that counts
// SLO attainment calls it, so the boundary (<=) has one home.
func SLOMet(latencyNs, sloNs int64) bool { return latencyNs <= sloNs }

// AccuracyMet is the one accuracy check: a query's need is met when the
// SubNet that served it reaches at least its minimum top-1 accuracy.
func AccuracyMet(servedAccuracy, minAccuracy float64) bool { return servedAccuracy >= minAccuracy }
