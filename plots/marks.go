package plots

import (
	"errors"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sushisim/sushisim/experiments/results"
)

// marks draws a figure's marks_x: thin dashed vertical lines across the
// whole data area at the given x values (e.g. the start of each phase of
// a workload), in the units the x axis shows. It has no data range, so it
// never moves the axes; a mark outside the x range is not drawn.
type marks []float64

var markStyle = draw.LineStyle{Color: color.Gray{Y: 110}, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}

// Plot implements plot.Plotter.
func (m marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range m {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		px := trX(x)
		c.StrokeLine2(markStyle, px, c.Min.Y, px, c.Max.Y)
	}
}

// noMarks is the check of a kind whose x axis holds categories, not values.
func noMarks(f *results.Figure) error {
	if len(f.MarksX) > 0 {
		return errors.New("marks_x: this kind draws categories on x, which have no positions to mark; remove it")
	}
	return nil
}
