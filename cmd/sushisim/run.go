package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/plots"
)

// runFlags are the flags of 'sushisim run'.
type runFlags struct {
	out, shard, maxMemory                     string
	workers                                   int
	resume, noFigures, force, breakLock, over bool
}

func init() {
	var fl runFlags
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run an experiment file and write its results and figures",
		Long: `Run every point of an experiment file's [sweep] (the file itself without one),
each replication, every [[policy]] on the same query stream, on --workers cores.
Each task (a point's replication) is saved in DIR/points/ as soon as it is
done; at the end the results directory gets summary.csv, summary.json,
aggregate.csv (mean and 95% CI over replications), quantiles.csv, catalog.csv,
timing.csv and the figures. DIR is --out, else [output] dir, else
results/<experiment name>. The files do not depend on --workers.

DIR belongs to one plan: a run writes only into a DIR that is missing, empty or
holds this plan's results (a re-run, --resume). Anything else is refused;
--force moves it aside to DIR.old-N first (nothing is deleted, and nothing is
moved before the file, its catalogs and traces are checked). While a run
writes, DIR/.lock holds its PID and host, and a second run into DIR is
refused; a lock left by a process that is gone from this host is broken with
a warning, --break-lock breaks any.

Before it starts, run prints an estimate of the plan's queries, events, CPU
time, peak memory and results size, and refuses a plan whose peak memory is
above the budget (--max-memory, default 80% of MemAvailable in /proc/meminfo;
--over-budget runs it anyway). Progress is a bar on a terminal, else (a pipe,
--quiet) a log line on stderr every 30 s.

--resume keeps the tasks already in DIR. --shard i/n runs only shard i of n
(task k belongs to shard k mod n + 1) and writes only DIR/points/; when every
shard is done, 'sushisim merge' writes the result files.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFile(cmd, args[0], &fl) },
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "out", "o", "", "results directory (default: [output] dir, else results/<experiment name>)")
	f.IntVarP(&fl.workers, "workers", "j", 0, "runs in parallel (default: every core)")
	f.BoolVar(&fl.resume, "resume", false, "keep the tasks already saved in the results directory")
	f.StringVar(&fl.shard, "shard", "", "run only shard i of n (\"i/n\"), for 'sushisim merge' to combine")
	f.BoolVar(&fl.noFigures, "no-figures", false, "do not draw figures (sushisim plot DIR draws them later)")
	f.BoolVar(&fl.force, "force", false, "move what the results directory holds aside (to DIR.old-N) when it is not this plan's")
	f.StringVar(&fl.maxMemory, "max-memory", "", "refuse a plan whose estimated peak memory is above this (e.g. 8G; default: 80% of the available memory)")
	f.BoolVar(&fl.over, "over-budget", false, "run even when the estimated peak memory is above the budget")
	f.BoolVar(&fl.breakLock, "break-lock", false, "take the results directory's lock even if another run (live, or on another host) holds it")
	root.AddCommand(cmd)
}

// runFile checks a file, its cost against the budget, then runs it.
func runFile(cmd *cobra.Command, path string, fl *runFlags) error {
	log, err := logger(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	x, err := config.Load(path)
	if err != nil {
		return err
	}
	if fl.workers < 0 {
		return fmt.Errorf("--workers %d: want 0 (every core) or a positive count", fl.workers)
	}
	opts := execute.Options{Out: fl.out, Workers: execute.Workers(fl.workers), Resume: fl.resume, Force: fl.force, BreakLock: fl.breakLock, Log: log}
	if fl.shard != "" {
		if opts.Shard, err = execute.ParseShard(fl.shard); err != nil {
			return err
		}
	}
	cost, err := execute.Estimate(x, opts.Workers)
	if err != nil {
		return err
	}
	log.Info("estimate", "cost", cost.String())
	budget, from, err := memoryBudget(fl.maxMemory)
	if err != nil {
		return err
	}
	if err := overBudget(x, cost, budget, from); err != nil && !fl.over {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts.Context = ctx
	bar := newProgress(cmd.ErrOrStderr())
	opts.Progress = bar.update
	log.Info("running", "experiment", x.Name, "points", len(x.Points), "replications", x.Sweep.Replications,
		"policies", len(x.Points[0].Policies), "tasks", len(execute.Tasks(x)), "workers", opts.Workers)
	start := time.Now()
	rep, err := execute.Execute(x, opts)
	bar.finish()
	if err != nil {
		return err
	}
	log.Info("done", "ran", rep.Ran, "skipped", rep.Skipped, "wall_s", fmt.Sprintf("%.1f", time.Since(start).Seconds()),
		"peak_rss_mib", fmt.Sprintf("%.0f", peakRSSMiB()))
	if !rep.Complete {
		fmt.Fprintf(cmd.OutOrStdout(), "shard %s: %d tasks in %s/%s; when every shard is done: sushisim merge %s\n",
			opts.Shard, rep.Tasks, rep.Out, results.PointsDir, rep.Out)
		return nil
	}
	if err := explainLoad(cmd.OutOrStdout(), x); err != nil {
		return err
	}
	if err := showResults(cmd.OutOrStdout(), x, rep.Out, fl.noFigures); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "\nresults: %s\n", rep.Out)
	return nil
}

// showResults reads the result files in dir, draws x's figures there unless
// noFigures, and prints the table of printResults: how run and merge end.
func showResults(w io.Writer, x *config.Experiment, dir string, noFigures bool) error {
	res, err := results.Read(dir)
	if err != nil {
		return err
	}
	if !noFigures {
		if _, err := plots.Render(res, x.FiguresToDraw(), x.Output.Formats, dir); err != nil {
			return err
		}
	}
	printResults(w, res)
	return nil
}

// printResults shows the columns that explain a policy comparison: latency,
// needs met (SLO and both needs over every arrival), served accuracy, and
// where the weights came from; one row per run for a single
// run, else the mean over replications per point and policy.
func printResults(w io.Writer, res *results.Results) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := ""
	for _, k := range res.Keys {
		head += k + "\t"
	}
	fmt.Fprintln(tw, head+"policy\truns\tqueries\tlat mean ms\tp50 ms\tp99 ms\tSLO met\tboth met\tacc %\tPB hit\toffchip MB/q\treload MB/q\tenergy mJ/q\toffchip mJ/q\t")
	for _, idx := range results.GroupRuns(res.Rows) {
		mean := func(col string) float64 {
			xs := make([]float64, len(idx))
			for j, i := range idx {
				xs[j], _ = res.Number(&res.Rows[i], col)
			}
			m, _ := results.MeanCI95(xs)
			return m
		}
		r := &res.Rows[idx[0]]
		line := ""
		for _, p := range r.Params {
			line += p + "\t"
		}
		fmt.Fprintf(tw, "%s%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.3f\t%.3f\t%.2f\t%.3f\t%.2f\t%.3f\t%.3f\t%.3f\t\n",
			line, r.Policy, len(idx), mean("queries"), mean("latency_ms_mean"), mean("latency_ms_p50"), mean("latency_ms_p99"),
			mean("slo_attainment"), mean("both_met"), mean("accuracy_mean_served"), mean("pb_hit_fraction"), mean("offchip_bytes_per_query")/1e6,
			mean("reload_bytes_per_query")/1e6, mean("energy_mj_per_query"), mean("offchip_energy_mj_per_query"))
	}
	tw.Flush()
}
