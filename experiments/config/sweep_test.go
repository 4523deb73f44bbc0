package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/experiments/results"
)

func withSweep(t *testing.T, sweep string) string {
	t.Helper()
	return quickstart(t) + "\n[sweep]\n" + sweep
}

func TestSweepGridZipAndReplications(t *testing.T) {
	src := withSweep(t, `replications = 2
accel.pb_bytes = [524288, 1048576, 2097152]
"policy[1].q" = [10, 50]

[[sweep.zip]]
workload.arrival.rate = [10.0, 30.0]
workload.needs.locality = [0.5, 0.9]
`)
	x, err := Parse("x.toml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, []string{"accel.pb_bytes", "policy[1].q", "workload.arrival.rate", "workload.needs.locality"}, x.Sweep.Keys)
	assert.Equal(t, 2, x.Sweep.Replications)
	require.Len(t, x.Points, 3*2*2)
	// the last axis varies fastest; zipped keys move together
	p := x.Points[5] // pb index 1, q index 0, zip index 1
	assert.Equal(t, []any{int64(1048576), int64(10), 30.0, 0.9}, p.Values)
	assert.Equal(t, int64(1048576), p.Hardware.PBBytes)
	assert.Equal(t, 30.0, p.Workload.Arrival.Rate)
	assert.Equal(t, 0.9, p.Workload.Needs.Locality)
	// policy[1].q sets only the second policy's q
	assert.Contains(t, fmtSpec(p.Policies[1].CacheSpec), "Q:10")
	assert.Equal(t, "accel.pb_bytes=1048576, policy[1].q=10, workload.arrival.rate=30, workload.needs.locality=0.9", p.Label(x.Sweep.Keys))
	// the points of a file share a plan hash; another sweep has another
	y, err := Parse("x.toml", []byte(strings.Replace(src, "[10, 50]", "[10, 60]", 1)))
	require.NoError(t, err)
	assert.NotEqual(t, x.Hash, y.Hash)
}

func TestSweepPolicyCacheAcrossEveryPolicy(t *testing.T) {
	src := replace(t, quickstart(t), "q = 50                      # decide what to cache every 50 served queries\nwindow = 200                # from the last 200 served SubNets\n", "")
	src = replace(t, src, `name = "sgs"`, `name = "second"`)
	src += "\n[sweep]\npolicy.cache = [\"none\", \"sgs\"]\n"
	x, err := Parse("x.toml", []byte(src))
	require.NoError(t, err)
	require.Len(t, x.Points, 2)
	for _, p := range x.Points[1].Policies {
		assert.Equal(t, "sgs", p.Cache)
	}
}

func TestSweepPointErrorsNameTheSweepLineOnce(t *testing.T) {
	src := withSweep(t, "accel.pb_bytes = [1048576, 900000000, 950000000]\nworkload.arrival.rate = [10.0, 20.0]\n")
	_, err := Parse("x.toml", []byte(src))
	require.Error(t, err)
	msg := err.Error()
	line := itoa(lineNumberOf(src, "accel.pb_bytes = [1048576"))
	assert.Contains(t, msg, "x.toml:"+line+": accel.pb_bytes")
	assert.Contains(t, msg, "sweep point 2: accel.pb_bytes=900000000, workload.arrival.rate=10")
	// the same problem at another point (the other rate) is not repeated
	assert.NotContains(t, msg, "sweep point 3")
	assert.NotContains(t, msg, "sweep point 5")
	assert.Contains(t, msg, "(and 1 more point(s))")
}

func TestSweepMistakes(t *testing.T) {
	cases := []struct{ sweep, key, want string }{
		{"accel.pb_bytes = 5\n", "sweep.accel.pb_bytes", "want a list"},
		{"accel.pb_bytes = []\n", "sweep.accel.pb_bytes", "empty list"},
		{"replications = 0\n", "sweep.replications", "from 1 to 10000"},
		{"replications = 1000000000\n", "sweep.replications", "from 1 to 10000, got 1000000000"},
		{"output.window_s = [1.0]\n", "sweep.output.window_s", "cannot be swept"},
		{"accel.pb_byte = [1, 2]\n", "accel.pb_byte", "unknown key"},
		{"\"policy[5].q\" = [1]\n", "policy[5].q", "index 5"},
		{"[[sweep.zip]]\nworkload.arrival.rate = [1.0, 2.0]\nworkload.needs.locality = [0.5]\n", "sweep.zip[0].workload.needs.locality", "same length"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(withSweep(t, c.sweep)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.key)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestFigureValidation(t *testing.T) {
	base := withSweep(t, "workload.arrival.rate = [10.0, 20.0]\n")
	ok := base + `
[[figure]]
name = "p99"
kind = "metric"
x = "workload.arrival.rate"
y = "latency_ms_p99"
baseline = "none"
filter = { policy = ["sgs"], replication = 0 }
`
	x, err := Parse("x.toml", []byte(ok))
	require.NoError(t, err)
	require.Len(t, x.Figures, 1)
	f := x.Figures[0]
	assert.Equal(t, results.CompareSaving, f.Compare)
	assert.Equal(t, "policy", f.Series)
	assert.Equal(t, []results.Filter{{Column: "policy", Values: []string{"sgs"}}, {Column: "replication", Values: []string{"0"}}}, f.Filters)

	cases := []struct{ old, new, key string }{
		{`kind = "metric"`, `kind = "pie"`, "figure[0].kind"},
		{`y = "latency_ms_p99"`, `y = "latency"`, "figure[0].y"},
		{`x = "workload.arrival.rate"`, `x = "accel.pb_bytes"`, "figure[0].x"},
		{`baseline = "none"`, `compare = "better"`, "figure[0].compare"},
		{`filter = { policy = ["sgs"], replication = 0 }`, `filter = { colour = "red" }`, "figure[0].filter.colour"},
		{`name = "p99"`, `width = "wide"`, "figure[0].width"},
		{`name = "p99"`, `panels = "policy"`, "figure[0].panels"}, // already the series
		{`name = "p99"`, `panels = "colour"`, "figure[0].panels"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			src := replace(t, ok, c.old, c.new)
			_, err := Parse("x.toml", []byte(src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "x.toml:"+itoa(lineNumberOf(src, c.new))+": "+c.key)
		})
	}
}

func TestModelMistakes(t *testing.T) {
	cases := []struct{ new, key, want string }{
		{"catalog = \"reference\"\nsample = 4", "model", "only one of catalog, sample and sweep"},
		{`catalog = "everything"`, "model.catalog", "builtin"},
		{`catalog = "missing.csv"`, "model.catalog", "missing.csv"},
		{"sweep = 100000", "model.sweep", "distinct steps"},
		{"sample = 0", "model.sample", ">= 1"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			src := replace(t, quickstart(t), `catalog = "reference"       # the six reference SubNets (docs/assumptions.md)`, c.new)
			_, err := Parse("x.toml", []byte(src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.key+":")
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func fmtSpec(v any) string { return strings.ReplaceAll(fmt.Sprintf("%+v", v), " ", "") }

// Without [[figure]], a sweep over two keys draws one figure per policy,
// the second key as the series and further keys at their first value, so
// no figure pools points that differ in a key.
func TestDefaultFiguresOfATwoKeySweep(t *testing.T) {
	src := `[workload]
queries = 100
[workload.arrival]
process = "poisson"
rate = 20.0
[[workload.needs.class]]
min_accuracy = 70.0
slo_ms = 100.0
weight = 1.0
[[policy]]
name = "none"
[[policy]]
name = "sgs"
cache = "sgs"
[sweep]
"workload.arrival.rate" = [10.0, 20.0]
"accel.pb_bytes" = [1048576, 2097152]
"cluster.instances" = [2, 1]
`
	x, err := Parse("two.toml", []byte(src))
	require.NoError(t, err)
	figs := x.FiguresToDraw()
	require.Len(t, figs, 2)
	for i, pol := range []string{"none", "sgs"} {
		f := figs[i]
		assert.Equal(t, "latency_p99-"+pol, f.Name)
		assert.Equal(t, "workload.arrival.rate", f.X)
		assert.Equal(t, "accel.pb_bytes", f.Series)
		assert.Equal(t, []results.Filter{{Column: "policy", Values: []string{pol}}, {Column: "cluster.instances", Values: []string{"2"}}}, f.Filters)
	}
}
