package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
)

// Read reads a results directory: summary.csv, and quantiles.csv,
// catalog.csv and timeseries.csv when present.
func Read(dir string) (*Results, error) {
	res := &Results{Dir: dir}
	head, recs, err := ReadCSV(filepath.Join(dir, SummaryCSV))
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
		if err := scanKeyed(rec, reflect.ValueOf(&c.CatalogEntry).Elem(), &c.Point); err != nil {
			return err
		}
		res.Catalog = append(res.Catalog, c)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readOptional(filepath.Join(dir, TimeSeriesCSV), func(rec []string) error {
		var w WindowRow
		if err := scanKeyed(rec, reflect.ValueOf(&w.Window).Elem(), &w.Point, &w.Replication, &w.Policy); err != nil {
			return err
		}
		res.Windows = append(res.Windows, w)
		return nil
	}); err != nil {
		return nil, err
	}
	return res, nil
}

// ReadCSV reads a result CSV file: its header and its data rows (the
// reader of aggregate.csv, whose columns depend on the swept keys).
func ReadCSV(path string) ([]string, [][]string, error) {
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
	_, recs, err := ReadCSV(path)
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

// scanKeyed parses the leading cells of rec into keys (as scan does) and
// the rest into the fields of the struct v.
func scanKeyed(rec []string, v reflect.Value, keys ...any) error {
	if len(rec) != len(keys)+v.NumField() {
		return fmt.Errorf("%d fields, want %d", len(rec), len(keys)+v.NumField())
	}
	if err := scan(rec[:len(keys)], keys...); err != nil {
		return err
	}
	return scanStruct(rec[len(keys):], v)
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
