package execute

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/config"
)

// quickstartWith is the quickstart with one piece of text replaced.
func quickstartWith(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile("../quickstart.toml")
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	return strings.Replace(string(b), old, new, 1)
}

func TestModelSources(t *testing.T) {
	cases := []struct {
		model   string
		subnets int
	}{
		{"supernet = \"ofa-mbv3-w1.0\"\nsample = 12\nsample_seed = 3", 12},
		{"supernet = \"ofa-resnet50\"\nsweep = 8", 8},
		{"catalog = \"testdata/catalog.csv\"", 3},
	}
	for _, c := range cases {
		src := quickstartWith(t, "supernet = \"ofa-resnet50\"   # the SuperNet whose SubNets serve queries\ncatalog = \"reference\"       # the six reference SubNets (docs/assumptions.md)", c.model)
		x, err := config.Parse("../quickstart.toml", []byte(src))
		require.NoError(t, err, c.model)
		m, err := newRunner(1).model(&x.Settings)
		require.NoError(t, err, c.model)
		assert.Len(t, m.subnets, c.subnets, c.model)
	}
}

func TestParetoKeepsTheFrontier(t *testing.T) {
	src := quickstartWith(t, `catalog = "reference"       # the six reference SubNets (docs/assumptions.md)`, "sample = 40\npareto = true")
	x, err := config.Parse("../quickstart.toml", []byte(src))
	require.NoError(t, err)
	m, err := newRunner(1).model(&x.Settings)
	require.NoError(t, err)
	require.NotEmpty(t, m.subnets)
	require.Less(t, len(m.subnets), 40)
	// on the frontier, accuracy rises strictly with latency
	for i, e := range m.entries {
		assert.True(t, e.Pareto)
		for _, f := range m.entries[:i] {
			if f.LatencyMs < e.LatencyMs {
				assert.Less(t, f.Accuracy, e.Accuracy)
			}
		}
	}
}

func TestQuickstartSwitchesToMobileNetV3InOneLine(t *testing.T) {
	src := quickstartWith(t, `supernet = "ofa-resnet50"`, `supernet = "ofa-mbv3-w1.0"`)
	x, err := config.Parse("../quickstart.toml", []byte(src))
	require.NoError(t, err)
	rs, err := Run(x)
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, rs[0].Summary.Completed, rs[0].Summary.Queries)
}
