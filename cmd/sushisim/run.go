package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/plots"
)

func init() {
	var out string
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run an experiment file and write its results and figures",
		Long: `Run every [[policy]] of an experiment file on the same query stream and write
summary.csv, summary.json, timing.csv and figures/policies.png to the results
directory (default results/<experiment name>/).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := experiments.Load(args[0])
			if err != nil {
				return err
			}
			rs, err := experiments.Run(x)
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join("results", x.Name)
			}
			rows := make([]experiments.Summary, len(rs))
			for i := range rs {
				rows[i] = rs[i].Summary
			}
			if err := experiments.WriteSummaries(out, rows); err != nil {
				return err
			}
			if err := experiments.WriteTiming(out, rs); err != nil {
				return err
			}
			if err := plots.Policies(rows, filepath.Join(out, "figures", "policies.png")); err != nil {
				return err
			}
			printTable(cmd.OutOrStdout(), rs)
			fmt.Fprintf(cmd.OutOrStdout(), "\nresults: %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "results directory (default results/<experiment name>)")
	root.AddCommand(cmd)
}

// printTable shows the columns that explain a policy comparison: latency,
// accuracy, and where the weights came from.
func printTable(w io.Writer, rs []experiments.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tqueries\tlat mean ms\tp50 ms\tp99 ms\tSLO met\tacc %\tPB hit\toffchip MB/q\treload MB/q\tenergy mJ/q\toffchip mJ/q\twall s\t")
	for _, r := range rs {
		s := r.Summary
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.3f\t%.2f\t%.3f\t%.2f\t%.3f\t%.3f\t%.3f\t%.2f\t\n",
			s.Policy, s.Completed, s.LatencyMsMean, s.LatencyMsP50, s.LatencyMsP99, s.SLOAttainment,
			s.AccuracyMean, s.PBHitFraction, s.OffchipBytesPerQuery/1e6, s.ReloadBytesPerQuery/1e6,
			s.EnergyMJPerQuery, s.OffchipEnergyMJPerQ, r.WallS)
	}
	tw.Flush()
}
