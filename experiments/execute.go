package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Task is one replication of one point: every [[policy]] on one query
// stream. It is the unit of result files, of --resume and of shards.
type Task struct {
	Index       int // in plan order: point-major, then replication
	Point       int
	Replication int
	Seed        uint64
}

// Name is the task's file stem, "p0003-r01".
func (t Task) Name() string { return fmt.Sprintf("p%04d-r%02d", t.Point, t.Replication) }

// Tasks lists the plan's tasks in order.
func (x *Experiment) Tasks() []Task {
	var out []Task
	for _, p := range x.Points {
		for r := range x.Sweep.Replications {
			seed := x.Seed
			if p.X != nil {
				seed = p.X.Seed
			}
			out = append(out, Task{Index: len(out), Point: p.Index, Replication: r, Seed: ReplicationSeed(seed, r)})
		}
	}
	return out
}

// Shard selects part of a plan's tasks: shard I of N (1-based, as written
// on the command line: "2/4"). Task k belongs to shard k mod N + 1: a
// stable assignment that spreads neighbouring (similar-cost) points.
type Shard struct{ I, N int }

// ParseShard reads "i/n".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 2/4", s)
	}
	return Shard{I: i, N: n}, nil
}

// Owns reports whether task k belongs to the shard (every task when N = 0).
func (s Shard) Owns(k int) bool { return s.N == 0 || k%s.N == s.I-1 }

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Options control Execute.
type Options struct {
	Out      string // results directory (default: [output] dir, else results/<name>)
	Workers  int    // parallel runs (default: every core)
	Resume   bool   // keep tasks whose results are already in Out
	Shard    Shard  // run only this shard's tasks (N = 0: all)
	Progress func(done, total int)
	Log      *slog.Logger    // nil: slog.Default()
	Context  context.Context // cancel to stop after the runs in progress
}

// Report says what Execute did.
type Report struct {
	Out      string
	Tasks    int  // tasks of the plan this call was responsible for
	Skipped  int  // already done (--resume)
	Ran      int  // tasks run now
	Complete bool // every task of the plan is done and the result files are written
}

// OutDir is where an experiment's results go unless a flag says otherwise.
func (x *Experiment) OutDir() string {
	if x.Output.Dir != "" {
		return x.Output.Dir
	}
	return filepath.Join("results", x.Name)
}

// planFile is plan.json: what a results directory holds results of.
type planFile struct {
	Version      string   `json:"version"`
	Experiment   string   `json:"experiment"`
	Hash         string   `json:"hash"`
	Source       string   `json:"source"` // the experiment file, as given
	SourceDir    string   `json:"source_dir"`
	Keys         []string `json:"keys"`
	Points       int      `json:"points"`
	Replications int      `json:"replications"`
	Policies     int      `json:"policies"`
	Tasks        int      `json:"tasks"`
}

func (x *Experiment) plan() planFile {
	dir, err := filepath.Abs(x.Dir)
	if err != nil {
		dir = x.Dir
	}
	return planFile{Version: resultsVersion, Experiment: x.Name, Hash: x.Hash, Source: x.Path, SourceDir: dir,
		Keys: x.Sweep.Keys, Points: len(x.Points), Replications: x.Sweep.Replications,
		Policies: len(x.Points[0].X.Policies), Tasks: len(x.Points) * x.Sweep.Replications}
}

