package workloads

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func traceConfig(tc TraceConfig) Config {
	return Config{Arrival: ArrivalConfig{Process: ProcessTrace, Trace: tc}}
}

// The sample's rows come back one query each, with the time converted
// exactly: checked against an independent float parse of the same cells.
func TestTraceReplaysSample(t *testing.T) {
	raw, err := os.ReadFile("testdata/trace_sample.csv")
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(string(raw)), "\n")[1:]
	c := traceConfig(TraceConfig{Path: "trace_sample.csv", TimeColumn: "timestamp_ms", TimeUnit: "ms",
		AccuracyColumn: "min_accuracy", SLOColumn: "slo_ms", TenantColumn: "tenant"})
	s := mustNew(t, c, 1, 1)
	var q Query
	for i, row := range rows {
		require.True(t, s.Next(&q), "row %d", i)
		f := strings.Split(row, ",")
		ms, _ := strconv.ParseFloat(f[0], 64)
		acc, _ := strconv.ParseFloat(f[2], 64)
		slo, _ := strconv.ParseFloat(f[3], 64)
		ten, _ := strconv.Atoi(f[1])
		assert.Equal(t, Query{ID: int64(i), Arrival: int64(math.Round(ms * 1e6)), MinAccuracy: acc,
			SLO: int64(slo * 1e6), Class: -1, Tenant: int32(ten)}, q)
	}
	assert.False(t, s.Next(&q))
	assert.NoError(t, s.Err())
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	return dir
}

func arrivals(t *testing.T, c Config, dir string) []int64 {
	t.Helper()
	s, err := New(c, rng(1), rng(2), dir)
	require.NoError(t, err)
	var out []int64
	var q Query
	for s.Next(&q) {
		out = append(out, q.Arrival)
	}
	return out
}

func TestTraceRebaseScaleAndClasses(t *testing.T) {
	dir := writeFile(t, "t.csv", "\ufeffid,ts\r\n1,100.5\r\n\r\n2,101.5\r\n3,103\r\n3,\"103.000000001\"\r\n")
	c := traceConfig(TraceConfig{Path: "t.csv", TimeColumn: "ts", Rebase: true})
	c.Needs = NeedsConfig{Class: threeClasses(0, 1, 0)}
	assert.Equal(t, []int64{0, 1e9, 2.5e9, 2.5e9 + 1}, arrivals(t, c, dir), "BOM, CRLF, a blank line and a quoted cell")
	c.Arrival.Trace.RateScale = 2
	assert.Equal(t, []int64{0, 0.5e9, 1.25e9, 1.25e9 + 1}, arrivals(t, c, dir), "rate_scale 2 halves every time (x.5 ns rounds up)")
	c.Arrival.Trace.RateScale = 0
	c.DurationS = 2
	assert.Equal(t, []int64{0, 1e9}, arrivals(t, c, dir), "duration_s cuts a trace")

	c = traceConfig(TraceConfig{Path: filepath.Join(dir, "t.csv"), TimeColumn: "ts", TimeUnit: "ms"})
	c.Needs = oneClass
	s := mustNew(t, c, 1, 1)
	var q Query
	require.True(t, s.Next(&q))
	assert.Equal(t, int64(100_500_000), q.Arrival, "absolute path, ms, no rebase")
	require.NoError(t, s.Close())
	assert.False(t, s.Next(&q), "Close ends the stream")
	require.NoError(t, s.Close(), "a second Close is harmless")
}

func TestTraceWithClassesAssignsNeeds(t *testing.T) {
	c := traceConfig(TraceConfig{Path: "trace_sample.csv", TimeColumn: "timestamp_ms", TimeUnit: "ms"})
	c.Needs = NeedsConfig{Class: threeClasses(0, 1, 0)}
	s := mustNew(t, c, 1, 1)
	var q Query
	n := 0
	for s.Next(&q) {
		require.Equal(t, int32(1), q.Class)
		require.Equal(t, 77.0, q.MinAccuracy)
		n++
	}
	assert.Equal(t, 200, n)
}

