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

func init() {
	var (
		out       string
		workers   int
		resume    bool
		shard     string
		noFigures bool
	)
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

--resume keeps the tasks already in DIR. --shard i/n runs only shard i of n
(task k belongs to shard k mod n + 1) and writes only DIR/points/; when every
shard is done, 'sushisim merge' writes the result files.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			x, err := config.Load(args[0])
			if err != nil {
				return err
			}
			opts := execute.Options{Out: out, Workers: execute.Workers(workers), Resume: resume, Log: log}
			if shard != "" {
				if opts.Shard, err = execute.ParseShard(shard); err != nil {
					return err
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			opts.Context = ctx
			bar := newProgress(cmd.ErrOrStderr())
			opts.Progress = bar.update
			tasks := len(execute.Tasks(x))
			log.Info("running", "experiment", x.Name, "points", len(x.Points), "replications", x.Sweep.Replications,
				"policies", len(x.Points[0].Policies), "tasks", tasks, "workers", opts.Workers)
			start := time.Now()
			rep, err := execute.Execute(x, opts)
			bar.finish()
			if err != nil {
				return err
			}
			log.Info("done", "ran", rep.Ran, "skipped", rep.Skipped, "wall_s", fmt.Sprintf("%.1f", time.Since(start).Seconds()))
			if !rep.Complete {
				fmt.Fprintf(cmd.OutOrStdout(), "shard %s: %d tasks in %s/%s; when every shard is done: sushisim merge %s\n",
					opts.Shard, rep.Tasks, rep.Out, results.PointsDir, rep.Out)
				return nil
			}
			if err := explainLoad(cmd.OutOrStdout(), x); err != nil {
				return err
			}
			if err := showResults(cmd.OutOrStdout(), x, rep.Out, noFigures); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nresults: %s\n", rep.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "results directory (default: [output] dir, else results/<experiment name>)")
	f.IntVarP(&workers, "workers", "j", 0, "runs in parallel (default: every core)")
	f.BoolVar(&resume, "resume", false, "keep the tasks already saved in the results directory")
	f.StringVar(&shard, "shard", "", "run only shard i of n (\"i/n\"), for 'sushisim merge' to combine")
	f.BoolVar(&noFigures, "no-figures", false, "do not draw figures (sushisim plot DIR draws them later)")
	root.AddCommand(cmd)
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
	groups := map[[2]string][]int{}
	var order [][2]string
	for i, r := range res.Rows {
		k := [2]string{fmt.Sprint(r.Point), r.Policy}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range order {
		idx := groups[k]
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
			line, r.Policy, len(idx), mean("completed"), mean("latency_ms_mean"), mean("latency_ms_p50"), mean("latency_ms_p99"),
			mean("slo_attainment"), mean("both_met"), mean("accuracy_mean_served"), mean("pb_hit_fraction"), mean("offchip_bytes_per_query")/1e6,
			mean("reload_bytes_per_query")/1e6, mean("energy_mj_per_query"), mean("offchip_energy_mj_per_query"))
	}
	tw.Flush()
}
