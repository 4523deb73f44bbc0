package plots

import (
	"io"

	"github.com/sushisim/sushisim/experiments"
)

// writeFile writes a rendered figure atomically (see
// experiments.WriteFileAtomic): a reader never sees half an image.
func writeFile(path string, w io.WriterTo) error { return experiments.WriteFileAtomic(path, w) }

// pngDPI renders PNGs for print: 3.5 in at 300 dpi is 1050 pixels.
const pngDPI = 300