// Execute runs an experiment's tasks (those of one shard with Options.Shard)
// on a pool of workers and writes each task's results into Out/points as
// soon as it is done, atomically. Without a shard it then writes the
// result files (Merge of Out into itself). The files do not depend on the
// number of workers: every run draws only from its own seed's streams.
func Execute(x *Experiment, o Options) (*Report, error) {
	if o.Out == "" {
		o.Out = x.OutDir()
	}
	if o.Workers < 1 {
		o.Workers = runtime.NumCPU()
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if err := prepareOut(x, &o); err != nil {
		return nil, err
	}
	rep := &Report{Out: o.Out}
	if o.Shard.N > 0 {
		// a marker that the shard ran at all, so a merge can tell a shard
		// that never started from one that did not finish
		mark := filepath.Join(o.Out, shardsDir, fmt.Sprintf("%d-of-%d.started", o.Shard.I, o.Shard.N))
		if err := writeAtomic(mark, []byte(x.Hash+"\n")); err != nil {
			return nil, err
		}
	}
	var todo []Task
	for _, t := range x.Tasks() {
		if !o.Shard.Owns(t.Index) {
			continue
		}
		rep.Tasks++
		if o.Resume {
			if _, err := readTaskFile(o.Out, x.Hash, t, len(x.Points[t.Point].X.Policies)); err == nil {
				rep.Skipped++
				continue
			}
		}
		todo = append(todo, t)
	}
	if rep.Skipped > 0 {
		o.Log.Info("resuming", "done", rep.Skipped, "to_run", len(todo), "out", o.Out)
	}
	if err := runTasks(x, todo, &o); err != nil {
		return rep, err
	}
	rep.Ran = len(todo)
	if o.Shard.N > 0 {
		mark := filepath.Join(o.Out, shardsDir, fmt.Sprintf("%d-of-%d.done", o.Shard.I, o.Shard.N))
		if err := writeAtomic(mark, []byte(x.Hash+"\n")); err != nil {
			return rep, err
		}
		return rep, nil
	}
	if _, err := Merge([]string{o.Out}, o.Out); err != nil {
		return rep, err
	}
	rep.Complete = true
	return rep, nil
}

const shardsDir = "shards"

// prepareOut makes the results directory hold this plan: a copy of the
// experiment file and plan.json. A directory holding another plan's
// results is cleared by a fresh full run, and refused by --resume and
// --shard (whose other tasks would not fit).
func prepareOut(x *Experiment, o *Options) error {
	if old, err := readPlan(o.Out); err == nil && old.Hash != x.Hash {
		if o.Resume || o.Shard.N > 0 {
			return fmt.Errorf("%s holds results of another experiment or another version of this one (plan %s, now %s): "+
				"use another --out, or run without --resume/--shard to start over", o.Out, old.Hash, x.Hash)
		}
		o.Log.Info("clearing results of an earlier version", "out", o.Out, "plan", old.Hash)
		for _, d := range []string{PointsDir, TracesDir, shardsDir} {
			if err := os.RemoveAll(filepath.Join(o.Out, d)); err != nil {
				return err
			}
		}
	}
	if err := writeAtomic(filepath.Join(o.Out, ExperimentCopy), x.Source); err != nil {
		return err
	}
	return writePlan(o.Out, x.plan())
}

func writePlan(dir string, p planFile) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, PlanJSON), append(b, '\n'))
}

func readPlan(dir string) (planFile, error) {
	var p planFile
	b, err := os.ReadFile(filepath.Join(dir, PlanJSON))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", filepath.Join(dir, PlanJSON), err)
	}
	return p, nil
}

// job is one policy of one task.
type job struct {
	t   *taskRun
	pol int
}

// taskRun collects a task's runs until all are done.
type taskRun struct {
	Task
	x    *Experiment // the point's
	outs []runOutput
	left int
}

type jobDone struct {
	j   job
	out runOutput
	err error
}

