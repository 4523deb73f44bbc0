package accel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/sushisim/sushisim/models"
)

// Measurement is one layer call timed on a board: which layer of which
// SubNet, and the wall time of the call. The shape columns of the file are
// checked against the model's layer, so that a measurement can never be
// compared with a different layer.
type Measurement struct {
	SubNet int          // index into the catalog the file was read against
	Layer  int          // index of the layer inside the SubNet
	Shape  models.Layer // the model's layer it was matched to
	Sec    float64      // measured latency of the call, seconds
}

// measuredColumns are the columns a measured file must have; others (W, S,
// pad, OH, OW, byte counts) may be present and are checked when they are
// derived from these (W = H, S = R) or ignored. See docs/calibration.md.
var measuredColumns = []string{"subnet", "layer", "K", "C", "R", "H", "stride", "latency_s"}

// ReadMeasuredFile reads a measured-latency CSV file against a catalog of
// SubNets (see ReadMeasured).
func ReadMeasuredFile(path string, catalog []*models.SubNet) ([]Measurement, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadMeasured(f, path, catalog)
}

// ReadMeasured reads per-layer measurements: a header row naming the
// columns (any order; measuredColumns are required), then one row per layer
// call. subnet is a catalog name or its 0-based index in the catalog; layer
// is the layer's index inside that SubNet. Errors are "file:line:column:
// what is wrong" and every bad row is reported.
func ReadMeasured(r io.Reader, name string, catalog []*models.SubNet) ([]Measurement, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: want a header row with %s", name, strings.Join(measuredColumns, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	var missing []string
	for _, c := range measuredColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:1: missing column(s) %s (required: %s)", name, strings.Join(missing, ", "), strings.Join(measuredColumns, ", "))
	}
	var out []Measurement
	var errs []error
	seen := map[[2]int]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		m, rowErrs := parseMeasuredRow(cr, rec, col, name, catalog)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		key := [2]int{m.SubNet, m.Layer}
		if prev, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: SubNet %s layer %d already measured on line %d", name, line, catalog[m.SubNet].Name, m.Layer, prev))
			continue
		}
		seen[key] = line
		out = append(out, m)
	}
	if len(errs) == 0 && len(out) == 0 {
		errs = append(errs, fmt.Errorf("%s: no measurements after the header", name))
	}
	return out, errors.Join(errs...)
}

// parseMeasuredRow reads one row and matches it to the model's layer.
func parseMeasuredRow(cr *csv.Reader, rec []string, col map[string]int, name string, catalog []*models.SubNet) (Measurement, []error) {
	var m Measurement
	var errs []error
	// Every row has the header's field count (csv.Reader checks it).
	at := func(c string) (string, string) {
		i := col[c]
		line, column := cr.FieldPos(i)
		return strings.TrimSpace(rec[i]), fmt.Sprintf("%s:%d:%d", name, line, column)
	}
	intCol := func(c string) int {
		v, pos := at(c)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s: %s %q: must be a whole number >= 0", pos, c, v))
		}
		return n
	}
	// subnet: a name or an index into the catalog.
	sv, spos := at("subnet")
	m.SubNet = -1
	for i, s := range catalog {
		if s.Name == sv {
			m.SubNet = i
		}
	}
	if m.SubNet < 0 {
		if i, err := strconv.Atoi(sv); err == nil && i >= 0 && i < len(catalog) {
			m.SubNet = i
		} else {
			names := make([]string, len(catalog))
			for i, s := range catalog {
				names[i] = s.Name
			}
			errs = append(errs, fmt.Errorf("%s: subnet %q: must be a catalog SubNet (%s) or its index 0..%d", spos, sv, strings.Join(names, ", "), len(catalog)-1))
		}
	}
	m.Layer = intCol("layer")
	k, c, r, h, stride := intCol("K"), intCol("C"), intCol("R"), intCol("H"), intCol("stride")
	lv, lpos := at("latency_s")
	sec, err := strconv.ParseFloat(lv, 64)
	if err != nil || !(sec > 0) || math.IsInf(sec, 0) {
		errs = append(errs, fmt.Errorf("%s: latency_s %q: must be a positive number of seconds", lpos, lv))
	}
	m.Sec = sec
	if len(errs) > 0 {
		return m, errs
	}
	s := catalog[m.SubNet]
	_, lpos = at("layer")
	if m.Layer >= len(s.Layers) {
		return m, []error{fmt.Errorf("%s: layer %d: %s has layers 0..%d", lpos, m.Layer, s.Name, len(s.Layers)-1)}
	}
	l := s.Layers[m.Layer]
	if int(l.K) != k || int(l.C) != c || int(l.R) != r || int(l.H) != h || int(l.Stride) != stride || l.Kind != models.Conv {
		return m, []error{fmt.Errorf("%s: layer %d of %s is %s in the model, the row says K=%d C=%d R=%d H=%d stride=%d (wrong layer index or SubNet?)",
			lpos, m.Layer, s.Name, l.Shape(), k, c, r, h, stride)}
	}
	// Redundant columns, when present, must agree (square kernels and maps).
	for _, p := range []struct {
		col, of string
		want    int
	}{{"S", "R", r}, {"W", "H", h}} {
		if _, ok := col[p.col]; !ok {
			continue
		}
		if v := intCol(p.col); len(errs) == 0 && v != p.want {
			_, pos := at(p.col)
			errs = append(errs, fmt.Errorf("%s: %s = %d: the model's layers are square (%s = %d)", pos, p.col, v, p.of, p.want))
		}
	}
	m.Shape = l
	return m, errs
}
