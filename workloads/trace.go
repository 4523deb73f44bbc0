package workloads

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// traceProcess replays a CSV trace row by row. New reads the whole file
// once to check every cell (so errors come early, with file, line and
// column), then rewinds it and replays lazily: memory does not depend on the
// number of rows.
type traceProcess struct {
	f       *os.File
	sc      *csvScanner
	unitNs  int64
	base    int64   // subtracted from every time (the first time when rebase is set)
	scale   float64 // rate_scale, 1 = exact integer replay
	col     traceCols
	prev    int64 // last raw time, for the monotonicity check
	rows    int64 // data rows replayed
	err     error
	checked int64 // data rows found by the check pass
}

// traceCols are field indices in the header, -1 when absent.
type traceCols struct {
	time, acc, slo, tenant, n int
}

func resolvePath(baseDir, p string) string {
	if filepath.IsAbs(p) || baseDir == "" {
		return p
	}
	return filepath.Join(baseDir, p)
}

func newTraceProcess(c *TraceConfig, baseDir string) (*traceProcess, error) {
	path := resolvePath(baseDir, c.Path)
	f, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("arrival.trace.path: %w", err)
	}
	p := &traceProcess{f: f, sc: newCSVScanner(f, path), unitNs: 1e9, scale: 1, prev: math.MinInt64}
	if u, ok := timeUnits[c.TimeUnit]; ok {
		p.unitNs = u
	}
	if c.RateScale > 0 {
		p.scale = c.RateScale
	}
	fail := func(err error) (*traceProcess, error) {
		f.Close()
		return nil, fmt.Errorf("arrival.trace: %w", err)
	}
	if err := p.header(c); err != nil {
		return fail(err)
	}
	var q Query
	first := true
	for {
		ok, err := p.row(&q)
		if err != nil {
			return fail(err)
		}
		if !ok {
			break
		}
		if first && c.Rebase {
			p.base = p.prev
		}
		if first && !c.Rebase && p.prev < 0 { // times are monotone: the first is the smallest
			return fail(p.sc.errorf(p.col.time, "column %q: negative time %s; set rebase = true to start the replay at the first row",
				c.TimeColumn, p.sc.fields[p.col.time]))
		}
		first = false
		p.checked++
	}
	if p.checked == 0 {
		return fail(fmt.Errorf("%s:%d: the file has a header but no data rows", path, p.sc.next))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail(fmt.Errorf("%s: %w", path, err))
	}
	p.sc.reset(f)
	p.prev, p.rows = math.MinInt64, 0
	if _, err := p.sc.scan(); err != nil { // the header again
		return fail(err)
	}
	return p, nil
}

// header finds the configured columns in the first record.
func (p *traceProcess) header(c *TraceConfig) error {
	ok, err := p.sc.scan()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s:1:1: empty file: want a header row naming column %q", p.sc.name, c.TimeColumn)
	}
	p.col = traceCols{time: -1, acc: -1, slo: -1, tenant: -1, n: len(p.sc.fields)}
	find := func(name, key string) (int, error) {
		if name == "" {
			return -1, nil
		}
		for i, f := range p.sc.fields {
			if string(f) == name {
				return i, nil
			}
		}
		return -1, fmt.Errorf("%s:%d:1: no column %q (arrival.trace.%s) in the header; columns are %s",
			p.sc.name, p.sc.line, name, key, quoteList(p.sc.fields))
	}
	var errs []error
	for _, x := range []struct {
		dst       *int
		name, key string
	}{{&p.col.time, c.TimeColumn, "time_column"}, {&p.col.acc, c.AccuracyColumn, "accuracy_column"},
		{&p.col.slo, c.SLOColumn, "slo_ms_column"}, {&p.col.tenant, c.TenantColumn, "tenant_column"}} {
		i, err := find(x.name, x.key)
		*x.dst = i
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// row parses the next data row into q; false at the end of the file.
func (p *traceProcess) row(q *Query) (bool, error) {
	ok, err := p.sc.scan()
	if err != nil || !ok {
		return false, err
	}
	sc := p.sc
	if err := sc.fieldCount(p.col.n); err != nil {
		return false, err
	}
	t, err := parseTimeNs(sc.fields[p.col.time], p.unitNs)
	if err != nil {
		return false, sc.errorf(p.col.time, "time %q: %v", sc.fields[p.col.time], err)
	}
	if t < p.prev {
		return false, sc.errorf(p.col.time, "time %s is before the previous row's: trace times must not decrease", sc.fields[p.col.time])
	}
	p.prev = t
	if d := t - p.base; p.scale == 1 {
		q.Arrival = d
	} else {
		q.Arrival = int64(math.Round(float64(d) / p.scale))
	}
	if p.col.acc >= 0 {
		a, err := parseFloat(sc.fields[p.col.acc])
		if err != nil || a < 0 || a > 100 {
			return false, sc.errorf(p.col.acc, "accuracy %q: want a top-1 percentage in [0,100]", sc.fields[p.col.acc])
		}
		ms, err := parseFloat(sc.fields[p.col.slo])
		if err != nil || ms <= 0 || ms > 1e12 {
			return false, sc.errorf(p.col.slo, "SLO %q: want a latency in ms, > 0", sc.fields[p.col.slo])
		}
		q.MinAccuracy, q.SLO, q.Class = a, int64(math.Round(ms*1e6)), -1
	}
	if p.col.tenant >= 0 {
		v, err := strconv.ParseInt(view(sc.fields[p.col.tenant]), 10, 32)
		if err != nil || v < 0 {
			return false, sc.errorf(p.col.tenant, "tenant %q: want an integer in [0,%d]", sc.fields[p.col.tenant], math.MaxInt32)
		}
		q.Tenant = int32(v)
	}
	return true, nil
}

func (p *traceProcess) Next(q *Query) bool {
	if p.err != nil || p.f == nil {
		return false
	}
	ok, err := p.row(q)
	if err != nil {
		p.err = fmt.Errorf("arrival.trace: the file changed after it was checked: %w", err)
		return false
	}
	if !ok {
		if p.rows != p.checked {
			p.err = fmt.Errorf("arrival.trace: %s changed after it was checked: %d rows, then %d", p.sc.name, p.checked, p.rows)
		}
		return false
	}
	p.rows++
	return true
}

// Close releases the file.
func (p *traceProcess) Close() error {
	if p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}

// Err reports a replay that stopped on a read error.
func (p *traceProcess) Err() error { return p.err }
