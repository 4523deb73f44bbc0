package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
	"github.com/sushisim/sushisim/models"
)

// catalogRow is one SubNet as `sushisim catalog` lists it.
type catalogRow struct {
	Name           string   `json:"name"`
	Config         string   `json:"config"`
	Layers         int      `json:"layers"`
	MACs           int64    `json:"macs"`
	Params         int64    `json:"params"`
	WeightBytes    int64    `json:"weight_bytes"`
	Accuracy       float64  `json:"accuracy"`
	AccuracySource string   `json:"accuracy_source"`
	LatencyMs      *float64 `json:"latency_ms,omitempty"`
	EnergyMJ       *float64 `json:"energy_mj,omitempty"`
	Pareto         *bool    `json:"pareto,omitempty"`
}

func init() {
	var m config.ModelConfig
	var builtin, preset, format, out string
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the SubNets of a catalog: shapes, size, accuracy and (with --accel) cost",
		Long: `List one row per SubNet: name, config, layers, macs, params, weight_bytes,
accuracy and where it comes from (published, measured or model), and with
--accel PRESET the latency_ms and energy_mj of one query with an empty
persistent buffer. The SubNets come from a builtin catalog, a catalog CSV
file, a seeded uniform sample of the search space, or a structured sweep from
the smallest SubNet to the largest; --pareto keeps the accuracy-latency
frontier (it needs --accel). --out writes the catalog CSV that [model]
catalog = "FILE" reads back.`,
		Example: `  sushisim catalog --supernet ofa-resnet50 --builtin reference
  sushisim catalog --supernet ofa-mbv3-w1.0 --sample 200 --seed 7 --accel zcu104 --pareto
  sushisim catalog --supernet ofa-resnet50 --sweep 20 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table", "csv", "json":
			default:
				return fmt.Errorf("--format: %q not allowed (table, csv, json)", format)
			}
			if err := catalogSource(cmd, &m, builtin); err != nil {
				return err
			}
			subs, err := execute.SubNets(m, ".")
			if err != nil {
				return err
			}
			var hw *accel.Hardware
			if preset != "" {
				h, err := accel.Preset(preset)
				if err != nil {
					return fmt.Errorf("--accel: %w", err)
				}
				hw = &h
			} else if m.Pareto {
				return fmt.Errorf("--pareto: needs --accel PRESET (the frontier is on latency)")
			}
			rows, kept := catalogRows(subs, hw, m.Pareto)
			if out != "" {
				net, _ := models.Lookup(m.SuperNet)
				c := &models.Catalog{Net: net, SubNets: kept}
				if err := c.SaveCSV(out); err != nil {
					return err
				}
			}
			return writeCatalog(cmd.OutOrStdout(), rows, format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&m.SuperNet, "supernet", models.ResNet50Name, "SuperNet ("+strings.Join(models.SuperNetNames(), ", ")+")")
	f.StringVar(&builtin, "builtin", "", "builtin catalog name (e.g. reference)")
	f.String("file", "", "catalog CSV file (columns supernet, config, accuracy[, accuracy_source, name])")
	f.IntVar(&m.Sample, "sample", 0, "draw N SubNets uniformly from the search space")
	f.Uint64Var(&m.SampleSeed, "seed", 1, "seed of --sample")
	f.IntVar(&m.Sweep, "sweep", 0, "N SubNets along a structured sweep, smallest to largest")
	f.BoolVar(&m.Pareto, "pareto", false, "keep only the accuracy-latency Pareto frontier (needs --accel)")
	f.StringVar(&preset, "accel", "", "hardware preset for latency_ms and energy_mj ("+strings.Join(accel.PresetNames(), ", ")+")")
	f.StringVar(&format, "format", "table", "output format: table, csv or json")
	f.StringVarP(&out, "out", "o", "", "also write the catalog as a catalog CSV file")
	root.AddCommand(cmd)
}

// catalogSource sets m's one source of SubNets from the flags: exactly one
// of --builtin, --file, --sample and --sweep (none: the reference catalog).
func catalogSource(cmd *cobra.Command, m *config.ModelConfig, builtin string) error {
	var given []string
	for _, f := range []string{"builtin", "file", "sample", "sweep"} {
		if cmd.Flags().Changed(f) {
			given = append(given, "--"+f)
		}
	}
	if len(given) > 1 {
		return fmt.Errorf("%s are alternatives: give one source of SubNets", strings.Join(given, " and "))
	}
	for _, n := range []struct {
		flag string
		v    int
	}{{"sample", m.Sample}, {"sweep", m.Sweep}} {
		if cmd.Flags().Changed(n.flag) && n.v < 1 {
			return fmt.Errorf("--%s %d: want the number of SubNets, >= 1", n.flag, n.v)
		}
	}
	if cmd.Flags().Changed("seed") && !cmd.Flags().Changed("sample") {
		return fmt.Errorf("--seed: only means something with --sample N")
	}
	switch {
	case cmd.Flags().Changed("file"):
		m.Catalog = cmd.Flag("file").Value.String()
		if m.Catalog == "" {
			return fmt.Errorf("--file: empty path")
		}
	case cmd.Flags().Changed("builtin"):
		m.Catalog = builtin
	case m.Sample == 0 && m.Sweep == 0:
		m.Catalog = models.ReferenceCatalog
	}
	return nil
}

func catalogRows(subs []*models.SubNet, hw *accel.Hardware, pareto bool) ([]catalogRow, []*models.SubNet) {
	var costs map[*models.SubNet]accel.Cost
	var front map[*models.SubNet]bool
	sizer := &accel.Hardware{} // its WeightBytes counts int8 weights unless a preset says otherwise
	if hw != nil {
		costs, front = execute.EmptyPBCosts(subs, hw)
		sizer = hw
	}
	var rows []catalogRow
	var kept []*models.SubNet
	for _, s := range subs {
		if pareto && !front[s] {
			continue
		}
		kept = append(kept, s)
		r := catalogRow{Name: s.Name, Config: s.Config, Layers: len(s.Layers), MACs: s.MACs(), Params: s.Params(),
			WeightBytes: sizer.WeightBytes(s.Weights()), Accuracy: s.Accuracy, AccuracySource: s.AccuracySource}
		if hw != nil {
			c := costs[s]
			lat, e, on := float64(c.LatencyNs)/1e6, c.Energy.Total()/1e9, front[s]
			r.LatencyMs, r.EnergyMJ, r.Pareto = &lat, &e, &on
		}
		rows = append(rows, r)
	}
	return rows, kept
}

func writeCatalog(w io.Writer, rows []catalogRow, format string) error {
	if format == "json" {
		if rows == nil {
			rows = []catalogRow{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	head := []string{"name", "config", "layers", "macs", "params", "weight_bytes", "accuracy", "accuracy_source"}
	withCost := len(rows) > 0 && rows[0].LatencyMs != nil
	if withCost {
		head = append(head, "latency_ms", "energy_mj", "pareto")
	}
	recs := [][]string{head}
	for _, r := range rows {
		rec := []string{r.Name, r.Config, strconv.Itoa(r.Layers), strconv.FormatInt(r.MACs, 10),
			strconv.FormatInt(r.Params, 10), strconv.FormatInt(r.WeightBytes, 10),
			strconv.FormatFloat(r.Accuracy, 'f', -1, 64), r.AccuracySource}
		if withCost {
			rec = append(rec, strconv.FormatFloat(*r.LatencyMs, 'f', 4, 64),
				strconv.FormatFloat(*r.EnergyMJ, 'f', 4, 64), strconv.FormatBool(*r.Pareto))
		}
		recs = append(recs, rec)
	}
	if format == "csv" {
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(recs); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rec := range recs {
		fmt.Fprintln(tw, strings.Join(rec, "\t"))
	}
	return tw.Flush()
}
