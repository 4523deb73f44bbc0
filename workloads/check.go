package workloads

import (
	"io"
	"math/rand/v2"
)

// Check validates c and opens, parses and checks every file it names, as
// New would, without running anything: what `sushisim validate` calls so a
// malformed trace line is reported (file, line, column) before a run.
// baseDir resolves relative paths, as for New.
func Check(c Config, baseDir string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	p := c.Arrival.process()
	if p.Check != nil {
		return p.Check(&c.Arrival, baseDir)
	}
	if len(c.Files()) == 0 {
		return nil
	}
	// Building reads and checks the whole file; the random stream only
	// matters for spreading arrivals, which Check never draws.
	a, err := p.Build(&c.Arrival, &BuildEnv{Rand: rand.New(rand.NewPCG(0, 0)), BaseDir: baseDir, Classes: c.Classes()})
	if err != nil {
		return err
	}
	if x, ok := a.(io.Closer); ok {
		return x.Close()
	}
	return nil
}
