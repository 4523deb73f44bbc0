package workloads

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CountArrivals counts a finite process's arrivals and the last one's time,
// checked against the file read independently (rows, the last row's time)
// and the parsed built-in trace; past limit it stops at limit+1.
func TestCountArrivals(t *testing.T) {
	raw, err := os.ReadFile("testdata/trace_sample.csv")
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(string(raw)), "\n")[1:]
	lastMs, err := strconv.ParseFloat(strings.Split(rows[len(rows)-1], ",")[0], 64)
	require.NoError(t, err)
	c := traceConfig(TraceConfig{Path: "trace_sample.csv", TimeColumn: "timestamp_ms", TimeUnit: "ms"})
	c.Needs = oneClass
	n, last, err := CountArrivals(c, "testdata", 1e6)
	require.NoError(t, err)
	assert.Equal(t, int64(len(rows)), n)
	assert.Equal(t, int64(lastMs*1e3+0.5)*1e3, last)
	n, _, err = CountArrivals(c, "testdata", 50)
	require.NoError(t, err)
	assert.Equal(t, int64(51), n, "limit+1 when there are more")

	tr, err := loadBuiltin(BuiltinAzureCode)
	require.NoError(t, err)
	r := replayConfig(BuiltinAzureCode)
	r.Arrival.Replay.TimeScale = 0.5
	n, last, err = CountArrivals(r, "", 1e6)
	require.NoError(t, err)
	assert.Equal(t, int64(len(tr.at)), n)
	assert.Equal(t, tr.span()/2, last)

	c.Arrival.Trace.Path = "no_such.csv"
	_, _, err = CountArrivals(c, "testdata", 1e6)
	assert.ErrorContains(t, err, "no_such.csv")
}
