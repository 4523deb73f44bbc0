package plots

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

// A policy keeps its look whatever else shares the figure, and no two
// series of one figure share a colour.
func TestLooksFixedAndDistinct(t *testing.T) {
	a := looksFor([]string{"none", "sgs"})
	b := looksFor([]string{"static", "lru", "sgs", "oracle", "none"})
	assert.Equal(t, a[1], b[2], "sgs looks the same in both figures")
	assert.Equal(t, a[0], b[4], "none looks the same in both figures")
	for _, set := range [][]string{
		{"none", "static", "lru", "sgs", "sgs-blind", "oracle"},
		{"jsq", "power-of-two", "affinity", "round-robin", "random", "least-work"},
		{"ofa-resnet50", "ofa-mbv3-w1.0", "ofa-mbv3-w1.2"},
		{"19.2", "2.4", "0.6"}, // unknown: hashed, then moved off taken colours
		{"sgs", "x1", "x2", "x3", "x4", "x5"},
	} {
		ls := looksFor(set)
		seen := map[any]string{}
		for i, l := range ls {
			if o, dup := seen[l.color]; dup {
				t.Errorf("%v: %s and %s share a colour", set, o, set[i])
			}
			seen[l.color] = set[i]
			assert.NotNil(t, l.glyph)
		}
	}
	// unknown values: the same look on every call
	assert.Equal(t, looksFor([]string{"0.6", "2.4"}), looksFor([]string{"0.6", "2.4"}))
	// sgs's fixed colour is kept; an unknown that hashes to it moves
	ls := looksFor([]string{"sgs", "x1", "x2", "x3", "x4", "x5"})
	assert.Equal(t, vermillion, ls[0].color)
}

// Every policy the shipped experiment files name has a fixed look, so it
// keeps one colour across the paper set: a hashed colour would move
// whenever another series of a figure took it.
func TestShippedPoliciesHaveFixedLooks(t *testing.T) {
	files, err := filepath.Glob("../experiments/paper/*.toml")
	require.NoError(t, err)
	more, err := filepath.Glob("../experiments/*.toml")
	require.NoError(t, err)
	files = append(files, more...)
	require.NotEmpty(t, files)
	for _, f := range files {
		var exp struct{ Policy []struct{ Name string } }
		_, err := toml.DecodeFile(f, &exp)
		require.NoError(t, err, f)
		for _, p := range exp.Policy {
			_, ok := looks[p.Name]
			assert.True(t, ok, "%s: policy %q has no fixed look in plots/style.go", f, p.Name)
		}
	}
}

func TestValueLabels(t *testing.T) {
	f := results.Figure{}
	for _, c := range []struct{ col, v, want string }{
		{"model.supernet", "ofa-resnet50", "OFA-ResNet50"},
		{"accel.preset", "u50", "Alveo U50"},
		{"policy", "sgs", "SGS"},
		{"policy", "my-policy", "my-policy"},
		{"accel.dram_gbps", "0.6", "DRAM 0.6 GB/s peak"},
		{"accel.pb_bytes", "3145728", "PB 3 MiB"},
		{"accel.pb_bytes", "262144", "PB 256 KiB"},
		{"workload.arrival.rate", "10", "10 queries/s"},
		{"workload.needs.q", "50", "q=50"}, // no known format: the raw key
	} {
		assert.Equal(t, c.want, valueLabel(f, c.col, c.v), "%s=%s", c.col, c.v)
	}
	f.Label = map[string]string{"sgs": "SGS (ours)"}
	assert.Equal(t, "SGS (ours)", valueLabel(f, "policy", "sgs"))
}

// Figures are pure functions of the results: a PDF (whose backend would
// stamp the time) and a PNG rendered twice are byte-identical.
func TestFiguresByteIdentical(t *testing.T) {
	res := fixture()
	for _, ext := range []string{"pdf", "png", "svg"} {
		var files [2][]byte
		for i := range files {
			path := filepath.Join(t.TempDir(), "f."+ext)
			require.NoError(t, Draw(res, everyKind()[1], path))
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			files[i] = b
		}
		assert.True(t, bytes.Equal(files[0], files[1]), "%s differs between two renders", ext)
		if ext == "pdf" {
			assert.Contains(t, string(files[0]), "/CreationDate (D:20000101000000)")
		}
	}
}

// index.html: every figure and a row per point and policy, nothing
// fetched from elsewhere, the same bytes when written again.
func TestIndex(t *testing.T) {
	res := fixture()
	dir := t.TempDir()
	figs := everyKind()
	_, err := Render(res, figs, []string{"png", "pdf"}, dir)
	require.NoError(t, err)
	first, err := os.ReadFile(filepath.Join(dir, IndexFile))
	require.NoError(t, err)
	require.NoError(t, WriteIndex(dir, res, figs))
	again, err := os.ReadFile(filepath.Join(dir, IndexFile))
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again))
	page := string(first)
	for _, f := range figs {
		assert.Contains(t, page, `<img src="figures/`+f.Name+`.png"`)
		assert.Contains(t, page, `<a href="figures/`+f.Name+`.pdf"`)
	}
	// 2 points x 2 policies, averaged over 2 replications
	assert.Equal(t, 4, bytes.Count(first, []byte(`<td>2</td>`)))
	for _, bad := range []string{"http:", "https:", "<script", "//"} {
		assert.NotContains(t, page, bad)
	}
}

// A run's figures list its series in one order: the line kinds that draw
// solid lines first (cdf, timeseries) still list them as the metric
// figure does.
func TestLegendOrderAcrossKinds(t *testing.T) {
	res := fixture()
	text := func(f results.Figure) []string {
		fg, err := build(res, f)
		require.NoError(t, err, f.Name)
		var out []string
		for _, e := range fg.legend {
			out = append(out, e.text)
		}
		return out
	}
	kinds := everyKind()
	want := text(kinds[1]) // metric
	require.Equal(t, []string{"no cache", "SGS"}, want)
	assert.Equal(t, want, text(kinds[0]), "cdf")
	assert.Equal(t, want, text(kinds[4]), "timeseries")
}
