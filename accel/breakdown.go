package accel

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/sushisim/sushisim/models"
)

// Breakdown is the explanation of one run: every layer and the totals.
type Breakdown struct {
	SubNet string
	Batch  int
	Layers []LayerCost
	Total  Cost
	hw     Hardware
}

// Breakdown explains BatchCost(s, resident, batch) layer by layer.
func (h *Hardware) Breakdown(s *models.SubNet, resident models.SubGraph, batch int) Breakdown {
	return Breakdown{
		SubNet: s.Name,
		Batch:  max(batch, 1),
		Layers: h.BatchLayerCosts(s, resident, batch),
		Total:  h.BatchCost(s, resident, batch),
		hw:     *h,
	}
}

// Only keeps the layers keep accepts and makes Total their sum, so that a
// subset (say the 3x3 convolutions) compares with measurements of the
// same layers. label names the subset in the total row.
func (b Breakdown) Only(label string, keep func(LayerCost) bool) Breakdown {
	var layers []LayerCost
	var t Cost
	for _, l := range b.Layers {
		if !keep(l) {
			continue
		}
		layers = append(layers, l)
		t.Cycles += l.Cycles
		t.ComputeCycles += l.ComputeCycles
		t.TransferCycles += l.TransferCycles
		t.DRAMIdleCycles += l.Cycles - l.TransferCycles
		t.MACs += l.MACs
		t.WeightBytes += l.WeightBytes
		t.PBHitBytes += l.PBHitBytes
		t.OffchipBytes += l.OffchipBytes
		t.OnchipBytes += l.OnchipBytes
		t.Energy = t.Energy.Add(l.Energy)
	}
	t.LatencyNs = b.hw.CyclesToNs(t.Cycles)
	b.Layers, b.Total = layers, t
	b.SubNet += " " + label
	return b
}

// Breakdown formats.
const (
	FormatTable = "table"
	FormatCSV   = "csv"
)

var breakdownHeader = []string{
	"layer", "id", "shape", "macs", "compute_cycles", "transfer_cycles", "cycles", "bound", "utilization",
	"latency_ms", "weight_bytes", "pb_hit_bytes", "weight_dram_bytes", "act_dram_bytes",
	"offchip_bytes", "onchip_bytes", "energy_mac_uj", "energy_sram_uj", "energy_dram_uj", "energy_static_uj", "energy_mj",
}

// Write renders the breakdown as an aligned table ("table") or CSV ("csv"):
// one row per layer, then a "total" row.
func (b Breakdown) Write(w io.Writer, format string) error {
	var rows [][]string
	ms := func(cycles int64) string { return strconv.FormatFloat(float64(cycles)/(b.hw.ClockMHz*1e3), 'f', 4, 64) }
	uj := func(pj float64) string { return strconv.FormatFloat(pj/1e6, 'f', 3, 64) }
	mj := func(pj float64) string { return strconv.FormatFloat(pj/1e9, 'f', 6, 64) }
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, l := range b.Layers {
		rows = append(rows, []string{
			strconv.Itoa(l.Index), strconv.Itoa(int(l.Layer.ID)), l.Layer.Shape(), i64(l.MACs),
			i64(l.ComputeCycles), i64(l.TransferCycles), i64(l.Cycles), l.Bound(),
			strconv.FormatFloat(l.Utilization, 'f', 3, 64), ms(l.Cycles),
			i64(l.WeightBytes), i64(l.PBHitBytes), i64(l.WeightDRAMBytes), i64(l.ActInDRAMBytes + l.ActOutDRAMBytes),
			i64(l.OffchipBytes), i64(l.OnchipBytes),
			uj(l.Energy.MAC), uj(l.Energy.SRAM), uj(l.Energy.DRAM), uj(l.Energy.Static), mj(l.Energy.Total()),
		})
	}
	t := b.Total
	var wdram int64
	for _, l := range b.Layers {
		wdram += l.WeightDRAMBytes
	}
	util := 0.0
	if t.ComputeCycles > 0 {
		util = float64(t.MACs) / (float64(t.ComputeCycles) * float64(b.hw.PeakMACsPerCycle()))
	}
	rows = append(rows, []string{
		"total", "", b.SubNet, i64(t.MACs), i64(t.ComputeCycles), i64(t.TransferCycles), i64(t.Cycles), t.Bound(),
		strconv.FormatFloat(util, 'f', 3, 64), strconv.FormatFloat(float64(t.LatencyNs)/1e6, 'f', 4, 64),
		i64(t.WeightBytes), i64(t.PBHitBytes), i64(wdram), i64(t.OffchipBytes - wdram),
		i64(t.OffchipBytes), i64(t.OnchipBytes),
		uj(t.Energy.MAC), uj(t.Energy.SRAM), uj(t.Energy.DRAM), uj(t.Energy.Static), mj(t.Energy.Total()),
	})
	switch format {
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(breakdownHeader); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case FormatTable:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, r := range append([][]string{breakdownHeader}, rows...) {
			for _, c := range r {
				if _, err := fmt.Fprint(tw, c, "\t"); err != nil {
					return err
				}
			}
			if _, err := fmt.Fprintln(tw); err != nil {
				return err
			}
		}
		return tw.Flush()
	}
	return fmt.Errorf("format: %q: must be %q or %q", format, FormatTable, FormatCSV)
}
