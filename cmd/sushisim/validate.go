package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
)

func init() {
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check experiment files without running them, printing every problem",
		Long: `Check experiment files without running them. Every problem is printed, one per
line, as FILE:LINE: key.path: what is wrong (what is allowed); every point of a
[sweep] is checked, and every file the runs would read (catalogs, traces) is
opened and checked to the last line. Exits non-zero when a file has problems.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				x, err := config.Load(path)
				if err == nil {
					err = execute.CheckFiles(x)
				}
				if err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					continue
				}
				pols := len(x.Points[0].Policies)
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok: %d point(s) x %d replication(s) x %d policies = %d runs, %d figure(s)\n",
					path, len(x.Points), x.Sweep.Replications, pols, len(x.Points)*x.Sweep.Replications*pols, len(x.FiguresToDraw()))
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d file(s) have problems", bad, len(args))
			}
			return nil
		},
	}
	root.AddCommand(cmd)
}
