package accel

import (
	"fmt"
	"sort"
	"strings"
)

// Sizes of the on-chip RAM blocks of UltraScale+ devices (Xilinx UG573): a
// block RAM holds 36 Kb, an UltraRAM 288 Kb.
const (
	bram36Bytes = 36 * 1024 / 8  // 4,608 B
	uramBytes   = 288 * 1024 / 8 // 36,864 B
)

const (
	kib = 1 << 10
	mib = 1 << 20
)

// presets are the hardware descriptions Preset knows, filled by
// RegisterPreset. Every number of a preset is listed, with its source, in
// docs/assumptions.md (## accel); a test checks that the docs name each.
var presets = map[string]func() Hardware{}

func init() {
	RegisterPreset("zcu104", zcu104)
	RegisterPreset("zcu104-measured", zcu104Measured)
	RegisterPreset("u50", u50)
}

// RegisterPreset adds a named hardware description: the one call a new
// preset needs (from an init function). The function must return a fresh
// value each time; its Preset field is set to name. Registering a name twice
// is a programming error and panics at start-up.
func RegisterPreset(name string, f func() Hardware) {
	if name == "" || f == nil {
		panic("accel.RegisterPreset: empty name or nil function")
	}
	if _, dup := presets[name]; dup {
		panic(fmt.Sprintf("accel.RegisterPreset: preset %q registered twice", name))
	}
	presets[name] = f
}

