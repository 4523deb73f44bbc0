package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/internal/atomicfile"
	"github.com/sushisim/sushisim/models"
)

// layerByLayer are the [accel] settings of a board measured one layer call
// at a time: the host copies a layer's tensors (padded to the array) to and
// from DRAM around the call, and the engine loads the layer's weights before
// computing. calibrate starts from them unless --flow preset.
var layerByLayer = []string{`weight_transfer = "serialized"`, `activations = "dram"`, `padding = "array"`}

// calibrateFlags are calibrate's options.
type calibrateFlags struct {
	measured, preset, supernet, catalog, out, flow string
	fit, set                                       []string
}

func init() {
	var o calibrateFlags
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Fit hardware options to per-layer latencies measured on a board",
		Long: `Fit up to four [accel] options of a preset to per-layer latencies measured on a
board (a CSV file, columns in docs/calibration.md), predicting each layer with
the cost model itself. Prints every layer and every SubNet beside the model,
the per-layer MAPE in-sample and leave-one-SubNet-out (fit on the others,
predict the one left out), and an [accel] block an experiment file can use
(--out writes it to a file).

With --flow layer (the default) the structural options are those of a board
timed one layer call at a time (` + strings.Join(layerByLayer, ", ") + `);
--flow preset keeps the preset's. --set key=value then overrides any [accel]
key (repeat it; values as in TOML, strings may go unquoted). The fit is
Nelder-Mead on the squared log error, bounded (docs/calibration.md).`,
		Example: `  sushisim calibrate --measured accel/testdata/feather-zcu104-3x3.csv --preset zcu104
  sushisim calibrate --measured accel/testdata/feather-zcu104-3x3.csv --preset zcu104 --set weight_transfer=overlapped --fit layer_overhead_cycles,dram_efficiency`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCalibrate(cmd.OutOrStdout(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.measured, "measured", "", "CSV of per-layer measured latencies (docs/calibration.md)")
	f.StringVar(&o.preset, "preset", "zcu104", "hardware preset to start from ("+strings.Join(accel.PresetNames(), ", ")+")")
	f.StringSliceVar(&o.fit, "fit", accel.DefaultFit, "options to fit, at most 4, comma-separated (layer_overhead_cycles, array_efficiency, dram_efficiency)")
	f.StringVar(&o.flow, "flow", "layer", "structure to fit within: layer (one host call per layer, see above) or preset")
	f.StringArrayVar(&o.set, "set", nil, "an [accel] key=value the fit starts from (repeatable)")
	f.StringVar(&o.supernet, "supernet", models.ResNet50Name, "SuperNet the measured SubNets belong to")
	f.StringVar(&o.catalog, "catalog", models.ReferenceCatalog, "builtin catalog the file's subnet column refers to")
	f.StringVar(&o.out, "out", "", "also write the [accel] block to this file")
	_ = cmd.MarkFlagRequired("measured")
	root.AddCommand(cmd)
}

// runCalibrate fits, prints the tables and the [accel] block, and writes
// the block to --out.
func runCalibrate(w io.Writer, o calibrateFlags) error {
	hw, err := accel.Preset(o.preset)
	if err != nil {
		return fmt.Errorf("--preset: %w", err)
	}
	all := o.set
	switch o.flow {
	case "layer":
		all = append(slices.Clone(layerByLayer), o.set...)
	case "preset":
	default:
		return fmt.Errorf("--flow %q: must be layer or preset", o.flow)
	}
	params := o.fit
	if len(params) == 0 {
		params = accel.DefaultFit
	}
	settings, err := applySettings(&hw, all)
	if err != nil {
		return err
	}
	_, subs, err := builtinCatalog(o.supernet, o.catalog)
	if err != nil {
		return err
	}
	ms, err := accel.ReadMeasuredFile(o.measured, subs)
	if err != nil {
		return err
	}
	c, err := accel.Calibrate(hw, subs, ms, params)
	if err != nil {
		return err
	}
	if err := c.WriteTables(w); err != nil {
		return err
	}
	source, err := provenance(o.measured)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { return c.WriteAccel(w, source, settings) }
	fmt.Fprintln(w)
	if err := write(w); err != nil {
		return err
	}
	if o.out != "" {
		if err := atomicfile.Write(o.out, atomicfile.WriterFunc(write)); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		fmt.Fprintf(w, "\nwritten: %s\n", o.out)
	}
	return nil
}

// applySettings decodes "key = value" (or key=value, a bare string value
// quoted) settings over hw in order, as an [accel] table would, and returns
// them as TOML lines, the last one of each key only.
func applySettings(hw *accel.Hardware, set []string) ([]string, error) {
	var lines, keys []string
	for _, s := range set {
		k, v, ok := strings.Cut(s, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("--set %q: want key=value, e.g. weight_transfer=serialized", s)
		}
		line := k + " = " + v
		var probe map[string]any
		if _, err := toml.Decode(line, &probe); err != nil {
			line = fmt.Sprintf("%s = %q", k, v) // a bare string
		}
		md, err := toml.Decode(line, hw)
		if err != nil {
			return nil, fmt.Errorf("--set %s: %w", k, err)
		}
		if u := md.Undecoded(); len(u) > 0 {
			return nil, fmt.Errorf("--set: unknown [accel] key %s (docs/experiments.md lists them)", u[0])
		}
		if i := slices.Index(keys, k); i >= 0 {
			lines, keys = slices.Delete(lines, i, i+1), slices.Delete(keys, i, i+1)
		}
		lines, keys = append(lines, line), append(keys, k)
	}
	if err := hw.Validate(); err != nil {
		return nil, fmt.Errorf("--set: %w", err)
	}
	return lines, nil
}

// provenance names the measured file by path and content hash.
func provenance(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s (sha256 %x)", path, sum[:8]), nil
}
