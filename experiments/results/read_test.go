package results

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A timeseries.csv or catalog.csv with too few columns is an error naming
// the file and the line, not a slice out of range (it panicked).
func TestReadRefusesShortRows(t *testing.T) {
	head := "point,replication," + strings.Join(structColumns(reflect.TypeOf(Summary{})), ",") + "\n"
	for _, name := range []string{TimeSeriesCSV, CatalogCSV} {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, SummaryCSV), []byte(head), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("a\n1\n"), 0o644))
		_, err := Read(dir)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), name+":2: 1 fields, want ")
		}
	}
}
