package config_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sushisim/sushisim/experiments/config"
	_ "github.com/sushisim/sushisim/plots" // registers the figure kinds
)

// FuzzParse feeds arbitrary bytes to the experiment loader. It must never
// panic or hang, and a rejection must name the file. Seeds: the quickstart,
// the templates, experiments' test files and every bad experiment of
// testdata/bad. The file sits in an empty temporary directory, so relative
// catalog and trace paths find nothing; inputs naming /dev, /proc or /sys are
// skipped, because a device file as a catalog would read forever (a hazard
// of the loader noted in docs/robustness.md, not of the parser). CI runs the
// seeds; explore with
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 5m ./experiments/config
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{filepath.Join("..", "*.toml"), filepath.Join("..", "templates", "*.toml"), filepath.Join("..", "testdata", "*.toml"),
		filepath.Join("..", "..", "testdata", "bad", "*", "*.toml")} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	if len(seeds) < 10 {
		f.Fatalf("only %d seed files", len(seeds))
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	path := filepath.Join(f.TempDir(), "fuzz.toml")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dev := range []string{"/dev", "/proc", "/sys"} {
			if bytes.Contains(data, []byte(dev)) {
				t.Skip("names a device or kernel file")
			}
		}
		x, err := config.Parse(path, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if x == nil || len(x.Policies) == 0 {
			t.Fatal("accepted an experiment without policies")
		}
	})
}
