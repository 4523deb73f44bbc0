package accel

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// FormatValue is how a fitted value is written to an [accel] block: whole
// cycles, else four significant digits (the fit is not better than that).
func (p FitParam) FormatValue(v float64) string {
	if p.Key == "layer_overhead_cycles" {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// explain is the physical reading of a fitted value on h.
func (p FitParam) explain(h *Hardware) string {
	switch p.Key {
	case "layer_overhead_cycles":
		return fmt.Sprintf("%.1f us per layer call at %g MHz", float64(h.LayerOverheadCycles)/h.ClockMHz, h.ClockMHz)
	case "array_efficiency":
		return fmt.Sprintf("%.3fx the rounded array cycles", 1/h.ArrayEfficiency)
	case "dram_efficiency":
		return fmt.Sprintf("%.2f GB/s effective (peak %g GB/s, AXI ports %.1f GB/s)", h.DRAMBytesPerSecond()/1e9, h.DRAMGBps,
			float64(h.DRAMPorts*h.DRAMPortBytes)*h.ClockMHz/1e3)
	}
	return p.Meaning
}

// WriteTables prints the per-layer table, the per-SubNet table and the
// fitted values with the in-sample and leave-one-SubNet-out errors.
func (c *Calibration) WriteTables(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	pct := func(model, meas float64) string { return strconv.FormatFloat(100*(model/meas-1), 'f', 1, 64) }
	ms := func(s float64) string { return strconv.FormatFloat(s*1e3, 'f', 3, 64) }
	fmt.Fprintln(tw, "subnet\tlayer\tshape\tmeasured_ms\tmodel_ms\terr_%\tloso_ms\tloso_err_%\t")
	for _, l := range c.Layers {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.SubNets[c.subnetRow(l.SubNet)].Name, l.Layer, l.Shape.Shape(),
			ms(l.Sec), ms(l.ModelSec), pct(l.ModelSec, l.Sec), ms(l.LOSOSec), pct(l.LOSOSec, l.Sec))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	keys := make([]string, len(c.Params))
	for i, p := range c.Params {
		keys[i] = p.Key
	}
	fmt.Fprintf(tw, "subnet\tlayers\tmeasured_ms\tmodel_ms\terr_%%\tloso_ms\tloso_err_%%\tloso_fit (%s)\t\n", strings.Join(keys, ", "))
	for _, s := range c.SubNets {
		vals := make([]string, len(s.LOSOValues))
		for i, v := range s.LOSOValues {
			vals[i] = c.Params[i].FormatValue(v)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Name, s.Layers, ms(s.MeasuredSec), ms(s.ModelSec),
			pct(s.ModelSec, s.MeasuredSec), ms(s.LOSOSec), pct(s.LOSOSec, s.MeasuredSec), strings.Join(vals, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nfitted on %d layer calls of %d SubNets:\n", len(c.Layers), len(c.SubNets))
	for i, p := range c.Params {
		fmt.Fprintf(w, "  %s = %s  (%s)\n", p.Key, p.FormatValue(c.Values[i]), p.explain(&c.Fitted))
	}
	fmt.Fprintf(w, "per-layer MAPE: %.2f%% in-sample, %.2f%% leave-one-SubNet-out\n", 100*c.MAPE, 100*c.LOSOMAPE)
	_, err := fmt.Fprintf(w, "largest SubNet-sum error: %.2f%% in-sample, %.2f%% held out\n", 100*c.SumErr, 100*c.LOSOSumErr())
	return err
}

// LOSOSumErr is the largest |model/measured - 1| of a SubNet's summed
// latency, each predicted by the fit without it.
func (c *Calibration) LOSOSumErr() float64 {
	var e float64
	for _, s := range c.SubNets {
		e = max(e, math.Abs(s.LOSOSec/s.MeasuredSec-1))
	}
	return e
}

// subnetRow is the SubNets row of catalog index i.
func (c *Calibration) subnetRow(i int) int {
	for row, s := range c.SubNets {
		if s.Index == i {
			return row
		}
	}
	return 0
}

// WriteAccel writes an [accel] block an experiment file can use: the base
// preset, the structural keys the calibration ran with (settings, "key =
// value" lines), the fitted values, and the provenance in comments.
func (c *Calibration) WriteAccel(w io.Writer, source string, settings []string) error {
	keys := make([]string, len(c.Params))
	for i, p := range c.Params {
		keys[i] = p.Key
	}
	fmt.Fprintf(w, "# Calibrated by `sushisim calibrate` from %s: %d layer calls of %d SubNets.\n", source, len(c.Layers), len(c.SubNets))
	fmt.Fprintf(w, "# Fitted %s by Nelder-Mead on squared log error (docs/calibration.md).\n", strings.Join(keys, ", "))
	fmt.Fprintf(w, "# Per-layer MAPE %.1f%% in-sample, %.1f%% leave-one-SubNet-out; SubNet sums within %.1f%%.\n",
		100*c.MAPE, 100*c.LOSOMAPE, 100*c.SumErr)
	fmt.Fprintln(w, "[accel]")
	if c.Base.Preset != "" {
		fmt.Fprintf(w, "preset = %q\n", c.Base.Preset)
	}
	for _, s := range settings {
		fmt.Fprintln(w, s)
	}
	for i, p := range c.Params {
		if _, err := fmt.Fprintf(w, "%s = %s  # %s\n", p.Key, p.FormatValue(c.Values[i]), p.explain(&c.Fitted)); err != nil {
			return err
		}
	}
	return nil
}
