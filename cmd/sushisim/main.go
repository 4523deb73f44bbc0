package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

var root = &cobra.Command{
	Use:   "sushisim",
	Short: "Discrete-event simulator of SubGraph Stationary inference serving on weight-shared SuperNets",
	Long: `sushisim simulates SUSHI-style serving (MLSys 2023): queries with accuracy and
latency needs, a scheduler that picks a SubNet of one weight-shared SuperNet per
query and decides which SubGraph of weights stays in the accelerator's on-chip
persistent buffer, on one accelerator or thousands behind a router.`,
	SilenceUsage:  true,
	SilenceErrors: true,
}

func main() {
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "sushisim:", err)
		os.Exit(1)
	}
}
