package plots

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sushisim/sushisim/experiments/results"
)

// panelsLogY is a paneled metric figure on a log y axis, the case where
// gonum would lift the first panel's title above the others.
func panelsLogY() results.Figure {
	f := fig(KindMetric, "replication", "latency_ms_mean")
	f.Name, f.Panels, f.LogY = "panels_log", "accel.pb_bytes", true
	return f
}

// The panels' data areas share their top edge, nothing wastes room
// between that edge and the titles, and every title sits on one
// baseline above it.
func TestPanelTitlesOnOneLine(t *testing.T) {
	for _, f := range []results.Figure{panelsLogY(), everyKind()[7]} {
		fg, err := build(fixture(), f)
		require.NoError(t, err, f.Name)
		require.Len(t, fg.panels, 2)
		w, h := fg.size()
		area := fg.panelArea(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
		cs := fg.align(area)
		tops := []vg.Length{}
		for j, p := range fg.panels {
			assert.Empty(t, p.Title.Text, "%s: gonum would draw panel %d's title at its own canvas top", f.Name, j)
			tops = append(tops, p.DataCanvas(cs[j]).Max.Y)
		}
		assert.InDelta(t, float64(tops[0]), float64(tops[1]), 1e-6, f.Name)
		// and their x axes on one line: the canvases' bottoms agree
		assert.InDelta(t, float64(cs[0].Min.Y), float64(cs[1].Min.Y), 1e-6, f.Name)
		checkTicks(t, f.Name+" y", &fg.panels[0].Y, true)
		// above the data only the top tick label's upper half (about 3.5 pt at 7.5 pt)
		for j := range cs {
			assert.Less(t, float64(cs[j].Max.Y-tops[0]), 6.0, "%s: panel %d wastes room above its data", f.Name, j)
		}
		assert.Equal(t, []string{"(a) PB 1 MiB", "(b) PB 2 MiB"}, []string{fg.panelTitles[0][0], fg.panelTitles[1][0]})
	}
}

// A title or x label longer than a column wraps onto lines that each fit
// their room; nothing is clipped.
func TestLongTextWraps(t *testing.T) {
	f := fig(KindMetric, "accel.pb_bytes", "latency_ms_p99")
	f.Width = WidthColumn
	f.Title = "p99 latency of every policy on the smallest accelerator at the highest load we could run"
	f.XLabel = "persistent buffer (MiB); above 3 MiB a hypothetical device that no vendor sells today"
	fg, err := build(fixture(), f)
	require.NoError(t, err)
	require.Greater(t, len(fg.titleLines), 1)
	assert.Equal(t, f.Title, strings.Join(fg.titleLines, " "))
	for _, l := range fg.titleLines {
		assert.LessOrEqual(t, float64(fg.titleStyle().Width(l)), float64(columnSizes.width-2*margin), l)
	}
	p := fg.panels[0]
	lines := strings.Split(p.X.Label.Text, "\n")
	require.Greater(t, len(lines), 1)
	assert.Equal(t, f.XLabel, strings.Join(lines, " "))
	w, h := fg.size()
	dc := p.DataCanvas(fg.align(fg.panelArea(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}))[0])
	for _, l := range lines {
		assert.LessOrEqual(t, float64(p.X.Label.TextStyle.Width(l)), float64(dc.Max.X-dc.Min.X), l)
	}
	// and the taller figure still renders
	_, err = Render(fixture(), []results.Figure{f}, []string{"png", "svg", "pdf"}, t.TempDir())
	require.NoError(t, err)
}

// A word that cannot fit even alone is an error at render time that names
// the figure and says what to do.
func TestUnbreakableTextIsAnError(t *testing.T) {
	long := strings.Repeat("x", 80)
	for _, c := range []struct {
		set    func(*results.Figure)
		advice string
	}{
		{func(f *results.Figure) { f.Title = "a " + long }, `shorten it, or use width = "page"`},
		{func(f *results.Figure) { f.XLabel = long }, `shorten it, or use width = "page"`},
		{func(f *results.Figure) { f.YLabel = strings.Repeat("y ", 60) }, "shorten it, or set a larger height_in"},
	} {
		f := fig(KindMetric, "accel.pb_bytes", "latency_ms_p99")
		f.Name, f.Width = "too_long", WidthColumn
		c.set(&f)
		_, err := Render(fixture(), []results.Figure{f}, []string{"png"}, t.TempDir())
		require.Error(t, err)
		assert.Contains(t, err.Error(), `figure "too_long"`)
		assert.Contains(t, err.Error(), c.advice)
	}
}
