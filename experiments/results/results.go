package results

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
)

// Files of a results directory. Everything except timing.csv is a pure
// function of the experiment file: the same file gives byte-identical
// results whatever the number of workers or shards.
const (
	SummaryCSV     = "summary.csv"    // one row per run: point, replication, swept values, Summary
	SummaryJSON    = "summary.json"   // the same rows as JSON objects
	AggregateCSV   = "aggregate.csv"  // one row per point and policy: mean and 95% CI over replications
	QuantilesCSV   = "quantiles.csv"  // latency quantiles of every run (for CDFs)
	CatalogCSV     = "catalog.csv"    // every point's SubNets: accuracy, empty-PB latency, Pareto flag
	TimeSeriesCSV  = "timeseries.csv" // per-window rows, when output.window_s > 0
	ClassesCSV     = "classes.csv"    // every run's outcomes per need class and per tenant
	TimingCSV      = "timing.csv"     // wall-clock per run: not a result, so not in the files above
	ExperimentCopy = "experiment.toml"
	PlanJSON       = "plan.json"
	PointsDir      = "points"
	TracesDir      = "traces"
	FiguresDir     = "figures"
)

// Row is one row of summary.csv: a run's Summary and the point it ran.
type Row struct {
	Point       int
	Replication int
	Params      []string // the point's swept values as written, one per Results.Keys
	Summary
}

// CatalogEntry is one SubNet a point served, with its cost on an empty
// persistent buffer of the first accelerator group.
type CatalogEntry struct {
	Name           string  `json:"name"`
	Config         string  `json:"config"`
	MACs           int64   `json:"macs"`
	WeightBytes    int64   `json:"weight_bytes"`
	Accuracy       float64 `json:"accuracy"`
	AccuracySource string  `json:"accuracy_source"`
	LatencyMs      float64 `json:"latency_ms"`
	EnergyMJ       float64 `json:"energy_mj"`
	Pareto         bool    `json:"pareto"`
}

// CatalogRow is a CatalogEntry of one point.
type CatalogRow struct {
	Point int
	CatalogEntry
}

// QuantileRow is one latency quantile of one run.
type QuantileRow struct {
	Point, Replication int
	Policy             string
	Quantile           float64
	LatencyMs          float64
}

// WindowRow is one time-series window of one run.
type WindowRow struct {
	Point, Replication int
	Policy             string
	Window
}

// Results is a results directory read back (for plots, merges and tests).
type Results struct {
	Dir       string
	Keys      []string // swept keys: the columns between replication and experiment
	Rows      []Row
	Quantiles []QuantileRow
	Catalog   []CatalogRow
	Windows   []WindowRow
}

// StringColumns are the Summary columns that hold names, not numbers.
var StringColumns = []string{"experiment", "policy", "cache", "select", "router"}

// NumericColumns are the Summary columns that hold numbers.
func NumericColumns() []string {
	var out []string
	for _, c := range structColumns(reflect.TypeOf(Summary{})) {
		if !slices.Contains(StringColumns, c) {
			out = append(out, c)
		}
	}
	return out
}

// WindowColumns are the columns of a time-series window.
func WindowColumns() []string { return structColumns(reflect.TypeOf(Window{})) }

var summaryField = func() map[string]int {
	m := map[string]int{}
	for i, c := range structColumns(reflect.TypeOf(Summary{})) {
		m[c] = i
	}
	return m
}()

// Value is a column of a row as written in summary.csv: a swept key, point,
// replication or a Summary column.
func (r *Results) Value(row *Row, col string) (string, bool) {
	switch col {
	case "point":
		return strconv.Itoa(row.Point), true
	case "replication":
		return strconv.Itoa(row.Replication), true
	}
	if i := slices.Index(r.Keys, col); i >= 0 {
		return row.Params[i], true
	}
	i, ok := summaryField[col]
	if !ok {
		return "", false
	}
	return cell(reflect.ValueOf(&row.Summary).Elem().Field(i)), true
}

// Number is a numeric column of a row.
func (r *Results) Number(row *Row, col string) (float64, bool) {
	s, ok := r.Value(row, col)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// structColumns are a struct's JSON names in field order: a CSV header.
func structColumns(t reflect.Type) []string {
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("json")
	}
	return out
}

// cell formats one field. Floats use the shortest representation that
// round-trips, so files are byte-identical for equal numbers and parse
// back exactly.
func cell(f reflect.Value) string {
	switch f.Kind() {
	case reflect.String:
		return f.String()
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(f.Int(), 10)
	case reflect.Uint64:
		return strconv.FormatUint(f.Uint(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(f.Float(), 'g', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(f.Bool())
	default:
		panic(fmt.Sprintf("results: result field of unsupported kind %s", f.Kind()))
	}
}

func record(v reflect.Value) []string {
	out := make([]string, v.NumField())
	for i := range out {
		out[i] = cell(v.Field(i))
	}
	return out
}

// setCell parses one CSV cell into a field.
func setCell(f reflect.Value, s string) error {
	var err error
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Int, reflect.Int64, reflect.Int32:
		var n int64
		n, err = strconv.ParseInt(s, 10, 64)
		f.SetInt(n)
	case reflect.Uint64:
		var n uint64
		n, err = strconv.ParseUint(s, 10, 64)
		f.SetUint(n)
	case reflect.Float64:
		var x float64
		x, err = strconv.ParseFloat(s, 64)
		f.SetFloat(x)
	case reflect.Bool:
		var b bool
		b, err = strconv.ParseBool(s)
		f.SetBool(b)
	}
	return err
}
