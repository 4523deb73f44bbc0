package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/experiments/config"
)

// nameLine is a template's name key, with the comment after it.
var nameLine = regexp.MustCompile(`(?m)^(name\s*=\s*)"([^"]*)"(.*)$`)

// setName gives a template's experiment (the first name key, before any
// table) a new name, in its comment too ("results/basic/").
func setName(src []byte, name string) []byte {
	m := nameLine.FindSubmatchIndex(src)
	if m == nil || bytes.Contains(src[:m[0]], []byte("\n[")) {
		return src
	}
	old := string(src[m[4]:m[5]])
	rest := strings.ReplaceAll(string(src[m[6]:m[7]]), "results/"+old+"/", "results/"+name+"/")
	out := append([]byte(nil), src[:m[0]]...)
	out = append(out, src[m[2]:m[3]]...)
	out = append(out, `"`+name+`"`+rest...)
	return append(out, src[m[1]:]...)
}

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
The experiment's name (and so its results directory) is FILE's base name.
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
			// each file names its own results directory: two files
			// written by init must not share (and wipe) one
			name := config.SafeName(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
			src = setName(src, name)
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
