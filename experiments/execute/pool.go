package execute

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
)

// job is one policy of one task.
type job struct {
	t   *taskRun
	pol int
}

// taskRun collects a task's runs until all are done.
type taskRun struct {
	results.Task
	x    *config.Point
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
func runTasks(x *config.Experiment, todo []results.Task, o *Options) error {
	if len(todo) == 0 {
		return nil
	}
	r := newRunner(o.Workers)
	var jobs []job
	for _, t := range todo {
		px := &x.Points[t.Point]
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
	if o.Progress != nil {
		o.Progress(0, len(jobs)) // the total, before the first run ends
	}
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

func runJob(r *runner, x *config.Experiment, j job, out string) (runOutput, error) {
	px := j.t.x
	m, err := r.model(&px.Settings)
	if err != nil {
		return runOutput{}, err
	}
	pol := &px.Policies[j.pol]
	var obs *observe
	if x.Output.Trace || x.Output.WindowS > 0 {
		obs = &observe{windowNs: int64(x.Output.WindowS * 1e9)}
		if x.Output.Trace {
			obs.tracePath = filepath.Join(out, results.TracesDir, results.TraceName(j.t.Task, pol.Name))
		}
	}
	o, err := r.runPolicy(newCellPlan(&px.Settings, j.t.Task), pol, m, obs)
	o.catalog = m.entries
	if err == nil && px.Datacenter.On {
		o.cell, err = encodeCell(o.metrics)
	}
	return o, err
}

// saveTask writes a task's timing, then its results: the results file's
// presence marks the task done.
func saveTask(out string, x *config.Experiment, tr *taskRun) error {
	tf := results.TaskFile{Version: results.Version, Plan: x.Hash, Point: tr.Point, Replication: tr.Replication, Seed: tr.Seed, Cell: tr.Cell}
	var tm results.TimingFile
	for i, o := range tr.outs {
		tf.Runs = append(tf.Runs, results.RunRecord{Summary: o.Summary, Quantiles: o.Quantiles, Served: o.Served, Windows: o.Windows, Classes: o.Classes, Cell: o.cell})
		tm.Runs = append(tm.Runs, results.TimingRow{Point: tr.Point, Replication: tr.Replication, Policy: tr.x.Policies[i].Name,
			WallS: o.WallS, Events: o.Summary.Events})
	}
	if tr.Replication == 0 && tr.Cell == 0 {
		tf.Catalog = tr.outs[0].catalog
	}
	return results.WriteTask(out, tr.Task, &tf, &tm)
}
