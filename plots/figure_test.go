package plots

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

// fixture is a results set as experiments writes it: two PB sizes, two
// replications, two policies, with quantiles, a catalog and time series.
func fixture() *results.Results {
	res := &results.Results{Keys: []string{"accel.pb_bytes"}}
	for point, pb := range []string{"1048576", "2097152"} {
		for rep := range 2 {
			for pi, pol := range []string{"none", "sgs"} {
				s := results.Summary{Experiment: "fixture", Policy: pol, Cache: pol, Select: "accuracy-first", Router: "jsq",
					Instances: 1, Seed: uint64(rep + 1), Queries: 1000, Completed: 1000}
				f := 1 - 0.1*float64(pi*(point+1)) + 0.01*float64(rep)
				s.LatencyMsMean, s.LatencyMsP50, s.LatencyMsP99 = 30*f, 25*f, 80*f
				s.AccuracyMeanServed = 77 + float64(pi)*0.5
				s.EnergyMACMJPerQuery, s.EnergySRAMMJPerQuery, s.EnergyDRAMMJPerQuery = 0.6, 1.2, 3*f
				s.EnergyStatMJPerQuery, s.ReloadEnergyMJPerQ = 14, 0.01*float64(pi)
				s.OffchipEnergyMJPerQ = 3 * f
				res.Rows = append(res.Rows, results.Row{Point: point, Replication: rep, Params: []string{pb}, Summary: s})
				for _, q := range results.LatencyQuantiles {
					res.Quantiles = append(res.Quantiles, results.QuantileRow{Point: point, Replication: rep, Policy: pol,
						Quantile: q, LatencyMs: (10 + 100*q*q) * f})
				}
				for w := range 10 {
					res.Windows = append(res.Windows, results.WindowRow{Point: point, Replication: rep, Policy: pol,
						Window: results.Window{TS: float64(w) * 5, Arrived: 100, Completed: 100, LatencyMsMean: 30*f + float64(w%3),
							PBHitFraction: 0.1 * float64(pi) * float64(w) / 10, ResidentBytes: float64(pi) * 1e6}})
				}
			}
		}
		for i := range 12 {
			lat := 5 + 3*float64(i)
			res.Catalog = append(res.Catalog, results.CatalogRow{Point: point, CatalogEntry: results.CatalogEntry{
				Name: "s" + strconv.Itoa(i), LatencyMs: lat, Accuracy: 74 + 6*float64(i%4)/4 + 0.2*float64(i/4), Pareto: i%4 == 3}})
		}
	}
	return res
}

func fig(kind, x, y string, filters ...results.Filter) results.Figure {
	return results.Figure{FigureConfig: results.FigureConfig{Name: kind, Kind: kind, X: x, Y: y, Series: "policy"}, Filters: filters}
}

// checkPNG opens a rendered PNG and checks its size (a paper column at
// 300 dpi) and that it is not blank: a fair share of its pixels are ink,
// and some are coloured (the series), not only black axes.
func checkPNG(t *testing.T, path string, wantW, wantH int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	assert.Equal(t, image.Rect(0, 0, wantW, wantH), b, path)
	ink, colour := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
			if max(r, g, bl)-min(r, g, bl) > 0x3000 {
				colour++
			}
		}
	}
	total := b.Dx() * b.Dy()
	assert.Greater(t, float64(ink)/float64(total), 0.01, "%s is (nearly) blank", path)
	assert.Greater(t, colour, 200, "%s has no coloured series", path)
}

// everyKind is one figure of each kind over the fixture, and a saving.
func everyKind() []results.Figure {
	figs := []results.Figure{
		fig(KindCDF, "", "", results.Filter{Column: "accel.pb_bytes", Values: []string{"2097152"}}),
		fig(KindMetric, "accel.pb_bytes", "latency_ms_p99"),
		fig(KindScatter, "", "", results.Filter{Column: "point", Values: []string{"1"}}),
		fig(KindEnergy, "", "", results.Filter{Column: "point", Values: []string{"0"}}),
		fig(KindTimeSeries, "", "latency_ms_mean", results.Filter{Column: "point", Values: []string{"0"}}),
		fig(KindPolicies, "", "", results.Filter{Column: "point", Values: []string{"0"}}),
	}
	saving := fig(KindMetric, "accel.pb_bytes", "latency_ms_mean")
	saving.Name, saving.Baseline, saving.Compare, saving.XScale = "saving", "none", results.CompareSaving, 1<<20
	panels := fig(KindMetric, "replication", "latency_ms_mean")
	panels.Name, panels.Panels = "panels", "accel.pb_bytes"
	logx := fig(KindCDF, "", "")
	logx.Name, logx.LogX = "logx", true
	return append(figs, saving, panels, logx)
}

