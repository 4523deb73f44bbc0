package experiments

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"

	"github.com/sushisim/sushisim/internal/atomicfile"
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
		panic(fmt.Sprintf("experiments: result field of unsupported kind %s", f.Kind()))
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

func csvBytes(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.WriteAll(rows) // a bytes.Buffer does not fail
	return b.Bytes()
}

// writeResults writes every result file of a finished plan into dir.
func writeResults(dir string, keys []string, rows []Row, params [][]any, cat []CatalogRow, qs []QuantileRow, ws []WindowRow, timing []timingRow) error {
	sv := reflect.TypeOf(Summary{})
	head := append(append([]string{"point", "replication"}, keys...), structColumns(sv)...)
	var recs [][]string
	for i := range rows {
		r := &rows[i]
		rec := append([]string{strconv.Itoa(r.Point), strconv.Itoa(r.Replication)}, r.Params...)
		recs = append(recs, append(rec, record(reflect.ValueOf(r.Summary))...))
	}
	files := map[string][]byte{SummaryCSV: csvBytes(head, recs)}

	js, err := summaryJSON(keys, rows, params)
	if err != nil {
		return err
	}
	files[SummaryJSON] = js
	files[AggregateCSV] = aggregateCSV(keys, rows)

	recs = nil
	for _, q := range qs {
		recs = append(recs, []string{strconv.Itoa(q.Point), strconv.Itoa(q.Replication), q.Policy,
			strconv.FormatFloat(q.Quantile, 'g', -1, 64), strconv.FormatFloat(q.LatencyMs, 'g', -1, 64)})
	}
	files[QuantilesCSV] = csvBytes([]string{"point", "replication", "policy", "quantile", "latency_ms"}, recs)

	recs = nil
	for _, c := range cat {
		recs = append(recs, append([]string{strconv.Itoa(c.Point)}, record(reflect.ValueOf(c.CatalogEntry))...))
	}
	files[CatalogCSV] = csvBytes(append([]string{"point"}, structColumns(reflect.TypeOf(CatalogEntry{}))...), recs)

	if len(ws) > 0 {
		recs = nil
		for _, w := range ws {
			rec := []string{strconv.Itoa(w.Point), strconv.Itoa(w.Replication), w.Policy}
			recs = append(recs, append(rec, record(reflect.ValueOf(w.Window))...))
		}
		files[TimeSeriesCSV] = csvBytes(append([]string{"point", "replication", "policy"}, WindowColumns()...), recs)
	} else if err := os.Remove(filepath.Join(dir, TimeSeriesCSV)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}

	recs = nil
	for _, t := range timing {
		rate := 0.0
		if t.WallS > 0 {
			rate = float64(t.Events) / t.WallS
		}
		recs = append(recs, []string{strconv.Itoa(t.Point), strconv.Itoa(t.Replication), t.Policy,
			strconv.FormatFloat(t.WallS, 'f', 4, 64), strconv.FormatUint(t.Events, 10), strconv.FormatFloat(rate, 'f', 0, 64)})
	}
	files[TimingCSV] = csvBytes([]string{"point", "replication", "policy", "wall_s", "events", "events_per_s"}, recs)

	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := writeAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// summaryJSON writes the rows as objects: point, replication, the swept
// values as a params object (typed as in the file), then every Summary field.
func summaryJSON(keys []string, rows []Row, params [][]any) ([]byte, error) {
	type obj struct {
		Point       int            `json:"point"`
		Replication int            `json:"replication"`
		Params      map[string]any `json:"params,omitempty"`
		Summary
	}
	out := make([]obj, len(rows))
	for i, r := range rows {
		o := obj{Point: r.Point, Replication: r.Replication, Summary: r.Summary}
		if len(keys) > 0 {
			o.Params = map[string]any{}
			for k, key := range keys {
				o.Params[key] = jsonValue(params[r.Point][k])
			}
		}
		out[i] = o
	}
	js, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(js, '\n'), nil
}

// jsonValue makes a swept value JSON-safe (TOML allows nan and inf).
func jsonValue(v any) any {
	if f, ok := v.(float64); ok && (f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308) {
		return FormatValue(f)
	}
	return v
}

// aggregateCSV is one row per point and policy: every numeric column's
// mean and the half-width of its 95% confidence interval over the
// replications (Student's t; 0 with one replication).
func aggregateCSV(keys []string, rows []Row) []byte {
	metrics := NumericColumns()
	metrics = slices.DeleteFunc(metrics, func(c string) bool { return c == "seed" || c == "instances" })
	head := append([]string{"point"}, keys...)
	head = append(head, "policy", "cache", "select", "router", "instances", "replications")
	for _, m := range metrics {
		head = append(head, m+"_mean", m+"_ci95")
	}
	res := &Results{Keys: keys}
	var recs [][]string
	for _, g := range groupRuns(rows) {
		first := &rows[g[0]]
		rec := append([]string{strconv.Itoa(first.Point)}, first.Params...)
		rec = append(rec, first.Policy, first.Cache, first.Select, first.Router,
			strconv.Itoa(first.Instances), strconv.Itoa(len(g)))
		xs := make([]float64, len(g))
		for _, m := range metrics {
			for j, i := range g {
				xs[j], _ = res.Number(&rows[i], m)
			}
			mean, ci := MeanCI95(xs)
			rec = append(rec, strconv.FormatFloat(mean, 'g', -1, 64), strconv.FormatFloat(ci, 'g', -1, 64))
		}
		recs = append(recs, rec)
	}
	return csvBytes(head, recs)
}

// groupRuns groups row indices by (point, policy), in first-seen order;
// within a group, rows keep their (replication) order.
func groupRuns(rows []Row) [][]int {
	type key struct {
		point  int
		policy string
	}
	idx := map[key]int{}
	var out [][]int
	for i, r := range rows {
		k := key{r.Point, r.Policy}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], i)
	}
	return out
}

