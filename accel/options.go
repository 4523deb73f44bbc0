package accel

import (
	"fmt"

	"github.com/sushisim/sushisim/internal/enum"
)

// The hardware's mode switches are small typed enums, parsed once when an
// [accel] table is decoded (encoding.TextUnmarshaler) and written back as
// the same strings (encoding.TextMarshaler), so that TOML files keep their
// spelling while the cost model compares integers. Each enum's zero value is
// a valid choice; Validate rejects values outside the table (set from Go).

// Kind selects the accelerator model ([accel] kind).
type Kind uint8

const (
	// KindSushi is the SushiAccel cost model (the default; "" means it too).
	KindSushi Kind = iota
	// KindSynthetic draws every service time from [accel.service], whatever
	// SubNet serves: a queueing-theory test bench (M/M/c, M/D/1, M/G/1) for
	// the engine and the cluster, not a model of any device.
	KindSynthetic
)

var kindNames = []string{"sushi", "synthetic"}

func (k Kind) String() string               { return enum.Name(kindNames, k) }
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
func (k *Kind) UnmarshalText(b []byte) error {
	if len(b) == 0 { // an empty kind has always meant the cost model
		*k = KindSushi
		return nil
	}
	return enum.Parse(kindNames, b, k)
}

// Pointwise is how a 1x1 convolution or a fully connected layer uses the
// taps dimension of the array ([accel] pointwise).
type Pointwise uint8

const (
	// PointwiseChannels folds the taps into more input channels: the adder
	// tree already sums over C x taps, so a 1x1 layer reduces ArrayC x
	// ArrayTaps input channels per cycle with no extra hardware.
	PointwiseChannels Pointwise = iota
	// PointwisePixels spreads ArrayTaps output pixels over the taps (needs
	// one accumulator per tap lane).
	PointwisePixels
	// PointwiseSingle uses one tap of ArrayTaps: the array as built for 3x3
	// kernels, with no special 1x1 path.
	PointwiseSingle
)

var pointwiseNames = []string{"channels", "pixels", "single"}

func (p Pointwise) String() string               { return enum.Name(pointwiseNames, p) }
func (p Pointwise) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
func (p *Pointwise) UnmarshalText(b []byte) error {
	return enum.Parse(pointwiseNames, b, p)
}

// Strided is what a layer of stride s > 1 costs the array ([accel] strided).
type Strided uint8

const (
	// StridedSkip computes only the output pixels kept: OutH^2 per image.
	StridedSkip Strided = iota
	// StridedDense computes every stride-1 output position and keeps one in
	// s^2, as an engine without a strided input walk does.
	StridedDense
)

var stridedNames = []string{"skip", "dense"}

func (s Strided) String() string                { return enum.Name(stridedNames, s) }
func (s Strided) MarshalText() ([]byte, error)  { return []byte(s.String()), nil }
func (s *Strided) UnmarshalText(b []byte) error { return enum.Parse(stridedNames, b, s) }

// Reload is how a persistent-buffer reload is charged ([accel] reload).
type Reload uint8

const (
	// ReloadBlocking: the accelerator loads the new SubGraph before it
	// serves the next query.
	ReloadBlocking Reload = iota
	// ReloadOverlap: the load streams while the next query runs, in the DRAM
	// cycles that query leaves idle.
	ReloadOverlap
)

var reloadNames = []string{"blocking", "overlap"}

func (r Reload) String() string                { return enum.Name(reloadNames, r) }
func (r Reload) MarshalText() ([]byte, error)  { return []byte(r.String()), nil }
func (r *Reload) UnmarshalText(b []byte) error { return enum.Parse(reloadNames, b, r) }

// WeightTransfer is how a layer's weight fetch meets its compute ([accel]
// weight_transfer). It is about one layer's own weights; Reload is about
// the PB.
type WeightTransfer uint8

const (
	// WeightsOverlapped: double buffering hides the shorter of compute and
	// all of the layer's DRAM traffic (per layer, max of the two).
	WeightsOverlapped WeightTransfer = iota
	// WeightsSerialized: the layer fetches its weights, then computes while
	// its activations stream (per layer, weights + max(compute,
	// activations)), as an engine that loads a layer's filters before its
	// first output does.
	WeightsSerialized
)

var weightTransferNames = []string{"overlapped", "serialized"}

func (t WeightTransfer) String() string               { return enum.Name(weightTransferNames, t) }
func (t WeightTransfer) MarshalText() ([]byte, error) { return []byte(t.String()), nil }
func (t *WeightTransfer) UnmarshalText(b []byte) error {
	return enum.Parse(weightTransferNames, b, t)
}

// Activations is where a layer's input and output feature maps live
// between layers ([accel] activations).
type Activations uint8

const (
	// ActivationsOnChip: in the ping-pong activation buffer; only the
	// network input, the network output and what exceeds a half go to DRAM.
	ActivationsOnChip Activations = iota
	// ActivationsDRAM: every layer reads its input from DRAM and writes its
	// output back (layer-by-layer execution, one host call per layer).
	ActivationsDRAM
)

var activationsNames = []string{"onchip", "dram"}

func (a Activations) String() string               { return enum.Name(activationsNames, a) }
func (a Activations) MarshalText() ([]byte, error) { return []byte(a.String()), nil }
func (a *Activations) UnmarshalText(b []byte) error {
	return enum.Parse(activationsNames, b, a)
}

// Padding is whether DRAM tensors are padded to the array tile ([accel]
// padding).
type Padding uint8

const (
	// PaddingNone moves tensors at their true size.
	PaddingNone Padding = iota
	// PaddingArray moves them as the array consumes them: weights and
	// outputs with K rounded up to array_k, inputs with C rounded up to
	// array_c (the zero channels are real bytes on the bus).
	PaddingArray
)

var paddingNames = []string{"none", "array"}

func (p Padding) String() string                { return enum.Name(paddingNames, p) }
func (p Padding) MarshalText() ([]byte, error)  { return []byte(p.String()), nil }
func (p *Padding) UnmarshalText(b []byte) error { return enum.Parse(paddingNames, b, p) }

// checkEnum reports a value set from Go outside its table.
func checkEnum[E ~uint8](key string, names []string, v E, bad func(key, format string, args ...any)) {
	if int(v) >= len(names) {
		bad(key, "%d: must be %s", uint8(v), enum.Allowed(names))
	}
}

// overlapRenamed is the field of the old key [accel] overlap = true/false,
// renamed to weight_transfer: any value in it is an error that names the new key.
// An empty struct keeps Hardware comparable.
type overlapRenamed struct{}

// UnmarshalTOML rejects the old key with the new one's spelling.
func (overlapRenamed) UnmarshalTOML(v any) error {
	b, _ := v.(bool)
	t := WeightsSerialized
	if b {
		t = WeightsOverlapped
	}
	return fmt.Errorf("renamed to weight_transfer (a layer's own data, not PB reloads; see reload): write weight_transfer = %q", t)
}
