package models

import (
	"fmt"
	"math/rand/v2"
)

// SuperNet is a weight-shared network: every SubNet's layers are leading
// slices of its Layers, which hold the largest shape of each SuperNet layer.
type SuperNet struct {
	Name   string
	Layers []Layer // the full SuperNet, Layers[i].ID == i, shapes at the largest resolution
	// Resolutions are the input resolutions a config may choose, ascending.
	Resolutions []int32
	// build turns a config string into the SubNet's layers, or an error that
	// names the field and what is allowed.
	build func(config string) (layers []Layer, canonical string, err error)
	// layerNames names each SuperNet layer ("stage2.block0.conv2").
	layerNames []string
	// chanParams is the number of non-weight parameters per output channel
	// of each layer: 2 for a conv followed by batch norm (gamma, beta), 1
	// for a layer with a bias, 0 for neither. Running statistics are
	// buffers, not parameters (OFA's count_parameters counts parameters).
	chanParams []int8
	// transformParams counts SuperNet-only parameters that no extracted
	// SubNet keeps (OFA-MobileNetV3's kernel transform matrices).
	transformParams int64
	// sample draws a canonical config uniformly over each choice.
	sample func(r *rand.Rand) string
	// sweepChain lists canonical configs from the smallest to the largest,
	// each one choice step above the one before.
	sweepChain func() []string
}

// searchSpace is what a SuperNet's config grammar provides over its config
// type C: both OFA search spaces implement it.
type searchSpace[C any] interface {
	parse(config string) (C, error)
	format(c *C) string
	layers(c *C, out []Layer) []Layer
	sample(r *rand.Rand) string
	sweepChain() []string
}

// newSuperNet is the SuperNet of search space sp: Layers are the largest
// config's, and Build parses, builds and canonicalises through sp.
func newSuperNet[C any](name string, sp searchSpace[C], largest C, resolutions []int32) *SuperNet {
	return &SuperNet{
		Name:        name,
		Layers:      sp.layers(&largest, nil),
		Resolutions: resolutions,
		build: func(config string) ([]Layer, string, error) {
			c, err := sp.parse(config)
			if err != nil {
				return nil, "", err
			}
			return sp.layers(&c, nil), sp.format(&c), nil
		},
		sample:     sp.sample,
		sweepChain: sp.sweepChain,
	}
}

// LayerName is the name of SuperNet layer id (its place in the network).
func (n *SuperNet) LayerName(id int32) string {
	if id < 0 || int(id) >= len(n.layerNames) {
		return fmt.Sprintf("layer%d", id)
	}
	return n.layerNames[id]
}

// LayerParams is the trainable parameter count of l: its weights plus the
// batch-norm or bias parameters of its output channels.
func (n *SuperNet) LayerParams(l Layer) int64 {
	p := l.Weights()
	if l.ID >= 0 && int(l.ID) < len(n.chanParams) {
		p += int64(l.K) * int64(n.chanParams[l.ID])
	}
	return p
}

// Params is the SuperNet's trainable parameter count: every layer at its
// largest shape, plus parameters only the SuperNet has (kernel transform
// matrices).
func (n *SuperNet) Params() int64 {
	var p int64
	for _, l := range n.Layers {
		p += n.LayerParams(l)
	}
	return p + n.transformParams
}

// TransformParams is the number of SuperNet parameters that no extracted
// SubNet keeps: OFA-MobileNetV3's kernel transform matrices (zero for
// OFA-ResNet50).
func (n *SuperNet) TransformParams() int64 { return n.transformParams }

// NumLayers is the number of SuperNet layers (the length of every SubGraph).
func (n *SuperNet) NumLayers() int { return len(n.Layers) }

// Full is the whole SuperNet as a SubGraph.
func (n *SuperNet) Full() SubGraph { return SubGraphOf(len(n.Layers), n.Layers) }

// Build makes the SubNet a config string selects. Its accuracy is unknown
// (zero) until a catalog assigns one.
func (n *SuperNet) Build(config string) (*SubNet, error) {
	if n.build == nil {
		return nil, fmt.Errorf("supernet %q has no search space (get SuperNets from Lookup)", n.Name)
	}
	layers, canon, err := n.build(config)
	if err != nil {
		return nil, fmt.Errorf("%s config: %w", n.Name, err)
	}
	return &SubNet{Name: canon, Config: canon, Net: n, Layers: layers}, nil
}

// SubNet is one network carved out of a SuperNet.
type SubNet struct {
	Name           string
	Config         string // canonical config string; SuperNet.Build(Config) rebuilds it
	Net            *SuperNet
	Layers         []Layer // in execution order
	Accuracy       float64 // ImageNet top-1, percent
	AccuracySource string  // where Accuracy comes from: a citation, "measured" or "model"
}

// MACs is the SubNet's multiply-accumulate count for one input.
func (s *SubNet) MACs() int64 {
	var m int64
	for _, l := range s.Layers {
		m += l.MACs()
	}
	return m
}

// Weights is the SubNet's weight element count.
func (s *SubNet) Weights() int64 {
	var w int64
	for _, l := range s.Layers {
		w += l.Weights()
	}
	return w
}

// Params is the SubNet's trainable parameter count as OFA's
// count_parameters gives it for the extracted network: weights, batch-norm
// gamma and beta, and biases (the classifier's, squeeze-excite's).
func (s *SubNet) Params() int64 {
	var p int64
	for _, l := range s.Layers {
		p += s.Net.LayerParams(l)
	}
	return p
}

// SubGraph is the set of SuperNet weights the SubNet uses.
func (s *SubNet) SubGraph() SubGraph { return SubGraphOf(len(s.Net.Layers), s.Layers) }
