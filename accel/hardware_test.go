package accel

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresetsAreValid(t *testing.T) {
	for _, name := range PresetNames() {
		h, err := Preset(name)
		require.NoError(t, err)
		assert.Equal(t, name, h.Preset)
		assert.NoError(t, h.Validate(), name)
	}
	_, err := Preset("vu9p")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "preset")
	assert.Contains(t, err.Error(), "u50, zcu104")
}

func TestZCU104FromFirstPrinciples(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	// 312 x 36 Kb + 96 x 288 Kb.
	assert.Equal(t, int64(312*36*1024/8+96*288*1024/8), h.DeviceOnChipBytes)
	assert.Equal(t, int64(4_976_640), h.DeviceOnChipBytes)
	// DDR4: 19.2 GB/s x 0.7 = 13.44 GB/s; 6 ports x 16 B x 100 MHz = 9.6 GB/s.
	assert.InDelta(t, 9.6e9, h.DRAMBytesPerSecond(), 1)
	assert.InDelta(t, 96, h.DRAMBytesPerCycle(), 1e-9)
	h.DRAMPorts = 12 // 19.2 GB/s of ports: now the memory bounds it
	assert.InDelta(t, 13.44e9, h.DRAMBytesPerSecond(), 1)
	assert.Equal(t, int64(1296), h.PeakMACsPerCycle())
}

func TestU50Bandwidth(t *testing.T) {
	h, err := Preset("u50")
	require.NoError(t, err)
	// HBM 316 x 0.85 = 268.6 GB/s < 32 ports x 32 B x 300 MHz = 307.2 GB/s.
	assert.InDelta(t, 268.6e9, h.DRAMBytesPerSecond(), 1)
	assert.Equal(t, int64(1344*4608+640*36864), h.DeviceOnChipBytes)
}

func TestDerivedEnergy(t *testing.T) {
	// The log-log line passes through Horowitz's two points.
	assert.InDelta(t, 1.25, SRAMpJPerByte(8192), 1e-12)
	assert.InDelta(t, 12.5, SRAMpJPerByte(1<<20), 1e-9)
	assert.InDelta(t, 1.25, SRAMpJPerByte(100), 1e-12)
	// 2 MiB is 2x 1 MB: 12.5 x 2^alpha, alpha = ln 10 / ln 128.
	assert.InDelta(t, 12.5*math.Pow(2, math.Log(10)/math.Log(128)), SRAMpJPerByte(2<<20), 1e-9)
	// MAC: 0.2 pJ int8 multiply + 0.1 pJ 32-bit add; int16 multiply 4x.
	assert.InDelta(t, 0.3, MACpJForWidth(1), 1e-12)
	assert.InDelta(t, 0.9, MACpJForWidth(2), 1e-12)

	h, _ := Preset("zcu104")
	e := h.Resolved()
	assert.InDelta(t, 0.3, e.MACpJ, 1e-12)
	assert.InDelta(t, SRAMpJPerByte(2<<20), e.PBpJPerByte, 1e-12)
	h.Energy.PBpJPerByte = 7 // pinned by the user
	assert.Equal(t, 7.0, h.Resolved().PBpJPerByte)
	h.PBBytes = 1 << 20 // resizing rescales only derived figures
	assert.InDelta(t, SRAMpJPerByte(256<<10), h.Resolved().WeightBufpJPerByte, 1e-12)
}

