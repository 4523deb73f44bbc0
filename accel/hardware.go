package accel

import (
	"errors"
	"fmt"
	"math"

	"github.com/sushisim/sushisim/models"
)

// Hardware describes one SushiAccel instance. Decode an [accel] TOML table
// over a Preset to change part of it; call Validate before computing costs.
type Hardware struct {
	Preset string `toml:"preset"` // name of the preset this started from ("" if none)

	// Kind is "sushi" (or ""): the cost model below; or "synthetic": service
	// times drawn from Service, whatever SubNet serves (accel/synthetic.go).
	Kind    Kind        `toml:"kind"`
	Service ServiceDist `toml:"service"` // [accel.service], kind = "synthetic" only

	ArrayK    int       `toml:"array_k"`    // PE array: output channels computed in parallel
	ArrayC    int       `toml:"array_c"`    // PE array: input channels reduced in parallel
	ArrayTaps int       `toml:"array_taps"` // PE array: kernel taps (R x R positions) in parallel
	Pointwise Pointwise `toml:"pointwise"`  // 1x1 / FC mapping: "channels" | "pixels" | "single"
	Strided   Strided   `toml:"strided"`    // strided layers: "skip" (only kept outputs) | "dense" (every stride-1 output)

	// ArrayEfficiency is the share of the ceiling-rounded array cycles the
	// engine achieves, (0, 1]: pipeline bubbles, line-buffer fill and stalls
	// a cycle count does not see (1 = the ideal schedule).
	ArrayEfficiency float64 `toml:"array_efficiency"`

	// LayerOverheadCycles is a fixed cost per layer, never overlapped: the
	// launch of a kernel call and its pipeline fill. It is in fabric cycles
	// (100 us at 100 MHz = 10,000); the calibration fits it.
	LayerOverheadCycles int64 `toml:"layer_overhead_cycles"`

	ClockMHz  float64 `toml:"clock_mhz"`  // fabric clock of the array and its AXI ports, MHz
	DataBytes int     `toml:"data_bytes"` // bytes per weight and activation: 1 = int8, 2 = int16

	PBBytes           int64 `toml:"pb_bytes"`            // persistent buffer (resident SubGraph), bytes
	WeightBufBytes    int64 `toml:"weight_buf_bytes"`    // streaming weight buffer (double-buffered), bytes
	ActBufBytes       int64 `toml:"act_buf_bytes"`       // activation buffer (input half + output half), bytes
	DeviceOnChipBytes int64 `toml:"device_onchip_bytes"` // all on-chip RAM of the device, bytes

	DRAMGBps       float64 `toml:"dram_gbps"`       // off-chip memory peak bandwidth, GB/s (1e9 B/s)
	DRAMEfficiency float64 `toml:"dram_efficiency"` // share of the peak a streaming access pattern reaches, (0, 1]
	DRAMPorts      int     `toml:"dram_ports"`      // AXI ports from the accelerator to DRAM
	DRAMPortBytes  int     `toml:"dram_port_bytes"` // bytes per port per fabric cycle (128-bit AXI = 16)

	Energy EnergyTable `toml:"energy"`

	// WeightTransfer: a layer's DRAM traffic "overlapped" with its compute
	// (double buffering), or its weights "serialized" before it while the
	// activations stream beside it.
	WeightTransfer WeightTransfer `toml:"weight_transfer"`
	// Activations: feature maps between layers "onchip" (spilling what does
	// not fit) or in "dram" (every layer reads and writes them).
	Activations Activations `toml:"activations"`
	// Padding: DRAM tensors at their true size ("none") or padded to the
	// array tile ("array").
	Padding Padding `toml:"padding"`
	Reload  Reload  `toml:"reload"` // PB reload: "blocking" | "overlap" (hidden in the next query's idle DRAM cycles)
	Batch   int     `toml:"batch"`  // queries per batch on one SubNet (SUSHI: 1)

	// OldOverlap catches the key renamed to weight_transfer, with a message that
	// names the new key (an old file fails clearly rather than silently).
	OldOverlap overlapRenamed `toml:"overlap,omitempty"`
}

// EnergyTable is the energy of each action. A per-buffer SRAM figure of zero
// means "derive it from the buffer's size" (SRAMpJPerByte), so that resizing
// a buffer rescales its energy unless the user pins the figure.
type EnergyTable struct {
	MACpJ              float64 `toml:"mac_pj"`                 // one multiply-accumulate, pJ (0: derive from data_bytes)
	PBpJPerByte        float64 `toml:"pb_pj_per_byte"`         // persistent buffer access, pJ/byte (0: derive from pb_bytes)
	WeightBufpJPerByte float64 `toml:"weight_buf_pj_per_byte"` // weight buffer access, pJ/byte (0: derive)
	ActBufpJPerByte    float64 `toml:"act_buf_pj_per_byte"`    // activation buffer access, pJ/byte (0: derive)
	DRAMpJPerByte      float64 `toml:"dram_pj_per_byte"`       // off-chip read or write, pJ/byte
	StaticW            float64 `toml:"static_w"`               // static power while busy, W
}

// Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm figures.
const (
	horowitzMul8pJ  = 0.2  // 8-bit integer multiply
	horowitzAdd32pJ = 0.1  // 32-bit integer add (the accumulator)
	horowitzSmallB  = 8192 // 8 KB SRAM array ...
	horowitzSmallpJ = 1.25 // ... 5 pJ per 32-bit read = 1.25 pJ/byte
	horowitzLargeB  = 1 << 20
	horowitzLargepJ = 12.5 // 1 MB array: ~100 pJ per 64-bit read = 12.5 pJ/byte
)

// SRAMpJPerByte is the access energy per byte of an SRAM of the given size:
// the straight line in log-log through Horowitz's two points (8 KB: 1.25
// pJ/B, 1 MB: 12.5 pJ/B), i.e. energy grows as size^0.475, close to the
// sqrt(size) of wire length. Sizes below 8 KB get the 8 KB figure.
func SRAMpJPerByte(bytes int64) float64 {
	if bytes <= horowitzSmallB {
		return horowitzSmallpJ
	}
	alpha := math.Log(horowitzLargepJ/horowitzSmallpJ) / math.Log(float64(horowitzLargeB)/horowitzSmallB)
	return horowitzSmallpJ * math.Pow(float64(bytes)/horowitzSmallB, alpha)
}

// MACpJForWidth is the energy of one MAC at a data width: a multiplier whose
// energy grows with the square of its width (Horowitz: 0.2 pJ at 8 bits)
// plus a 32-bit accumulate (0.1 pJ).
func MACpJForWidth(dataBytes int) float64 {
	w := float64(dataBytes)
	return horowitzMul8pJ*w*w + horowitzAdd32pJ
}

// Resolved returns the energy table with every derived (zero) entry filled
// in for h's buffer sizes and data width.
func (h *Hardware) Resolved() EnergyTable {
	e := h.Energy
	if e.MACpJ == 0 {
		e.MACpJ = MACpJForWidth(h.DataBytes)
	}
	if e.PBpJPerByte == 0 {
		e.PBpJPerByte = SRAMpJPerByte(h.PBBytes)
	}
	if e.WeightBufpJPerByte == 0 {
		e.WeightBufpJPerByte = SRAMpJPerByte(h.WeightBufBytes)
	}
	if e.ActBufpJPerByte == 0 {
		e.ActBufpJPerByte = SRAMpJPerByte(h.ActBufBytes)
	}
	return e
}

// PeakMACsPerCycle is the number of MAC units of the array.
func (h *Hardware) PeakMACsPerCycle() int64 {
	return int64(h.ArrayK) * int64(h.ArrayC) * int64(h.ArrayTaps)
}

// DRAMBytesPerSecond is the bandwidth the accelerator reaches: the smaller of
// the memory's sustained bandwidth (peak x efficiency) and what its AXI ports
// carry at the fabric clock (ports x bytes per port per cycle x clock).
func (h *Hardware) DRAMBytesPerSecond() float64 {
	mem := h.DRAMGBps * 1e9 * h.DRAMEfficiency
	ports := float64(h.DRAMPorts) * float64(h.DRAMPortBytes) * h.ClockMHz * 1e6
	return math.Min(mem, ports)
}

// DRAMBytesPerCycle is DRAMBytesPerSecond in bytes per fabric cycle.
func (h *Hardware) DRAMBytesPerCycle() float64 {
	return h.DRAMBytesPerSecond() / (h.ClockMHz * 1e6)
}

// CyclesToNs converts fabric cycles to nanoseconds, rounded to nearest.
func (h *Hardware) CyclesToNs(cycles int64) int64 {
	return int64(math.Round(float64(cycles) * 1e3 / h.ClockMHz))
}

// WeightBytes converts a count of weights to bytes at the hardware's data
// width. It is the one weights-to-bytes rule; a zero width (hardware not yet
// defaulted) counts one byte per weight.
func (h *Hardware) WeightBytes(weights int64) int64 {
	return weights * int64(max(h.DataBytes, 1))
}

// PBFits reports whether the SubGraph fits the persistent buffer.
func (h *Hardware) PBFits(g models.SubGraph) bool {
	return h.WeightBytes(g.Weights()) <= h.PBBytes
}

