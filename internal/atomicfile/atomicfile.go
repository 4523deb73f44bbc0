package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Create makes the directory of path and a hidden temporary file in it, to
// be renamed onto path by Publish once complete (or removed on failure).
func Create(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
}

// Publish gives a finished, closed temporary file the usual permissions
// (CreateTemp makes it private; results are shared) and renames it onto
// path. The temporary file is removed if that fails.
func Publish(tmp, path string) error {
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Write writes what w writes to path atomically.
func Write(path string, w io.WriterTo) error {
	tmp, err := Create(path)
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
	return Publish(tmp.Name(), path)
}

// WriterFunc adapts a function that writes to an io.Writer (an encoder, a
// CSV writer) to io.WriterTo, for Write.
type WriterFunc func(w io.Writer) error

// WriteTo implements io.WriterTo; the byte count is not tracked.
func (f WriterFunc) WriteTo(w io.Writer) (int64, error) { return 0, f(w) }