// PresetNames lists the preset names, sorted.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns the named hardware description.
func Preset(name string) (Hardware, error) {
	f, ok := presets[name]
	if !ok {
		return Hardware{}, fmt.Errorf("preset: unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	h := f()
	h.Preset = name
	return h, nil
}

// zcu104 is the edge preset: Xilinx ZCU104 (Zynq UltraScale+ XCZU7EV).
func zcu104() Hardware {
	return Hardware{
		Preset: "zcu104",
		// K16 x C9 x 3x3 taps at 100 MHz: the "SushiAccel_K16_C9" HLS engine
		// the same group's FEATHER artifact (maeri-project/FEATHER)
		// reuses on ZCU104 (unverified for SUSHI itself).
		ArrayK: 16, ArrayC: 9, ArrayTaps: 9,
		ClockMHz: 100,
		// Assumed: the adder tree sums over C x taps, so 1x1 layers use the
		// taps as 9x more input channels at no hardware cost.
		Pointwise: PointwiseChannels,
		// The measured K16 x C9 QCONV engine (FEATHER notebook, per-layer
		// latencies) spends ~s^2 more on stride-s layers than the kept
		// outputs need: it walks every stride-1 position. See assumptions.md.
		Strided:   StridedDense,
		DataBytes: 1, // int8 weights and activations (FEATHER notebook)
		// Device RAM: 312 BRAM36 + 96 UltraRAM (XCZU7EV, DS891) = 4,976,640 B.
		DeviceOnChipBytes: 312*bram36Bytes + 96*uramBytes,
		// Assumed allocation: PB and activation buffer in UltraRAM (3 MiB of
		// its 3.375 MiB), the weight buffer in BRAM, leaving ~1.2 MB of BRAM
		// for line buffers, FIFOs and accumulators. 2 MiB is the largest
		// power of two that leaves UltraRAM for a 1 MiB activation buffer.
		PBBytes:        2 * mib,
		ActBufBytes:    1 * mib,
		WeightBufBytes: 256 * kib,
		// PS DDR4, 64-bit at 2400 MT/s: 19.2 GB/s peak (ZCU104 UG1267).
		DRAMGBps: 19.2,
		// Assumed: a streaming controller sustains 70% of the DDR4 peak.
		DRAMEfficiency: 0.7,
		// The PL reaches PS DDR through 6 128-bit AXI slave ports (HP0-3,
		// HPC0-1; UG1085): FEATHER's notebook uses "6 interfaces" of 128 bits.
		DRAMPorts: 6, DRAMPortBytes: 16,
		Energy: EnergyTable{
			// MAC and SRAM figures derived from Horowitz 45 nm (zero = derive).
			DRAMpJPerByte: 160, // Horowitz: 640 pJ per 32-bit DRAM read
			StaticW:       0.6, // assumed: order of an UltraScale+ PL's static power
		},
		ArrayEfficiency: 1,                 // assumed: the ideal schedule of the rounded tiles
		WeightTransfer:  WeightsOverlapped, // assumed: HLS dataflow double buffering
		Activations:     ActivationsOnChip, // assumed: feature maps stay in the activation buffer
		Padding:         PaddingNone,       // assumed: tensors move at their true size
		Reload:          ReloadBlocking,    // assumed: the PB is written before the next query
		Batch:           1,                 // SUSHI serves one query at a time
	}
}

// zcu104Measured is zcu104 calibrated to the on-board latency of the 108
// 3x3 convolutions of the six reference SubNets (FEATHER artifact, ISCA'24,
// maeri-project/FEATHER, End2end_Deployment notebook; accel/testdata). The
// board runs one host call per layer: tensors padded to the array go to and
// from DRAM around each call and the engine loads a layer's weights before
// computing. The three numbers are what
//
//	sushisim calibrate --measured accel/testdata/feather-zcu104-3x3.csv --preset zcu104
//
// fits (TestMeasuredPresetIsTheFit refits them); docs/calibration.md has the
// errors. The buffers are zcu104's: the measured engine has no PB, the
// 2 MiB PB is SUSHI's design on the same device.
func zcu104Measured() Hardware {
	h := zcu104()
	h.WeightTransfer = WeightsSerialized
	h.Activations = ActivationsDRAM
	h.Padding = PaddingArray
	h.LayerOverheadCycles = 8976 // 89.8 us per layer call at 100 MHz
	h.ArrayEfficiency = 0.8628   // 1.159x the rounded array cycles
	h.DRAMEfficiency = 0.1797    // 3.45 GB/s effective of the 19.2 GB/s DDR4 peak
	return h
}

// u50 is the cloud preset: Xilinx Alveo U50 (XCU50, 8 GB HBM2). The SUSHI
// paper's cloud design is not known; the array and clock are assumptions.
func u50() Hardware {
	return Hardware{
		Preset: "u50",
		// Assumed: 4x the edge array's K (5,184 int8 MACs/cycle: 2,592 DSP48E2
		// at two int8 MACs each, 44% of the U50's 5,952 DSPs).
		ArrayK: 64, ArrayC: 9, ArrayTaps: 9,
		ClockMHz:  300, // assumed: the usual Vitis kernel clock on Alveo
		Pointwise: PointwiseChannels,
		Strided:   StridedDense, // assumed: the same engine, scaled up
		DataBytes: 1,
		// Device RAM: 1,344 BRAM36 (47.3 Mb) + 640 UltraRAM (180 Mb) = 29,786,112 B
		// (Alveo U50 data sheet DS965: 227 Mb in total; verify).
		DeviceOnChipBytes: 1344*bram36Bytes + 640*uramBytes,
		// Assumed: PB 16 MiB (holds the whole smallest OFA-ResNet50 SubNet,
		// ~9.6 MB), activations 4 MiB, weight buffer 1 MiB: 21 MiB of 28.4 MiB.
		PBBytes:        16 * mib,
		ActBufBytes:    4 * mib,
		WeightBufBytes: 1 * mib,
		DRAMGBps:       316, // HBM2 peak (Alveo U50 product brief)
		// Assumed: 85% of the HBM peak for long sequential bursts.
		DRAMEfficiency: 0.85,
		// 32 HBM pseudo-channels, each a 256-bit AXI port (Xilinx PG276).
		DRAMPorts: 32, DRAMPortBytes: 32,
		Energy: EnergyTable{
			// HBM2 ~3.9 pJ/bit = 31.2 pJ/B (O'Connor et al., "Fine-Grained
			// DRAM", MICRO 2017: "a few pJ per bit").
			DRAMpJPerByte: 31.2,
			StaticW:       4, // assumed: order of a mid-size UltraScale+ device with HBM
		},
		ArrayEfficiency: 1,
		WeightTransfer:  WeightsOverlapped,
		Activations:     ActivationsOnChip,
		Padding:         PaddingNone,
		Reload:          ReloadBlocking,
		Batch:           1,
	}
}
