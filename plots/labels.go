package plots

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sushisim/sushisim/experiments/results"
)

// Human labels for what figures name: columns (axis labels with units),
// and the values of name and swept columns (legend entries and panel
// titles). Raw keys are only the fallback.

// columnLabels are axis labels, with units, for the columns figures use most.
var columnLabels = map[string]string{
	"latency_ms_mean":             "mean latency (ms)",
	"latency_ms_p50":              "p50 latency (ms)",
	"latency_ms_p90":              "p90 latency (ms)",
	"latency_ms_p99":              "p99 latency (ms)",
	"slo_attainment":              "SLO met (share of arrivals)",
	"slo_attainment_served":       "SLO met (fraction of served)",
	"accuracy_need_met":           "accuracy met (share)",
	"both_met":                    "both met (share)",
	"drop_fraction":               "dropped (share)",
	"accuracy_mean_served":        "served accuracy (% top-1)",
	"offchip_over_bound":          "off-chip bytes / free-reload bound",
	"offchip_bytes_per_query":     "off-chip bytes per query",
	"onchip_bytes_per_query":      "on-chip bytes per query",
	"weight_bytes_per_query":      "weight bytes per query",
	"pb_hit_fraction":             "PB hit (fraction of weight bytes)",
	"reload_bytes_per_query":      "reload bytes per query",
	"energy_mj_per_query":         "energy per query (mJ)",
	"offchip_energy_mj_per_query": "off-chip energy per query (mJ)",
	"energy_mac_mj_per_query":     "MAC energy per query (mJ)",
	"energy_sram_mj_per_query":    "SRAM energy per query (mJ)",
	"energy_dram_mj_per_query":    "DRAM energy per query (mJ)",
	"energy_static_mj_per_query":  "static energy per query (mJ)",
	"energy_reload_mj_per_query":  "reload energy per query (mJ)",
	"utilization":                 "utilization (fraction)",
	"max_pb_bytes":                "largest resident SubGraph (bytes)",
	"sim_s":                       "simulated time (s)",
	"resident_bytes":              "resident SubGraph (bytes)",
	"arrived":                     "arrivals per window",
	"completed":                   "completions per window",
	"reloads":                     "PB reloads",
	"accel.pb_bytes":              "persistent buffer (bytes)",
	"accel.dram_gbps":             "DRAM bandwidth (GB/s)",
	"accel.preset":                "hardware",
	"model.supernet":              "SuperNet",
	"workload.arrival.rate":       "offered load (queries/s)",
	"workload.needs.locality":     "need locality (P[keep class])",
	"workload.needs.class.slo_ms": "latency SLO (ms)",
}

// label is a column's axis label: a known one, else the column with a unit
// guessed from its suffix.
func label(col string, scale float64) string {
	l, ok := columnLabels[col]
	if !ok {
		l = col
		switch {
		case strings.HasSuffix(col, "_ms"):
			l += " (ms)"
		case strings.HasSuffix(col, "_bytes"):
			l += " (bytes)"
		case strings.HasSuffix(col, "_s"):
			l += " (s)"
		case strings.HasSuffix(col, "_mhz"):
			l += " (MHz)"
		}
	}
	if scale > 0 && scale != 1 {
		switch {
		case scale == 1<<20 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(MiB)", 1)
		case scale == 1<<10 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(KiB)", 1)
		case scale == 1e6 && strings.Contains(l, "(bytes)"):
			l = strings.Replace(l, "(bytes)", "(MB)", 1)
		default:
			l += " / " + strconv.FormatFloat(scale, 'g', -1, 64)
		}
	}
	return l
}

// nameLabels are the printed names of policies, routers, SuperNets and
// presets, as papers write them.
var nameLabels = map[string]string{
	"none":          "no cache",
	"static":        "static",
	"lru":           "LRU",
	"sgs":           "SGS",
	"sgs-blind":     "SGS, cache-blind selection",
	"oracle":        "oracle (bound)",
	"jsq":           "JSQ",
	"power-of-two":  "power of two",
	"affinity":      "affinity",
	"round-robin":   "round robin",
	"random":        "random",
	"least-work":    "least work",
	"ofa-resnet50":  "OFA-ResNet50",
	"ofa-mbv3-w1.0": "OFA-MobileNetV3 w1.0",
	"ofa-mbv3-w1.2": "OFA-MobileNetV3 w1.2",
	"zcu104":        "ZCU104",
	"u50":           "Alveo U50",
}

// valueFormats write a swept key's value with its meaning and unit.
var valueFormats = map[string]func(v float64) string{
	"accel.pb_bytes":  func(v float64) string { return "PB " + bytesLabel(v) },
	"accel.dram_gbps": func(v float64) string { return "DRAM " + num(v) + " GB/s peak" },
	"workload.arrival.rate": func(v float64) string {
		return num(v) + " queries/s"
	},
	"workload.needs.locality":     func(v float64) string { return "locality " + num(v) },
	"workload.needs.class.slo_ms": func(v float64) string { return "SLO " + num(v) + " ms" },
	"cluster.instances":           func(v float64) string { return num(v) + " instances" },
}

// valueLabel names one value of a column for a legend or a panel title:
// the figure's own label for it, a known name, a swept value with its
// unit, else "key=value" with the key's last part.
func valueLabel(f results.Figure, col, value string) string {
	if l, ok := f.Label[value]; ok {
		return ascii(l)
	}
	if l, ok := nameLabels[value]; ok && (slices.Contains(results.StringColumns, col) ||
		col == "model.supernet" || col == "accel.preset") {
		return l
	}
	if slices.Contains(results.StringColumns, col) {
		return ascii(value)
	}
	x, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return ascii(value) // a swept word (a description, a name) reads as itself
	}
	if fmtv, ok := valueFormats[col]; ok {
		return fmtv(x)
	}
	return ascii(col[strings.LastIndex(col, ".")+1:] + "=" + value)
}

// policyLabel is a policy's printed name.
func policyLabel(name string) string {
	if l, ok := nameLabels[name]; ok {
		return l
	}
	return ascii(name)
}

// bytesLabel writes a byte count in the binary unit that keeps it short:
// "3 MiB", "256 KiB", "1.5 MiB".
func bytesLabel(v float64) string {
	switch {
	case v >= 1<<30:
		return num(v/(1<<30)) + " GiB"
	case v >= 1<<20:
		return num(v/(1<<20)) + " MiB"
	case v >= 1<<10:
		return num(v/(1<<10)) + " KiB"
	}
	return num(v) + " B"
}

// num writes v in its shortest form, at most 3 decimals.
func num(v float64) string {
	return strconv.FormatFloat(roundTo(v, 3), 'f', -1, 64)
}

// ascii replaces what gonum's PDF backend cannot draw.
func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}

// fractionColumns are the columns whose values are shares in [0, 1]
// (besides every "..._fraction" column): their axes stop at 1.
var fractionColumns = []string{"slo_attainment", "slo_attainment_served", "accuracy_need_met", "both_met", "utilization"}

// isFraction reports whether a column holds shares in [0, 1].
func isFraction(col string) bool {
	return strings.HasSuffix(col, "_fraction") || slices.Contains(fractionColumns, col)
}
