package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteCreatesDirectoryAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "x.csv")
	require.NoError(t, Write(p, bytes.NewReader([]byte("hello\n"))))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(got))
	st, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	entries, err := os.ReadDir(filepath.Dir(p))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the published file remains")
}

// A failed write leaves the old file untouched and no temporary behind.
func TestFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.csv")
	require.NoError(t, os.WriteFile(p, []byte("old"), 0o644))
	err := Write(p, WriterFunc(func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return errors.New("disk full")
	}))
	require.EqualError(t, err, "disk full")
	got, _ := os.ReadFile(p)
	assert.Equal(t, "old", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1)
}
