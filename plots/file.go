package plots

import (
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/sushisim/sushisim/internal/atomicfile"
)

// pngDPI renders PNGs for print: 3.33 in at 300 dpi is 1000 pixels.
const pngDPI = 300

// pdfEpoch is the creation and modification date written into every PDF:
// fpdf would write the time of the run, and a figure must be a pure
// function of the results.
var pdfEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

var pdfOnce sync.Once

// deterministicPDF fixes fpdf's dates and sorts its resource catalogs
// (fonts, images) so a PDF's bytes depend only on what it draws. vgpdf
// creates its fpdf document internally, so the package defaults are the
// only handle.
func deterministicPDF() {
	pdfOnce.Do(func() {
		fpdf.SetDefaultCreationDate(pdfEpoch)
		fpdf.SetDefaultModificationDate(pdfEpoch)
		fpdf.SetDefaultCatalogSort(true)
	})
}

// save renders a figure into one file whose format follows the extension
// (.png, .svg, .pdf).
func save(path string, fig *figure) error {
	w, h := fig.size()
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
		deterministicPDF()
		p := vgpdf.New(w, h)
		canvas, file = p, p
	default:
		return fmt.Errorf("plots: %s: unknown figure format %q (allowed: .png, .svg, .pdf)", path, filepath.Ext(path))
	}
	fig.draw(draw.New(canvas))
	// atomically: a reader never sees half an image
	return atomicfile.Write(path, file)
}
