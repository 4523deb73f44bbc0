package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/plots"
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
			if out == "" {
				out = args[0]
			}
			rep, err := experiments.Merge(args, out)
			if err != nil {
				return err
			}
			res, err := experiments.ReadResults(out)
			if err != nil {
				return err
			}
			x := rep.Experiment
			if !noFigures {
				if _, err := plots.Render(res, x.FiguresToDraw(), x.Output.Formats, out); err != nil {
					return err
				}
			}
			printResults(cmd.OutOrStdout(), res)
			fmt.Fprintf(cmd.OutOrStdout(), "\nmerged %d tasks: %s\n", rep.Tasks, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "results directory to write (default: the first DIR)")
	cmd.Flags().BoolVar(&noFigures, "no-figures", false, "do not draw figures")
	root.AddCommand(cmd)
}
