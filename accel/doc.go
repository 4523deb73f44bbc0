// Package accel is the SushiAccel cost model: the latency and energy of
// running one SubNet (or a batch of queries on it) on an FPGA accelerator
// whose persistent buffer (PB) holds a SubGraph of SuperNet weights resident
// across queries.
//
// The model is analytical, layer by layer (see Hardware.LayerCosts for the
// per-layer explanation):
//
//   - compute: a PE array of ArrayK output channels x ArrayC input channels x
//     ArrayTaps kernel taps, one output pixel per cycle, with ceilings for
//     tiling; 3x3 kernels fill the taps, 1x1 and fully connected layers fold
//     the taps into more input channels (or spread pixels over them, see
//     Hardware.Pointwise), depthwise layers use one input-channel lane, and
//     strided layers cost their kept outputs or, as the measured K16 x C9
//     engine does, every stride-1 position (Hardware.Strided);
//   - memory: weights resident in the PB cost no DRAM traffic, the others are
//     streamed once per batch through the weight buffer; activations live in
//     the two halves (input, output) of a ping-pong activation buffer and
//     spill to DRAM when a half is too small, or (Hardware.Activations
//     "dram", one host call per layer) go to and from DRAM at every layer;
//     Hardware.Padding moves tensors padded to the array tile;
//   - time: per layer max(compute, transfer) with the weights overlapped, or
//     weights + max(compute, activations) with them serialized
//     (Hardware.WeightTransfer), compute stretched by ArrayEfficiency, plus
//     a fixed per-layer call cost;
//   - reloads: making a new SubGraph resident reads its new bytes from DRAM
//     (ReloadCost), blocking the next query or hidden in its idle DRAM
//     cycles (WithReload);
//   - batching: weights once per batch, activations per query (BatchCost);
//   - energy: MACs, SRAM bytes by buffer, DRAM bytes, and static power over
//     the busy time (Horowitz 45 nm figures by default).
//
// The mode switches are typed enums parsed once from their TOML spelling
// (options.go, through internal/enum); presets are registered by name (RegisterPreset). Calibrate
// fits a few options to per-layer latencies measured on a board
// (ReadMeasured, calibrate.go), predicting each layer with LayerCosts
// itself; zcu104-measured is its fit to the FEATHER ZCU104 timings.
//
// Table is the SushiAbs lookup table: the Cost of every catalog SubNet for
// each candidate resident SubGraph, built once and shared read-only, so that
// serving a query is a slice lookup. Every constant of the presets is listed,
// with its source, in docs/assumptions.md. The package knows nothing of
// queues or policies, and reads one kind of file, the measured-latency CSV
// calibration fits (ReadMeasuredFile); Hardware carries toml tags so that an experiment
// file can decode an [accel] table over a preset.
package accel
