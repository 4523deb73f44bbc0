package plots

import (
	"cmp"
	"hash/fnv"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The one style of every figure: sans-serif text sized for print at the
// figure's width, and a fixed look per series name.

// Figure widths: one column or the full text width of a two-column paper
// (ACM and IEEE columns are 3.33 in, the text 7 in).
const (
	WidthColumn = "column"
	WidthPage   = "page"
)

// sizes are the dimensions and font sizes of one figure width. Fonts are
// chosen to print at 7 to 9 pt at the figure's width (paper captions are
// 8-9 pt), so a figure is not scaled when it is placed.
type sizes struct {
	width, panelHeight              vg.Length
	title, label, tick, legend, cap vg.Length
}

var (
	columnSizes = sizes{width: 3.33 * vg.Inch, panelHeight: 2.1 * vg.Inch,
		title: 8.5, label: 8, tick: 7, legend: 7, cap: 6.5}
	pageSizes = sizes{width: 7 * vg.Inch, panelHeight: 2.3 * vg.Inch,
		title: 9, label: 8.5, tick: 7.5, legend: 8, cap: 7}
)

// sizesFor picks the sizes of a figure: page width for several panels
// unless the figure asks for a column.
func sizesFor(width string, panels int) sizes {
	switch {
	case width == WidthPage:
		return pageSizes
	case width == WidthColumn:
		return columnSizes
	case panels > 1:
		return pageSizes
	}
	return columnSizes
}

// sans is the typeface of all text: Liberation Sans, metric-compatible
// with Arial/Helvetica and shipped inside gonum, so figures look the same
// on every machine.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(sans, size), Handler: plot.DefaultTextHandler,
		XAlign: draw.XLeft, YAlign: draw.YBottom}
}

// The Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2008):
// distinguishable under the common colour-vision deficiencies. Its yellow
// (#F0E442) is left out: too faint for a line on white.
var (
	black        = color.RGBA{0x00, 0x00, 0x00, 0xff}
	orange       = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	skyBlue      = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	bluishGreen  = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	blue         = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	vermillion   = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	reddishPurpl = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	lightGrey    = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	darkGrey     = color.RGBA{0x66, 0x66, 0x66, 0xff} // the no-cache baseline: present, not loud

	palette = []color.RGBA{blue, vermillion, bluishGreen, orange, skyBlue, reddishPurpl, black}
	glyphs  = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{},
		draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.BoxGlyph{}, draw.RingGlyph{}}
)

// look is how one series is drawn, in every figure.
type look struct {
	color  color.RGBA
	glyph  draw.GlyphDrawer
	dashes []vg.Length
}

var (
	dashed   = []vg.Length{vg.Points(3), vg.Points(2)}
	dotted   = []vg.Length{vg.Points(1), vg.Points(1.5)}
	longDash = []vg.Length{vg.Points(6), vg.Points(2)}
	dashDot  = []vg.Length{vg.Points(4), vg.Points(1.5), vg.Points(1), vg.Points(1.5)}
	dashes   = [][]vg.Length{nil, dashed, longDash, dashDot, dotted}
)

// looks fixes the look of every named policy, router, SuperNet and preset
// so a name keeps its colour, marker and dash across figures and runs.
// Dashes tell lines apart where they coincide (a later line would hide an
// earlier one) and in grey print. No cache is the grey dashed baseline;
// the oracle, a bound, is dotted; SGS and the affinity router are solid.
var looks = map[string]look{
	// caches, and the paper's cache-blind SGS variant
	"none":      {darkGrey, draw.CircleGlyph{}, dashed},
	"static":    {bluishGreen, draw.SquareGlyph{}, longDash},
	"lru":       {skyBlue, draw.TriangleGlyph{}, dashDot},
	"sgs":       {vermillion, draw.PyramidGlyph{}, nil},
	"sgs-blind": {blue, draw.BoxGlyph{}, longDash},
	"oracle":    {reddishPurpl, draw.CrossGlyph{}, dotted},
	// the paper set's other policies: LRU filling on use, SGS deciding from
	// the next window (clairvoyant), static chosen from an earlier pass, and
	// one fixed reference SubNet each (fixed-ref5 the largest)
	"lru-wa":       {blue, draw.CircleGlyph{}, nil},
	"lookahead":    {reddishPurpl, draw.PlusGlyph{}, nil},
	"static-early": {bluishGreen, draw.RingGlyph{}, dotted},
	"fixed-ref0":   {black, draw.BoxGlyph{}, dashed},
	"fixed-ref1":   {skyBlue, draw.RingGlyph{}, dashed},
	"fixed-ref2":   {orange, draw.PyramidGlyph{}, dashDot},
	"fixed-ref3":   {bluishGreen, draw.CrossGlyph{}, dashed},
	"fixed-ref4":   {reddishPurpl, draw.PlusGlyph{}, dashed},
	"fixed-ref5":   {blue, draw.CircleGlyph{}, nil},
	// routers
	"jsq":          {blue, draw.SquareGlyph{}, longDash},
	"power-of-two": {bluishGreen, draw.TriangleGlyph{}, dashed},
	"affinity":     {vermillion, draw.CircleGlyph{}, nil},
	"round-robin":  {orange, draw.PlusGlyph{}, dashDot},
	"random":       {skyBlue, draw.CrossGlyph{}, dotted},
	"least-work":   {reddishPurpl, draw.RingGlyph{}, dashed},
	// SuperNets
	"ofa-resnet50":  {blue, draw.CircleGlyph{}, nil},
	"ofa-mbv3-w1.0": {bluishGreen, draw.SquareGlyph{}, dashed},
	"ofa-mbv3-w1.2": {orange, draw.TriangleGlyph{}, dashDot},
	// hardware presets
	"zcu104": {blue, draw.CircleGlyph{}, nil},
	"u50":    {vermillion, draw.SquareGlyph{}, dashed},
}

// looksFor gives each series value of one figure its look: the fixed one
// for a known name; for any other value, a palette colour and marker
// chosen by a hash of the value (stable across figures and runs), moved
// on to the next free colour when another series of this figure has it.
func looksFor(values []string) []look {
	out := make([]look, len(values))
	var taken []color.RGBA
	var unknown []int
	for i, v := range values {
		l, ok := looks[v]
		if !ok || slices.Contains(taken, l.color) {
			unknown = append(unknown, i)
			continue
		}
		out[i] = l
		taken = append(taken, l.color)
	}
	for _, i := range unknown {
		h := fnv.New32a()
		h.Write([]byte(values[i]))
		start := int(h.Sum32() % uint32(len(palette)))
		k := start
		for n := 0; n < len(palette) && slices.Contains(taken, palette[k]); n++ {
			k = (k + 1) % len(palette)
		}
		c := palette[k]
		taken = append(taken, c)
		out[i] = look{color: c, glyph: glyphs[k%len(glyphs)], dashes: dashes[k%len(dashes)]}
	}
	return out
}

// solidFirst is the drawing order of line-only series: solid lines first,
// so a patterned line drawn over one it coincides with leaves both
// visible (a solid line drawn last would hide it).
func solidFirst(ls []look) []int {
	order := make([]int, len(ls))
	for i := range order {
		order[i] = i
	}
	patterned := func(i int) int { return min(1, len(ls[i].dashes)) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(patterned(a), patterned(b)) })
	return order
}

// seriesLegend lists the drawn series' entries in series order, the order
// of the run's other figures, whatever order solidFirst drew them in.
func seriesLegend(entries []*legendEntry) []legendEntry {
	var out []legendEntry
	for _, e := range entries {
		if e != nil {
			out = append(out, *e)
		}
	}
	return out
}
