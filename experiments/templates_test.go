package experiments

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplatesLoad(t *testing.T) {
	names := TemplateNames()
	assert.Equal(t, []string{"basic", "cluster", "sweep", "timeseries"}, names)
	for _, n := range names {
		src, err := Template(n)
		require.NoError(t, err)
		x, err := Parse(n+".toml", src)
		require.NoError(t, err, n)
		assert.Equal(t, n, x.Name)
	}
	_, err := Template("nope")
	assert.ErrorContains(t, err, "basic, cluster, sweep, timeseries")
}
