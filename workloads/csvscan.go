package workloads

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unsafe"
)

// csvScanner reads a comma-separated file one record at a time without
// allocating in steady state: fields are slices of a reused line buffer.
// It keeps each field's line and byte column for error messages. Quoted
// fields ("a,b", "say ""hi""") are supported within one line; a quote that
// spans lines is an error. Blank lines carry no data and are passed over.
type csvScanner struct {
	r      *bufio.Reader
	name   string // file name in errors
	line   int    // 1-based line of the current record
	next   int    // line number of the next physical line
	buf    []byte
	fields [][]byte
	cols   []int // 1-based byte column where each field starts
}

func newCSVScanner(r io.Reader, name string) *csvScanner {
	return &csvScanner{r: bufio.NewReaderSize(r, 1<<16), name: name, next: 1}
}

// reset rewinds to a new reader (the same file after a seek).
func (s *csvScanner) reset(r io.Reader) {
	s.r.Reset(r)
	s.line, s.next = 0, 1
}

// scan reads the next non-blank record; false with a nil error at EOF.
func (s *csvScanner) scan() (bool, error) {
	for {
		s.buf = s.buf[:0]
		for {
			chunk, err := s.r.ReadSlice('\n')
			s.buf = append(s.buf, chunk...)
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(s.buf) == 0 {
					return false, nil
				}
				break
			}
			if err != nil {
				return false, fmt.Errorf("%s:%d: %w", s.name, s.next, err)
			}
			break
		}
		s.line = s.next
		s.next++
		s.buf = bytes.TrimRight(s.buf, "\r\n")
		if s.line == 1 {
			s.buf = bytes.TrimPrefix(s.buf, []byte("\xef\xbb\xbf")) // UTF-8 byte-order mark
		}
		if len(bytes.TrimSpace(s.buf)) == 0 {
			continue
		}
		return true, s.split()
	}
}

// split cuts s.buf into fields, unquoting quoted ones in place (the
// unquoted text is never longer than the quoted one).
func (s *csvScanner) split() error {
	s.fields, s.cols = s.fields[:0], s.cols[:0]
	b := s.buf
	i := 0
	for {
		start := i
		if i < len(b) && b[i] == '"' {
			w := i // write position
			i++
			for {
				if i >= len(b) {
					return fmt.Errorf("%s:%d:%d: quoted field has no closing quote on this line", s.name, s.line, start+1)
				}
				if b[i] == '"' {
					if i+1 < len(b) && b[i+1] == '"' {
						b[w] = '"'
						w++
						i += 2
						continue
					}
					i++
					break
				}
				b[w] = b[i]
				w++
				i++
			}
			if i < len(b) && b[i] != ',' {
				return fmt.Errorf("%s:%d:%d: unexpected %q after a closing quote (want a comma)", s.name, s.line, i+1, b[i])
			}
			s.fields = append(s.fields, b[start:w])
		} else {
			for i < len(b) && b[i] != ',' {
				i++
			}
			s.fields = append(s.fields, bytes.TrimSpace(b[start:i]))
		}
		s.cols = append(s.cols, start+1)
		if i >= len(b) {
			return nil
		}
		i++ // the comma
	}
}

// errorf makes an error at field f of the current record.
func (s *csvScanner) errorf(f int, format string, args ...any) error {
	col := 1
	if f >= 0 && f < len(s.cols) {
		col = s.cols[f]
	}
	return fmt.Errorf("%s:%d:%d: %s", s.name, s.line, col, fmt.Sprintf(format, args...))
}

// fieldCount checks the current record has n fields.
func (s *csvScanner) fieldCount(n int) error {
	if len(s.fields) != n {
		col := len(s.buf) + 1
		if len(s.fields) > n {
			col = s.cols[n]
		}
		return fmt.Errorf("%s:%d:%d: the row has %d fields, the header has %d", s.name, s.line, col, len(s.fields), n)
	}
	return nil
}

// headerStarts checks the current record's first columns are want, in
// order (a format's fixed header).
func (s *csvScanner) headerStarts(want []string) error {
	for i, w := range want {
		if string(s.fields[i]) != w {
			return s.errorf(i, "header column %d is %q, want %q", i+1, s.fields[i], w)
		}
	}
	return nil
}

// view is a zero-copy string of b for strconv, which does not keep it (its
// errors clone the text); the bytes are not modified while it is used.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

var errNotNumber = errors.New("not a number")

// parseFloat parses a finite float without allocating.
func parseFloat(b []byte) (float64, error) {
	x, err := strconv.ParseFloat(view(b), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errNotNumber
	}
	return x, nil
}

// parseTimeNs converts a decimal time in units of unitNs nanoseconds to an
// exact integer of ns, rounded half away from zero in the last digit. Plain
// decimals ("12", "-3.25", "1.000000001") are converted exactly, however
// large; exponent forms ("1e-3") go through float64.
func parseTimeNs(b []byte, unitNs int64) (int64, error) {
	i, neg := 0, false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var whole int64
	digits := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if whole > (math.MaxInt64-9)/10 {
			return 0, errors.New("out of range")
		}
		whole = whole*10 + int64(b[i]-'0')
		digits++
	}
	var frac int64 // fractional ns
	if i < len(b) && b[i] == '.' {
		i++
		scale := unitNs
		roundUp := false
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			d := int64(b[i] - '0')
			digits++
			if scale >= 10 {
				scale /= 10
				frac += d * scale
			} else if scale == 1 {
				roundUp = d >= 5 // first digit below 1 ns
				scale = 0
			}
		}
		if roundUp {
			frac++
		}
	}
	if i != len(b) || digits == 0 {
		x, err := parseFloat(b) // exponent notation, or not a number
		if err != nil {
			return 0, err
		}
		ns := math.Round(x * float64(unitNs))
		if !(math.Abs(ns) < math.MaxInt64) {
			return 0, errors.New("out of range")
		}
		return int64(ns), nil
	}
	if whole > (math.MaxInt64-frac)/unitNs {
		return 0, errors.New("out of range")
	}
	ns := whole*unitNs + frac
	if neg {
		ns = -ns
	}
	return ns, nil
}

// openRegular opens a trace file, refusing devices and FIFOs: /dev/zero
// would never end and a FIFO blocks forever (Stat first: opening a FIFO
// blocks too).
func openRegular(path string) (*os.File, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	return os.Open(path)
}
