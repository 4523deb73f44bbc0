package models

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sushisim/sushisim/internal/atomicfile"
)

// Catalog files are CSV with a header row. Columns, in any order:
//
//	supernet         required: a Lookup name; every row the same
//	config           required: a config string of that SuperNet
//	accuracy         required column: ImageNet top-1 in 0..100; an empty
//	                 cell asks for the published or modelled estimate
//	accuracy_source  optional: "measured", "model" or "published: ...";
//	                 empty means "measured" when accuracy is given
//	name             optional: defaults to the canonical config
var csvColumns = []string{"name", "supernet", "config", "accuracy", "accuracy_source"}

// LoadCatalogCSV reads a catalog file.
func LoadCatalogCSV(path string) (*Catalog, error) {
	// A device or FIFO would never end (/dev/zero) or block forever: only
	// regular files are catalogs. Stat first, since opening a FIFO blocks.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("catalog: %s is not a regular file (%s)", path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	defer f.Close()
	return ReadCatalogCSV(f, path)
}

// ReadCatalogCSV reads a catalog from r; file names it in errors, which
// give the file, line and field.
func ReadCatalogCSV(r io.Reader, file string) (*Catalog, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty, want a header row with columns supernet, config, accuracy", file)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("%s:1: column %q unknown (want %s)", file, h, strings.Join(csvColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%s:1: column %q given twice", file, h)
		}
		col[h] = i
	}
	for _, req := range []string{"supernet", "config", "accuracy"} {
		if _, ok := col[req]; !ok {
			return nil, fmt.Errorf("%s:1: missing column %q (want supernet, config, accuracy; accuracy_source and name optional)", file, req)
		}
	}
	var c *Catalog
	seen := map[string]int{} // canonical config -> line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d (one per header column)", file, line, len(rec), len(header))
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		fail := func(field, format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s: %s", file, line, field, fmt.Sprintf(format, args...))
		}
		net, err := Lookup(cell("supernet"))
		if err != nil {
			return nil, fail("supernet", "%v", err)
		}
		if c == nil {
			c = &Catalog{Net: net}
		} else if net != c.Net {
			return nil, fail("supernet", "%s, but earlier rows are %s (a catalog holds one SuperNet)", net.Name, c.Net.Name)
		}
		s, err := net.Build(cell("config"))
		if err != nil {
			return nil, fail("config", "%v", err)
		}
		if prev, dup := seen[s.Config]; dup {
			return nil, fail("config", "the same SubNet as line %d (%s)", prev, s.Config)
		}
		seen[s.Config] = line
		if name := cell("name"); name != "" {
			if err := checkSubNetName(name); err != nil {
				return nil, fail("name", "%v", err)
			}
			s.Name = name
		}
		acc, src := cell("accuracy"), cell("accuracy_source")
		switch {
		case acc == "" && src != "":
			return nil, fail("accuracy", "empty with accuracy_source %q (leave both empty to have it estimated)", src)
		case acc == "":
			s.Accuracy, s.AccuracySource = EstimateAccuracy(s)
		default:
			a, err := strconv.ParseFloat(acc, 64)
			if err != nil {
				return nil, fail("accuracy", "%q is not a number", acc)
			}
			if math.IsNaN(a) || a < 0 || a > 100 {
				return nil, fail("accuracy", "%s outside 0..100 (ImageNet top-1, percent)", acc)
			}
			if src == "" {
				src = SourceMeasured
			}
			if src != SourceMeasured && src != SourceModel && !strings.HasPrefix(src, "published") {
				return nil, fail("accuracy_source", "%q is not %s, %s or published: <citation>", src, SourceMeasured, SourceModel)
			}
			s.Accuracy, s.AccuracySource = a, src
		}
		c.SubNets = append(c.SubNets, s)
	}
	if c == nil {
		return nil, fmt.Errorf("%s: no SubNet rows after the header", file)
	}
	return c, nil
}

// WriteCSV writes the catalog with every column, in catalog order; reading
// it back gives the same SubNets, names and accuracies.
func (c *Catalog) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	for _, s := range c.SubNets {
		rec := []string{s.Name, c.Net.Name, s.Config, strconv.FormatFloat(s.Accuracy, 'f', -1, 64), s.AccuracySource}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SaveCSV writes the catalog to path atomically (a temporary file in the
// same directory, then a rename).
func (c *Catalog) SaveCSV(path string) error {
	if err := atomicfile.Write(path, atomicfile.WriterFunc(c.WriteCSV)); err != nil {
		return fmt.Errorf("catalog %s: %w", path, err)
	}
	return nil
}

// csvError puts encoding/csv's syntax errors (a bare quote, an unterminated
// field) in the FILE:LINE:COLUMN form every other catalog error uses.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %v", file, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", file, err)
}

// checkSubNetName refuses a SubNet name that would break a result row: the
// per-query trace writes names unquoted, and a CSV cell with a control
// character (a newline inside quotes is legal CSV) reads back as two lines
// in most tools.
func checkSubNetName(name string) error {
	if len(name) > 64 {
		return fmt.Errorf("%d bytes: at most 64", len(name))
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == ',' || r == '"' {
			return fmt.Errorf("%q: character %q not allowed (no control characters, commas or quotes)", name, r)
		}
	}
	return nil
}
