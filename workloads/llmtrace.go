package workloads

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
)

// The Azure LLM inference traces of 16 Nov 2023 (Azure Public Dataset,
// CC-BY-4.0; see traces/README.md for the attribution the license asks).
//
//go:embed traces/*.csv
var builtinFS embed.FS

// Built-in trace names for arrival.replay.builtin.
const (
	BuiltinAzureConv = "azure-llm-2023-conv"
	BuiltinAzureCode = "azure-llm-2023-code"
)

// builtinFiles maps each built-in name to its embedded file.
var builtinFiles = map[string]string{
	BuiltinAzureConv: "traces/AzureLLMInferenceTrace_conv.csv",
	BuiltinAzureCode: "traces/AzureLLMInferenceTrace_code.csv",
}

// Builtins lists the built-in trace names, sorted.
func Builtins() []string { return slices.Sorted(maps.Keys(builtinFiles)) }

// builtinCache parses each embedded trace once per process; the result is
// read-only, so concurrent runs share it without affecting determinism.
var builtinCache = map[string]func() (*llmTrace, error){}

func init() {
	for name, file := range builtinFiles {
		builtinCache[name] = sync.OnceValues(func() (*llmTrace, error) {
			b, err := builtinFS.ReadFile(file)
			if err != nil {
				return nil, err
			}
			return parseAzureLLM(bytes.NewReader(b), name+" ("+file+")")
		})
	}
}

// loadBuiltin returns the parsed built-in trace called name.
func loadBuiltin(name string) (*llmTrace, error) {
	f, ok := builtinCache[name]
	if !ok {
		return nil, fmt.Errorf("unknown built-in trace %q; known: %s", name, quoteList(Builtins()))
	}
	return f()
}

// llmTrace is one trace in the Azure LLM inference format, in memory and
// read-only once parsed: 16 bytes per request.
type llmTrace struct {
	name  string
	at    []int64 // ns since the first request: at[0] = 0, non-decreasing
	epoch int64   // the first request's timestamp, ns since 1970-01-01 00:00:00 of its (naive) clock
	ctx   []int32 // ContextTokens
	gen   []int32 // GeneratedTokens
}

// azureLLMHeader names the columns of the format, in order.
var azureLLMHeader = [3]string{"TIMESTAMP", "ContextTokens", "GeneratedTokens"}

// parseAzureLLM reads a trace: a header TIMESTAMP,ContextTokens,GeneratedTokens
// then one request per row, times non-decreasing. Errors name the file, the
// line and the byte column of the bad field.
func parseAzureLLM(r io.Reader, name string) (*llmTrace, error) {
	sc := newCSVScanner(r, name)
	ok, err := sc.scan()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s:1:1: empty file: want the header %s", name, quoteList(azureLLMHeader[:]))
	}
	if err := sc.fieldCount(len(azureLLMHeader)); err != nil {
		return nil, fmt.Errorf("%w (want the header %s)", err, quoteList(azureLLMHeader[:]))
	}
	if err := sc.headerStarts(azureLLMHeader[:]); err != nil {
		return nil, err
	}
	t := &llmTrace{name: name}
	prev := int64(math.MinInt64)
	for {
		ok, err := sc.scan()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := sc.fieldCount(len(azureLLMHeader)); err != nil {
			return nil, err
		}
		ns, err := parseAzureTime(sc.fields[0])
		if err != nil {
			return nil, sc.errorf(0, "TIMESTAMP %q: %v", sc.fields[0], err)
		}
		if ns < prev {
			return nil, sc.errorf(0, "TIMESTAMP %s is before the previous row's: times must not decrease", sc.fields[0])
		}
		if len(t.at) == 0 {
			t.epoch = ns
		}
		prev = ns
		t.at = append(t.at, ns-t.epoch)
		for k, dst := range []*[]int32{&t.ctx, &t.gen} {
			v, err := strconv.ParseInt(view(sc.fields[k+1]), 10, 32)
			if err != nil || v < 0 {
				return nil, sc.errorf(k+1, "%s %q: want a non-negative integer below 2^31", azureLLMHeader[k+1], sc.fields[k+1])
			}
			*dst = append(*dst, int32(v))
		}
	}
	if len(t.at) < 2 || t.span() == 0 {
		return nil, fmt.Errorf("%s:%d: a trace needs at least two rows with different times (it has %d rows, all at one time): its rate is undefined otherwise",
			name, sc.next, len(t.at))
	}
	return t, nil
}

// span is the time from the first request to the last, ns.
func (t *llmTrace) span() int64 { return t.at[len(t.at)-1] }

// meanGap is the trace's mean inter-arrival gap, span/(n-1), rounded to the
// nearest ns (half up): the gap a looped replay puts at the seam.
func (t *llmTrace) meanGap() int64 {
	n1 := int64(len(t.at) - 1)
	return (t.span() + n1/2) / n1
}

// period is one lap of a looped replay before scaling: the span plus the
// seam gap, so a lap holds n requests in n mean gaps.
func (t *llmTrace) period() int64 { return t.span() + t.meanGap() }

var errAzureTime = errors.New(`want a date-time "YYYY-MM-DD hh:mm:ss" with up to 9 decimals of seconds, e.g. "2023-11-16 18:15:46.6805900"`)

// parseAzureTime converts a naive date-time "YYYY-MM-DD hh:mm:ss[.f...]"
// (a 'T' may separate date and time) to integer ns since 1970-01-01
// 00:00:00 of the same clock, exactly: no float step, no time zone.
func parseAzureTime(b []byte) (int64, error) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return 0, errAzureTime
	}
	num := func(lo, hi int) int64 {
		v := int64(0)
		for _, c := range b[lo:hi] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int64(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, s := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	if min(y, mo, d, h, mi, s) < 0 {
		return 0, errAzureTime // a non-digit
	}
	if mo < 1 || mo > 12 || d < 1 || d > int64(daysIn(y, mo)) || h > 23 || mi > 59 || s > 59 {
		return 0, fmt.Errorf("%w (a field is out of range)", errAzureTime)
	}
	var frac int64
	if rest := b[19:]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return 0, errAzureTime
		}
		frac = num(20, len(b))
		if frac < 0 {
			return 0, errAzureTime
		}
		for range 10 - len(rest) {
			frac *= 10
		}
	}
	secs := daysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + s
	return secs*1e9 + frac, nil
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms"): exact integer arithmetic.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= -1 here: floor division equals truncation except y = -1, which has era 0 too
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysIn(y, m int64) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
