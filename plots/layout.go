package plots

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// figure is one figure file: a title, one legend shared by all panels
// (entries in drawing order), panels (a), (b), ... side by side, and a
// caption line under them.
type figure struct {
	title       string
	panels      []*plot.Plot
	legend      []legendEntry
	legendRight bool // a column right of the panels, top entry first (stacks)
	stacked     bool // panels one above the other, sharing the time axis (a day's series)
	caption     string
	sz          sizes
	w, h        vg.Length // overrides (width_in, height_in) when > 0

	// set by fit: the title's lines, each panel's title lines
	fitted      bool
	titleLines  []string
	panelTitles [][]string
	yLabel      string // the first panel's, drawn by the figure
	yLabelStyle text.Style
	yLabelPad   vg.Length
}

type legendEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// Spacing of the layout, in points.
const (
	margin   = 3  // around the figure
	thumbW   = 16 // legend swatch
	entryGap = 10 // between legend entries on a row
	lineGap  = 2  // between text lines
)

func (f *figure) width() vg.Length {
	if f.w > 0 {
		return f.w
	}
	return f.sz.width
}

// size is the figure's width and height: the panels' height plus what the
// title, legend and caption lines need.
func (f *figure) size() (vg.Length, vg.Length) {
	w := f.width()
	if f.h > 0 {
		return w, f.h
	}
	h := f.panelsHeight() + 2*margin
	h += vg.Length(len(f.titleLines)) * (lineHeight(f.titleStyle()) + lineGap)
	if !f.legendRight {
		h += vg.Length(len(f.legendRows(w))) * (lineHeight(f.legendStyle()) + lineGap)
	}
	h += vg.Length(len(f.captionLines(w))) * (lineHeight(f.captionStyle()) + lineGap)
	return w, h
}

func (f *figure) titleStyle() text.Style {
	s := textStyle(f.sz.title)
	s.XAlign, s.YAlign = draw.XCenter, draw.YTop
	return s
}

func (f *figure) legendStyle() text.Style { return textStyle(f.sz.legend) }

func (f *figure) captionStyle() text.Style {
	s := textStyle(f.sz.cap)
	s.Color = color.Gray{Y: 60}
	s.YAlign = draw.YTop
	return s
}

func lineHeight(s text.Style) vg.Length {
	e := s.FontExtents()
	return e.Ascent + e.Descent
}

func (f *figure) entryWidth(e legendEntry) vg.Length {
	return thumbW + 3 + f.legendStyle().Width(e.text)
}

