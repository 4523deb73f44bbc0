package execute

import (
	"errors"
	"fmt"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/workloads"
)

// CheckFiles opens and checks, to the last line, every file the plan's runs
// will read beyond what config.Load checked (which opens the catalog files):
// the files of every point's workload (workloads.Check), each distinct
// workload once. Errors carry file, line and column; every problem is listed.
// Execute calls it before it touches the results directory, and
// 'sushisim validate' calls it too.
func CheckFiles(x *config.Experiment) error {
	seen := map[string]bool{}
	var errs []error
	for _, p := range x.Points {
		w := p.Workload
		key := workloadKey(p.Dir, w)
		if seen[key] {
			continue
		}
		seen[key] = true
		// Check builds the arrival process as a run would: every file is
		// read and every cell checked
		if err := workloads.Check(w, p.Dir); err != nil {
			msg := fmt.Errorf("%s: workload: %w", x.Path, err)
			if len(x.Sweep.Keys) > 0 {
				msg = fmt.Errorf("%s: workload [sweep point %d: %s]: %w", x.Path, p.Index, p.Label(x.Sweep.Keys), err)
			}
			errs = append(errs, msg)
		}
	}
	return errors.Join(errs...)
}

// workloadKey names a workload together with the directory its relative
// paths resolve against: points with the same key read the same files and
// make the same stream.
func workloadKey(dir string, w workloads.Config) string {
	return fmt.Sprintf("%s\x00%#v", dir, w)
}
