package experiments

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
)

// Result files in a results directory.
const (
	SummaryCSV  = "summary.csv"
	SummaryJSON = "summary.json"
	TimingCSV   = "timing.csv" // wall-clock per run: not a result, so not in summary files
)

// columns are Summary's JSON names in field order: the CSV header.
func columns() []string {
	t := reflect.TypeOf(Summary{})
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("json")
	}
	return out
}

// record formats a Summary as CSV cells. Floats use the shortest
// representation that round-trips, so files are byte-identical for equal
// numbers and parse back exactly.
func record(s *Summary) []string {
	v := reflect.ValueOf(s).Elem()
	out := make([]string, v.NumField())
	for i := range out {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			out[i] = f.String()
		case reflect.Int, reflect.Int64:
			out[i] = strconv.FormatInt(f.Int(), 10)
		case reflect.Uint64:
			out[i] = strconv.FormatUint(f.Uint(), 10)
		case reflect.Float64:
			out[i] = strconv.FormatFloat(f.Float(), 'g', -1, 64)
		default:
			panic(fmt.Sprintf("experiments: Summary field %s has unsupported kind %s", v.Type().Field(i).Name, f.Kind()))
		}
	}
	return out
}

// WriteSummaries writes summary.csv and summary.json into dir, each
// atomically (a reader never sees half a file).
func WriteSummaries(dir string, rows []Summary) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(columns())
	for i := range rows {
		_ = w.Write(record(&rows[i]))
	}
	w.Flush()
	if err := writeAtomic(filepath.Join(dir, SummaryCSV), b.Bytes()); err != nil {
		return err
	}
	if rows == nil {
		rows = []Summary{}
	}
	js, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, SummaryJSON), append(js, '\n'))
}

// WriteTiming writes timing.csv: wall-clock seconds and event rate per run.
func WriteTiming(dir string, rs []Result) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"experiment", "policy", "seed", "wall_s", "events", "events_per_s"})
	for _, r := range rs {
		s := r.Summary
		rate := 0.0
		if r.WallS > 0 {
			rate = float64(s.Events) / r.WallS
		}
		_ = w.Write([]string{s.Experiment, s.Policy, strconv.FormatUint(s.Seed, 10),
			strconv.FormatFloat(r.WallS, 'f', 4, 64), strconv.FormatUint(s.Events, 10), strconv.FormatFloat(rate, 'f', 0, 64)})
	}
	w.Flush()
	return writeAtomic(filepath.Join(dir, TimingCSV), b.Bytes())
}

// ReadSummaries reads a summary.csv back (for plots and merges).
func ReadSummaries(path string) ([]Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file, want a header row", path)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[h] = i
	}
	cols := columns()
	for _, c := range cols {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("%s:1: missing column %q", path, c)
		}
	}
	var out []Summary
	for r, rec := range recs[1:] {
		var s Summary
		v := reflect.ValueOf(&s).Elem()
		for i, c := range cols {
			cell := rec[idx[c]]
			f := v.Field(i)
			var err error
			switch f.Kind() {
			case reflect.String:
				f.SetString(cell)
			case reflect.Int, reflect.Int64:
				var n int64
				n, err = strconv.ParseInt(cell, 10, 64)
				f.SetInt(n)
			case reflect.Uint64:
				var n uint64
				n, err = strconv.ParseUint(cell, 10, 64)
				f.SetUint(n)
			case reflect.Float64:
				var x float64
				x, err = strconv.ParseFloat(cell, 64)
				f.SetFloat(x)
			}
			if err != nil {
				return nil, fmt.Errorf("%s:%d: column %q: %q is not a number", path, r+2, c, cell)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// writeAtomic writes data to a temporary file beside path, then renames it
// into place.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
