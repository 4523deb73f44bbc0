package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
)

func init() {
	var (
		template string
		force    bool
	)
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write an annotated starter experiment file",
		Long: `Write an annotated starter experiment file (default experiment.toml; "-" for
stdout) from a template: ` + strings.Join(experiments.TemplateNames(), ", ") + `.
Every key is explained in the file and in docs/experiments.md.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := experiments.Template(template)
			if err != nil {
				return err
			}
			path := "experiment.toml"
			if len(args) == 1 {
				path = args[0]
			}
			if path == "-" {
				_, err := cmd.OutOrStdout().Write(src)
				return err
			}
			if _, err := os.Stat(path); err == nil && !force {
				return fmt.Errorf("%s exists; use --force to overwrite it", path)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.WriteFile(path, src, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (template %s); check it with: sushisim validate %s\n", path, template, path)
			return nil
		},
	}
	cmd.Flags().StringVarP(&template, "template", "t", "basic", "template: "+strings.Join(experiments.TemplateNames(), ", "))
	cmd.Flags().BoolVarP(&force, "force", "f", false, "overwrite FILE if it exists")
	root.AddCommand(cmd)
}
