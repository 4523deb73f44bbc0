package results

import (
	"fmt"
	"strconv"
	"strings"
)

// Window is one row of timeseries.csv: what happened in one window of
// simulated time [t_s, t_s + window_s). Needs-met fractions are over the
// queries resolved in the window (completed or dropped there), so a drop
// counts as a miss; latencies and served accuracy are over completions.
type Window struct {
	TS                  float64 `json:"t_s"`
	Arrived             int64   `json:"arrived"`
	Completed           int64   `json:"completed"`
	Dropped             int64   `json:"dropped"`
	SLOAttainment       float64 `json:"slo_attainment"`    // within the SLO / resolved
	AccuracyNeedMet     float64 `json:"accuracy_need_met"` // at or above the accuracy need / resolved
	BothMet             float64 `json:"both_met"`          // both / resolved
	LatencyMsMean       float64 `json:"latency_ms_mean"`
	LatencyMsP99        float64 `json:"latency_ms_p99"`
	SLOAttainmentServed float64 `json:"slo_attainment_served"`
	AccuracyMeanServed  float64 `json:"accuracy_mean_served"`
	// Off-chip bytes of the window's services and reloads per completion.
	OffchipBytesPerQuery float64 `json:"offchip_bytes_per_query"`
	PBHitFraction        float64 `json:"pb_hit_fraction"`
	ResidentBytes        float64 `json:"resident_bytes"` // mean over instances at the window's end
	Reloads              int64   `json:"reloads"`
	ReloadBytes          int64   `json:"reload_bytes"`
}

// TraceColumns are the columns of a per-query trace file.
var TraceColumns = []string{"query", "arrival_s", "finish_s", "latency_ms", "class", "tenant", "min_accuracy",
	"slo_ms", "slo_met", "instance", "subnet", "accuracy", "pb_hit_bytes", "weight_bytes"}

// LatencyQuantiles are the quantiles of end-to-end latency saved for every
// run (quantiles.csv): enough for a latency CDF, from the run's sketch.
var LatencyQuantiles = func() []float64 {
	q := []float64{0, 0.001, 0.005}
	for i := 1; i <= 99; i++ {
		q = append(q, float64(i)/100)
	}
	return append(q, 0.995, 0.999, 1)
}()

// FormatValue writes a swept value as it appears in result columns.
func FormatValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = FormatValue(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		return fmt.Sprint(t)
	}
}
