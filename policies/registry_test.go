package policies

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tomlKeys(v any) []string {
	keys := Keys(v)
	sort.Strings(keys)
	return keys
}

// The [[policy]] table is flat and decoded into one cache, one selector and
// one router spec: a key may be shared within a kind (only one is chosen)
// but never across kinds, or one key would set two policies.
func TestPolicyKeysAreFlatAndDisjointAcrossKinds(t *testing.T) {
	owner := map[string]string{}
	check := func(kind string, keys []string) {
		for _, k := range keys {
			if o, ok := owner[k]; ok && o != kind {
				t.Errorf("key %q used by %s and %s policies", k, o, kind)
			}
			owner[k] = kind
		}
	}
	for _, f := range caches {
		check("cache", tomlKeys(f()))
	}
	for _, f := range selectors {
		check("select", tomlKeys(f()))
	}
	for _, f := range routers {
		check("router", tomlKeys(f()))
	}
	assert.Equal(t, map[string][]string{
		"none": nil, "static": {"subgraph", "warmup_s"}, "lru": {"write_allocate"},
		"sgs": {"candidates", "q", "window"}, "lookahead": {"candidates", "q", "window"},
	}, keysOf(caches))
	assert.Equal(t, map[string][]string{
		"accuracy-first": {"admission", "cache_aware"}, "latency-first": {"admission", "cache_aware"}, "slack": {"admission", "cache_aware"},
		"fixed": {"admission", "cache_aware", "subnet"},
	}, keysOf(selectors))
	assert.Equal(t, map[string][]string{
		"round-robin": nil, "jsq": nil, "random": nil, "power-of-two": {"d"}, "least-work": {"d"}, "affinity": {"d", "tolerance"},
	}, keysOf(routers))
}

func keysOf[T any](m map[string]func() Spec[T]) map[string][]string {
	out := map[string][]string{}
	for n, f := range m {
		out[n] = tomlKeys(f())
	}
	return out
}

// Every registered policy's defaults are valid and build on the reference
// catalog and zcu104 hardware.
func TestEveryPolicyBuildsWithDefaults(t *testing.T) {
	env, _ := refEnv(t, 0)
	env.Warmup = fixedMix([]float64{0.5, 0, 0.25, 0, 0, 0.25})
	for _, n := range CacheNames() {
		s, err := CacheSpecFor(n)
		require.NoError(t, err)
		require.NoError(t, s.Validate(), n)
		c, err := s.Build(env)
		require.NoError(t, err, n)
		assert.LessOrEqual(t, c.Resident().Weights(), pbCapacity(env.Hardware), n)
	}
	for _, n := range SelectorNames() {
		s, err := SelectorSpecFor(n)
		require.NoError(t, err)
		require.NoError(t, s.Validate(), n)
		_, err = s.Build(env)
		require.NoError(t, err, n)
	}
	for _, n := range RouterNames() {
		s, err := RouterSpecFor(n)
		require.NoError(t, err)
		require.NoError(t, s.Validate(), n)
		_, err = s.Build(env)
		require.NoError(t, err, n)
	}
}

func TestUnknownPolicyListsKnown(t *testing.T) {
	_, err := CacheSpecFor("magic")
	assert.EqualError(t, err, `unknown cache policy "magic" (known: lookahead, lru, none, sgs, static)`)
	_, err = CacheSpecFor("oracle")
	assert.ErrorContains(t, err, `cache "oracle" is now "lookahead"`)
	_, err = SelectorSpecFor("magic")
	assert.EqualError(t, err, `unknown select policy "magic" (known: accuracy-first, fixed, latency-first, slack)`)
	_, err = RouterSpecFor("magic")
	assert.EqualError(t, err, `unknown router policy "magic" (known: affinity, jsq, least-work, power-of-two, random, round-robin)`)
}
