package config_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/engine"
	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
	"github.com/sushisim/sushisim/internal/badcorpus"
	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/workloads"
)

// badRoot holds the bad-input corpus: experiment files (checked by Load),
// catalog files (models.LoadCatalogCSV) and experiments whose trace or
// Azure file is bad (Load succeeds, building the workload fails). Each case
// X has X.want beside it: the lines its error must contain, naming the key
// or column and the line.
var badRoot = filepath.Join("..", "..", "testdata", "bad")

func wantLines(t *testing.T, path string) []string {
	t.Helper()
	out, err := badcorpus.Want(path)
	require.NoError(t, err, "every bad file needs a .want beside it, listing text")
	return out
}

// badError is the error a bad case produces, by the directory it sits in.
func badError(t *testing.T, kind, path string) error {
	switch kind {
	case "experiment":
		x, err := config.Load(path)
		if err != nil {
			return err
		}
		// what validate checks after Load: the cost model on the file's
		// hardware (an overflow there is a file's problem, not a run's)
		_, err = execute.Estimate(x, 1)
		return err
	case "catalog":
		_, err := models.LoadCatalogCSV(path)
		return err
	case "trace":
		x, err := config.Load(path)
		require.NoError(t, err, "the experiment around a bad trace must itself be valid")
		src, err := workloads.New(x.Workload, engine.Stream(x.Seed, "arrivals"), engine.Stream(x.Seed, "needs"), x.Dir)
		if c, ok := src.(interface{ Close() error }); ok && err == nil {
			c.Close()
		}
		return err
	}
	t.Fatalf("unknown case directory %q", kind)
	return nil
}

func TestBadFilesGiveTheirErrors(t *testing.T) {
	inputs := map[string]string{"experiment": ".toml", "catalog": ".csv", "trace": ".toml"}
	total := 0
	for _, kind := range []string{"experiment", "catalog", "trace"} {
		dir := filepath.Join(badRoot, kind)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		var names []string
		files := map[string]bool{}
		for _, e := range entries {
			files[e.Name()] = true
			if n, ok := strings.CutSuffix(e.Name(), inputs[kind]); ok && !strings.HasSuffix(n, ".data") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			total++
			t.Run(kind+"/"+n, func(t *testing.T) {
				path := filepath.Join(dir, n+inputs[kind])
				want := wantLines(t, filepath.Join(dir, n+".want"))
				err := badError(t, kind, path)
				require.Error(t, err, "%s must be rejected", path)
				for _, w := range want {
					assert.Contains(t, err.Error(), w)
				}
			})
			delete(files, n+inputs[kind])
			delete(files, n+".want")
			delete(files, n+".data.csv")
		}
		assert.Empty(t, files, "files in %s that no case uses", dir)
	}
	assert.GreaterOrEqual(t, total, 40, "the corpus should hold at least 40 bad files, one per kind of mistake")
}