// runTasks runs every policy of every task on o.Workers goroutines and
// saves each task when its last policy finishes.
func runTasks(x *Experiment, todo []Task, o *Options) error {
	if len(todo) == 0 {
		return nil
	}
	r := newRunner(o.Workers)
	var jobs []job
	for _, t := range todo {
		px := x.Points[t.Point].X
		tr := &taskRun{Task: t, x: px, outs: make([]runOutput, len(px.Policies)), left: len(px.Policies)}
		for i := range px.Policies {
			jobs = append(jobs, job{t: tr, pol: i})
		}
	}
	ctx, cancel := context.WithCancel(o.Context)
	defer cancel()
	feed := make(chan job)
	done := make(chan jobDone)
	var wg sync.WaitGroup
	for range min(o.Workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range feed {
				out, err := runJob(r, x, j, o.Out)
				done <- jobDone{j, out, err}
			}
		}()
	}
	go func() {
		defer close(feed)
		for _, j := range jobs {
			select {
			case feed <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	var first error
	finished := 0
	for d := range done {
		if d.err != nil {
			if first == nil {
				first = fmt.Errorf("%s policy %q: %w", d.j.t.Name(), d.j.t.x.Policies[d.j.pol].Name, d.err)
				cancel()
			}
			continue
		}
		finished++
		if o.Progress != nil {
			o.Progress(finished, len(jobs))
		}
		tr := d.j.t
		tr.outs[d.j.pol] = d.out
		o.Log.Debug("run done", "task", tr.Name(), "policy", tr.x.Policies[d.j.pol].Name, "wall_s", d.out.WallS)
		if tr.left--; tr.left == 0 && first == nil {
			if err := saveTask(o.Out, x, tr); err != nil {
				first = err
				cancel()
			}
		}
	}
	if first != nil {
		return first
	}
	if err := o.Context.Err(); err != nil {
		return fmt.Errorf("%w after %d of %d runs (finished tasks are saved: run again with --resume)", errInterrupted, finished, len(jobs))
	}
	return nil
}

func runJob(r *runner, x *Experiment, j job, out string) (runOutput, error) {
	px := j.t.x
	m, err := r.model(px)
	if err != nil {
		return runOutput{}, err
	}
	pol := &px.Policies[j.pol]
	var obs *observe
	if x.Output.Trace || x.Output.WindowS > 0 {
		obs = &observe{windowNs: int64(x.Output.WindowS * 1e9)}
		if x.Output.Trace {
			obs.tracePath = filepath.Join(out, TracesDir, TraceName(j.t.Task, pol.Name))
		}
	}
	o, err := r.runPolicy(px, pol, j.t.Seed, m, obs)
	o.catalog = m.entries
	return o, err
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// TraceName is the file name of one run's per-query trace.
func TraceName(t Task, policy string) string {
	return t.Name() + "-" + unsafeName.ReplaceAllString(policy, "_") + ".csv.gz"
}

// taskFile is points/<task>.json: a task's results, a pure function of the
// experiment file (wall time lives in <task>.timing.json).
type taskFile struct {
	Version     string         `json:"version"`
	Plan        string         `json:"plan"`
	Point       int            `json:"point"`
	Replication int            `json:"replication"`
	Seed        uint64         `json:"seed"`
	Catalog     []CatalogEntry `json:"catalog,omitempty"` // replication 0 only
	Runs        []runRecord    `json:"runs"`
}

type runRecord struct {
	Summary   Summary   `json:"summary"`
	Quantiles []float64 `json:"latency_ms_quantiles"`
	Served    []int64   `json:"served_by_subnet"`
	Windows   []Window  `json:"windows,omitempty"`
}

type timingFile struct {
	Runs []timingRow `json:"runs"`
}

type timingRow struct {
	Point       int     `json:"point"`
	Replication int     `json:"replication"`
	Policy      string  `json:"policy"`
	WallS       float64 `json:"wall_s"`
	Events      uint64  `json:"events"`
}

// saveTask writes a task's timing, then its results: the results file's
// presence marks the task done.
func saveTask(out string, x *Experiment, tr *taskRun) error {
	tf := taskFile{Version: resultsVersion, Plan: x.Hash, Point: tr.Point, Replication: tr.Replication, Seed: tr.Seed}
	var tm timingFile
	for i, o := range tr.outs {
		tf.Runs = append(tf.Runs, runRecord{Summary: o.Summary, Quantiles: o.Quantiles, Served: o.Served, Windows: o.Windows})
		tm.Runs = append(tm.Runs, timingRow{Point: tr.Point, Replication: tr.Replication, Policy: tr.x.Policies[i].Name,
			WallS: o.WallS, Events: o.Summary.Events})
	}
	if tr.Replication == 0 {
		tf.Catalog = tr.outs[0].catalog
	}
	tb, err := json.Marshal(tm)
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(out, PointsDir, tr.Name()+".timing.json"), append(tb, '\n')); err != nil {
		return err
	}
	b, err := json.MarshalIndent(tf, "", " ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(out, PointsDir, tr.Name()+".json"), append(b, '\n'))
}

// readTaskFile reads a task's results and checks they belong to this plan.
func readTaskFile(dir, hash string, t Task, policies int) (*taskFile, error) {
	path := filepath.Join(dir, PointsDir, t.Name()+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tf taskFile
	if err := json.Unmarshal(b, &tf); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case tf.Version != resultsVersion || tf.Plan != hash:
		return nil, fmt.Errorf("%s: results of another plan (%s), not %s", path, tf.Plan, hash)
	case tf.Point != t.Point || tf.Replication != t.Replication || tf.Seed != t.Seed || len(tf.Runs) != policies:
		return nil, fmt.Errorf("%s: does not hold point %d replication %d with %d policies", path, t.Point, t.Replication, policies)
	}
	return &tf, nil
}

// MergeReport says what Merge found.
type MergeReport struct {
	Experiment *Experiment
	Tasks      int
}

// Merge combines the task results found in dirs (the directories of
// shards, or one directory) into out: the same files, byte for byte, as one
// run of the whole plan. It refuses while tasks are missing, naming the
// shards (and tasks) to run.
func Merge(dirs []string, out string) (*MergeReport, error) {
	if len(dirs) == 0 {
		return nil, errors.New("merge: no results directories")
	}
	var plan planFile
	for i, d := range dirs {
		p, err := readPlan(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %s is not a results directory: %w", d, err)
		}
		if i > 0 && p.Hash != plan.Hash {
			return nil, fmt.Errorf("merge: %s holds plan %s of %q, but %s holds plan %s of %q: results of different experiments do not merge",
				d, p.Hash, p.Experiment, dirs[0], plan.Hash, plan.Experiment)
		}
		plan = p
	}
	x, src, err := loadCopy(dirs[0], plan)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	tasks := x.Tasks()
	files := make([]*taskFile, len(tasks))
	from := make([]string, len(tasks))
	var missing []Task
	for i, t := range tasks {
		for _, d := range dirs {
			if tf, err := readTaskFile(d, x.Hash, t, len(x.Points[t.Point].X.Policies)); err == nil {
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

	var (
		rows   []Row
		cat    []CatalogRow
		qs     []QuantileRow
		ws     []WindowRow
		timing []timingRow
		params = make([][]any, len(x.Points))
	)
	for _, p := range x.Points {
		params[p.Index] = p.Values
	}
	for i, t := range tasks {
		tf := files[i]
		vals := make([]string, len(x.Sweep.Keys))
		for k := range vals {
			vals[k] = FormatValue(x.Points[t.Point].Values[k])
		}
		for _, c := range tf.Catalog {
			cat = append(cat, CatalogRow{Point: t.Point, CatalogEntry: c})
		}
		for _, run := range tf.Runs {
			rows = append(rows, Row{Point: t.Point, Replication: t.Replication, Params: vals, Summary: run.Summary})
			for k, q := range LatencyQuantiles {
				if k < len(run.Quantiles) {
					qs = append(qs, QuantileRow{Point: t.Point, Replication: t.Replication, Policy: run.Summary.Policy,
						Quantile: q, LatencyMs: run.Quantiles[k]})
				}
			}
			for _, w := range run.Windows {
				ws = append(ws, WindowRow{Point: t.Point, Replication: t.Replication, Policy: run.Summary.Policy, Window: w})
			}
		}
		var tm timingFile
		if b, err := os.ReadFile(filepath.Join(from[i], PointsDir, t.Name()+".timing.json")); err == nil && json.Unmarshal(b, &tm) == nil {
			timing = append(timing, tm.Runs...)
		}
		if err := copyTask(from[i], out, t, x); err != nil {
			return nil, err
		}
	}
	if err := writeAtomic(filepath.Join(out, ExperimentCopy), src); err != nil {
		return nil, err
	}
	// keep the plan's own record of where the file was
	pf := x.plan()
	pf.Source, pf.SourceDir = plan.Source, plan.SourceDir
	if err := writePlan(out, pf); err != nil {
		return nil, err
	}
	if err := writeResults(out, x.Sweep.Keys, rows, params, cat, qs, ws, timing); err != nil {
		return nil, err
	}
	return &MergeReport{Experiment: x, Tasks: len(tasks)}, nil
}

// LoadFromResults reads the experiment a results directory holds results
// of, from its copy (relative paths in it resolve where the file was).
func LoadFromResults(dir string) (*Experiment, error) {
	plan, err := readPlan(dir)
	if err != nil {
		return nil, fmt.Errorf("%s is not a results directory: %w", dir, err)
	}
	x, _, err := loadCopy(dir, plan)
	return x, err
}

func loadCopy(dir string, plan planFile) (*Experiment, []byte, error) {
	path := filepath.Join(dir, ExperimentCopy)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	x, err := Parse(filepath.Join(plan.SourceDir, filepath.Base(plan.Source)), src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if x.Hash != plan.Hash {
		return nil, nil, fmt.Errorf("%s does not match its %s (plan %s, file %s)", path, PlanJSON, plan.Hash, x.Hash)
	}
	return x, src, nil
}

// copyTask copies a task's files (results, timing, traces) into out when
// they come from another directory.
func copyTask(from, out string, t Task, x *Experiment) error {
	same, err := sameDir(from, out)
	if err != nil || same {
		return err
	}
	names := []string{filepath.Join(PointsDir, t.Name()+".timing.json"), filepath.Join(PointsDir, t.Name()+".json")}
	if x.Output.Trace {
		for _, p := range x.Points[t.Point].X.Policies {
			names = append(names, filepath.Join(TracesDir, TraceName(t, p.Name)))
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
		if err := writeAtomic(filepath.Join(out, n), b); err != nil {
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
func missingError(dirs []string, x *Experiment, missing []Task, total int) error {
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
	list := func(ts []Task) string {
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
	byShard := map[int][]Task{}
	var shards []int
	for _, t := range missing {
		s := t.Index%n + 1
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
