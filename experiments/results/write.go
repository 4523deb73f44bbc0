package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"

	"github.com/sushisim/sushisim/internal/atomicfile"
)

// Tables are the rows of every result file of a finished plan.
type Tables struct {
	Keys      []string // swept keys
	Rows      []Row
	Params    [][]any // each point's swept values, typed as in the file (for summary.json)
	Catalog   []CatalogRow
	Quantiles []QuantileRow
	Windows   []WindowRow
	Classes   []ClassRow
	Timing    []TimingRow
}

// AddTask adds the rows of one task's file: its summary rows (with the
// point's swept values as written, vals), quantiles and windows, and the
// catalog its replication 0 carries.
func (t *Tables) AddTask(task Task, vals []string, tf *TaskFile) {
	for _, c := range tf.Catalog {
		t.Catalog = append(t.Catalog, CatalogRow{Point: task.Point, CatalogEntry: c})
	}
	for _, run := range tf.Runs {
		pol := run.Summary.Policy
		t.Rows = append(t.Rows, Row{Point: task.Point, Replication: task.Replication, Params: vals, Summary: run.Summary})
		for k, q := range LatencyQuantiles {
			if k < len(run.Quantiles) {
				t.Quantiles = append(t.Quantiles, QuantileRow{Point: task.Point, Replication: task.Replication, Policy: pol,
					Quantile: q, LatencyMs: run.Quantiles[k]})
			}
		}
		for _, w := range run.Windows {
			t.Windows = append(t.Windows, WindowRow{Point: task.Point, Replication: task.Replication, Policy: pol, Window: w})
		}
		for _, o := range run.Classes {
			t.Classes = append(t.Classes, ClassRow{Point: task.Point, Replication: task.Replication, Policy: pol, Outcome: o})
		}
	}
}

// Write writes every result file of a finished plan into dir.
func Write(dir string, t *Tables) error {
	keys, rows, params, cat, qs, ws, timing := t.Keys, t.Rows, t.Params, t.Catalog, t.Quantiles, t.Windows, t.Timing
	sv := reflect.TypeOf(Summary{})
	head := append(append([]string{"point", "replication"}, keys...), structColumns(sv)...)
	var recs [][]string
	for i := range rows {
		r := &rows[i]
		rec := append([]string{strconv.Itoa(r.Point), strconv.Itoa(r.Replication)}, r.Params...)
		recs = append(recs, append(rec, record(reflect.ValueOf(r.Summary))...))
	}
	files := map[string][]byte{SummaryCSV: csvBytes(head, recs), ClassesCSV: classesCSV(t.Classes)}

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
		if err := WriteFile(filepath.Join(dir, name), files[name]); err != nil {
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
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
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
	for _, g := range GroupRuns(rows) {
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

// GroupRuns groups row indices by (point, policy), in first-seen order;
// within a group, rows keep their (replication) order.
func GroupRuns(rows []Row) [][]int {
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

// WriteFile writes data to a temporary file beside path, then renames it
// into place: a reader never sees half a result file.
func WriteFile(path string, data []byte) error {
	return atomicfile.Write(path, bytes.NewReader(data))
}

func csvBytes(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.WriteAll(rows) // a bytes.Buffer does not fail
	return b.Bytes()
}
