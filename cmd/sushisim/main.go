package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
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
	Version:       version(),
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

// usageOnArgErrors makes a wrong argument count print the command's usage
// line with the error (SilenceUsage keeps usage out of every other error).
// It runs before Execute: init functions of other files add commands after
// this file's init.
func usageOnArgErrors(c *cobra.Command) {
	if a := c.Args; a != nil && c.Annotations["usage-on-arg-errors"] == "" {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := a(cmd, args); err != nil {
				return fmt.Errorf("%w\nusage: %s\n(see '%s --help')", err, cmd.UseLine(), cmd.CommandPath())
			}
			return nil
		}
		if c.Annotations == nil {
			c.Annotations = map[string]string{}
		}
		c.Annotations["usage-on-arg-errors"] = "1"
	}
	for _, sub := range c.Commands() {
		usageOnArgErrors(sub)
	}
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v + " " + bi.GoVersion
}

func init() {
	root.SetVersionTemplate("sushisim {{.Version}}\n")
}

func main() {
	usageOnArgErrors(root)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "sushisim:", err)
		os.Exit(1)
	}
}
