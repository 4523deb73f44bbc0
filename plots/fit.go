package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A figure's text must fit its width: titles and x labels wrap onto more
// lines at their room; a word wider than its room, or a y label taller
// than its panel, is an error that says to shorten the text or use the
// page width. Panel titles are drawn by the figure, not by gonum: gonum
// draws each at its own canvas's top, and the canvases plot.Align lines
// up by their data areas have tops that differ (a log axis's overhanging
// top label lifts one), so the titles would not sit on one line.

// fit readies the figure for drawing: it wraps the figure title, takes
// the panel titles off the panels and wraps them, wraps the x labels and
// tells data ticks their axis's length. It runs once per figure.
func (f *figure) fit() error {
	if f.fitted {
		return nil
	}
	f.fitted = true
	w := f.width()
	var err error
	if f.titleLines, err = wrap(f.titleStyle(), f.title, w-2*margin, "title"); err != nil {
		return err
	}
	for _, e := range f.legend {
		if ew := f.entryWidth(e); ew > w-2*margin {
			return tooWide("legend entry", e.text, ew, w-2*margin)
		}
	}
	f.takeYLabel()
	f.panelTitles = make([][]string, len(f.panels))
	for j, p := range f.panels {
		f.panelTitles[j] = []string{p.Title.Text}
		p.Title.Text = ""
	}
	area := f.panelArea(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: f.panelsHeight()}}})
	for j, c := range f.align(area) {
		p := f.panels[j]
		dc := p.DataCanvas(c)
		dw, dh := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
		name := fmt.Sprintf("panel %d title", j+1)
		if f.panelTitles[j], err = wrap(p.Title.TextStyle, f.panelTitles[j][0], dw, name); err != nil {
			return err
		}
		lines, err := wrap(p.X.Label.TextStyle, p.X.Label.Text, dw, "x label")
		if err != nil {
			return err
		}
		p.X.Label.Text = strings.Join(lines, "\n")
		if p.Y.Label.Text != "" {
			if yl := p.Y.Label.TextStyle.Width(p.Y.Label.Text); yl > c.Max.Y-c.Min.Y {
				return tooTall(p.Y.Label.Text, yl, c.Max.Y-c.Min.Y)
			}
		}
		if j == 0 && f.yLabel != "" { // centred on the data area, it may not pass it
			if yl := f.yLabelStyle.Width(f.yLabel); yl > dh {
				return tooTall(f.yLabel, yl, dh)
			}
		}
		p.X.Tick.Marker = withLength(p.X.Tick.Marker, dw)
		p.Y.Tick.Marker = withLength(p.Y.Tick.Marker, dh)
	}
	return nil
}

// takeYLabel takes the first panel's y label off when no other panel has
// one (the panels share that axis), to be drawn by the figure: gonum
// sizes a log axis's label box around the arithmetic middle of its
// range, near the top, and that box would push every panel down by half
// the label's length.
func (f *figure) takeYLabel() {
	for _, p := range f.panels[1:] {
		if p.Y.Label.Text != "" {
			return
		}
	}
	p := f.panels[0]
	f.yLabel, f.yLabelStyle, f.yLabelPad = p.Y.Label.Text, p.Y.Label.TextStyle, p.Y.Label.Padding
	p.Y.Label.Text = ""
}

// yLabelRoom is the width the figure's own y label takes left of the
// panels.
func (f *figure) yLabelRoom() vg.Length {
	if f.yLabel == "" {
		return 0
	}
	return f.yLabelStyle.Height(f.yLabel) + f.yLabelStyle.FontExtents().Descent + f.yLabelPad
}

// drawYLabel writes the figure's y label rotated, centred on the first
// panel's data area, where gonum would put it.
func (f *figure) drawYLabel(c draw.Canvas, area draw.Canvas, first draw.Canvas) {
	if f.yLabel == "" {
		return
	}
	dc := f.panels[0].DataCanvas(first)
	sty := f.yLabelStyle
	sty.Rotation += math.Pi / 2
	// as gonum does: the rotated text's foot a descent short of the
	// label's room, which keeps a descent and the padding before the ticks
	x := area.Min.X - f.yLabelRoom() + f.yLabelStyle.Height(f.yLabel) - f.yLabelStyle.FontExtents().Descent
	c.FillText(sty, vg.Point{X: x, Y: (dc.Min.Y + dc.Max.Y) / 2}, f.yLabel)
}

