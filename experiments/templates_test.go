package experiments_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/experiments/config"
	_ "github.com/sushisim/sushisim/plots" // registers the figure kinds the templates draw
)

func TestTemplatesLoad(t *testing.T) {
	names := experiments.TemplateNames()
	assert.Equal(t, []string{"basic", "cluster", "sweep", "timeseries"}, names)
	for _, n := range names {
		src, err := experiments.Template(n)
		require.NoError(t, err)
		x, err := config.Parse(n+".toml", src)
		require.NoError(t, err, n)
		assert.Equal(t, n, x.Name)
	}
	_, err := experiments.Template("nope")
	assert.ErrorContains(t, err, "basic, cluster, sweep, timeseries")
}
