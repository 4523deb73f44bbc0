package workloads

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// azureMinutes is the number of per-minute count columns in one day file of
// the Azure Functions 2019 dataset (columns "1" … "1440").
const azureMinutes = 1440

const minuteNs = int64(60e9)

// azureFixed are the four leading columns of the invocation files.
var azureFixed = [4]string{"HashOwner", "HashApp", "HashFunction", "Trigger"}

// azureFn is one selected function and its replay state.
type azureFn struct {
	counts []int32 // invocations per minute of the window, as in the file
	name   string  // HashOwner/HashApp/HashFunction
	line   int     // file line, for deterministic tie-breaks
	volume int64   // sum of counts over the window

	minute int     // current minute within the window
	n      int64   // invocations placed in the current minute (after scaling)
	i      int64   // index of the next one
	pos    float64 // poisson spread: position in the minute of the last one, [0,1)
	carry  float64 // rate_scale error diffusion across minutes
	at     int64   // ns of the next invocation
}

// azureProcess merges the selected functions' invocations in time order
// with a binary heap keyed by (time, tenant): O(log k) per query.
type azureProcess struct {
	r       *rand.Rand
	fns     []azureFn
	heap    []int32
	scale   float64
	poisson bool
	names   []string
}

func newAzureProcess(c *AzureConfig, r *rand.Rand, baseDir string) (*azureProcess, error) {
	path := resolvePath(baseDir, c.Path)
	f, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("arrival.azure.path: %w", err)
	}
	defer f.Close()
	p := &azureProcess{r: r, scale: 1, poisson: c.Spread == SpreadPoisson}
	if c.RateScale > 0 {
		p.scale = c.RateScale
	}
	if err := p.load(c, newCSVScanner(f, path)); err != nil {
		return nil, err
	}
	for k := range p.fns {
		if p.fns[k].advance(p) {
			p.push(int32(k))
		}
	}
	if len(p.heap) == 0 {
		return nil, fmt.Errorf("arrival.azure: %s: the selected functions have no invocations in minutes [%d,%d) at rate_scale %v",
			path, c.StartMinute, c.StartMinute+len(p.fns[0].counts), p.scale)
	}
	return p, nil
}