// ReadResults reads a results directory: summary.csv, and quantiles.csv,
// catalog.csv and timeseries.csv when present.
func ReadResults(dir string) (*Results, error) {
	res := &Results{Dir: dir}
	head, recs, err := readCSV(filepath.Join(dir, SummaryCSV))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, SummaryCSV)
	cols := structColumns(reflect.TypeOf(Summary{}))
	if len(head) < 2+len(cols) || head[0] != "point" || head[1] != "replication" {
		return nil, fmt.Errorf("%s:1: want columns point, replication, the swept keys, then %s...", path, cols[0])
	}
	nk := len(head) - 2 - len(cols)
	res.Keys = head[2 : 2+nk]
	if !slices.Equal(head[2+nk:], cols) {
		return nil, fmt.Errorf("%s:1: columns after the swept keys are not this sushisim's summary columns (%s...)", path, cols[0])
	}
	for n, rec := range recs {
		var r Row
		var err error
		if r.Point, err = strconv.Atoi(rec[0]); err != nil {
			return nil, fmt.Errorf("%s:%d: point: %q is not an integer", path, n+2, rec[0])
		}
		if r.Replication, err = strconv.Atoi(rec[1]); err != nil {
			return nil, fmt.Errorf("%s:%d: replication: %q is not an integer", path, n+2, rec[1])
		}
		r.Params = rec[2 : 2+nk]
		v := reflect.ValueOf(&r.Summary).Elem()
		for i, c := range cols {
			if err := setCell(v.Field(i), rec[2+nk+i]); err != nil {
				return nil, fmt.Errorf("%s:%d: column %q: %q is not a number", path, n+2, c, rec[2+nk+i])
			}
		}
		res.Rows = append(res.Rows, r)
	}
	if err := readOptional(filepath.Join(dir, QuantilesCSV), func(rec []string) error {
		var q QuantileRow
		return scan(rec, &q.Point, &q.Replication, &q.Policy, &q.Quantile, &q.LatencyMs, func() { res.Quantiles = append(res.Quantiles, q) })
	}); err != nil {
		return nil, err
	}
	if err := readOptional(filepath.Join(dir, CatalogCSV), func(rec []string) error {
		var c CatalogRow
		if err := scan(rec[:1], &c.Point); err != nil {
			return err
		}
		if err := scanStruct(rec[1:], reflect.ValueOf(&c.CatalogEntry).Elem()); err != nil {
			return err
		}
		res.Catalog = append(res.Catalog, c)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readOptional(filepath.Join(dir, TimeSeriesCSV), func(rec []string) error {
		var w WindowRow
		if err := scan(rec[:3], &w.Point, &w.Replication, &w.Policy); err != nil {
			return err
		}
		if err := scanStruct(rec[3:], reflect.ValueOf(&w.Window).Elem()); err != nil {
			return err
		}
		res.Windows = append(res.Windows, w)
		return nil
	}); err != nil {
		return nil, err
	}
	return res, nil
}

func readCSV(path string) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file, want a header row", path)
	}
	return recs[0], recs[1:], nil
}

// readOptional calls row for every data row of a CSV file that may be absent.
func readOptional(path string, row func([]string) error) error {
	_, recs, err := readCSV(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for i, rec := range recs {
		if err := row(rec); err != nil {
			return fmt.Errorf("%s:%d: %w", path, i+2, err)
		}
	}
	return nil
}

// scan parses cells into pointers (int, string, float64); a trailing
// func() is called when every cell parsed.
func scan(rec []string, dst ...any) error {
	i := 0
	for _, d := range dst {
		if f, ok := d.(func()); ok {
			f()
			continue
		}
		if i >= len(rec) {
			return fmt.Errorf("%d fields, want more", len(rec))
		}
		if err := setCell(reflect.ValueOf(d).Elem(), rec[i]); err != nil {
			return fmt.Errorf("field %d: %q: %w", i+1, rec[i], err)
		}
		i++
	}
	return nil
}

func scanStruct(rec []string, v reflect.Value) error {
	if len(rec) != v.NumField() {
		return fmt.Errorf("%d fields, want %d", len(rec), v.NumField())
	}
	for i := range rec {
		if err := setCell(v.Field(i), rec[i]); err != nil {
			return fmt.Errorf("column %q: %q: %w", v.Type().Field(i).Tag.Get("json"), rec[i], err)
		}
	}
	return nil
}

// writeAtomic writes data to a temporary file beside path, then renames it
// into place.
func writeAtomic(path string, data []byte) error {
	return atomicfile.Write(path, bytes.NewReader(data))
}
