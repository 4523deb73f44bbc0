package main

import (
	"fmt"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
)

func init() {
	var (
		o        execute.SlurmOptions
		doSubmit bool
	)
	cmd := &cobra.Command{
		Use:   "slurm FILE",
		Short: "Write (and submit) Slurm sbatch scripts that run a sweep as a job array",
		Long: `Write two sbatch scripts for an experiment file: a job array of --tasks N
tasks, array task K running 'sushisim run FILE --shard K/N --resume' into the
results directory, and a merge job ('sushisim merge DIR'). --submit submits
both, the merge with --dependency=afterok on the array, and prints the job ids.

The results directory (--out, else [output] dir, else results/<name>) and the
sushisim binary must be on a file system every node sees. Scripts and job
logs go to --script-dir (default DIR/slurm).

Slurm needs about a second to dispatch each task: choose N so that each array
task runs for tens of seconds (the plan's tasks are points x replications,
spread evenly over the N shards). A failed or killed array task K runs again
alone with 'sbatch --array=K DIR/slurm/array.sbatch' (the script's comments
show the line that also submits a new merge job); it keeps what the first
attempt saved. 'sushisim merge DIR' (or the merge script) refuses while a shard
is missing, and names it.`,
		Example: `  sushisim slurm sweep.toml --tasks 16 --partition batch --time 30 --out /cluster/results/sweep
  sushisim slurm sweep.toml --tasks 16 --out /cluster/results/sweep --submit`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := config.Load(args[0])
			if err != nil {
				return err
			}
			opts := o // not o itself: the flags' variable outlives this run
			opts.Warn = cmd.ErrOrStderr()
			j, err := execute.NewSlurmJob(x, args[0], opts)
			if err != nil {
				return err
			}
			if err := j.Write(); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote %s: %s\n", j.Array, j.Summary())
			fmt.Fprintf(w, "wrote %s\n", j.Merge)
			if !doSubmit {
				fmt.Fprintf(w, "submit both with: %s\n", j.SubmitLine(""))
				return nil
			}
			path, err := exec.LookPath("sbatch")
			if err != nil {
				return fmt.Errorf("--submit: %w (is this a Slurm login node?)", err)
			}
			array, merge, err := j.Submit(path)
			if array != "" {
				fmt.Fprintf(w, "array job %s\n", array)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "merge job %s\n", merge)
			fmt.Fprintf(w, "logs: %s\nresults: %s\n", j.Logs, j.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.Tasks, "tasks", "n", 0, "array tasks N (shards); each should run for tens of seconds")
	f.StringVarP(&o.Out, "out", "o", "", "shared results directory (default: [output] dir, else results/<experiment name>)")
	f.StringVar(&o.ScriptDir, "script-dir", "", "where the scripts and job logs go (default: DIR/slurm)")
	f.StringVarP(&o.Partition, "partition", "p", "", "Slurm partition (default: the cluster's)")
	f.StringVarP(&o.Time, "time", "t", "", "time limit of each job, sbatch --time format (default: the partition's)")
	f.IntVarP(&o.CPUs, "cpus", "c", 1, "CPUs per array task, and the workers each shard runs on")
	f.IntVar(&o.MaxRunning, "max-running", 0, "at most this many array tasks at once (0: no limit)")
	f.StringArrayVar(&o.Extra, "sbatch-arg", nil, "more sbatch options for both jobs, e.g. --sbatch-arg=--account=proj (repeatable)")
	f.StringVar(&o.Binary, "sushisim", "", "sushisim executable the jobs run (default: this one)")
	f.BoolVar(&doSubmit, "submit", false, "submit the array and the merge job with sbatch and print their job ids")
	_ = cmd.MarkFlagRequired("tasks")
	root.AddCommand(cmd)
}
