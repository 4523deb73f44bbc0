package plots

import (
	"io"
	"os"
	"path/filepath"
)

// writeFile writes a rendered figure, creating its directory, via a
// temporary file and a rename so a reader never sees half an image.
func writeFile(path string, w io.WriterTo) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	// CreateTemp makes the file private; figures are for sharing
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// pngDPI renders PNGs for print: 3.5 in at 300 dpi is 1050 pixels.
const pngDPI = 300
