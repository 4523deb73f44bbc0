package config

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/workloads"
)

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"basic", "fig1_latency-vs.pb", strings.Repeat("a", MaxNameLen)} {
		assert.NoError(t, CheckName(ok), ok)
	}
	for bad, want := range map[string]string{
		"":                                "empty",
		"../x":                            `character '/' not allowed in "../x"`,
		"a b":                             `character ' ' not allowed`,
		"a\x00b":                          `character '\x00'`,
		"a\nb":                            `character '\n'`,
		".hidden":                         "leading '.'",
		"..":                              "leading '.'",
		strings.Repeat("a", MaxNameLen+1): "too long, 65 characters",
		"café":                            `character 'é'`,
	} {
		err := CheckName(bad)
		if assert.Error(t, err, "%q", bad) {
			assert.Contains(t, err.Error(), want)
			assert.Contains(t, err.Error(), "allowed: letters, digits")
		}
	}
}

// A default name made from a file name always passes CheckName.
func TestSafeNamePassesCheckName(t *testing.T) {
	for in, want := range map[string]string{
		"basic": "basic", "my exp": "my-exp", "..x": "x", "": "experiment", "...": "experiment",
		strings.Repeat("é", 100): strings.Repeat("-", MaxNameLen),
	} {
		assert.Equal(t, want, SafeName(in))
		assert.NoError(t, CheckName(SafeName(in)))
	}
}

func TestExpectedQueriesAndDuration(t *testing.T) {
	w := workloads.Config{Queries: 1000, DurationS: 10, Arrival: workloads.ArrivalConfig{Process: "poisson", Rate: 20}}
	assert.Equal(t, 200.0, ExpectedQueries(&w), "the duration ends it first: 20/s x 10 s")
	assert.Equal(t, 10.0, ExpectedDurationS(&w))
	w.DurationS = 0
	assert.Equal(t, 1000.0, ExpectedQueries(&w))
	assert.Equal(t, 50.0, ExpectedDurationS(&w), "1000 queries at 20/s")
	tr := workloads.Config{Arrival: workloads.ArrivalConfig{Process: "trace"}}
	assert.True(t, math.IsInf(ExpectedQueries(&tr), 1), "a trace's length is the file's")
	assert.True(t, math.IsInf(ExpectedDurationS(&tr), 1))
}

// Each file that used to take the machine down (tens of GB, or a run that
// never ends) is refused by Load, allocating under 100 MB on the way: the
// ceilings are checked on the numbers, before anything is built.
func TestHugePlansRefusedCheaply(t *testing.T) {
	for _, name := range []string{"window_tiny", "window_too_many", "replications_huge", "rate_huge",
		"instances_huge", "group_count_huge", "tasks_huge", "queries_huge", "duration_huge", "rate_times_duration", "rate_tiny", "slo_huge", "cv2_huge"} {
		path := "../../testdata/bad/experiment/" + name + ".toml"
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Load(path)
		runtime.ReadMemStats(&after)
		assert.Error(t, err, name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(100<<20), "%s: bytes allocated by Load", name)
	}
}

// A duration above the ceiling is one problem, on duration_s; the
// queries-at-the-rate check does not repeat it with "0 queries take".
func TestHugeDurationIsOneProblem(t *testing.T) {
	_, err := Load("../../testdata/bad/experiment/duration_huge.toml")
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "workload.duration_s: 1e+308 s: at most 1e+08 s")
		assert.NotContains(t, err.Error(), "workload.arrival.rate")
	}
}

// A grid whose size overflows an int (eight lists of 256: 2^64 points,
// which wrapped to 0) is refused at the points ceiling, not loaded as a
// plan without points.
func TestHugeGridRefused(t *testing.T) {
	src, err := os.ReadFile("../../experiments/quickstart.toml")
	require.NoError(t, err)
	var b strings.Builder
	b.Write(src)
	b.WriteString("\n[sweep]\n")
	for _, k := range []string{"accel.pb_bytes", "workload.arrival.rate", "seed", "workload.queries",
		"accel.clock_mhz", "workload.needs.locality", "policy[1].q", "policy[1].window"} {
		vals := make([]string, 256)
		for i := range vals {
			vals[i] = strconv.Itoa(i + 1)
		}
		fmt.Fprintf(&b, "%q = [%s]\n", k, strings.Join(vals, ", "))
	}
	_, err = Parse("grid.toml", []byte(b.String()))
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "sweep: 1.84467e+19 points; at most 100000")
	}
}
