package plots_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/results"
	"github.com/sushisim/sushisim/plots"
)

// A new kind is one plots.Register call: the experiment loader then
// validates it (its own check, and the keys every figure shares) and Draw
// draws it.
func TestRegisterToyKind(t *testing.T) {
	drawn := 0
	plots.Register(plots.Kind{
		Name: "toy-bars",
		Check: func(f *results.Figure, c results.Columns) error {
			return errors.Join(results.NeedKey(f, "y", f.Y, c.Numbers, "a numeric summary column"),
				results.NoKey(f, "x", f.X, "draws one bar per row"))
		},
		Draw: plots.Framed(func(res *results.Results, f results.Figure, rows []int) (*plot.Plot, error) {
			drawn = len(rows)
			var vs plotter.Values
			for _, i := range rows {
				v, _ := res.Number(&res.Rows[i], f.Y)
				vs = append(vs, v)
			}
			bars, err := plotter.NewBarChart(vs, 10)
			if err != nil {
				return nil, err
			}
			p := plot.New()
			p.Add(bars)
			return p, nil
		}),
	})
	assert.Contains(t, results.FigureKinds(), "toy-bars")
	assert.Panics(t, func() {
		plots.Register(plots.Kind{Name: "toy-bars", Check: func(*results.Figure, results.Columns) error { return nil },
			Draw: func(*results.Results, results.Figure, []int, string) error { return nil }})
	}, "a kind registers once")

	src, err := os.ReadFile("../experiments/quickstart.toml")
	require.NoError(t, err)
	good := string(src) + "\n[[figure]]\nname = \"toy\"\nkind = \"toy-bars\"\ny = \"latency_ms_p99\"\n"
	x, err := config.Parse("../experiments/quickstart.toml", []byte(good))
	require.NoError(t, err)
	require.Len(t, x.Figures, 1)
	assert.Equal(t, "toy-bars", x.Figures[0].Kind)

	bad := strings.Replace(good, `y = "latency_ms_p99"`, `y = "colour"`, 1)
	_, err = config.Parse("x.toml", []byte(bad))
	line := strings.Count(bad[:strings.Index(bad, `y = "colour"`)], "\n") + 1
	assert.ErrorContains(t, err, fmt.Sprintf("x.toml:%d: figure[0].y: \"colour\" is not a numeric summary column", line))
	_, err = config.Parse("x.toml", []byte(strings.Replace(good, `kind = "toy-bars"`, `kind = "toy-pie"`, 1)))
	assert.ErrorContains(t, err, "toy-bars", "the unknown-kind error lists registered kinds")

	res := &results.Results{}
	for i, lat := range []float64{12, 30, 21} {
		res.Rows = append(res.Rows, results.Row{Point: 0, Replication: i, Summary: results.Summary{Policy: "p", LatencyMsP99: lat}})
	}
	path := filepath.Join(t.TempDir(), "toy.png")
	require.NoError(t, plots.Draw(res, x.Figures[0], path))
	assert.Equal(t, 3, drawn)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}

// panels split a metric figure; any other kind refuses them rather than
// ignore them.
func TestPanelsOnlyForMetric(t *testing.T) {
	src, err := os.ReadFile("../experiments/quickstart.toml")
	require.NoError(t, err)
	for kind, want := range map[string]string{
		"cdf":      "figure[0].panels: kind \"cdf\" draws one panel",
		"policies": "figure[0].panels: kind \"policies\" draws one panel",
		"metric":   "", // x = "point": panels by policy is fine
	} {
		f := "\n[[figure]]\nname = \"f\"\nkind = \"" + kind + "\"\npanels = \"policy\"\nseries = \"cache\"\n"
		if kind == "metric" {
			f += "x = \"point\"\ny = \"latency_ms_p99\"\n"
		}
		_, err := config.Parse("x.toml", append(slices.Clone(src), f...))
		if want == "" {
			assert.NoError(t, err, kind)
		} else {
			assert.ErrorContains(t, err, want, kind)
		}
	}
}

// plots reads result files and nothing of the simulator: drawing a figure
// must not compile the engine, the policies or the loader.
func TestPlotsDependsOnResultsOnly(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").Output()
	require.NoError(t, err, "go list -deps")
	var ours []string
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/sushisim/sushisim/") {
			ours = append(ours, strings.TrimPrefix(p, "github.com/sushisim/sushisim/"))
		}
	}
	slices.Sort(ours)
	assert.Equal(t, []string{"experiments/results", "internal/atomicfile", "plots"}, ours)
}
