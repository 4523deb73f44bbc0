package workloads

// QueryHash is the split's hash of a query's index in the whole stream
// (SplitMix64's finaliser, as [workload.split] by query uses): a uniform
// 64-bit value per query with no random draw, for a front end that thins
// the stream by weights rather than into equal parts.
func QueryHash(id int64) uint64 { return mix64(uint64(id)) }
