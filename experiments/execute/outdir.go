package execute

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// A results directory is owned by one plan. A run writes only into a
// directory that is missing, empty, or holds the same plan (a re-run or a
// resume); anything else is refused, unless Options.Force, which moves the
// old content aside to DIR.old-N (the smallest N free) rather than deleting
// it. Nothing is moved before the new plan has been checked completely
// (Load, then CheckFiles), so a file that fails cannot cost earlier results.

// harmless are entries a directory may hold before its first run: the lock
// files, the scripts 'sushisim slurm' writes before its shards start, and
// the temporary file of a plan.json another shard of the same array is
// writing (atomicfile.Create's name for it) before renaming it into place.
func harmless(name string) bool {
	return strings.HasPrefix(name, lockName) || name == "slurm" || strings.HasPrefix(name, "."+results.PlanJSON+".tmp")
}

// claimOut makes o.Out this plan's: it refuses (or, with Force, moves
// aside) content that is not, then writes the experiment's copy and
// plan.json.
func claimOut(x *config.Experiment, o *Options) error {
	why, err := notOurs(x, o.Out)
	if err != nil {
		return err
	}
	if why != "" {
		if !o.Force {
			return fmt.Errorf("%s %s: refusing to write there (use another --out, or --force to move its content to %s.old-N first)",
				o.Out, why, filepath.Clean(o.Out))
		}
		to, err := moveAside(o.Out)
		if err != nil {
			return fmt.Errorf("--force: %w", err)
		}
		o.Log.Warn("moved the earlier content aside", "out", o.Out, "why", why, "to", to)
	}
	// plan.json first: shards of one array start at the same moment, and a
	// shard that finds the experiment's copy without plan.json would take
	// the directory for someone else's
	if err := results.WritePlan(o.Out, planOf(x)); err != nil {
		return err
	}
	return results.WriteFile(filepath.Join(o.Out, results.ExperimentCopy), x.Source)
}

// notOurs says why dir holds content that is not x's ("" when it is
// missing, empty but for harmless entries, or holds x's plan).
func notOurs(x *config.Experiment, dir string) (string, error) {
	entries, err := contentOf(dir)
	if err != nil || len(entries) == 0 {
		return "", err
	}
	return foreign(x, dir), nil
}

// contentOf lists dir's entries but the harmless ones (none when it is
// missing).
func contentOf(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return harmless(e.Name()) }), nil
}

// foreign says why a non-empty dir is not x's, or "" when it holds x's plan.
func foreign(x *config.Experiment, dir string) string {
	old, err := results.ReadPlan(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "is not empty and holds no sushisim results (no " + results.PlanJSON + ")"
	case err != nil:
		return "holds an unreadable " + results.PlanJSON + " (" + err.Error() + ")"
	case old.Hash != x.Hash && old.Experiment == x.Name:
		return fmt.Sprintf("holds results of another version of %q (plan %s, now %s)", x.Name, old.Hash, x.Hash)
	case old.Hash != x.Hash:
		return fmt.Sprintf("holds results of experiment %q (plan %s), not of %q (plan %s)", old.Experiment, old.Hash, x.Name, x.Hash)
	}
	return ""
}

// moveAside moves dir's content into a new sibling DIR.old-N and returns
// its path. Lock files stay: the run that moves holds one.
func moveAside(dir string) (string, error) {
	entries, err := contentOf(dir)
	if err != nil {
		return "", err
	}
	base, err := filepath.Abs(dir) // "." moves to a sibling, not into itself
	if err != nil {
		return "", err
	}
	var to string
	for n := 1; ; n++ {
		to = fmt.Sprintf("%s.old-%d", base, n)
		err := os.Mkdir(to, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(dir, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return "", fmt.Errorf("moving %s aside (the rest is in %s): %w", e.Name(), to, err)
		}
	}
	return to, nil
}
