package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

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

// Flags every subcommand shares.
var (
	quiet    bool
	logLevel string
)

func init() {
	root.PersistentFlags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar and only warnings in the log")
	root.PersistentFlags().StringVar(&logLevel, "log-level", "info", "log level on stderr: debug, info, warn or error")
}

// logger logs through log/slog on w, at --log-level (warn with --quiet).
func logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(strings.ToUpper(logLevel))); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", logLevel)
	}
	if quiet {
		lvl = max(lvl, slog.LevelWarn)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})), nil
}

func main() {
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "sushisim:", err)
		os.Exit(1)
	}
}