func TestValidateNamesKeys(t *testing.T) {
	cases := []struct {
		key    string
		mutate func(h *Hardware)
	}{
		{"pb_bytes", func(h *Hardware) { h.PBBytes = h.DeviceOnChipBytes + 1 }},
		{"pb_bytes", func(h *Hardware) { h.PBBytes = h.DeviceOnChipBytes - h.ActBufBytes }}, // sum exceeds
		{"pb_bytes", func(h *Hardware) { h.PBBytes = -1 }},
		{"act_buf_bytes", func(h *Hardware) { h.ActBufBytes = h.DeviceOnChipBytes * 2 }},
		{"act_buf_bytes", func(h *Hardware) { h.ActBufBytes = 0 }},
		{"weight_buf_bytes", func(h *Hardware) { h.WeightBufBytes = 100 }},
		{"device_onchip_bytes", func(h *Hardware) { h.DeviceOnChipBytes = 0 }},
		{"dram_gbps", func(h *Hardware) { h.DRAMGBps = 0 }},
		{"dram_gbps", func(h *Hardware) { h.DRAMGBps = math.NaN() }},
		{"dram_efficiency", func(h *Hardware) { h.DRAMEfficiency = 1.5 }},
		{"dram_efficiency", func(h *Hardware) { h.DRAMEfficiency = 0 }},
		{"dram_ports", func(h *Hardware) { h.DRAMPorts = 0 }},
		{"dram_port_bytes", func(h *Hardware) { h.DRAMPortBytes = 0 }},
		{"clock_mhz", func(h *Hardware) { h.ClockMHz = -100 }},
		{"data_bytes", func(h *Hardware) { h.DataBytes = 4 }},
		{"array_k", func(h *Hardware) { h.ArrayK = 0 }},
		{"array_c", func(h *Hardware) { h.ArrayC = -1 }},
		{"array_taps", func(h *Hardware) { h.ArrayTaps = 0 }},
		{"pointwise", func(h *Hardware) { h.Pointwise = 3 }},
		{"strided", func(h *Hardware) { h.Strided = 2 }},
		{"weight_transfer", func(h *Hardware) { h.WeightTransfer = 2 }},
		{"activations", func(h *Hardware) { h.Activations = 2 }},
		{"padding", func(h *Hardware) { h.Padding = 9 }},
		{"array_efficiency", func(h *Hardware) { h.ArrayEfficiency = 0 }},
		{"array_efficiency", func(h *Hardware) { h.ArrayEfficiency = 1.01 }},
		{"layer_overhead_cycles", func(h *Hardware) { h.LayerOverheadCycles = -5 }},
		{"reload", func(h *Hardware) { h.Reload = 2 }},
		{"batch", func(h *Hardware) { h.Batch = 0 }},
		{"preset", func(h *Hardware) { h.Preset = "vu9p" }},
		{"energy.dram_pj_per_byte", func(h *Hardware) { h.Energy.DRAMpJPerByte = -1 }},
		{"energy.static_w", func(h *Hardware) { h.Energy.StaticW = math.Inf(1) }},
		{"energy.mac_pj", func(h *Hardware) { h.Energy.MACpJ = math.NaN() }},
	}
	for _, c := range cases {
		h, err := Preset("zcu104")
		require.NoError(t, err)
		c.mutate(&h)
		err = h.Validate()
		require.Error(t, err, c.key)
		assert.True(t, strings.HasPrefix(err.Error(), c.key+":") || strings.Contains(err.Error(), "\n"+c.key+":"),
			"error %q should start with key %q", err, c.key)
	}
	h, _ := Preset("zcu104")
	h.PBBytes = h.DeviceOnChipBytes + 1
	assert.Contains(t, h.Validate().Error(), "exceeds device_onchip_bytes")
	// Several problems are all reported.
	h, _ = Preset("zcu104")
	h.Batch, h.Reload = 0, 5
	msg := h.Validate().Error()
	assert.Contains(t, msg, "batch:")
	assert.Contains(t, msg, "reload:")
	// An enum's message lists what is allowed.
	h, _ = Preset("zcu104")
	h.Pointwise, h.Strided = 3, 2
	assert.Equal(t, `pointwise: 3: must be "channels", "pixels" or "single"`+"\n"+
		`strided: 2: must be "skip" or "dense"`, h.Validate().Error())
}

// An [accel] table decodes over a preset: keys absent keep the preset's value.
func TestTOMLOverPreset(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	doc := `
pb_bytes = 1048576
weight_transfer = "serialized"
reload = "overlap"
[energy]
dram_pj_per_byte = 120.5
`
	md, err := toml.Decode(doc, &h)
	require.NoError(t, err)
	assert.Empty(t, md.Undecoded())
	assert.Equal(t, int64(1<<20), h.PBBytes)
	assert.Equal(t, WeightsSerialized, h.WeightTransfer)
	assert.Equal(t, ReloadOverlap, h.Reload)
	assert.Equal(t, 120.5, h.Energy.DRAMpJPerByte)
	assert.Equal(t, 0.6, h.Energy.StaticW)
	assert.Equal(t, 16, h.ArrayK)
	require.NoError(t, h.Validate())

	// Every field has a snake_case key: encoding names them all.
	var buf bytes.Buffer
	require.NoError(t, toml.NewEncoder(&buf).Encode(h))
	for _, k := range []string{"array_k", "array_c", "array_taps", "pointwise", "strided", "layer_overhead_cycles",
		"clock_mhz", "data_bytes", "pb_bytes", "weight_buf_bytes", "act_buf_bytes", "device_onchip_bytes",
		"dram_gbps", "dram_efficiency", "dram_ports", "dram_port_bytes", "mac_pj", "pb_pj_per_byte",
		"weight_buf_pj_per_byte", "act_buf_pj_per_byte", "dram_pj_per_byte", "static_w", "weight_transfer", "activations",
		"padding", "array_efficiency", "reload", "batch"} {
		assert.Contains(t, buf.String(), k+" =")
	}
}

// Mode switches parse once from their TOML spelling; a bad spelling names
// what is allowed, and the renamed key overlap names its successor.
func TestTOMLModeSwitches(t *testing.T) {
	h, err := Preset("zcu104")
	require.NoError(t, err)
	_, err = toml.Decode(`weight_transfer = "serialized"`+"\n"+`activations = "dram"`+"\n"+`padding = "array"`+"\n"+`kind = ""`, &h)
	require.NoError(t, err)
	assert.Equal(t, WeightsSerialized, h.WeightTransfer)
	assert.Equal(t, ActivationsDRAM, h.Activations)
	assert.Equal(t, PaddingArray, h.Padding)
	assert.Equal(t, KindSushi, h.Kind)
	for _, c := range []struct{ doc, want string }{
		{`pointwise = "diagonal"`, `"diagonal": must be "channels", "pixels" or "single"`},
		{`strided = ""`, `"": must be "skip" or "dense"`},
		{`kind = "asic"`, `"asic": must be "sushi" or "synthetic"`},
		{`reload = "lazy"`, `"lazy": must be "blocking" or "overlap"`},
		{`activations = "hbm"`, `"hbm": must be "onchip" or "dram"`},
		{`overlap = false`, `renamed to weight_transfer (a layer's own data, not PB reloads; see reload): write weight_transfer = "serialized"`},
		{`overlap = true`, `write weight_transfer = "overlapped"`},
	} {
		h, _ := Preset("zcu104")
		_, err := toml.Decode(c.doc, &h)
		require.Error(t, err, c.doc)
		assert.Contains(t, err.Error(), c.want)
	}
}
