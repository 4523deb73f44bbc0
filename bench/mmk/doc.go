// Command mmk runs an M/M/k queue, the standard event-engine benchmark
// (open queue, lambda = 9, k = 10, mu = 1: rho = 0.9) on sushisim's event
// kernel and on github.com/fschuetz04/simgo v0.5.0, with events and handlers
// and with goroutine processes, and prints one line of key=value figures per
// run: events per second over the model's events (arrivals plus
// departures), allocations per customer, peak RSS, and the statistics, which
// are bit-identical across variants (same draws, integer nanoseconds).
// simpy2_mmk.py is the same model on SimPy 2 (Debian python3-simpy);
// scripts/bench.sh runs them all back to back and prints the ratios.
//
//	go run ./bench/mmk -variant sushisim -n 1000000
package main
