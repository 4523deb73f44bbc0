package workloads

import (
	"errors"
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
	// Building reads and checks every file, and what only the data can
	// tell (a replay's offset past the trace's end).
	a, err := buildThrowaway(&c, baseDir)
	if err != nil {
		return err
	}
	return release(a)
}

// CountArrivals is how many arrivals c's process makes before it ends by
// itself, and when the last one arrives (ns) (a trace's rows, a replay's
// requests, an Azure day's invocations), counted by running it as a run
// would, up to limit (it returns limit+1 when there are more). It is how a
// run's cost is known before the run for processes whose length only their
// data tell. The whole stream is counted: a [workload.split] part is a
// share of it.
func CountArrivals(c Config, baseDir string, limit int64) (n, lastNs int64, err error) {
	a, err := buildThrowaway(&c, baseDir)
	if err != nil {
		return 0, 0, err
	}
	var q Query
	for n <= limit && a.Next(&q) {
		n++
		lastNs = q.Arrival
	}
	return n, lastNs, release(a)
}

// buildThrowaway builds c's arrival process as New would, on a throwaway
// random stream, so the run's own streams stay untouched.
func buildThrowaway(c *Config, baseDir string) (Arrivals, error) {
	return c.buildArrivals(rand.New(rand.NewPCG(0, 0)), baseDir)
}

// buildArrivals is the one place a configuration's arrival process is built.
func (c *Config) buildArrivals(r *rand.Rand, baseDir string) (Arrivals, error) {
	return c.Arrival.process().Build(&c.Arrival, &BuildEnv{Rand: r, BaseDir: baseDir, Classes: c.Classes()})
}

// release reports the error that ended a replay early (a file that changed
// after Build checked it: a count short of the file's is an error, not a
// smaller run) and closes a process that holds a file.
func release(a Arrivals) error {
	var errs []error
	if x, ok := a.(interface{ Err() error }); ok {
		errs = append(errs, x.Err())
	}
	if x, ok := a.(io.Closer); ok {
		errs = append(errs, x.Close())
	}
	return errors.Join(errs...)
}
