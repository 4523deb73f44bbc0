package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/execute"
)

func init() {
	var (
		out       string
		noFigures bool
	)
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Combine the results of shards into the files one run would write",
		Long: `Combine the task results that 'sushisim run --shard i/n' left in one or more
directories into the result files and figures of a single run (byte for byte,
except timing.csv). It refuses while tasks are missing and names the shards to
run again. --out defaults to the first DIR.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := out // not out itself: the flag's variable outlives this run
			if dir == "" {
				dir = args[0]
			}
			rep, err := execute.Merge(args, dir)
			if err != nil {
				return err
			}
			if err := showResults(cmd.OutOrStdout(), rep.Experiment, dir, noFigures); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nmerged %d tasks: %s\n", rep.Tasks, dir)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "results directory to write (default: the first DIR)")
	cmd.Flags().BoolVar(&noFigures, "no-figures", false, "do not draw figures")
	root.AddCommand(cmd)
}
