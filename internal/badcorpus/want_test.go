package badcorpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWant(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.want")
	require.NoError(t, os.WriteFile(p, []byte("# comment\n\n  a.toml:3: key: bad  \nsecond\n"), 0o644))
	got, err := Want(p)
	require.NoError(t, err)
	assert.Equal(t, []string{"a.toml:3: key: bad", "second"}, got)
	require.NoError(t, os.WriteFile(p, []byte("# only a comment\n"), 0o644))
	_, err = Want(p)
	assert.ErrorContains(t, err, "lists no expected error text")
	_, err = Want(filepath.Join(dir, "missing.want"))
	assert.Error(t, err)
}