// panelTitleHeight is the room above the panels for their titles: the
// most lines any panel's title has.
func (f *figure) panelTitleHeight() vg.Length {
	n := 0
	for _, t := range f.panelTitles {
		n = max(n, len(t))
	}
	if n == 0 {
		return 0
	}
	return vg.Length(n)*(lineHeight(f.panelTitleStyle())+lineGap) + lineGap
}

func (f *figure) panelTitleStyle() text.Style {
	s := f.panels[0].Title.TextStyle
	s.XAlign, s.YAlign = draw.XCenter, draw.YBottom
	return s
}

// align lines the panels up in area by their data areas: side by side,
// or one above the other when the figure is stacked.
func (f *figure) align(area draw.Canvas) []draw.Canvas {
	if f.stacked {
		grid := make([][]*plot.Plot, len(f.panels))
		for i, p := range f.panels {
			grid[i] = []*plot.Plot{p}
		}
		tiles := draw.Tiles{Rows: len(f.panels), Cols: 1, PadY: vg.Points(4), PadTop: vg.Points(2), PadRight: vg.Points(4)}
		var out []draw.Canvas
		for _, row := range plot.Align(grid, tiles, area) {
			out = append(out, row[0])
		}
		return out
	}
	tiles := draw.Tiles{Rows: 1, Cols: len(f.panels), PadX: vg.Points(10), PadTop: vg.Points(2), PadRight: vg.Points(4)}
	return plot.Align([][]*plot.Plot{f.panels}, tiles, area)[0]
}

// panelsHeight is the height of the panels: one row, or a stack of
// shorter panels.
func (f *figure) panelsHeight() vg.Length {
	if f.stacked {
		return vg.Length(len(f.panels)) * f.sz.panelHeight * 0.6
	}
	return f.sz.panelHeight
}

// drawPanelTitles writes each panel's title lines centred over its data
// area, the last line of every title on one baseline above the panels.
func (f *figure) drawPanelTitles(c draw.Canvas, canvases []draw.Canvas) {
	sty := f.panelTitleStyle()
	var top vg.Length
	for _, pc := range canvases {
		top = max(top, pc.Max.Y)
	}
	lh := lineHeight(sty) + lineGap
	for j, p := range f.panels {
		dc := p.DataCanvas(canvases[j])
		x := (dc.Min.X + dc.Max.X) / 2
		lines := f.panelTitles[j]
		for i, l := range lines {
			y := top + lineGap + vg.Length(len(lines)-1-i)*lh + sty.FontExtents().Descent
			c.FillText(sty, vg.Point{X: x, Y: y}, l)
		}
	}
}

// wrap breaks s into lines no wider than room, between words.
func wrap(sty text.Style, s string, room vg.Length, what string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if ww := sty.Width(word); ww > room {
			return nil, tooWide(what, s, ww, room)
		}
		try := strings.TrimSpace(line + " " + word)
		if line != "" && sty.Width(try) > room {
			lines = append(lines, line)
			try = word
		}
		line = try
	}
	return append(lines, line), nil
}

func tooWide(what, s string, w, room vg.Length) error {
	return fmt.Errorf("%s %q needs %.2f in where the figure has %.2f in: shorten it, or use width = %q",
		what, s, float64(w/vg.Inch), float64(room/vg.Inch), WidthPage)
}

// tooTall is tooWide for a y label, which runs along the panel's height.
func tooTall(s string, h, room vg.Length) error {
	return fmt.Errorf("y label %q needs %.2f in where the panel is %.2f in tall: shorten it, or set a larger height_in",
		s, float64(h/vg.Inch), float64(room/vg.Inch))
}
