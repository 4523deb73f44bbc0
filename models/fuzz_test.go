package models_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sushisim/sushisim/models"
)

// FuzzReadCatalogCSV feeds arbitrary bytes to the catalog reader. It must
// never panic; an error must name the file; a catalog it accepts must hold
// valid accuracies and survive a write and a second read unchanged. Seeds:
// every builtin catalog as written by WriteCSV, experiments' test catalog and
// the bad catalogs of testdata/bad. CI runs the seeds; explore with
//
//	go test -run '^$' -fuzz FuzzReadCatalogCSV -fuzztime 5m ./models
func FuzzReadCatalogCSV(f *testing.F) {
	for _, name := range models.SuperNetNames() {
		net, err := models.Lookup(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range models.BuiltinCatalogNames(net) {
			subs, err := models.BuiltinCatalog(net, c)
			if err != nil {
				f.Fatal(err)
			}
			var b bytes.Buffer
			if err := (&models.Catalog{Net: net, SubNets: subs}).WriteCSV(&b); err != nil {
				f.Fatal(err)
			}
			f.Add(b.Bytes())
		}
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "bad", "catalog", "*.csv"))
	seeds = append(seeds, filepath.Join("..", "experiments", "testdata", "catalog.csv"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := models.ReadCatalogCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(c.SubNets) == 0 || c.Net == nil {
			t.Fatal("accepted a catalog without SubNets")
		}
		for _, s := range c.SubNets {
			if !(s.Accuracy >= 0 && s.Accuracy <= 100) {
				t.Fatalf("accepted accuracy %v", s.Accuracy)
			}
		}
		var b bytes.Buffer
		if err := c.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		again, err := models.ReadCatalogCSV(&b, "again.csv")
		if err != nil {
			t.Fatalf("a catalog it accepted does not read back: %v", err)
		}
		if len(again.SubNets) != len(c.SubNets) {
			t.Fatalf("read back %d SubNets, wrote %d", len(again.SubNets), len(c.SubNets))
		}
		for i, s := range c.SubNets {
			a := again.SubNets[i]
			if a.Config != s.Config || a.Name != s.Name || a.Accuracy != s.Accuracy || a.AccuracySource != s.AccuracySource {
				t.Fatalf("SubNet %d changed on a round trip: %q %q %v %q -> %q %q %v %q",
					i, s.Name, s.Config, s.Accuracy, s.AccuracySource, a.Name, a.Config, a.Accuracy, a.AccuracySource)
			}
		}
	})
}