// legendRows packs the legend entries into centred rows of width w, in
// order.
func (f *figure) legendRows(w vg.Length) [][]legendEntry {
	var rows [][]legendEntry
	var used vg.Length
	avail := w - 2*margin
	for _, e := range f.legend {
		ew := f.entryWidth(e)
		if len(rows) == 0 || used+entryGap+ew > avail {
			rows = append(rows, nil)
			used = -entryGap
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		used += entryGap + ew
	}
	return rows
}

// captionLines wraps the caption at the figure's width.
func (f *figure) captionLines(w vg.Length) []string {
	if f.caption == "" {
		return nil
	}
	sty := f.captionStyle()
	var lines []string
	line := ""
	for _, word := range strings.Fields(f.caption) {
		try := strings.TrimSpace(line + " " + word)
		if line != "" && sty.Width(try) > w-2*margin {
			lines = append(lines, line)
			try = word
		}
		line = try
	}
	return append(lines, line)
}

// draw lays the figure out on c: title, legend, panels, caption, top to
// bottom.
func (f *figure) draw(c draw.Canvas) {
	w := c.Max.X - c.Min.X
	top := c.Max.Y - margin
	for _, l := range f.titleLines {
		c.FillText(f.titleStyle(), vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, l)
		top -= lineHeight(f.titleStyle()) + lineGap
	}
	lsty := f.legendStyle()
	lh := lineHeight(lsty)
	if !f.legendRight {
		for _, row := range f.legendRows(w) {
			var rw vg.Length = -entryGap
			for _, e := range row {
				rw += entryGap + f.entryWidth(e)
			}
			x := (c.Min.X+c.Max.X)/2 - rw/2
			for _, e := range row {
				f.drawEntry(&c, e, x, top-lh)
				x += f.entryWidth(e) + entryGap
			}
			top -= lh + lineGap
		}
	}
	bottom := c.Min.Y + margin
	csty := f.captionStyle()
	lines := f.captionLines(w)
	ch := lineHeight(csty)
	for i, l := range lines {
		y := bottom + vg.Length(len(lines)-i)*(ch+lineGap)
		c.FillText(csty, vg.Point{X: c.Min.X + margin, Y: y}, l)
	}
	bottom += vg.Length(len(lines)) * (ch + lineGap)
	area := f.panelArea(draw.Crop(c, 0, 0, bottom-c.Min.Y, top-c.Max.Y))
	if f.legendRight {
		y := (top+bottom)/2 + vg.Length(len(f.legend))*(lh+lineGap)/2
		for _, e := range f.legend {
			y -= lh + lineGap
			f.drawEntry(&c, e, area.Max.X+entryGap, y)
		}
	}
	area.Max.Y -= f.panelTitleHeight()
	canvases := f.align(area)
	for j, p := range f.panels {
		p.Draw(canvases[j])
	}
	f.drawPanelTitles(c, canvases)
	f.drawYLabel(c, area, canvases[0])
}

// panelArea is the part of c the panels take: all but the side margins
// and a right legend's column.
func (f *figure) panelArea(c draw.Canvas) draw.Canvas {
	var right vg.Length = margin
	if f.legendRight {
		var lw vg.Length
		for _, e := range f.legend {
			lw = max(lw, f.entryWidth(e))
		}
		right += lw + entryGap
	}
	return draw.Crop(c, margin+f.yLabelRoom(), -right, 0, 0)
}

// drawEntry draws one legend entry with its swatch's bottom-left at (x, y).
func (f *figure) drawEntry(c *draw.Canvas, e legendEntry, x, y vg.Length) {
	sty := f.legendStyle()
	lh := lineHeight(sty)
	icon := &draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + thumbW, Y: y + lh}}}
	for _, t := range e.thumbs {
		t.Thumbnail(icon)
	}
	c.FillText(sty, vg.Point{X: x + thumbW + 3, Y: y + sty.FontExtents().Descent}, e.text)
}

// newPlot is one panel in the figure style, with grid lines under the
// data. Only fonts and line widths change: gonum's alignments (and the y
// label's rotation) stay.
func newPlot(sz sizes) *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sans, sz.label)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, sz.label)
		a.Tick.Label.Font = font.From(sans, sz.tick)
		a.Padding = vg.Points(2)
		a.LineStyle.Width = vg.Points(0.6)
		a.Tick.LineStyle.Width = vg.Points(0.5)
		a.Tick.Length = vg.Points(3)
	}
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = color.Gray{Y: 228}, color.Gray{Y: 228}
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.4), vg.Points(0.4)
	p.Add(g)
	return p
}

// markerRadius is the radius of a line plot's point markers.
const markerRadius = vg.Length(2.2)

// edgeRoom reserves a marker's radius inside every edge of a panel's data
// area. gonum pads a data area only where a marker overhangs its edge and
// draws the x axis at the canvas's bottom, not the data's, so without it
// plot.Align would line up the data areas of panels with and without a
// point on an edge but leave their x axes at different heights.
type edgeRoom struct{ r vg.Length }

func (edgeRoom) Plot(draw.Canvas, *plot.Plot) {}

func (e edgeRoom) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	box := vg.Rectangle{Min: vg.Point{X: -e.r, Y: -e.r}, Max: vg.Point{X: e.r, Y: e.r}}
	return []plot.GlyphBox{{X: 0, Y: 0, Rectangle: box}, {X: 1, Y: 1, Rectangle: box}}
}