// load reads the file, checking every cell, and keeps the selected
// functions: by hash in list order, or by window volume (largest first,
// ties by file order), only those with at least one invocation.
func (p *azureProcess) load(c *AzureConfig, sc *csvScanner) error {
	fail := func(err error) error { return fmt.Errorf("arrival.azure: %w", err) }
	ok, err := sc.scan()
	if err != nil {
		return fail(err)
	}
	if !ok {
		return fail(fmt.Errorf("%s:1:1: empty file: want the header HashOwner,HashApp,HashFunction,Trigger,1,...,%d", sc.name, azureMinutes))
	}
	if len(sc.fields) < len(azureFixed)+1 {
		return fail(sc.errorf(0, "the header has %d columns; want HashOwner,HashApp,HashFunction,Trigger,1,...,%d", len(sc.fields), azureMinutes))
	}
	if err := sc.headerStarts(azureFixed[:]); err != nil {
		return fail(err)
	}
	minutes := len(sc.fields) - len(azureFixed)
	for m := 1; m <= minutes; m++ {
		f := len(azureFixed) + m - 1
		if string(sc.fields[f]) != strconv.Itoa(m) {
			return fail(sc.errorf(f, "header column %d is %q, want the minute number %q", f+1, sc.fields[f], strconv.Itoa(m)))
		}
	}
	if c.StartMinute >= minutes {
		return fmt.Errorf("arrival.azure.start_minute: %d is past the file's %d minutes (%s)", c.StartMinute, minutes, sc.name)
	}
	lo, hi := c.StartMinute, minutes
	if c.Minutes > 0 {
		hi = c.StartMinute + c.Minutes
		if hi > minutes {
			return fmt.Errorf("arrival.azure.minutes: start_minute + minutes = %d is past the file's %d minutes (%s)", hi, minutes, sc.name)
		}
	}
	triggers := map[string]bool{}
	for _, t := range c.Triggers {
		triggers[t] = true
	}
	want := map[string]int{} // hash -> index in c.Functions
	for i, h := range c.Functions {
		want[h] = i
	}
	byHash := len(c.Functions) > 0
	found := make([][]azureFn, len(c.Functions))
	var kept []azureFn // candidates (top_k keeps at most k of them)
	var window []int32 // the current row's window, copied only if it is kept
	rows := 0
	for {
		ok, err := sc.scan()
		if err != nil {
			return fail(err)
		}
		if !ok {
			break
		}
		rows++
		if err := sc.fieldCount(len(azureFixed) + minutes); err != nil {
			return fail(err)
		}
		fn := azureFn{line: sc.line, minute: -1}
		window = window[:0]
		for m := 0; m < minutes; m++ {
			f := len(azureFixed) + m
			v, err := strconv.ParseInt(view(sc.fields[f]), 10, 32)
			if err != nil || v < 0 {
				return fail(sc.errorf(f, "minute %d count %q: want a non-negative integer below 2^31", m+1, sc.fields[f]))
			}
			if m >= lo && m < hi {
				fn.volume += v
				window = append(window, int32(v))
			}
		}
		if len(triggers) > 0 && !triggers[string(sc.fields[3])] {
			continue
		}
		fn.name = string(sc.fields[0]) + "/" + string(sc.fields[1]) + "/" + string(sc.fields[2])
		if byHash {
			if i, ok := want[string(sc.fields[2])]; ok {
				fn.counts = slices.Clone(window)
				found[i] = append(found[i], fn)
			}
			continue
		}
		if fn.volume == 0 {
			continue
		}
		fn.counts = slices.Clone(window)
		kept = append(kept, fn)
		if c.TopK > 0 && len(kept) > c.TopK {
			kept = dropSmallest(kept)
		}
	}
	if rows == 0 {
		return fail(fmt.Errorf("%s:%d: the file has a header but no function rows", sc.name, sc.next))
	}
	if byHash {
		var errs []error
		for i := range found {
			if len(found[i]) == 0 {
				errs = append(errs, fmt.Errorf("arrival.azure.functions[%d]: no row of %s has HashFunction %q%s", i, sc.name, c.Functions[i], triggerNote(c)))
			}
			kept = append(kept, found[i]...) // list order, then file order
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
	} else {
		if len(kept) == 0 {
			return fmt.Errorf("arrival.azure: %s: no function has invocations in minutes [%d,%d)%s", sc.name, lo, hi, triggerNote(c))
		}
		slices.SortFunc(kept, byVolume)
	}
	p.fns = kept
	for _, fn := range kept {
		p.names = append(p.names, fn.name)
	}
	return nil
}

func triggerNote(c *AzureConfig) string {
	if len(c.Triggers) == 0 {
		return ""
	}
	return fmt.Sprintf(" among triggers %s", quoteList(c.Triggers))
}

// byVolume orders functions by window volume, largest first, then by line.
func byVolume(a, b azureFn) int {
	if a.volume != b.volume {
		return cmp.Compare(b.volume, a.volume)
	}
	return cmp.Compare(a.line, b.line)
}

// dropSmallest removes the function that byVolume ranks last.
func dropSmallest(fs []azureFn) []azureFn {
	worst := 0
	for i := range fs {
		if byVolume(fs[i], fs[worst]) > 0 {
			worst = i
		}
	}
	return slices.Delete(fs, worst, worst+1)
}

// advance moves fn to its next invocation (fn.at); false when it has none
// left in the window. Scaled minute counts use error diffusion: the carried
// fraction makes the scaled total track rate_scale x the file's exactly (to
// within one invocation), with no random draws, and rate_scale = 1
// reproduces every count.
func (fn *azureFn) advance(p *azureProcess) bool {
	for fn.i >= fn.n { // the current minute is spent (minute starts at -1)
		fn.minute++
		if fn.minute >= len(fn.counts) {
			return false
		}
		x := float64(fn.counts[fn.minute])*p.scale + fn.carry
		fn.n = int64(math.Floor(x))
		fn.carry = x - float64(fn.n)
		fn.i, fn.pos = 0, 0
	}
	var u float64
	if p.poisson {
		// The smallest of the n-i positions still to place, uniform on
		// [pos,1): sequential order statistics, so the minute's n points
		// come out sorted without storing them (a Poisson process
		// conditioned on its count).
		left := float64(fn.n - fn.i)
		fn.pos += (1 - fn.pos) * -math.Expm1(-p.r.ExpFloat64()/left)
		u = fn.pos
	} else {
		u = (float64(fn.i) + 0.5) / float64(fn.n) // evenly spaced
	}
	off := min(int64(u*float64(minuteNs)), minuteNs-1)
	fn.at = int64(fn.minute)*minuteNs + off
	fn.i++
	return true
}

func (p *azureProcess) less(a, b int32) bool {
	fa, fb := &p.fns[a], &p.fns[b]
	return fa.at < fb.at || (fa.at == fb.at && a < b)
}

func (p *azureProcess) push(k int32) {
	p.heap = append(p.heap, k)
	p.up(len(p.heap) - 1)
}

func (p *azureProcess) up(i int) {
	h := p.heap
	for i > 0 {
		parent := (i - 1) / 2
		if !p.less(h[i], h[parent]) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (p *azureProcess) down(i int) {
	h := p.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && p.less(h[r], h[l]) {
			m = r
		}
		if !p.less(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (p *azureProcess) Next(q *Query) bool {
	if len(p.heap) == 0 {
		return false
	}
	k := p.heap[0]
	fn := &p.fns[k]
	q.Arrival, q.Tenant = fn.at, k
	if fn.advance(p) {
		p.down(0)
	} else {
		last := len(p.heap) - 1
		p.heap[0] = p.heap[last]
		p.heap = p.heap[:last]
		p.down(0)
	}
	return true
}

// Tenants names the tenant indices: "HashOwner/HashApp/HashFunction".
func (p *azureProcess) Tenants() []string { return p.names }
