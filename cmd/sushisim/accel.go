package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/models"
)

func init() {
	var preset, supernet, subnet, resident, format, catalog string
	var batch, kernel int
	var pbBytes int64
	cmd := &cobra.Command{
		Use:   "accel",
		Short: "Explain the cost of one SubNet on one accelerator, layer by layer",
		Long: `Print the SushiAccel cost model's per-layer breakdown of one SubNet: compute
and transfer cycles, which one bounds the layer, bytes by memory level and
energy by component, then the totals (latency_ms, energy_mj, offchip_bytes,
onchip_bytes, bound). --resident names the SubGraph held in the persistent
buffer: another SubNet of the catalog (its weights), the SubNet itself, or none;
when its weights exceed the PB, its layers are kept from the last one back
while they fit (late layers hold the most weights per MAC; a note on stderr
says how much). --kernel 3 prints only the 3x3 layers, with their sum as the
total, to compare with per-layer measurements (docs/calibration.md).`,
		Example: `  sushisim accel --preset zcu104 --supernet ofa-resnet50 --subnet ref3
  sushisim accel --preset zcu104 --subnet ref5 --resident ref0 --format csv
  sushisim accel --preset zcu104-measured --subnet ref2 --kernel 3 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			hw, err := accel.Preset(preset)
			if err != nil {
				return fmt.Errorf("--preset: %w", err)
			}
			hw.Batch = batch
			if pbBytes < 0 {
				return fmt.Errorf("--pb-bytes %d: want a size in bytes, >= 0 (0: the preset's)", pbBytes)
			}
			if pbBytes > 0 {
				hw.PBBytes = pbBytes
			}
			if err := hw.Validate(); err != nil {
				return err
			}
			if format != accel.FormatTable && format != accel.FormatCSV {
				return fmt.Errorf("--format: %q not allowed (table, csv)", format)
			}
			net, subs, err := builtinCatalog(supernet, catalog)
			if err != nil {
				return err
			}
			s, err := findSubNet(net, subs, subnet)
			if err != nil {
				return fmt.Errorf("--subnet: %w", err)
			}
			var res models.SubGraph
			if resident != "none" {
				r, err := findSubNet(net, subs, resident)
				if err != nil {
					return fmt.Errorf("--resident: %w", err)
				}
				res = r.SubGraph()
				if !hw.PBFits(res) {
					all := hw.WeightBytes(res.Weights())
					first := int32(0)
					for ; !hw.PBFits(res); first++ {
						res = res.With(first, models.Slice{})
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "note: --resident %s holds %d weight bytes, more than pb_bytes = %d: kept its layers %d.. (%d bytes; see --pb-bytes)\n",
						resident, all, hw.PBBytes, first, hw.WeightBytes(res.Weights()))
				}
			}
			b := hw.Breakdown(s, res, batch)
			if kernel > 0 {
				b = b.Only(fmt.Sprintf("%dx%d", kernel, kernel), func(l accel.LayerCost) bool {
					return int(l.Layer.R) == kernel && l.Layer.Kind != models.Linear
				})
			}
			return b.Write(cmd.OutOrStdout(), format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&preset, "preset", "zcu104", "hardware preset ("+strings.Join(accel.PresetNames(), ", ")+")")
	f.StringVar(&supernet, "supernet", models.ResNet50Name, "SuperNet ("+strings.Join(models.SuperNetNames(), ", ")+")")
	f.StringVar(&catalog, "catalog", models.ReferenceCatalog, "builtin catalog the SubNet names refer to")
	f.StringVar(&subnet, "subnet", "", "SubNet: a catalog name (e.g. ref3) or a config string")
	f.StringVar(&resident, "resident", "none", "SubGraph in the persistent buffer: a SubNet name or config, or none")
	f.StringVar(&format, "format", accel.FormatTable, "output format: table or csv")
	f.IntVar(&batch, "batch", 1, "batch size (queries sharing one weight fetch)")
	f.Int64Var(&pbBytes, "pb-bytes", 0, "persistent buffer size in bytes (0 = the preset's)")
	f.IntVar(&kernel, "kernel", 0, "print only the layers with this kernel size (e.g. 3), their sum as the total (0 = all)")
	_ = cmd.MarkFlagRequired("subnet")
	root.AddCommand(cmd)
}

// builtinCatalog resolves the --supernet and --catalog flags.
func builtinCatalog(supernet, catalog string) (*models.SuperNet, []*models.SubNet, error) {
	net, err := models.Lookup(supernet)
	if err != nil {
		return nil, nil, fmt.Errorf("--supernet: %w", err)
	}
	subs, err := models.BuiltinCatalog(net, catalog)
	if err != nil {
		return nil, nil, fmt.Errorf("--catalog: %w", err)
	}
	return net, subs, nil
}

// findSubNet resolves a catalog name, or else builds a config string.
func findSubNet(net *models.SuperNet, subs []*models.SubNet, name string) (*models.SubNet, error) {
	var names []string
	for _, s := range subs {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	s, err := net.Build(name)
	if err != nil {
		return nil, fmt.Errorf("%q is neither a catalog SubNet (%s) nor a valid config: %w", name, strings.Join(names, ", "), err)
	}
	return s, nil
}
