package workloads

import (
	"errors"
	"io"
	"math/rand/v2"
)

// Stream is the Source New returns. Besides Next it reports a read error of
// a lazily replayed trace (Err) and releases its file early (Close).
type Stream struct {
	proc    Arrivals
	needs   *needsModel // nil when the process sets the needs
	split   SplitConfig
	limitN  int64 // 0 = none; counts the whole stream, before the split
	limitT  int64 // ns; 0 = none
	n       int64 // queries of the whole stream so far
	done    bool
	closer  io.Closer // open trace file, nil otherwise
	errFn   func() error
	tenants []string
}

// New builds the query stream c describes. arrivals drives the arrival
// process (gaps, MMPP states, thinning, spreading trace counts in a minute);
// needs drives the need classes; the two never share draws, so changing one
// leaves the other's sequence intact. baseDir resolves relative trace paths.
// A trace file is checked completely here, so bad input is an error from
// New, with file, line and column, never a surprise mid-run.
func New(c Config, arrivals, needs *rand.Rand, baseDir string) (Source, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if arrivals == nil {
		return nil, errors.New("workloads.New: the arrivals random stream is nil")
	}
	s := &Stream{limitN: c.Queries, split: c.Split}
	if c.DurationS > 0 {
		s.limitT = secondsToNs(c.DurationS)
	}
	proc, err := c.buildArrivals(arrivals, baseDir)
	if err != nil {
		return nil, err
	}
	s.proc = proc
	if x, ok := proc.(io.Closer); ok {
		s.closer = x
	}
	if x, ok := proc.(interface{ Err() error }); ok {
		s.errFn = x.Err
	}
	if x, ok := proc.(interface{ Tenants() []string }); ok {
		s.tenants = x.Tenants()
	}
	if c.needsSource() == NeedsModel {
		if needs == nil {
			s.Close()
			return nil, errors.New("workloads.New: the needs random stream is nil")
		}
		s.needs = newNeedsModel(&c.Needs, needs)
	}
	return s, nil
}

// Next implements Source: the next query of the whole stream that the
// split keeps. It allocates nothing.
func (s *Stream) Next(q *Query) bool {
	for s.next(q) {
		if s.split.keeps(q) {
			return true
		}
	}
	return false
}

// next makes the next query of the whole stream.
func (s *Stream) next(q *Query) bool {
	if s.done {
		return false
	}
	if s.limitN > 0 && s.n >= s.limitN {
		return s.end()
	}
	*q = Query{Class: -1}
	if !s.proc.Next(q) {
		return s.end()
	}
	if s.limitT > 0 && q.Arrival >= s.limitT {
		return s.end()
	}
	q.ID = s.n
	s.n++
	if s.needs != nil {
		s.needs.assign(q)
	}
	return true
}

func (s *Stream) end() bool {
	s.done = true
	s.Close()
	return false
}

// Err is the error that ended a trace replay early (the file changed or
// could not be read after New checked it), or nil.
func (s *Stream) Err() error {
	if s.errFn == nil {
		return nil
	}
	return s.errFn()
}

// Close releases an open trace file; the stream then ends. It is safe to
// call more than once, and needless for streams that ran to the end.
func (s *Stream) Close() error {
	s.done = true
	if s.closer == nil {
		return nil
	}
	c := s.closer
	s.closer = nil
	return c.Close()
}

// Tenants names the tenant indices of a process that has names (an Azure
// Functions replay: Tenants()[i] is "HashOwner/HashApp/HashFunction" of
// tenant i); nil for other processes.
func (s *Stream) Tenants() []string { return s.tenants }

// compile-time check
var _ Source = (*Stream)(nil)
