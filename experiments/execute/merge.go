package execute

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// MergeReport says what Merge found.
type MergeReport struct {
	Experiment *config.Experiment
	Tasks      int
}

// Merge combines the task results found in dirs (the directories of
// shards, or one directory) into out: the same files, byte for byte, as one
// run of the whole plan. It refuses while tasks are missing, naming the
// shards (and tasks) to run.
func Merge(dirs []string, out string) (*MergeReport, error) {
	return merge(dirs, out, true)
}

// merge is Merge; claim makes it check and lock out first (Execute, which
// merges into the directory it holds, does not).
func merge(dirs []string, out string, claim bool) (*MergeReport, error) {
	if len(dirs) == 0 {
		return nil, errors.New("merge: no results directories")
	}
	var p0 results.Plan
	for i, d := range dirs {
		p, err := results.ReadPlan(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %s is not a results directory: %w", d, err)
		}
		if i > 0 && p.Hash != p0.Hash {
			return nil, fmt.Errorf("merge: %s holds plan %s of %q, but %s holds plan %s of %q: results of different experiments do not merge",
				d, p.Hash, p.Experiment, dirs[0], p0.Hash, p0.Experiment)
		}
		p0 = p
	}
	x, src, err := loadCopy(dirs[0], p0)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	tasks := Tasks(x)
	files := make([]*results.TaskFile, len(tasks))
	from := make([]string, len(tasks))
	var missing []results.Task
	for i, t := range tasks {
		for _, d := range dirs {
			if tf, err := results.ReadTask(d, x.Hash, t, len(x.Points[t.Point].Policies)); err == nil {
				files[i], from[i] = tf, d
				break
			}
		}
		if files[i] == nil {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return nil, missingError(dirs, x, missing, len(tasks))
	}
	if claim {
		l, err := claimMergeOut(x, out)
		if err != nil {
			return nil, err
		}
		defer l.release()
	}

	tab := &results.Tables{Keys: x.Sweep.Keys, Params: make([][]any, len(x.Points))}
	for _, p := range x.Points {
		tab.Params[p.Index] = p.Values
	}
	var dt *dcTables
	for i := 0; i < len(tasks); {
		t := tasks[i]
		vals := make([]string, len(x.Sweep.Keys))
		for k := range vals {
			vals[k] = results.FormatValue(x.Points[t.Point].Values[k])
		}
		n := 1 // the task files of this replication: its cells
		tf := files[i]
		if x.Points[t.Point].Datacenter.On {
			n = t.Cells
			if dt == nil {
				dt = &dcTables{}
			}
			if tf, err = mergeCells(x, t, files[i:i+n], dt); err != nil {
				return nil, err
			}
		}
		tab.AddTask(t, vals, tf)
		for j := i; j < i+n; j++ {
			tab.Timing = append(tab.Timing, results.ReadTiming(from[j], tasks[j])...)
			if err := copyTask(from[j], out, tasks[j], x); err != nil {
				return nil, err
			}
		}
		i += n
	}
	if err := results.WriteFile(filepath.Join(out, results.ExperimentCopy), src); err != nil {
		return nil, err
	}
	// keep the plan's own record of where the file was
	pf := planOf(x)
	pf.Source, pf.SourceDir = p0.Source, p0.SourceDir
	if err := results.WritePlan(out, pf); err != nil {
		return nil, err
	}
	if err := results.Write(out, tab); err != nil {
		return nil, err
	}
	if dt != nil {
		if err := results.WriteDatacenter(out, dt.dc, dt.cells, dt.series); err != nil {
			return nil, err
		}
	}
	return &MergeReport{Experiment: x, Tasks: len(tasks)}, nil
}

// LoadFromResults reads the experiment a results directory holds results
// of, from its copy (relative paths in it resolve where the file was).
func LoadFromResults(dir string) (*config.Experiment, error) {
	plan, err := results.ReadPlan(dir)
	if err != nil {
		return nil, fmt.Errorf("%s is not a results directory: %w", dir, err)
	}
	x, _, err := loadCopy(dir, plan)
	return x, err
}

func loadCopy(dir string, plan results.Plan) (*config.Experiment, []byte, error) {
	path := filepath.Join(dir, results.ExperimentCopy)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	x, err := config.Parse(filepath.Join(plan.SourceDir, filepath.Base(plan.Source)), src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if x.Hash != plan.Hash {
		return nil, nil, fmt.Errorf("%s does not match its %s (plan %s, file %s)", path, results.PlanJSON, plan.Hash, x.Hash)
	}
	return x, src, nil
}

// copyTask copies a task's files (results, timing, traces) into out when
// they come from another directory.
func copyTask(from, out string, t results.Task, x *config.Experiment) error {
	same, err := sameDir(from, out)
	if err != nil || same {
		return err
	}
	names := []string{results.TimingPath("", t), results.TaskPath("", t)}
	if x.Output.Trace {
		for _, p := range x.Points[t.Point].Policies {
			names = append(names, filepath.Join(results.TracesDir, results.TraceName(t, p.Name)))
		}
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(from, n))
		if errors.Is(err, fs.ErrNotExist) && strings.HasSuffix(n, ".timing.json") {
			continue // timing is not a result
		}
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if err := results.WriteFile(filepath.Join(out, n), b); err != nil {
			return err
		}
	}
	return nil
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// missingError names what a merge lacks: the shards that have not (all)
// finished when the directories were filled by shards, else the tasks.
func missingError(dirs []string, x *config.Experiment, missing []results.Task, total int) error {
	ns := map[int]bool{}
	state := map[int]string{} // shard -> "started" | "done"
	for _, d := range dirs {
		ms, _ := filepath.Glob(filepath.Join(d, shardsDir, "*-of-*.*"))
		for _, m := range ms {
			var i, n int
			var what string
			if _, err := fmt.Sscanf(strings.Replace(filepath.Base(m), ".", " ", 1), "%d-of-%d %s", &i, &n, &what); err == nil {
				ns[n] = true
				if state[i] != "done" {
					state[i] = what
				}
			}
		}
	}
	list := func(ts []results.Task) string {
		names := make([]string, 0, 4)
		for i, t := range ts {
			if i == 3 {
				names = append(names, fmt.Sprintf("and %d more", len(ts)-3))
				break
			}
			names = append(names, t.Name())
		}
		return strings.Join(names, ", ")
	}
	head := fmt.Sprintf("merge: %d of %d tasks have no results in %s", len(missing), total, strings.Join(dirs, ", "))
	if len(ns) != 1 {
		return fmt.Errorf("%s (%s): finish them with `sushisim run %s --resume --out DIR`", head, list(missing), x.Path)
	}
	var n int
	for k := range ns {
		n = k
	}
	byShard := map[int][]results.Task{}
	var shards []int
	for _, t := range missing {
		s := ShardOf(t.Index, n)
		if byShard[s] == nil {
			shards = append(shards, s)
		}
		byShard[s] = append(byShard[s], t)
	}
	var parts []string
	for _, s := range shards {
		why := "has not run"
		switch state[s] {
		case "started":
			why = "did not finish"
		case "done":
			why = "finished but its results are not in these directories"
		}
		parts = append(parts, fmt.Sprintf("shard %d/%d %s (%s)", s, n, why, list(byShard[s])))
	}
	return fmt.Errorf("%s: %s; run `sushisim run %s --shard I/%d --resume --out DIR` for each, then merge again",
		head, strings.Join(parts, ", "), x.Path, n)
}

// claimMergeOut locks out and checks it is owned like a run's directory:
// empty, or this plan's.
func claimMergeOut(x *config.Experiment, out string) (*lock, error) {
	why, err := notOurs(x, out)
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, fmt.Errorf("merge: %s %s: refusing to write there (give another --out)", out, why)
	}
	l, err := acquireLock(out, Shard{}, false, slog.Default())
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return l, nil
}