// Validate checks that the hardware can exist; each error names the TOML key
// (under [accel]) and says what is allowed. All problems are reported, joined.
func (h Hardware) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if h.Preset != "" {
		if _, err := Preset(h.Preset); err != nil {
			errs = append(errs, err) // "preset: unknown preset ..." as Preset says it
		}
	}
	for _, f := range []struct {
		key string
		v   int
	}{{"array_k", h.ArrayK}, {"array_c", h.ArrayC}, {"array_taps", h.ArrayTaps}} {
		if f.v < 1 {
			bad(f.key, "%d PEs: must be at least 1", f.v)
		}
	}
	h.validateModes(bad)
	if !(h.ArrayEfficiency > 0 && h.ArrayEfficiency <= 1) {
		bad("array_efficiency", "%g: must be in (0, 1] (1 = every rounded array cycle does work)", h.ArrayEfficiency)
	}
	if h.LayerOverheadCycles < 0 {
		bad("layer_overhead_cycles", "%d: must be zero or positive", h.LayerOverheadCycles)
	}
	if !(h.ClockMHz > 0) || math.IsInf(h.ClockMHz, 0) {
		bad("clock_mhz", "%g: must be a positive number of MHz", h.ClockMHz)
	}
	if h.DataBytes != 1 && h.DataBytes != 2 {
		bad("data_bytes", "%d: must be 1 (int8) or 2 (int16)", h.DataBytes)
	}
	if h.DeviceOnChipBytes <= 0 {
		bad("device_onchip_bytes", "%d: must be positive", h.DeviceOnChipBytes)
	}
	if h.PBBytes < 0 {
		bad("pb_bytes", "%d: must be zero (no persistent buffer) or positive", h.PBBytes)
	}
	tile := h.PeakMACsPerCycle() * int64(max(h.DataBytes, 1))
	if h.WeightBufBytes < 2*tile {
		bad("weight_buf_bytes", "%d: must hold two array tiles of weights (2 x array_k x array_c x array_taps x data_bytes = %d) for double buffering",
			h.WeightBufBytes, 2*tile)
	}
	if h.ActBufBytes < 2 {
		bad("act_buf_bytes", "%d: must be at least 2 (an input half and an output half)", h.ActBufBytes)
	}
	if h.DeviceOnChipBytes > 0 {
		for _, f := range []struct {
			key string
			v   int64
		}{{"pb_bytes", h.PBBytes}, {"weight_buf_bytes", h.WeightBufBytes}, {"act_buf_bytes", h.ActBufBytes}} {
			if f.v > h.DeviceOnChipBytes {
				bad(f.key, "%d exceeds device_onchip_bytes = %d", f.v, h.DeviceOnChipBytes)
			}
		}
		if sum := h.PBBytes + h.WeightBufBytes + h.ActBufBytes; sum > h.DeviceOnChipBytes && h.PBBytes >= 0 {
			bad("pb_bytes", "pb_bytes + weight_buf_bytes + act_buf_bytes = %d exceeds device_onchip_bytes = %d", sum, h.DeviceOnChipBytes)
		}
	}
	if !(h.DRAMGBps > 0) || math.IsInf(h.DRAMGBps, 0) {
		bad("dram_gbps", "%g: must be a positive bandwidth in GB/s", h.DRAMGBps)
	}
	if !(h.DRAMEfficiency > 0 && h.DRAMEfficiency <= 1) {
		bad("dram_efficiency", "%g: must be in (0, 1]", h.DRAMEfficiency)
	}
	if h.DRAMPorts < 1 {
		bad("dram_ports", "%d: must be at least 1", h.DRAMPorts)
	}
	if h.DRAMPortBytes < 1 {
		bad("dram_port_bytes", "%d: must be at least 1 byte per cycle", h.DRAMPortBytes)
	}
	e := h.Energy
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"energy.mac_pj", e.MACpJ}, {"energy.pb_pj_per_byte", e.PBpJPerByte},
		{"energy.weight_buf_pj_per_byte", e.WeightBufpJPerByte}, {"energy.act_buf_pj_per_byte", e.ActBufpJPerByte},
		{"energy.dram_pj_per_byte", e.DRAMpJPerByte}, {"energy.static_w", e.StaticW},
	} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			bad(f.key, "%g: must be a finite number >= 0", f.v)
		}
	}
	if h.Batch < 1 {
		bad("batch", "%d: must be at least 1", h.Batch)
	}
	h.Service.validate(h.Kind, bad)
	return errors.Join(errs...)
}

// validateModes reports mode switches set from Go outside their tables
// (decoding from TOML cannot produce them).
func (h *Hardware) validateModes(bad func(key, format string, args ...any)) {
	checkEnum("pointwise", pointwiseNames, h.Pointwise, bad)
	checkEnum("strided", stridedNames, h.Strided, bad)
	checkEnum("weight_transfer", weightTransferNames, h.WeightTransfer, bad)
	checkEnum("activations", activationsNames, h.Activations, bad)
	checkEnum("padding", paddingNames, h.Padding, bad)
	checkEnum("reload", reloadNames, h.Reload, bad)
}