// Every kind of bad input is an error naming the file, line and column.
func TestTraceErrors(t *testing.T) {
	cases := []struct {
		name, body string
		edit       func(*TraceConfig)
		want       string
	}{
		{"empty", "", nil, "t.csv:1:1: empty file: want a header row naming column \"ts\""},
		{"blank only", "\n\n", nil, "t.csv:1:1: empty file"},
		{"header only", "ts\n", nil, "t.csv:2: the file has a header but no data rows"},
		{"missing column", "time,x\n1,2\n", nil, `t.csv:1:1: no column "ts" (arrival.trace.time_column) in the header; columns are "time", "x"`},
		{"missing accuracy column", "ts,slo\n1,2\n", func(c *TraceConfig) { c.AccuracyColumn, c.SLOColumn = "acc", "slo" },
			`t.csv:1:1: no column "acc" (arrival.trace.accuracy_column)`},
		{"non-monotone", "x,ts\na,1\nb,2.5\nc,2.4\n", nil, "t.csv:4:3: time 2.4 is before the previous row's: trace times must not decrease"},
		{"non-numeric", "x,ts\na,1\nbb,abc\n", nil, `t.csv:3:4: time "abc": not a number`},
		{"empty cell", "x,ts\na,\n", nil, `t.csv:2:3: time "": not a number`},
		{"too few fields", "x,ts\na,1\nb\n", nil, "t.csv:3:2: the row has 1 fields, the header has 2"},
		{"too many fields", "x,ts\na,1,9\n", nil, "t.csv:2:5: the row has 3 fields, the header has 2"},
		{"negative", "ts\n-1\n0\n", nil, `t.csv:2:1: column "ts": negative time -1; set rebase = true`},
		{"overflow", "ts\n99999999999999\n", nil, `t.csv:2:1: time "99999999999999": out of range`},
		{"unclosed quote", "x,ts\n\"a,1\n", nil, "t.csv:2:1: quoted field has no closing quote on this line"},
		{"text after quote", "x,ts\n\"a\"b,1\n", nil, "t.csv:2:4: unexpected 'b' after a closing quote"},
		{"bad accuracy", "ts,acc,slo\n1,101,5\n", func(c *TraceConfig) { c.AccuracyColumn, c.SLOColumn = "acc", "slo" },
			`t.csv:2:3: accuracy "101": want a top-1 percentage in [0,100]`},
		{"bad slo", "ts,acc,slo\n1,75,-5\n", func(c *TraceConfig) { c.AccuracyColumn, c.SLOColumn = "acc", "slo" },
			`t.csv:2:6: SLO "-5": want a latency in ms, > 0`},
		{"bad tenant", "ts,fn\n1,-2\n", func(c *TraceConfig) { c.TenantColumn = "fn" }, `t.csv:2:3: tenant "-2": want an integer in [0,2147483647]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFile(t, "t.csv", tc.body)
			c := traceConfig(TraceConfig{Path: "t.csv", TimeColumn: "ts"})
			c.Needs = oneClass
			if tc.edit != nil {
				tc.edit(&c.Arrival.Trace)
				if c.Arrival.Trace.AccuracyColumn != "" {
					c.Needs = NeedsConfig{}
				}
			}
			_, err := New(c, rng(1), rng(2), dir)
			require.Error(t, err)
			assert.Contains(t, err.Error(), filepath.Join(dir, tc.want))
			assert.True(t, strings.HasPrefix(err.Error(), "arrival.trace: "), err.Error())
		})
	}
	c := traceConfig(TraceConfig{Path: "absent.csv", TimeColumn: "ts"})
	c.Needs = oneClass
	_, err := New(c, rng(1), rng(2), t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "arrival.trace.path: open ")
}

// A file changed between New's check and the replay ends the stream with an
// error reported by Err, not a silent stop.
func TestTraceChangedAfterCheck(t *testing.T) {
	// Larger than the scanner's 64 KiB buffer, so the replay reads the
	// changed bytes from the file.
	var body strings.Builder
	body.WriteString("ts\n")
	for i := range 50000 {
		body.WriteString(strconv.Itoa(i) + "\n")
	}
	dir := writeFile(t, "t.csv", body.String())
	c := traceConfig(TraceConfig{Path: "t.csv", TimeColumn: "ts"})
	c.Needs = oneClass
	src, err := New(c, rng(1), rng(2), dir)
	require.NoError(t, err)
	changed := strings.Replace(body.String(), "\n40000\n", "\nxxxxx\n", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t.csv"), []byte(changed), 0o644))
	var q Query
	n := 0
	for src.Next(&q) {
		n++
	}
	assert.Equal(t, 40000, n)
	s := src.(*Stream)
	require.Error(t, s.Err())
	assert.Contains(t, s.Err().Error(), "t.csv:40002:1: time \"xxxxx\"")
}

func TestParseTimeNs(t *testing.T) {
	cases := []struct {
		in   string
		unit int64
		want int64
	}{
		{"1.5", 1e9, 1_500_000_000},
		{"12", 1e6, 12_000_000},
		{"0.0000000015", 1e9, 2}, // half a ns rounds up
		{"0.0000000014", 1e9, 1}, // and below half, down
		{"-3.25", 1e9, -3_250_000_000},
		{"1563230000.123456789", 1e9, 1_563_230_000_123_456_789}, // epoch seconds, exact to the ns
		{"1e-3", 1e9, 1_000_000},
		{"+7", 1, 7},
		{".5", 1e3, 500},
	}
	for _, tc := range cases {
		got, err := parseTimeNs([]byte(tc.in), tc.unit)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", ".", "-", "1.2.3", "abc", "NaN", "Inf", "1,5", "9223372036854775808"} {
		_, err := parseTimeNs([]byte(bad), 1)
		assert.Error(t, err, bad)
	}
}

// A device or FIFO is refused up front: /dev/zero would never end.
func TestTraceRefusesDevices(t *testing.T) {
	c := traceConfig(TraceConfig{Path: "/dev/zero", TimeColumn: "t"})
	c.Needs.Class = []NeedClass{{Name: "a", MinAccuracy: 70, SLOMs: 10, Weight: 1}}
	_, err := New(c, rng(1), rng(2), ".")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "arrival.trace.path")
	assert.Contains(t, err.Error(), "not a regular file")
}
