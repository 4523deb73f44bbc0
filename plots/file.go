package plots

import (
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/sushisim/sushisim/internal/atomicfile"
)

// pngDPI renders PNGs for print: 3.5 in at 300 dpi is 1050 pixels.
const pngDPI = 300

// save renders a grid of plots into one file whose format follows the
// extension (.png, .svg, .pdf).
func save(path string, w, h vg.Length, grid [][]*plot.Plot) error {
	var canvas vg.CanvasSizer
	var file io.WriterTo // the canvas, encoded
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
		canvas, file = img, vgimg.PngCanvas{Canvas: img}
	case ".svg":
		s := vgsvg.New(w, h)
		canvas, file = s, s
	case ".pdf":
		p := vgpdf.New(w, h)
		canvas, file = p, p
	default:
		return fmt.Errorf("plots: %s: unknown figure format %q (allowed: .png, .svg, .pdf)", path, filepath.Ext(path))
	}
	dc := draw.New(canvas)
	rows, cols := len(grid), len(grid[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(12), PadY: vg.Points(8),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(grid, tiles, dc)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	// atomically: a reader never sees half an image
	return atomicfile.Write(path, file)
}
