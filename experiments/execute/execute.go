package execute

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// Tasks lists the plan's tasks in order: point-major, then replication,
// then datacenter cell (one task per replication without [datacenter]).
func Tasks(x *config.Experiment) []results.Task {
	var out []results.Task
	for _, p := range x.Points {
		cells := p.Datacenter.Cells
		for r := range x.Sweep.Replications {
			for c := range cells {
				out = append(out, results.Task{Index: len(out), Point: p.Index, Replication: r, Seed: config.ReplicationSeed(p.Seed, r),
					Cell: c, Cells: cells})
			}
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

// ShardOf is the one shard rule: the shard (1-based) of n that runs task k.
func ShardOf(k, n int) int { return k%n + 1 }

// Owns reports whether task k belongs to the shard (every task when N = 0).
func (s Shard) Owns(k int) bool { return s.N == 0 || ShardOf(k, s.N) == s.I }

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Options control Execute.
type Options struct {
	Out       string // results directory (default: [output] dir, else results/<name>)
	Workers   int    // parallel runs (default: Workers(0), every core)
	Resume    bool   // keep tasks whose results are already in Out
	Shard     Shard  // run only this shard's tasks (N = 0: all)
	Force     bool   // move content of Out that is not this plan's aside (Out.old-N) instead of refusing
	BreakLock bool   // take Out's lock even from a live process or another host
	Progress  func(done, total int)
	Log       *slog.Logger    // nil: slog.Default()
	Context   context.Context // cancel to stop after the runs in progress
}

// Report says what Execute did.
type Report struct {
	Out      string
	Tasks    int  // tasks of the plan this call was responsible for
	Skipped  int  // already done (--resume)
	Ran      int  // tasks run now
	Complete bool // every task of the plan is done and the result files are written
}

// Workers is the one default of the worker count: n when n >= 1, else
// every core.
func Workers(n int) int {
	if n >= 1 {
		return n
	}
	return runtime.NumCPU()
}

// planOf is the plan.json of an experiment.
func planOf(x *config.Experiment) results.Plan {
	dir, err := filepath.Abs(x.Dir)
	if err != nil {
		dir = x.Dir
	}
	return results.Plan{Version: results.Version, Experiment: x.Name, Hash: x.Hash, Source: x.Path, SourceDir: dir,
		Keys: x.Sweep.Keys, Points: len(x.Points), Replications: x.Sweep.Replications,
		Policies: len(x.Points[0].Policies), Tasks: len(Tasks(x))}
}

// Execute runs an experiment's tasks (those of one shard with Options.Shard)
// on a pool of workers and writes each task's results into Out/points as
// soon as it is done, atomically. Without a shard it then writes the
// result files (Merge of Out into itself). The files do not depend on the
// number of workers: every run draws only from its own seed's streams.
func Execute(x *config.Experiment, o Options) (*Report, error) {
	if o.Out == "" {
		o.Out = x.OutDir()
	}
	o.Workers = Workers(o.Workers)
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	// every file the plan reads, and the cost model on its hardware, are
	// checked before the directory is touched (the cost itself is the
	// caller's: no stream is run through to count it here)
	if err := CheckFiles(x); err != nil {
		return nil, err
	}
	if _, err := estimate(x, o.Workers, false); err != nil {
		return nil, err
	}
	l, err := acquireLock(o.Out, o.Shard, o.BreakLock, o.Log)
	if err != nil {
		return nil, err
	}
	defer l.release()
	if err := claimOut(x, &o); err != nil {
		return nil, err
	}
	rep := &Report{Out: o.Out}
	if o.Shard.N > 0 {
		// a marker that the shard ran at all, so a merge can tell a shard
		// that never started from one that did not finish
		mark := filepath.Join(o.Out, shardsDir, fmt.Sprintf("%d-of-%d.started", o.Shard.I, o.Shard.N))
		if err := results.WriteFile(mark, []byte(x.Hash+"\n")); err != nil {
			return nil, err
		}
	}
	var todo []results.Task
	for _, t := range Tasks(x) {
		if !o.Shard.Owns(t.Index) {
			continue
		}
		rep.Tasks++
		if o.Resume {
			if _, err := results.ReadTask(o.Out, x.Hash, t, len(x.Points[t.Point].Policies)); err == nil {
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
		if err := results.WriteFile(mark, []byte(x.Hash+"\n")); err != nil {
			return rep, err
		}
		return rep, nil
	}
	if _, err := merge([]string{o.Out}, o.Out, false); err != nil {
		return rep, err
	}
	rep.Complete = true
	return rep, nil
}

const shardsDir = "shards"
