// Command bigrun is the large-run memory check: it simulates
// -queries queries (10^6, 10^7, ...) on -instances accelerators (1,000 by
// default; zcu104 cost model with SGS caching and JSQ routing, or synthetic
// service) and prints one key=value line with the run's throughput, its
// latency figures, and its memory: peak RSS (getrusage), the heap in use,
// and what the run allocated. Memory must be flat in the query count: the
// engine keeps counters and a DDSketch, never a list of queries.
//
//	go run ./bench/bigrun -queries 10000000
//
// digest= fingerprints every result (counters, sums, per-SubNet
// completions, latency quantiles): equal digests before and after a speed
// change show it byte-identical. sgs_memo_hit_rate= is the share of SGS
// decisions whose candidate the run's policies.RunMemo held.
//
// -cpuprofile FILE writes a pprof CPU profile of the simulation alone (not
// the catalog and cost-table build): go tool pprof -top bigrun FILE.
package main
