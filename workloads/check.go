package workloads

import (
	"io"
	"math/rand/v2"
)

// Check validates c and builds its arrival process as New would (opening,
// parsing and checking every file it names), then releases it: what
// `sushisim validate` calls so a malformed trace line is reported (file,
// line, column) before a run. baseDir resolves relative paths, as for New.
func Check(c Config, baseDir string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	p := c.Arrival.process()
	if p.Check != nil {
		return p.Check(&c.Arrival, baseDir)
	}
	// Building reads and checks every file, and what only the data can
	// tell (a replay's offset past the trace's end); the throwaway random
	// stream leaves the run's own streams untouched.
	a, err := p.Build(&c.Arrival, &BuildEnv{Rand: rand.New(rand.NewPCG(0, 0)), BaseDir: baseDir, Classes: c.Classes()})
	if err != nil {
		return err
	}
	if x, ok := a.(io.Closer); ok {
		return x.Close()
	}
	return nil
}

// CountArrivals is how many arrivals c's process makes before it ends by
// itself, and when the last one arrives (ns) (a trace's rows, a replay's requests, an Azure day's invocations),
// counted by running it as a run would, up to limit (it returns limit+1
// when there are more). It is how a run's cost is known before the run for
// processes whose length only their data tell. The whole stream is counted:
// a [workload.split] part is a share of it.
func CountArrivals(c Config, baseDir string, limit int64) (n, lastNs int64, err error) {
	p := c.Arrival.process()
	a, err := p.Build(&c.Arrival, &BuildEnv{Rand: rand.New(rand.NewPCG(0, 0)), BaseDir: baseDir, Classes: c.Classes()})
	if err != nil {
		return 0, 0, err
	}
	var q Query
	for n <= limit && a.Next(&q) {
		n++
		lastNs = q.Arrival
	}
	if x, ok := a.(io.Closer); ok {
		err = x.Close()
	}
	return n, lastNs, err
}
