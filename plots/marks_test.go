package plots

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// Marks inside the x range become one vertical stroke each, at the x the
// axis maps them to (on a 100-point-wide data area over x in [0, 200], the
// mark at 50 sits a quarter of the way across); marks outside are skipped,
// and the axes keep their range.
func TestMarksDrawVerticalLinesInRange(t *testing.T) {
	p := plot.New()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 200, 0, 1
	m := marks{50, 250, -1}
	rec := &recorder.Canvas{}
	c := draw.Canvas{Canvas: rec, Rectangle: vg.Rectangle{Min: vg.Point{X: 0, Y: 0}, Max: vg.Point{X: 100, Y: 40}}}
	m.Plot(c, p)
	var strokes []recorder.Stroke
	for _, a := range rec.Actions {
		if s, ok := a.(*recorder.Stroke); ok {
			strokes = append(strokes, *s)
		}
	}
	if assert.Len(t, strokes, 1) {
		x0, y0, x1, y1 := ends(strokes[0].Path)
		assert.InDelta(t, 25.0, float64(x0), 1e-9)
		assert.Equal(t, x0, x1, "vertical")
		assert.Equal(t, []vg.Length{0, 40}, []vg.Length{y0, y1}, "across the data area")
	}
	assert.Equal(t, [4]float64{0, 200, 0, 1}, [4]float64{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max})
}

func ends(path vg.Path) (x0, y0, x1, y1 vg.Length) {
	first, last := path[0].Pos, path[len(path)-1].Pos
	return first.X, first.Y, last.X, last.Y
}
