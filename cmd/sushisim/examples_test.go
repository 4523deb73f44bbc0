package main

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryShippedExperimentValidates loads every experiment file the
// repository ships (quickstart, templates, paper set, datacenter examples)
// as 'validate' does, so a renamed column or key cannot leave one broken
// until someone runs it.
func TestEveryShippedExperimentValidates(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../../experiments", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".toml") && !strings.Contains(p, "testdata") {
			files = append(files, p)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			require.NoError(t, validateFile(io.Discard, f, math.Inf(1), "test"))
		})
	}
}
