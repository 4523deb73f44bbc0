package config

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
	"github.com/sushisim/sushisim/policies"
)

// An experiment file's validation knows every registered policy and
// SuperNet: a file naming any one of them, with its defaults, parses
// (docs/experiments.md naming them is TestDocsListEveryPolicyAndKey's and
// models' TestEverySuperNetDocumentedAndValid's job).
func TestValidationKnowsEveryRegistration(t *testing.T) {
	parseErr := func(model, policy string) error {
		src := fmt.Sprintf("name = \"reg\"\n[model]\n%s\n[workload]\nqueries = 10\n[workload.arrival]\nprocess = \"poisson\"\nrate = 10.0\n[[workload.needs.class]]\nmin_accuracy = 70.0\nslo_ms = 100.0\nweight = 1.0\n[[policy]]\nname = \"p\"\n%s\n", model, policy)
		_, err := Parse(filepath.Join("testdata", "reg.toml"), []byte(src))
		return err
	}
	parse := func(model, policy string) {
		t.Helper()
		require.NoError(t, parseErr(model, policy), "%s / %s", model, policy)
	}
	// the check can fail: an unregistered name does not validate
	require.Error(t, parseErr(`supernet = "toy-net"`, `cache = "none"`))
	require.Error(t, parseErr(`supernet = "ofa-resnet50"`, `cache = "toy-cache"`))
	require.Error(t, parseErr(`supernet = "ofa-resnet50"`, `router = "toy-router"`))
	for _, n := range models.SuperNetNames() {
		parse(fmt.Sprintf("supernet = %q\nsample = 4", n), `cache = "none"`)
	}
	for _, n := range policies.CacheNames() {
		parse(`supernet = "ofa-resnet50"`, fmt.Sprintf("cache = %q", n))
	}
	for _, n := range policies.SelectorNames() {
		parse(`supernet = "ofa-resnet50"`, fmt.Sprintf("select = %q", n))
	}
	for _, n := range policies.RouterNames() {
		parse(`supernet = "ofa-resnet50"`, fmt.Sprintf("router = %q", n))
	}
}
