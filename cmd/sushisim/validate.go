package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
)

func init() {
	var maxMemory string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check experiment files without running them, printing every problem",
		Long: `Check experiment files without running them. Every problem is printed, one per
line, as FILE:LINE: key.path: what is wrong (what is allowed); every point of a
[sweep] is checked, and every file the runs would read (catalogs, traces) is
opened and checked to the last line. For a valid file it prints an estimate:
queries, events, CPU time, peak memory and results size, and a plan 'run' would
refuse for its memory (above --max-memory, default 80% of the available
memory) is a problem. Exits non-zero when a file has problems.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			budget, from, err := memoryBudget(maxMemory)
			if err != nil {
				return err
			}
			bad := 0
			for _, path := range args {
				if err := validateFile(cmd.OutOrStdout(), path, budget, from); err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d file(s) have problems", bad, len(args))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&maxMemory, "max-memory", "", "the memory budget 'run' would hold the plan to (default: 80% of the available memory)")
	root.AddCommand(cmd)
}

// validateFile checks one file as 'run' would before starting, and prints
// its plan and estimate.
func validateFile(w io.Writer, path string, budget float64, from string) error {
	x, err := config.Load(path)
	if err != nil {
		return err
	}
	if err := execute.CheckFiles(x); err != nil {
		return err
	}
	cost, err := execute.Estimate(x, execute.Workers(0))
	if err != nil {
		return err
	}
	if err := overBudget(x, cost, budget, from); err != nil {
		return fmt.Errorf("%w\n%s: estimate on %d workers: %s", err, path, execute.Workers(0), cost)
	}
	pols := len(x.Points[0].Policies)
	cells := ""
	if c := x.Points[0].Datacenter.Cells; c > 1 {
		cells = fmt.Sprintf(" x %d cells", c)
	}
	tasks := len(execute.Tasks(x))
	fmt.Fprintf(w, "%s: ok: %d point(s) x %d replication(s)%s = %d tasks, x %d policies = %d runs, %d figure(s)\n",
		path, len(x.Points), x.Sweep.Replications, cells, tasks, pols, tasks*pols, len(x.FiguresToDraw()))
	fmt.Fprintf(w, "%s: estimate on %d workers: %s\n", path, execute.Workers(0), cost)
	return nil
}
