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
