package models

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every registered SuperNet is named in docs/experiments.md and passes what
// an experiment file's validation asks of it: Lookup finds it, each builtin
// catalog builds, and its accuracy model fits.
func TestEverySuperNetDocumentedAndValid(t *testing.T) {
	doc, err := os.ReadFile("../docs/experiments.md")
	require.NoError(t, err)
	for _, name := range SuperNetNames() {
		assert.Contains(t, string(doc), "`"+name+"`", "docs/experiments.md does not name SuperNet %q", name)
		net, err := Lookup(name)
		require.NoError(t, err, name)
		for _, c := range BuiltinCatalogNames(net) {
			subs, err := BuiltinCatalog(net, c)
			require.NoError(t, err, "%s/%s", name, c)
			assert.NotEmpty(t, subs)
		}
		fit, err := AccuracyFit(net)
		require.NoError(t, err, name)
		assert.NotEmpty(t, fit.Points)
	}
}

// One registration makes a toy SuperNet (OFA-ResNet50's space under another
// name, with its reference catalog and points) known to Lookup, its builtin
// catalog and accuracy fit, and samplable, like any other.
func TestToySuperNetRegistersAndRuns(t *testing.T) {
	const name = "toy-resnet"
	r := registration{name: name, build: func() *SuperNet {
		n := newResNet50Net()
		n.Name = name
		return n
	}, catalogs: map[string][]builtinEntry{ReferenceCatalog: resnet50Reference}, points: resnet50ExtraPoints}
	require.NoError(t, register(r))
	t.Cleanup(func() { delete(registrations, name) })
	assert.Error(t, register(r), "a name registers once")
	assert.Contains(t, SuperNetNames(), name)
	net, err := Lookup(name)
	require.NoError(t, err)
	same, _ := Lookup(name)
	assert.Same(t, net, same, "built once")
	ref, err := BuiltinCatalog(net, ReferenceCatalog)
	require.NoError(t, err)
	require.Len(t, ref, len(resnet50Reference))
	c, err := SampleCatalog(net, 8, rand.New(rand.NewPCG(1, 2)))
	require.NoError(t, err)
	require.Len(t, c.SubNets, 8)
	for _, s := range c.SubNets {
		assert.Same(t, net, s.Net)
		assert.Greater(t, s.Accuracy, 70.0, s.Name)
		assert.Less(t, s.Accuracy, 82.0, s.Name)
	}
	_, err = Lookup("toy-unknown")
	assert.True(t, err != nil && strings.Contains(err.Error(), name), "the error lists the toy among the known")
}
