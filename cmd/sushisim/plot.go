package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/plots"
)

func init() {
	var (
		figures string
		formats []string
	)
	cmd := &cobra.Command{
		Use:   "plot DIR",
		Short: "Redraw the figures of a results directory without running anything",
		Long: `Redraw the [[figure]]s of a results directory from its saved results, into
DIR/figures/. The figures come from the experiment file copied into DIR, or
with --figures from another file (edit the figures, redraw, no re-run).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			x, err := execute.LoadFromResults(dir)
			if err != nil {
				return err
			}
			if figures != "" {
				if x, err = config.Load(figures); err != nil {
					return err
				}
			}
			if len(formats) == 0 {
				formats = x.Output.Formats
			}
			for _, f := range formats {
				if !slices.Contains(results.FigureFormats, f) {
					return fmt.Errorf("--format %q: want one of %s", f, strings.Join(results.FigureFormats, ", "))
				}
			}
			files, err := plots.RenderDir(dir, x.FiguresToDraw(), formats)
			for _, f := range files {
				fmt.Fprintln(cmd.OutOrStdout(), f)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&figures, "figures", "", "take the [[figure]]s from this experiment file instead")
	cmd.Flags().StringSliceVar(&formats, "format", nil, "figure formats: "+strings.Join(results.FigureFormats, ", ")+" (default: [output] formats, else png)")
	root.AddCommand(cmd)
}
