package accel

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sushisim/sushisim/models"
)

// Every registered preset is valid, carries its name, and is documented:
// its name appears in docs/assumptions.md (where its numbers have sources)
// and docs/experiments.md (the [accel] key table).
func TestEveryPresetIsValidAndDocumented(t *testing.T) {
	var docs []string
	for _, f := range []string{"../docs/assumptions.md", "../docs/experiments.md"} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		docs = append(docs, string(b))
	}
	for _, name := range PresetNames() {
		h, err := Preset(name)
		require.NoError(t, err)
		assert.Equal(t, name, h.Preset)
		assert.NoError(t, h.Validate(), name)
		for i, d := range docs {
			assert.True(t, strings.Contains(d, "`"+name+"`"), "%s: preset %q not named (in backquotes)", []string{"assumptions.md", "experiments.md"}[i], name)
		}
	}
}

// One call registers a preset; it is then known by name everywhere
// (Preset, PresetNames, Validate), and a duplicate name panics.
func TestRegisterPresetToy(t *testing.T) {
	RegisterPreset("toy-test", func() Hardware {
		h := zcu104()
		h.ArrayK, h.ClockMHz = 8, 50
		return h
	})
	t.Cleanup(func() { delete(presets, "toy-test") })
	h, err := Preset("toy-test")
	require.NoError(t, err)
	assert.Equal(t, "toy-test", h.Preset)
	assert.Equal(t, 8, h.ArrayK)
	assert.Equal(t, int64(8*9*9), h.PeakMACsPerCycle())
	require.NoError(t, h.Validate())
	assert.Contains(t, PresetNames(), "toy-test")
	assert.Panics(t, func() { RegisterPreset("toy-test", zcu104) })
	assert.Panics(t, func() { RegisterPreset("", zcu104) })
	// Each call returns a fresh value: changing one leaves the next alone.
	h.ArrayK = 99
	h2, _ := Preset("toy-test")
	assert.Equal(t, 8, h2.ArrayK)
}

// Hardware is a comparable value: a memo can key on it.
func TestHardwareIsComparable(t *testing.T) {
	a, _ := Preset("zcu104")
	b, _ := Preset("zcu104")
	memo := map[Hardware]int{a: 1}
	assert.Equal(t, 1, memo[b])
	b.WeightTransfer = WeightsSerialized
	_, ok := memo[b]
	assert.False(t, ok)
}

// A PB fill pays the bytes streaming pays: on every preset, loading a whole
// SubNet into an empty PB reads exactly the weight bytes a run of it with
// nothing resident streams (padded to the array on zcu104-measured).
func TestFillPaysWhatStreamingPays(t *testing.T) {
	cat := referenceCatalog(t)
	for _, name := range PresetNames() {
		h, _ := Preset(name)
		for _, s := range cat {
			var streamed int64
			for _, l := range h.LayerCosts(s, models.SubGraph{}) {
				streamed += l.WeightDRAMBytes
			}
			fill := h.ReloadCost(models.SubGraph{}, s.SubGraph())
			assert.Equal(t, streamed, fill.OffchipBytes, "%s/%s", name, s.Name)
			assert.Equal(t, h.WeightBytes(s.Weights()), fill.OnchipBytes, "%s/%s: the PB holds the real weights", name, s.Name)
		}
	}
}
