package config

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func quickstart(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../quickstart.toml")
	require.NoError(t, err)
	return string(b)
}

// replace swaps one line of the quickstart for another, so each bad-file
// test differs from a known-good file in exactly one place.
func replace(t *testing.T, src, old, new string) string {
	t.Helper()
	require.Contains(t, src, old)
	return strings.Replace(src, old, new, 1)
}

func lineNumberOf(src, text string) int {
	return strings.Count(src[:strings.Index(src, text)], "\n") + 1
}

func TestQuickstartLoads(t *testing.T) {
	x, err := Load("../quickstart.toml")
	require.NoError(t, err)
	assert.Equal(t, "quickstart", x.Name)
	assert.Equal(t, uint64(1), x.Seed)
	require.Len(t, x.Policies, 2)
	assert.Equal(t, "none", x.Policies[0].Name)
	assert.Equal(t, "sgs", x.Policies[1].Cache)
	assert.Equal(t, int64(2097152), x.Hardware.PBBytes)
	assert.Equal(t, 1, x.Cluster.Instances)
}

func TestUnknownKeyNamesKeyAndLine(t *testing.T) {
	src := replace(t, quickstart(t), "rate = 20.0", "rate = 20.0\nrat = 3")
	_, err := Parse("x.toml", []byte(src))
	require.Error(t, err)
	want := "x.toml:" + itoa(lineNumberOf(src, "rat = 3")) + ": workload.arrival.rat: unknown key"
	assert.Contains(t, err.Error(), want)
}

func TestUnknownPolicyParameterListsAllowed(t *testing.T) {
	src := replace(t, quickstart(t), "window = 200", "window = 200\nwindw = 3")
	_, err := Parse("x.toml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.toml:"+itoa(lineNumberOf(src, "windw"))+": policy[1].windw: unknown key for this policy")
	assert.Contains(t, err.Error(), "window")
}

func TestWrongTypeNamesKeyAndLine(t *testing.T) {
	src := replace(t, quickstart(t), "rate = 20.0", `rate = "fast"`)
	_, err := Parse("x.toml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.toml:"+itoa(lineNumberOf(src, `rate = "fast"`)))
	assert.Contains(t, err.Error(), "rate")
}

func TestBadValuesNameTheirKeys(t *testing.T) {
	cases := []struct{ old, new, key string }{
		{"rate = 20.0", "rate = -5.0", "workload.arrival.rate"},
		{"locality = 0.98", "locality = 1.5", "workload.needs.locality"},
		{"pb_bytes = 2097152", "pb_bytes = 900000000", "accel.pb_bytes"},
		{`cache = "sgs"`, `cache = "magic"`, "policy[1].cache"},
		{`preset = "zcu104"`, `preset = "tpu"`, "accel.preset"},
		{"q = 50", "q = 0", "policy[1].q"},
		{`catalog = "reference"`, `catalog = "everything"`, "model.catalog"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			src := replace(t, quickstart(t), c.old, c.new)
			_, err := Parse("x.toml", []byte(src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "x.toml:"+itoa(lineNumberOf(src, c.new))+": "+c.key+":")
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	src := replace(t, quickstart(t), "rate = 20.0", "rate = -1.0")
	src = replace(t, src, "q = 50", "q = -2")
	_, err := Parse("x.toml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "workload.arrival.rate")
	assert.Contains(t, err.Error(), "policy[1].q")
}

func itoa(n int) string { return strconv.Itoa(n) }