func TestEveryKindRenders(t *testing.T) {
	res := fixture()
	dir := t.TempDir()
	if d := os.Getenv("SUSHISIM_KEEP_FIGURES"); d != "" {
		dir = d // to look at them
	}
	figs := everyKind()
	files, err := Render(res, figs, []string{"png", "svg", "pdf"}, dir)
	require.NoError(t, err)
	assert.Len(t, files, 3*len(figs)+1) // and index.html
	for _, f := range figs {
		fg, err := build(res, f)
		require.NoError(t, err)
		w, h := fg.size()
		// 300 dpi: a column is 3.33 in = 999 px, a page 7 in = 2100 px
		checkPNG(t, filepath.Join(dir, "figures", f.Name+".png"), int(w.Dots(pngDPI)+0.5), int(h.Dots(pngDPI)+0.5))
		for _, ext := range []string{"svg", "pdf"} {
			st, err := os.Stat(filepath.Join(dir, "figures", f.Name+"."+ext))
			require.NoError(t, err)
			assert.Greater(t, st.Size(), int64(1000))
		}
	}
	pol, err := build(res, figs[5])
	require.NoError(t, err)
	w, _ := pol.size()
	assert.InDelta(t, 2100, w.Dots(pngDPI), 0.5, "the policies figure spans a page")
	one, err := build(res, figs[1])
	require.NoError(t, err)
	w, _ = one.size()
	assert.InDelta(t, 999, w.Dots(pngDPI), 0.5, "one panel fills a column")
}

// The policies figure draws one point: rows of several are refused.
func TestPoliciesFigureRefusesSeveralPoints(t *testing.T) {
	err := Draw(fixture(), fig(KindPolicies, "", ""), filepath.Join(t.TempDir(), "p.png"))
	assert.ErrorContains(t, err, "several sweep points")
}

func TestCompare(t *testing.T) {
	assert.InDelta(t, 25.0, compare(results.CompareSaving, 75, 100), 1e-12)
	assert.InDelta(t, 10.0, compare(results.CompareGain, 110, 100), 1e-12)
	assert.InDelta(t, -3.0, compare(results.CompareDifference, 7, 10), 1e-12)
	assert.InDelta(t, 0.5, compare(results.CompareRatio, 5, 10), 1e-12)
}

func TestFigureErrors(t *testing.T) {
	res := fixture()
	dir := t.TempDir()
	// both PB sizes pooled at one x: refuses rather than average them
	f := fig(KindMetric, "replication", "latency_ms_p99")
	err := Draw(res, f, filepath.Join(dir, "x.png"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pools 2 sweep points")
	// ... and with the PB size as panels it draws
	f.Panels = "accel.pb_bytes"
	require.NoError(t, Draw(res, f, filepath.Join(dir, "x.png")))
	f = fig(KindMetric, "accel.pb_bytes", "latency_ms_p99", results.Filter{Column: "policy", Values: []string{"lru"}})
	err = Draw(res, f, filepath.Join(dir, "x.png"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no result rows")
	f = fig(KindMetric, "accel.pb_bytes", "latency_ms_p99")
	err = Draw(res, f, filepath.Join(dir, "x.gif"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), ".png, .svg, .pdf")
}

func TestASCII(t *testing.T) {
	assert.Equal(t, "p99 ? CI", ascii("p99 ± CI"))
}

// runSeries sends every run of the fixture to the series its row belongs to.
func TestRunSeries(t *testing.T) {
	res := fixture()
	all := make([]int, len(res.Rows))
	for i := range all {
		all[i] = i
	}
	series, of := runSeries(res, all, "policy")
	require.Len(t, series, 2)
	assert.Equal(t, "none", series[0].value)
	assert.Len(t, of, 8) // 2 points x 2 replications x 2 policies
	for k, s := range of {
		assert.Equal(t, map[string]int{"none": 0, "sgs": 1}[k.policy], s, "%+v", k)
	}
	series, of = runSeries(res, all, "accel.pb_bytes")
	require.Len(t, series, 2)
	for k, s := range of {
		assert.Equal(t, k.point, s, "%+v", k) // point 0 is 1 MiB, point 1 is 2 MiB
	}
}
