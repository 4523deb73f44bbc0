package config

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/accel"
	"github.com/sushisim/sushisim/experiments/results"
	_ "github.com/sushisim/sushisim/plots" // registers the figure kinds
	"github.com/sushisim/sushisim/policies"
)

var tomlBlock = regexp.MustCompile("(?s)```toml\n(.*?)```")

// Every TOML block of docs/experiments.md is valid TOML, and the complete
// examples load as experiments.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/experiments.md")
	require.NoError(t, err)
	blocks := tomlBlock.FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, blocks)
	complete := 0
	for i, b := range blocks {
		var v map[string]any
		_, err := toml.Decode(b[1], &v)
		require.NoError(t, err, "block %d:\n%s", i, b[1])
		if strings.HasPrefix(b[1], "# complete") {
			complete++
			_, err := Parse("../../docs/example.toml", []byte(b[1]))
			require.NoError(t, err, "block %d", i)
		}
	}
	assert.Positive(t, complete)
}

// docs/experiments.md names every registered policy and every key each one
// takes, so the page stays the reference as policies are added.
func TestDocsListEveryPolicyAndKey(t *testing.T) {
	doc, err := os.ReadFile("../../docs/experiments.md")
	require.NoError(t, err)
	has := func(s string) bool { return strings.Contains(string(doc), "`"+s+"`") }
	check := func(kind, name string, spec any) {
		assert.True(t, has(name), "docs/experiments.md does not name %s policy %q", kind, name)
		for _, k := range policies.Keys(spec) {
			assert.True(t, has(k), "docs/experiments.md does not document key %q of %s policy %q", k, kind, name)
		}
	}
	for _, n := range policies.CacheNames() {
		s, err := policies.CacheSpecFor(n)
		require.NoError(t, err)
		check("cache", n, s)
	}
	for _, n := range policies.SelectorNames() {
		s, err := policies.SelectorSpecFor(n)
		require.NoError(t, err)
		check("select", n, s)
	}
	for _, n := range policies.RouterNames() {
		s, err := policies.RouterSpecFor(n)
		require.NoError(t, err)
		check("router", n, s)
	}
}

// ...and every key of the tables this package and accel decode.
func TestDocsListEveryTableKey(t *testing.T) {
	b, err := os.ReadFile("../../docs/experiments.md")
	require.NoError(t, err)
	doc := string(b)
	has := func(k string) bool {
		return strings.Contains(doc, "`"+k+"`") || strings.Contains(doc, "`["+k+"]`") || strings.Contains(doc, "`[["+k+"]]`") || strings.Contains(doc, "."+k+"]`") || strings.Contains(doc, "."+k+"]]`")
	}
	for _, v := range []any{accel.Hardware{}, accel.EnergyTable{}, accel.ServiceDist{}, ModelConfig{}, ClusterConfig{},
		groupConfig{}, PolicyConfig{}, EngineConfig{}, OutputConfig{}, results.FigureConfig{}, file{},
		DatacenterConfig{}, AutoscaleConfig{}, PowerConfig{}} {
		for _, k := range policies.Keys(v) {
			assert.True(t, has(k), "docs/experiments.md does not document key %q of %T", k, v)
		}
	}
	for _, k := range results.FigureKinds() {
		assert.True(t, has(k), "figure kind %q", k)
	}
}
